/**
 * Number guards. Each throws {@link InvalidInputError} naming the field, so bad numbers never reach a venue.
 * @module
 */
import { InvalidInputError } from './errors.js'

/**
 * Assert `value` is a finite number (not NaN, not ±Infinity) and return it.
 *
 * @param value - the value to check
 * @param path - the field name used in the error message
 * @throws InvalidInputError when the value is not a finite number
 * @example
 * ```ts
 * import { assertFinite } from '@perpkit/core'
 * const price = assertFinite(Number('65000.5'), 'price')
 * ```
 */
export function assertFinite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidInputError(`expected a finite number, got ${describe(value)}`, { path })
  }
  return value
}

/**
 * Assert `value` is a finite number strictly greater than zero and return it.
 *
 * @throws InvalidInputError when the value is not finite or is ≤ 0
 * @example
 * ```ts
 * import { assertPositive } from '@perpkit/core'
 * assertPositive(0.001, 'qty') // 0.001
 * ```
 */
export function assertPositive(value: unknown, path: string): number {
  const n = assertFinite(value, path)
  if (n <= 0) throw new InvalidInputError(`expected a number > 0, got ${n}`, { path })
  return n
}

/**
 * Assert `value` is a finite number ≥ 0 and return it.
 *
 * @throws InvalidInputError when the value is not finite or is negative
 * @example
 * ```ts
 * import { assertNonNegative } from '@perpkit/core'
 * assertNonNegative(0, 'feeRate') // 0
 * ```
 */
export function assertNonNegative(value: unknown, path: string): number {
  const n = assertFinite(value, path)
  if (n < 0) throw new InvalidInputError(`expected a number >= 0, got ${n}`, { path })
  return n
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  return value === null ? 'null' : typeof value
}
