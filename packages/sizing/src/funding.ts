/**
 * Funding-cost estimate for linear and inverse perpetuals.
 * @module
 */
import type { PositionSide } from '@perpkit/core'
import { positionValue } from './contracts.js'
import type { ContractSpec } from './types.js'
import { assertPositive, checkRate, checkSide, direction } from './validate.js'

/**
 * Funding paid by a position at one funding event, in the settle currency:
 * `± position value at mark × fundingRate` (linear: `qty × contractSize × mark`; inverse:
 * `qty × contractSize / mark`). With a positive rate longs pay and shorts receive.
 *
 * @param args.markPrice - mark price at the funding timestamp (> 0)
 * @param args.fundingRate - the funding rate as a fraction (e.g. `2.109e-5`)
 * @returns amount paid (positive) or received (negative) in the settle currency
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { fundingCost } from '@perpkit/sizing'
 * // Binance BTCUSDT funding 2025-09-19 08:00 UTC: rate 2.109e-5, mark 116,850.1 → a 1 BTC long pays ≈ 2.4644 USDT
 * fundingCost({ contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, markPrice: 116_850.1, fundingRate: 2.109e-5 })
 * ```
 */
export function fundingCost(args: {
  readonly contract: ContractSpec
  readonly side: PositionSide
  readonly qty: number
  readonly markPrice: number
  readonly fundingRate: number
}): number {
  const dir = direction(checkSide(args.side))
  const rate = checkRate(args.fundingRate, 'fundingRate')
  assertPositive(args.markPrice, 'markPrice')
  const v = dir * positionValue({ contract: args.contract, qty: args.qty, price: args.markPrice }) * rate
  return v === 0 ? 0 : v
}
