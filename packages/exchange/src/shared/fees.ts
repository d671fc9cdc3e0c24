/**
 * Fee rates attached to instruments: neither venue's instrument list carries the account's rates, so they come
 * from the caller (or each adapter's base-tier default).
 * @module
 */

/**
 * Fee rates of an instrument (the venues' instrument lists carry none; the account's rates come from the caller).
 * @example
 * ```ts
 * import type { FeeRates } from '@perpkit/exchange'
 * const vip0: FeeRates = { makerFeeRate: 0.0002, takerFeeRate: 0.0005 }
 * ```
 */
export interface FeeRates {
  readonly makerFeeRate: number
  readonly takerFeeRate: number
}

