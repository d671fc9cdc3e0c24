/**
 * Account state: positions and balances.
 * @module
 */
import { z } from 'zod'
import { marginModeSchema, positionSideSchema } from './enums.js'
import { finiteNumber, nonNegativeNumber, positiveNumber, timestampMs, unifiedSymbol } from './primitives.js'

/**
 * Schema of a {@link Position} (one-way mode: one per symbol; a flat symbol has no position).
 * `qty` is > 0 in the instrument's quantity unit; PnL and margin are in the settle asset.
 *
 * @example
 * ```ts
 * import { positionSchema } from '@perpkit/core'
 * positionSchema.parse({
 *   symbol: 'BTC/USD:BTC', side: 'long', qty: 10000, entryPrice: 8000, markPrice: 8100, unrealizedPnl: 0.0154,
 *   liquidationPrice: 5400, leverage: 3, marginMode: 'isolated', updatedAtMs: 1670889600000,
 * })
 * ```
 */
export const positionSchema = z
  .object({
    symbol: unifiedSymbol,
    side: positionSideSchema,
    qty: positiveNumber,
    entryPrice: positiveNumber,
    markPrice: positiveNumber.optional(),
    unrealizedPnl: finiteNumber,
    liquidationPrice: nonNegativeNumber.nullable(),
    leverage: positiveNumber,
    marginMode: marginModeSchema,
    isolatedMargin: nonNegativeNumber.optional(),
    updatedAtMs: timestampMs,
  })
  .strict()

/** An open position. */
export type Position = z.infer<typeof positionSchema>

/**
 * Schema of a {@link Balance} of one asset. `total` is the wallet balance (realized), `available` what can
 * back new margin; equity = total + unrealizedPnl.
 *
 * @example
 * ```ts
 * import { balanceSchema } from '@perpkit/core'
 * balanceSchema.parse({ asset: 'USDT', total: 1000, available: 800, unrealizedPnl: -12.5, updatedAtMs: 1758240000000 })
 * ```
 */
export const balanceSchema = z
  .object({
    asset: z.string().min(1),
    total: finiteNumber,
    available: finiteNumber,
    unrealizedPnl: finiteNumber,
    updatedAtMs: timestampMs,
  })
  .strict()

/** Balance of one asset. */
export type Balance = z.infer<typeof balanceSchema>

/**
 * Equity of a balance: wallet balance plus unrealized PnL.
 * @example
 * ```ts
 * import { equityOf } from '@perpkit/core'
 * equityOf({ asset: 'USDT', total: 1000, available: 800, unrealizedPnl: -12.5, updatedAtMs: 0 }) // 987.5
 * ```
 */
export function equityOf(balance: Balance): number {
  return balance.total + balance.unrealizedPnl
}
