/**
 * Post-trade fee verification: a fee spike tightens entries for 24 h.
 * @module
 */
import { assertNonNegative, assertPositive } from '@perpkit/core'

/**
 * Compare the actual fee of a fill with the entry-time estimate.
 *
 * @param args.actualFeeUsd - fee actually charged (≥ 0)
 * @param args.estimatedFeeUsd - fee estimated at entry (> 0)
 * @param args.ratio - spike threshold (1.5: actual > estimate × 1.5 is a spike)
 * @returns whether it is a spike, and actual / estimate
 * @throws InvalidInputError for negative/non-finite fees or an estimate ≤ 0
 * @example
 * ```ts
 * import { detectFeeSpike } from '@perpkit/risk'
 * detectFeeSpike({ actualFeeUsd: 0.06, estimatedFeeUsd: 0.01, ratio: 1.5 }) // { spike: true, feeRatio: 6 }
 * ```
 */
export function detectFeeSpike(args: { readonly actualFeeUsd: number; readonly estimatedFeeUsd: number; readonly ratio: number }): {
  readonly spike: boolean
  readonly feeRatio: number
} {
  const actual = assertNonNegative(args.actualFeeUsd, 'actualFeeUsd')
  const estimated = assertPositive(args.estimatedFeeUsd, 'estimatedFeeUsd')
  const ratio = assertPositive(args.ratio, 'ratio')
  return { spike: actual > estimated * ratio, feeRatio: actual / estimated }
}
