/**
 * EV gate: expected profit against fees (the post-trade fee-spike rule lives in @perpkit/risk).
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
