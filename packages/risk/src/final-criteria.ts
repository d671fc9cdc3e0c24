/**
 * Account-builder final criteria: SUCCESS, FAILURE, or a REVIEW flag.
 * @module
 */
import { assertFinite, InvalidInputError } from '@perpkit/core'
import type { RiskConfig } from './config.js'

/**
 * - `SUCCESS`: equity reached the target (≥ $1,000) without liquidation within the time limit.
 * - `FAILURE`: liquidation, equity below the floor (< $80), or the time limit (18 months) passed.
 * - `REVIEW`: still running, but the review deadline (12 months) passed without reaching $200.
 * - `ON_TRACK`: still running.
 *
 * @example
 * ```ts
 * import { evaluateFinalCriteria, type FinalStatus, parseRiskConfig } from '@perpkit/risk'
 * const s: FinalStatus = evaluateFinalCriteria({ equityUsd: 150, liquidated: false, startedAtMs: 0, nowMs: 0,
 *   criteria: parseRiskConfig().finalCriteria }).status // 'ON_TRACK'
 * ```
 */
export type FinalStatus = 'SUCCESS' | 'FAILURE' | 'REVIEW' | 'ON_TRACK'

/**
 * Verdict of {@link evaluateFinalCriteria}.
 *
 * @example
 * ```ts
 * import { evaluateFinalCriteria, type FinalCriteriaVerdict, parseRiskConfig } from '@perpkit/risk'
 * const v: FinalCriteriaVerdict = evaluateFinalCriteria({ equityUsd: 70, liquidated: false, startedAtMs: 0, nowMs: 0,
 *   criteria: parseRiskConfig().finalCriteria })
 * v.reasons // ['below-floor']
 * ```
 */
export interface FinalCriteriaVerdict {
  readonly status: FinalStatus
  readonly reasons: readonly ('target-reached' | 'liquidated' | 'below-floor' | 'time-limit' | 'review-required')[]
}

/**
 * `startMs` plus `months` calendar months (UTC); the day is clamped to the end of shorter months.
 *
 * @param args.startMs - epoch ms
 * @param args.months - whole months to add
 * @returns epoch ms
 * @example
 * ```ts
 * import { addCalendarMonthsUtc } from '@perpkit/risk'
 * addCalendarMonthsUtc({ startMs: Date.UTC(2025, 0, 31), months: 1 }) === Date.UTC(2025, 1, 28) // true
 * ```
 */
export function addCalendarMonthsUtc(args: { readonly startMs: number; readonly months: number }): number {
  assertFinite(args.startMs, 'startMs')
  if (!Number.isInteger(args.months)) throw new InvalidInputError('months must be an integer', { path: 'months' })
  const d = new Date(args.startMs)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + args.months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds())
}

/**
 * Evaluate the account-builder final criteria.
 *
 * @param args.equityUsd - current equity in USD
 * @param args.peakEquityUsd - highest equity so far (defaults to `equityUsd`); "reached $1,000 / $200" uses it
 * @param args.liquidated - a liquidation warning or event happened
 * @param args.startedAtMs - when the run started
 * @param args.nowMs - now
 * @param args.criteria - `config.finalCriteria`
 * @returns the status and every reason
 * @throws InvalidInputError for non-finite numbers or `nowMs < startedAtMs`
 * @example
 * ```ts
 * import { evaluateFinalCriteria, parseRiskConfig } from '@perpkit/risk'
 * evaluateFinalCriteria({ equityUsd: 1000, liquidated: false, startedAtMs: 0, nowMs: 86_400_000,
 *   criteria: parseRiskConfig().finalCriteria }).status // 'SUCCESS'
 * ```
 */
export function evaluateFinalCriteria(args: {
  readonly equityUsd: number
  readonly peakEquityUsd?: number
  readonly liquidated: boolean
  readonly startedAtMs: number
  readonly nowMs: number
  readonly criteria: RiskConfig['finalCriteria']
}): FinalCriteriaVerdict {
  const equity = assertFinite(args.equityUsd, 'equityUsd')
  const peak = Math.max(equity, args.peakEquityUsd === undefined ? equity : assertFinite(args.peakEquityUsd, 'peakEquityUsd'))
  assertFinite(args.startedAtMs, 'startedAtMs')
  assertFinite(args.nowMs, 'nowMs')
  if (args.nowMs < args.startedAtMs) throw new InvalidInputError('nowMs must be >= startedAtMs', { path: 'nowMs' })
  const c = args.criteria
  const deadline = addCalendarMonthsUtc({ startMs: args.startedAtMs, months: c.maxMonths })
  const reviewAt = addCalendarMonthsUtc({ startMs: args.startedAtMs, months: c.reviewMonths })
  const failures: FinalCriteriaVerdict['reasons'][number][] = []
  if (args.liquidated) failures.push('liquidated')
  if (equity < c.failureEquityUsd) failures.push('below-floor')
  if (failures.length > 0) return { status: 'FAILURE', reasons: failures }
  if (peak >= c.successEquityUsd && args.nowMs <= deadline) return { status: 'SUCCESS', reasons: ['target-reached'] }
  if (args.nowMs > deadline) return { status: 'FAILURE', reasons: ['time-limit'] }
  if (args.nowMs > reviewAt && peak < c.reviewEquityUsd) return { status: 'REVIEW', reasons: ['review-required'] }
  return { status: 'ON_TRACK', reasons: [] }
}
