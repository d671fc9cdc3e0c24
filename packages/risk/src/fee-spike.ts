/**
 * Post-trade fee verification: a fee spike tightens entries for 24 h. The only fee-spike rule in perpkit.
 * @module
 */
import { assertFinite, assertPositive } from '@perpkit/core'

/**
 * Compare the actual fee of a fill with the entry-time estimate. A spike is an actual fee above
 * `estimate × ratio`; when a rebate (≤ 0) was expected, any positive fee paid is a spike (the maker entry fell
 * through to taker). Fees are signed: a rebate received is negative.
 *
 * @param args.actualFeeUsd - fee actually charged (negative for a rebate received)
 * @param args.estimatedFeeUsd - fee estimated at entry (≤ 0 when a rebate was expected)
 * @param args.ratio - spike threshold (1.5: actual > estimate × 1.5 is a spike)
 * @returns whether it is a spike, and actual / estimate (`null` when the estimate is ≤ 0)
 * @throws InvalidInputError for non-finite fees or a ratio ≤ 0
 * @example
 * ```ts
 * import { detectFeeSpike } from '@perpkit/risk'
 * detectFeeSpike({ actualFeeUsd: 0.06, estimatedFeeUsd: 0.01, ratio: 1.5 }) // { spike: true, feeRatio: 6 }
 * detectFeeSpike({ actualFeeUsd: 0.0009, estimatedFeeUsd: -0.0003, ratio: 1.5 }) // { spike: true, feeRatio: null }
 * ```
 */
export function detectFeeSpike(args: { readonly actualFeeUsd: number; readonly estimatedFeeUsd: number; readonly ratio: number }): {
  readonly spike: boolean
  readonly feeRatio: number | null
} {
  const actual = assertFinite(args.actualFeeUsd, 'actualFeeUsd')
  const estimated = assertFinite(args.estimatedFeeUsd, 'estimatedFeeUsd')
  const ratio = assertPositive(args.ratio, 'ratio')
  if (estimated <= 0) return { spike: actual > 0, feeRatio: null }
  return { spike: actual > estimated * ratio, feeRatio: actual / estimated }
}
