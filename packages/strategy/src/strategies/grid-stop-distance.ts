import { InvalidInputError } from '@perpkit/core'

/**
 * Stop distance of a grid position: `clamp(gridSpacingPct × 1.5, 2 %, 6 %)`, or 3 % when the
 * spacing is unavailable.
 *
 * @param input - `gridSpacingPct` in percent (e.g. 1.2), or undefined when unknown.
 * @returns the stop distance in percent of the entry level.
 * @throws InvalidInputError (path `gridSpacingPct`) when the spacing is given but not a finite number > 0.
 * @example
 * ```ts
 * import { gridStopDistancePct } from '@perpkit/strategy'
 * gridStopDistancePct({ gridSpacingPct: 2 }) // 3
 * gridStopDistancePct({ gridSpacingPct: 1 }) // 2 (1.5 clamped up)
 * gridStopDistancePct({}) // 3 (fallback)
 * ```
 */
export function gridStopDistancePct(input: { readonly gridSpacingPct?: number | undefined }): number {
  const s = input.gridSpacingPct
  if (s === undefined) return 3
  if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) throw new InvalidInputError(`expected a spacing > 0, got ${String(s)}`, { path: 'gridSpacingPct' })
  return Math.min(6, Math.max(2, s * 1.5))
}
