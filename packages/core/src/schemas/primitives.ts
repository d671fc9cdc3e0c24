/**
 * Numeric and identifier primitives shared by every schema. They reject NaN, ±Infinity, and (where named so)
 * zero or negative values, with messages a person can act on.
 * @module
 */
import { z } from 'zod'

/**
 * A finite number (rejects NaN and ±Infinity).
 *
 * @example
 * ```ts
 * import { finiteNumber } from '@perpkit/core'
 * finiteNumber.parse(1.5) // 1.5
 * finiteNumber.safeParse(NaN).success // false
 * ```
 */
export const finiteNumber = z.number({ error: 'expected a finite number' }).finite('expected a finite number')

/**
 * A finite number > 0 (prices, quantities, tick sizes).
 *
 * @example
 * ```ts
 * import { positiveNumber } from '@perpkit/core'
 * positiveNumber.safeParse(0).success // false
 * ```
 */
export const positiveNumber = finiteNumber.positive('must be > 0')

/**
 * A finite number ≥ 0 (filled quantity, balances that cannot go negative).
 *
 * @example
 * ```ts
 * import { nonNegativeNumber } from '@perpkit/core'
 * nonNegativeNumber.parse(0) // 0
 * ```
 */
export const nonNegativeNumber = finiteNumber.nonnegative('must be >= 0')

/**
 * Epoch milliseconds (non-negative integer).
 *
 * @example
 * ```ts
 * import { timestampMs } from '@perpkit/core'
 * timestampMs.parse(1751628900000)
 * ```
 */
export const timestampMs = z.number().int('must be an integer epoch ms').nonnegative('must be >= 0')

/**
 * Unified perpetual symbol `BASE/QUOTE:SETTLE` (ccxt convention), e.g. `BTC/USDT:USDT` or `BTC/USD:BTC`.
 *
 * @example
 * ```ts
 * import { unifiedSymbol } from '@perpkit/core'
 * unifiedSymbol.parse('BTC/USDC:USDC')
 * ```
 */
export const unifiedSymbol = z
  .string()
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}:[A-Z0-9]{1,20}$/, 'expected a unified perp symbol BASE/QUOTE:SETTLE, e.g. BTC/USDT:USDT')

/**
 * Client order id valid on both Binance and Bybit: 1–36 characters of `[A-Za-z0-9_-]`.
 *
 * @example
 * ```ts
 * import { clientOrderIdSchema } from '@perpkit/core'
 * clientOrderIdSchema.parse('pk_7f3a9c_entry')
 * ```
 */
export const clientOrderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,36}$/, 'client order id must be 1-36 characters of [A-Za-z0-9_-]')
