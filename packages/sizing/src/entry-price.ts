/**
 * Average entry price of several fills, linear (arithmetic, qty-weighted) and inverse (harmonic).
 * @module
 */
import { InvalidInputError, nextAveragePrice } from '@perpkit/core'
import type { ContractSpec } from './types.js'
import { assertNonNegative, assertPositive, checkContract } from './validate.js'

/**
 * Average entry price of fills on the same side. Linear: `Σ qty·price / Σ qty`. Inverse: the price that keeps
 * the coin value, `Σ qty / Σ (qty / price)` (Bybit "How to Calculate Average Entry Price"). Folds core's
 * `nextAveragePrice` over the fills (the one place the rule lives).
 *
 * @param args.fills - non-empty list of `{ qty, price }` with qty ≥ 0 (at least one > 0) and price > 0
 * @returns the average entry price
 * @throws InvalidInputError on an empty list, a zero total quantity or bad numbers (`fills[i].price` …)
 * @example
 * ```ts
 * import { averageEntryPrice } from '@perpkit/sizing'
 * // Bybit: 50 BTCUSD contracts at 10,000 + 50 at 15,000 → 12,000
 * averageEntryPrice({ contract: { kind: 'inverse', contractSize: 1 }, fills: [{ qty: 50, price: 10_000 }, { qty: 50, price: 15_000 }] })
 * ```
 */
export function averageEntryPrice(args: {
  readonly contract: ContractSpec
  readonly fills: readonly { readonly qty: number; readonly price: number }[]
}): number {
  const { kind } = checkContract(args.contract)
  if (!Array.isArray(args.fills) || args.fills.length === 0) throw new InvalidInputError('expected at least one fill', { path: 'fills' })
  let qty = 0
  let average = 0
  args.fills.forEach((f, i) => {
    const q = assertNonNegative(f.qty, `fills[${i}].qty`)
    const p = assertPositive(f.price, `fills[${i}].price`)
    if (q === 0) return
    average = nextAveragePrice({ kind, qty, averagePrice: average, fillQty: q, fillPrice: p })
    qty += q
  })
  if (!(qty > 0)) throw new InvalidInputError('total quantity is 0', { path: 'fills' })
  return average
}
