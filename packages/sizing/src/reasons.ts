/**
 * The closed set of reasons a sizing decision can refuse an entry.
 * @module
 */
import type { Result } from '@perpkit/core'

/**
 * Why a sizing decision said no.
 *
 * - `invalid-stop`: the stop distance is ≤ 0 or the stop price is not on the losing side of entry.
 * - `zero-budget`: the loss budget is 0 (no equity, a zero cap or a zero size multiplier).
 * - `below-min-qty`: after flooring to the lot step the size is below the instrument's minimum quantity.
 * - `below-min-notional`: the order's notional is below the instrument's minimum notional.
 * - `insufficient-margin`: initial margin plus the entry+exit fee buffer exceeds the available balance.
 * - `liquidation-too-close`: the liquidation price is nearer than `max(stop × multiple, minimum distance)`.
 * - `proxy-leverage-too-high` / `proxy-stop-too-wide`: no liquidation estimate, and the conservative proxy
 *   (leverage ≤ 3, stop ≤ 5 %) is not met.
 * - `ev-below-fees`: expected profit is below `fee × K(stage)`.
 * - `low-confidence`: the signal confidence is below the minimum for confidence sizing.
 *
 * @example
 * ```ts
 * import { type SizingRejectReason, stopDistance } from '@perpkit/sizing'
 * const r = stopDistance({ gridSpacing: 0 })
 * if (!r.ok) { const reason: SizingRejectReason = r.reason } // 'invalid-stop'
 * ```
 */
export type SizingRejectReason =
  | 'invalid-stop'
  | 'zero-budget'
  | 'below-min-qty'
  | 'below-min-notional'
  | 'insufficient-margin'
  | 'liquidation-too-close'
  | 'proxy-leverage-too-high'
  | 'proxy-stop-too-wide'
  | 'ev-below-fees'
  | 'low-confidence'

/**
 * Every {@link SizingRejectReason}, in a stable order.
 *
 * @example
 * ```ts
 * import { SIZING_REJECT_REASONS } from '@perpkit/sizing'
 * SIZING_REJECT_REASONS.includes('ev-below-fees') // true
 * ```
 */
export const SIZING_REJECT_REASONS: readonly SizingRejectReason[] = [
  'invalid-stop',
  'zero-budget',
  'below-min-qty',
  'below-min-notional',
  'insufficient-margin',
  'liquidation-too-close',
  'proxy-leverage-too-high',
  'proxy-stop-too-wide',
  'ev-below-fees',
  'low-confidence',
]

/**
 * Outcome of a sizing decision: `{ ok: true, value }` or `{ ok: false, reason, details }` where `reason` is
 * one of `R` (a subset of {@link SizingRejectReason}).
 *
 * @example
 * ```ts
 * import { type SizingDecision } from '@perpkit/sizing'
 * const d: SizingDecision<number, 'zero-budget'> = { ok: false, reason: 'zero-budget', details: {} }
 * ```
 */
export type SizingDecision<T, R extends SizingRejectReason = SizingRejectReason> = Result<T, R>
