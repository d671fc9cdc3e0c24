/**
 * Price change in percent between two prices (for the 1-minute / 5-minute emergency drops).
 * @module
 */
import { assertPositive } from '@perpkit/core'

/**
 * Percent change from `fromPrice` to `toPrice`: `(to - from) / from × 100` (a drop is negative).
 *
 * @param args.fromPrice - earlier price (> 0)
 * @param args.toPrice - later price (> 0)
 * @returns change in percent
 * @throws InvalidInputError when a price is not a finite number > 0
 * @example
 * ```ts
 * import { priceChangePct } from '@perpkit/risk'
 * priceChangePct({ fromPrice: 100, toPrice: 90 }) // -10
 * ```
 */
export function priceChangePct(args: { readonly fromPrice: number; readonly toPrice: number }): number {
  const from = assertPositive(args.fromPrice, 'fromPrice')
  const to = assertPositive(args.toPrice, 'toPrice')
  return ((to - from) / from) * 100
}
