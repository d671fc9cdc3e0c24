/**
 * EV gate and post-trade fee-spike check.
 * @module
 */
import { fail, ok } from '@perpkit/core'
import type { SizingDecision } from './reasons.js'
import { assertFinite, assertNonNegative, assertPositive } from './validate.js'

/**
 * EV gate: accept only when `expectedProfit ≥ estimatedFee × feeMultiple` (K(stage) = 2 / 2.5 / 3; 5 for the
 * one allowed taker fallback after repeated maker timeouts). Both amounts in the same currency (usually USD).
 *
 * @param args.estimatedFee - round-trip fee estimate (≥ 0; pass 0 for a net rebate)
 * @returns `ok({ expectedProfit, requiredProfit })` or `fail('ev-below-fees', …)`
 * @throws InvalidInputError on NaN, a negative fee or a non-positive multiple
 * @example
 * ```ts
 * import { evGate } from '@perpkit/sizing'
 * evGate({ expectedProfit: 0.5, estimatedFee: 0.2, feeMultiple: 2 }) // ok (0.5 ≥ 0.4)
 * evGate({ expectedProfit: 0.5, estimatedFee: 0.2, feeMultiple: 3 }).ok // false: ev-below-fees
 * ```
 */
export function evGate(args: {
  readonly expectedProfit: number
  readonly estimatedFee: number
  readonly feeMultiple: number
}): SizingDecision<{ readonly expectedProfit: number; readonly requiredProfit: number }, 'ev-below-fees'> {
  const expectedProfit = assertFinite(args.expectedProfit, 'expectedProfit')
  const fee = assertNonNegative(args.estimatedFee, 'estimatedFee')
  const k = assertPositive(args.feeMultiple, 'feeMultiple')
  const requiredProfit = fee * k
  const value = { expectedProfit, requiredProfit }
  return expectedProfit >= requiredProfit && expectedProfit > 0 ? ok(value) : fail('ev-below-fees', { ...value, estimatedFee: fee, feeMultiple: k })
}

/**
 * Post-trade fee check: a spike is an actual fee above `estimatedFee × threshold` (default 1.5). When a
 * rebate (≤ 0) was expected, any positive fee paid is a spike.
 *
 * @returns `ok({ ratio })` (ratio = actual / estimate, `null` when the estimate is ≤ 0) or `fail('fee-spike', …)`
 * @throws InvalidInputError on NaN or a threshold ≤ 0
 * @example
 * ```ts
 * import { checkFeeSpike } from '@perpkit/sizing'
 * checkFeeSpike({ actualFee: 0.6, estimatedFee: 0.1 }).ok // false: fee-spike (6×)
 * checkFeeSpike({ actualFee: 0.12, estimatedFee: 0.1 }).ok // true
 * ```
 */
export function checkFeeSpike(args: {
  readonly actualFee: number
  readonly estimatedFee: number
  readonly threshold?: number
}): SizingDecision<{ readonly ratio: number | null }, 'fee-spike'> {
  const actual = assertFinite(args.actualFee, 'actualFee')
  const estimate = assertFinite(args.estimatedFee, 'estimatedFee')
  const threshold = assertPositive(args.threshold ?? 1.5, 'threshold')
  const ratio = estimate > 0 ? actual / estimate : null
  const spike = estimate > 0 ? actual > estimate * threshold : actual > 0
  return spike ? fail('fee-spike', { actualFee: actual, estimatedFee: estimate, threshold, ratio }) : ok({ ratio })
}
