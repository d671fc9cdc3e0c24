/**
 * The one average-price rule of perpkit: how the average entry (or fill) price moves when a position (or an
 * order) grows by one fill, for linear and inverse contracts.
 * @module
 */
import { InvalidInputError } from './errors.js'
import { assertNonNegative, assertPositive } from './guards.js'
import type { ContractKind } from './schemas/enums.js'

/**
 * Average price after adding `fillQty` at `fillPrice` to `qty` held at `averagePrice`.
 *
 * - Linear (quote-margined): the qty-weighted arithmetic mean, `(qty·avg + fillQty·fillPrice) / (qty + fillQty)`.
 * - Inverse (coin-margined, qty in USD contracts): the price that keeps the coin value of the contracts, which is
 *   the qty-weighted harmonic mean, `(qty + fillQty) / (qty/avg + fillQty/fillPrice)` (Bybit, "How to Calculate
 *   Average Entry Price": 50 contracts at 10,000 and 50 at 15,000 average 12,000, not 12,500).
 *
 * The contract size cancels out of both. When the fill is at the current average (or the position is empty) the
 * fill price is returned exactly, so equal-price fills never show float noise.
 *
 * @param args.kind - `linear` or `inverse`
 * @param args.qty - contracts held before the fill (≥ 0, absolute)
 * @param args.averagePrice - their average price (> 0 when `qty` > 0; ignored when `qty` is 0)
 * @param args.fillQty - contracts added (> 0)
 * @param args.fillPrice - price of the added contracts (> 0)
 * @returns the new average price
 * @throws InvalidInputError on a negative / non-finite qty, a non-positive price, or an unknown kind
 * @example
 * ```ts
 * import { nextAveragePrice } from '@perpkit/core'
 * nextAveragePrice({ kind: 'inverse', qty: 50, averagePrice: 10_000, fillQty: 50, fillPrice: 15_000 }) // 12000
 * nextAveragePrice({ kind: 'linear', qty: 1, averagePrice: 100, fillQty: 1, fillPrice: 200 }) // 150
 * ```
 */
export function nextAveragePrice(args: {
  readonly kind: ContractKind
  readonly qty: number
  readonly averagePrice: number
  readonly fillQty: number
  readonly fillPrice: number
}): number {
  const qty = assertNonNegative(args.qty, 'qty')
  const fillQty = assertPositive(args.fillQty, 'fillQty')
  const fillPrice = assertPositive(args.fillPrice, 'fillPrice')
  if (qty === 0) return fillPrice
  const avg = assertPositive(args.averagePrice, 'averagePrice')
  if (avg === fillPrice) return fillPrice
  if (args.kind === 'linear') return (qty * avg + fillQty * fillPrice) / (qty + fillQty)
  if (args.kind === 'inverse') return (qty + fillQty) / (qty / avg + fillQty / fillPrice)
  throw new InvalidInputError(`unknown contract kind ${String(args.kind)}`, { path: 'kind' })
}
