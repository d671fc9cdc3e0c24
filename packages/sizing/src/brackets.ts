/**
 * Maintenance-margin brackets (Binance leverage brackets, Bybit risk-limit tiers).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { MaintenanceSpec, MarginBracket } from './types.js'
import { assertNonNegative, assertPositive, checkFraction } from './validate.js'

/**
 * Validate a bracket table: non-empty, sorted, contiguous (`cap[i] = floor[i+1]`), first floor 0,
 * rates in `[0, 1)`, non-decreasing rates, amounts ≥ 0. Returns the same array.
 *
 * @throws InvalidInputError naming the bad field, e.g. `brackets[2].notionalFloor`
 * @example
 * ```ts
 * import { validateBrackets } from '@perpkit/sizing'
 * validateBrackets([{ notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }])
 * ```
 */
export function validateBrackets(brackets: readonly MarginBracket[]): readonly MarginBracket[] {
  if (!Array.isArray(brackets) || brackets.length === 0) {
    throw new InvalidInputError('expected a non-empty bracket table', { path: 'brackets' })
  }
  brackets.forEach((b, i) => {
    const p = `brackets[${i}]`
    const floor = assertNonNegative(b.notionalFloor, `${p}.notionalFloor`)
    const cap = b.notionalCap === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : assertPositive(b.notionalCap, `${p}.notionalCap`)
    if (cap <= floor) throw new InvalidInputError(`notionalCap ${cap} must exceed notionalFloor ${floor}`, { path: `${p}.notionalCap` })
    checkFraction(b.maintenanceMarginRate, `${p}.maintenanceMarginRate`)
    assertNonNegative(b.maintenanceAmount, `${p}.maintenanceAmount`)
    if (i === 0 && floor !== 0) throw new InvalidInputError('the first bracket must start at 0', { path: `${p}.notionalFloor` })
    const prev = brackets[i - 1]
    if (prev !== undefined) {
      if (!nearlyEqual(prev.notionalCap, floor)) {
        throw new InvalidInputError(`brackets must be contiguous: previous cap ${prev.notionalCap} ≠ floor ${floor}`, { path: `${p}.notionalFloor` })
      }
      if (b.maintenanceMarginRate < prev.maintenanceMarginRate) {
        throw new InvalidInputError('maintenance rates must not decrease', { path: `${p}.maintenanceMarginRate` })
      }
    }
  })
  return brackets
}

/**
 * Fill in `maintenanceAmount` of each bracket so the maintenance margin is continuous at tier boundaries:
 * `amount[i] = amount[i−1] + floor[i] × (rate[i] − rate[i−1])` (how Binance derives `cum`).
 *
 * @param brackets - tiers without amounts (any existing amount is replaced)
 * @returns new bracket objects with `maintenanceAmount` set
 * @throws InvalidInputError on an invalid table
 * @example
 * ```ts
 * import { withMaintenanceAmounts } from '@perpkit/sizing'
 * withMaintenanceAmounts([
 *   { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004 },
 *   { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005 },
 * ])[1]?.maintenanceAmount // 50
 * ```
 */
export function withMaintenanceAmounts(
  brackets: readonly (Omit<MarginBracket, 'maintenanceAmount'> & { readonly maintenanceAmount?: number })[],
): MarginBracket[] {
  const out: MarginBracket[] = []
  let amount = 0
  brackets.forEach((b, i) => {
    const prev = out[i - 1]
    if (prev !== undefined) amount += b.notionalFloor * (b.maintenanceMarginRate - prev.maintenanceMarginRate)
    out.push({ ...b, maintenanceAmount: amount })
  })
  validateBrackets(out)
  return out
}

/**
 * The bracket that applies to a position value `notional` (settle currency): `floor ≤ notional < cap`;
 * the last bracket also covers values above its cap.
 *
 * @returns the bracket and its index
 * @throws InvalidInputError on an invalid table or a negative/NaN notional
 * @example
 * ```ts
 * import { findBracket } from '@perpkit/sizing'
 * findBracket({ brackets: [{ notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }], notional: 1_000 }).index // 0
 * ```
 */
export function findBracket(args: { readonly brackets: readonly MarginBracket[]; readonly notional: number }): {
  readonly bracket: MarginBracket
  readonly index: number
} {
  const brackets = validateBrackets(args.brackets)
  const notional = assertNonNegative(args.notional, 'notional')
  for (let i = 0; i < brackets.length; i++) {
    const b = brackets[i] as MarginBracket
    if (notional < b.notionalCap) return { bracket: b, index: i }
  }
  const last = brackets.length - 1
  return { bracket: brackets[last] as MarginBracket, index: last }
}

/** Normalise a {@link MaintenanceSpec} to a validated bracket table. @internal */
export function bracketsOf(spec: MaintenanceSpec): readonly MarginBracket[] {
  if (spec !== null && typeof spec === 'object' && 'brackets' in spec) return validateBrackets(spec.brackets)
  if (spec === null || typeof spec !== 'object') {
    throw new InvalidInputError('expected { maintenanceMarginRate } or { brackets }', { path: 'maintenance' })
  }
  const rate = checkFraction(spec.maintenanceMarginRate, 'maintenance.maintenanceMarginRate')
  const amount = assertNonNegative(spec.maintenanceAmount ?? 0, 'maintenance.maintenanceAmount')
  return [{ notionalFloor: 0, notionalCap: Number.POSITIVE_INFINITY, maintenanceMarginRate: rate, maintenanceAmount: amount }]
}

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}
