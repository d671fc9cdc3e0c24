/**
 * Stop distance from grid spacing, and the stop price.
 * @module
 */
import { fail, InvalidInputError, ok, type PositionSide, roundPrice } from '@perpkit/core'
import type { SizingDecision } from './reasons.js'
import { assertFinite, assertPositive, checkFraction, checkSide } from './validate.js'

/**
 * Result of {@link stopDistance}.
 *
 * @example
 * ```ts
 * import { stopDistance } from '@perpkit/sizing'
 * const r = stopDistance({ gridSpacing: 0.05 })
 * if (r.ok) r.value.clamped // true (7.5 % clamped to 6 %)
 * ```
 */
export interface StopDistance {
  /** Stop distance as a fraction of entry (0.03 = 3 %). */
  readonly stopDistance: number
  /** `grid` when derived from the grid spacing, `fallback` when the spacing was not given. */
  readonly source: 'grid' | 'fallback'
  /** True when the clamp changed `gridSpacing × multiplier`. */
  readonly clamped: boolean
}

/**
 * Stop distance = `clamp(gridSpacing × multiplier, min, max)`; `fallback` when no spacing is given.
 * Defaults: multiplier 1.5, min 2 %, max 6 %, fallback 3 %. All values are fractions.
 *
 * @param args.gridSpacing - grid spacing as a fraction of price, or `undefined` when unavailable
 * @returns `ok({ stopDistance, source, clamped })`, or `fail('invalid-stop')` when the spacing (or the
 *   resulting distance) is ≤ 0
 * @throws InvalidInputError on NaN values, or `min > max`
 * @example
 * ```ts
 * import { stopDistance } from '@perpkit/sizing'
 * stopDistance({ gridSpacing: 0.02 }) // ok: 0.03 (2 % × 1.5)
 * stopDistance({ gridSpacing: 0.05 }) // ok: 0.06 (clamped from 7.5 %)
 * stopDistance({}) // ok: 0.03 (fallback)
 * ```
 */
export function stopDistance(args: {
  readonly gridSpacing?: number | undefined
  readonly multiplier?: number
  readonly min?: number
  readonly max?: number
  readonly fallback?: number
}): SizingDecision<StopDistance, 'invalid-stop'> {
  const multiplier = assertPositive(args.multiplier ?? 1.5, 'multiplier')
  const min = checkFraction(args.min ?? 0.02, 'min')
  const max = checkFraction(args.max ?? 0.06, 'max')
  const fallback = checkFraction(args.fallback ?? 0.03, 'fallback')
  if (min > max) throw new InvalidInputError(`min ${min} exceeds max ${max}`, { path: 'min' })
  if (args.gridSpacing === undefined) {
    if (!(fallback > 0)) return fail('invalid-stop', { gridSpacing: null, fallback })
    return ok({ stopDistance: fallback, source: 'fallback', clamped: false })
  }
  const spacing = assertFinite(args.gridSpacing, 'gridSpacing')
  if (spacing <= 0) return fail('invalid-stop', { gridSpacing: spacing })
  const raw = spacing * multiplier
  const d = Math.min(max, Math.max(min, raw))
  if (!(d > 0)) return fail('invalid-stop', { gridSpacing: spacing, stopDistance: d })
  return ok({ stopDistance: d, source: 'grid', clamped: d !== raw })
}

/**
 * Stop price at `stopDistance` from `entryPrice` on the losing side (long: below, short: above). With a
 * `tickSize` it is rounded to the tick TOWARD the entry, so the realised distance never exceeds the requested
 * one and the loss at stop stays within budget.
 *
 * @returns the stop price (> 0)
 * @throws InvalidInputError on bad input or a distance ≥ 1 for a long
 * @example
 * ```ts
 * import { stopPrice } from '@perpkit/sizing'
 * stopPrice({ side: 'long', entryPrice: 50_000, stopDistance: 0.03, tickSize: 0.5 }) // 48500
 * stopPrice({ side: 'short', entryPrice: 101.37, stopDistance: 0.02, tickSize: 0.01 }) // 103.39
 * ```
 */
export function stopPrice(args: {
  readonly side: PositionSide
  readonly entryPrice: number
  readonly stopDistance: number
  readonly tickSize?: number
}): number {
  const side = checkSide(args.side)
  const entry = assertPositive(args.entryPrice, 'entryPrice')
  const d = checkFraction(args.stopDistance, 'stopDistance', { allowZero: false })
  const raw = side === 'long' ? entry * (1 - d) : entry * (1 + d)
  if (args.tickSize === undefined) return raw
  const p = roundPrice({ price: raw, tickSize: args.tickSize, mode: side === 'long' ? 'ceil' : 'floor' })
  if (!(p > 0)) throw new InvalidInputError('stop price rounds to 0', { path: 'stopDistance' })
  return p
}
