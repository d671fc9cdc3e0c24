/**
 * Loss budget: how much the position may lose at its stop.
 * @module
 */
import { fail, ok } from '@perpkit/core'
import type { SizingDecision } from './reasons.js'
import type { ContractSpec } from './types.js'
import { assertNonNegative, assertPositive, checkContract, checkFraction } from './validate.js'

/**
 * A computed loss budget.
 *
 * @example
 * ```ts
 * import { lossBudget } from '@perpkit/sizing'
 * const r = lossBudget({ contract: { kind: 'linear', contractSize: 1 }, equity: 500, price: 50_000, maxLossFraction: 0.08, maxLossUsd: 20 })
 * if (r.ok) r.value.binding // 'usd-cap'
 * ```
 */
export interface LossBudget {
  /** Budget in the settle currency (USDT linear, coin inverse). */
  readonly budget: number
  /** The same budget in USD at `price` (display/logging). */
  readonly budgetUsd: number
  /** Which cap bound the budget. */
  readonly binding: 'fraction' | 'usd-cap'
}

/**
 * Loss budget = `min(equity × maxLossFraction, maxLossUsd converted to the settle currency)`.
 * Inverse: `max_loss_btc = min(equity_btc × pct_cap, usd_cap / btc_price)`. Linear: the same in
 * USDT (the USD cap is taken 1:1). Omit `maxLossUsd` for a pure risk-fraction budget.
 *
 * @param args.contract - contract kind decides the settle currency
 * @param args.equity - account equity in the settle currency (wallet + unrealised PnL), ≥ 0
 * @param args.price - mark price used to convert the USD cap (> 0)
 * @param args.maxLossFraction - fraction of equity, in `[0, 1)`
 * @param args.maxLossUsd - optional USD cap, ≥ 0
 * @returns `ok({ budget, budgetUsd, binding })`, or `fail('zero-budget')` when the budget is 0
 * @throws InvalidInputError on negative/NaN equity, non-positive price, a fraction outside `[0, 1)`
 * @example
 * ```ts
 * import { lossBudget } from '@perpkit/sizing'
 * // stage 1, 0.002 BTC equity at 50,000 (= $100): min(0.002 × 12 %, 10 / 50,000) = 0.0002 BTC
 * lossBudget({ contract: { kind: 'inverse', contractSize: 1 }, equity: 0.002, price: 50_000, maxLossFraction: 0.12, maxLossUsd: 10 })
 * ```
 */
export function lossBudget(args: {
  readonly contract: ContractSpec
  readonly equity: number
  readonly price: number
  readonly maxLossFraction: number
  readonly maxLossUsd?: number
}): SizingDecision<LossBudget, 'zero-budget'> {
  const { kind } = checkContract(args.contract)
  const equity = assertNonNegative(args.equity, 'equity')
  const price = assertPositive(args.price, 'price')
  const fraction = checkFraction(args.maxLossFraction, 'maxLossFraction')
  const byFraction = equity * fraction
  let budget = byFraction
  let binding: LossBudget['binding'] = 'fraction'
  if (args.maxLossUsd !== undefined) {
    const capUsd = assertNonNegative(args.maxLossUsd, 'maxLossUsd')
    const cap = kind === 'inverse' ? capUsd / price : capUsd
    if (cap < byFraction) {
      budget = cap
      binding = 'usd-cap'
    }
  }
  const budgetUsd = kind === 'inverse' ? budget * price : budget
  if (!(budget > 0)) return fail('zero-budget', { equity, maxLossFraction: fraction, maxLossUsd: args.maxLossUsd ?? null })
  return ok({ budget, budgetUsd, binding })
}
