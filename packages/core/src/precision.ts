/**
 * Exact rounding of prices and quantities to an instrument's tick/step, and decimal-string formatting.
 * Rounding lives here and nowhere else in perpkit.
 *
 * How it stays exact: a step such as `0.1` is not representable in binary, so values are moved to an
 * integer grid (`value × 10^d`, where `d` is the step's decimal count), snapped to the nearest integer
 * multiple when they are within floating-point noise of one, rounded in the requested direction, and
 * brought back with a single correctly-rounded division. The result is the double nearest to the exact
 * decimal multiple, e.g. `roundToStep({ value: 0.30000000000000004, step: 0.1 })` is `0.3`.
 * @module
 */
import { InvalidInputError } from './errors.js'
import { assertFinite, assertPositive } from './guards.js'

/** Direction of rounding to a step. `nearest` rounds halves away from zero. */
export type RoundingMode = 'floor' | 'ceil' | 'nearest'

/**
 * Tolerance used to recognise a value that is a step multiple up to floating-point noise: parsing a decimal,
 * scaling and dividing each add at most half an ULP, so 8 ULPs (2^-50 relative) covers representation noise
 * without ever moving a genuinely different value. A tiny absolute floor handles values near zero.
 */
const SNAP_RELATIVE = 2 ** -50
const SNAP_ABSOLUTE = 1e-9

/**
 * Number of decimal places needed to write `step` exactly (e.g. `0.001` → 3, `1e-8` → 8, `25` → 0).
 *
 * @throws InvalidInputError if `step` is not finite and > 0, or needs more than 15 decimals
 * @example
 * ```ts
 * import { decimalsOf } from '@perpkit/core'
 * decimalsOf(0.5) // 1
 * decimalsOf(1e-8) // 8
 * ```
 */
export function decimalsOf(step: number): number {
  assertPositive(step, 'step')
  const text = String(step)
  const exp = text.indexOf('e-')
  let decimals: number
  if (exp >= 0) {
    const mantissa = text.slice(0, exp)
    const dot = mantissa.indexOf('.')
    decimals = Number(text.slice(exp + 2)) + (dot >= 0 ? mantissa.length - dot - 1 : 0)
  } else {
    const dot = text.indexOf('.')
    decimals = dot >= 0 ? text.length - dot - 1 : 0
  }
  if (decimals > 15) throw new InvalidInputError(`step ${text} needs more than 15 decimals`, { path: 'step' })
  return decimals
}

interface Grid {
  readonly scale: number
  readonly stepUnits: number
}

const gridCache = new Map<number, Grid>()

function gridOf(step: number): Grid {
  let grid = gridCache.get(step)
  if (grid === undefined) {
    const scale = 10 ** decimalsOf(step)
    grid = { scale, stepUnits: Math.round(step * scale) }
    if (gridCache.size > 1024) gridCache.clear()
    gridCache.set(step, grid)
  }
  return grid
}

/** Value divided by step on the integer grid, snapped to an integer when within noise of one. */
function stepsOf(value: number, grid: Grid): number {
  const q = (value * grid.scale) / grid.stepUnits
  const r = Math.round(q)
  return Math.abs(q - r) <= SNAP_RELATIVE * Math.abs(q) + SNAP_ABSOLUTE ? r : q
}

function fromSteps(n: number, grid: Grid): number {
  const v = (n * grid.stepUnits) / grid.scale
  return v === 0 ? 0 : v // normalise -0
}

/**
 * Round `value` to a multiple of `step` in the given direction, exactly.
 *
 * @param args.value - the price or quantity
 * @param args.step - tick size or lot step (> 0)
 * @param args.mode - `floor` (default), `ceil` or `nearest`
 * @returns the double nearest to the exact decimal multiple of `step`
 * @throws InvalidInputError on non-finite value or non-positive step
 * @example
 * ```ts
 * import { roundToStep } from '@perpkit/core'
 * roundToStep({ value: 0.1 + 0.2, step: 0.1 }) // 0.3
 * roundToStep({ value: 101, step: 25, mode: 'nearest' }) // 100
 * roundToStep({ value: 0.123456789, step: 1e-8, mode: 'ceil' }) // 0.12345679
 * ```
 */
export function roundToStep(args: { readonly value: number; readonly step: number; readonly mode?: RoundingMode }): number {
  const value = assertFinite(args.value, 'value')
  const grid = gridOf(args.step)
  const q = stepsOf(value, grid)
  const mode = args.mode ?? 'floor'
  const n = mode === 'floor' ? Math.floor(q) : mode === 'ceil' ? Math.ceil(q) : Math.sign(q) * Math.round(Math.abs(q))
  return fromSteps(n, grid)
}

/**
 * Round a price to the instrument's tick size. Same as {@link roundToStep} with `step = tickSize`.
 *
 * @example
 * ```ts
 * import { roundPrice } from '@perpkit/core'
 * roundPrice({ price: 65000.37, tickSize: 0.1, mode: 'nearest' }) // 65000.4
 * ```
 */
export function roundPrice(args: { readonly price: number; readonly tickSize: number; readonly mode?: RoundingMode }): number {
  return roundToStep({ value: args.price, step: args.tickSize, mode: args.mode ?? 'nearest' })
}

/**
 * Round a quantity to the instrument's lot step; floors by default so an order never exceeds a budget.
 *
 * @example
 * ```ts
 * import { roundQty } from '@perpkit/core'
 * roundQty({ qty: 0.0129, lotStep: 0.001 }) // 0.012
 * ```
 */
export function roundQty(args: { readonly qty: number; readonly lotStep: number; readonly mode?: RoundingMode }): number {
  return roundToStep({ value: args.qty, step: args.lotStep, mode: args.mode ?? 'floor' })
}

/**
 * True when `value` is an exact multiple of `step` (up to floating-point noise of the decimal input).
 *
 * @example
 * ```ts
 * import { isOnStep } from '@perpkit/core'
 * isOnStep({ value: 0.3, step: 0.1 }) // true
 * isOnStep({ value: 0.35, step: 0.1 }) // false
 * ```
 */
export function isOnStep(args: { readonly value: number; readonly step: number }): boolean {
  if (!Number.isFinite(args.value)) return false
  const q = stepsOf(args.value, gridOf(args.step))
  return Number.isInteger(q)
}

/**
 * Format a number as a plain decimal string with exactly `decimals` places (no exponent), for venue requests.
 *
 * @throws InvalidInputError on non-finite input or an out-of-range decimal count
 * @example
 * ```ts
 * import { formatDecimal } from '@perpkit/core'
 * formatDecimal({ value: 0.3, decimals: 2 }) // '0.30'
 * formatDecimal({ value: 1e-8, decimals: 8 }) // '0.00000001'
 * ```
 */
export function formatDecimal(args: { readonly value: number; readonly decimals: number }): string {
  const value = assertFinite(args.value, 'value')
  const { decimals } = args
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new InvalidInputError(`decimals must be an integer in [0, 20], got ${decimals}`, { path: 'decimals' })
  }
  if (Math.abs(value) >= 1e21) throw new InvalidInputError(`value ${value} too large to format`, { path: 'value' })
  const text = value.toFixed(decimals)
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text
}

/**
 * Round to `step` and format with the step's precision: the string to send to a venue.
 *
 * @example
 * ```ts
 * import { formatToStep } from '@perpkit/core'
 * formatToStep({ value: 65000.04, step: 0.1, mode: 'nearest' }) // '65000.0'
 * formatToStep({ value: 0.0129, step: 0.001 }) // '0.012'
 * ```
 */
export function formatToStep(args: { readonly value: number; readonly step: number; readonly mode?: RoundingMode }): string {
  return formatDecimal({ value: roundToStep(args), decimals: decimalsOf(args.step) })
}
