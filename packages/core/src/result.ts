/**
 * Expected outcomes as values: `{ ok: true, value }` or `{ ok: false, reason, details }`.
 * A rejected entry or an undersized order is not an exception.
 * @module
 */

/** A successful outcome. */
export interface Ok<T> {
  readonly ok: true
  readonly value: T
}

/** A refused outcome with a closed `reason` and structured `details`. */
export interface Fail<R extends string, D = Readonly<Record<string, unknown>>> {
  readonly ok: false
  readonly reason: R
  readonly details: D
}

/**
 * Outcome of a decision: success with a value, or a refusal with a reason from a closed set.
 *
 * @example
 * ```ts
 * import { ok, fail, type Result } from '@perpkit/core'
 * function half(n: number): Result<number, 'odd'> {
 *   return n % 2 === 0 ? ok(n / 2) : fail('odd', { n })
 * }
 * const r = half(3)
 * if (!r.ok) console.log(r.reason) // 'odd'
 * ```
 */
export type Result<T, R extends string, D = Readonly<Record<string, unknown>>> = Ok<T> | Fail<R, D>

/**
 * Build a successful {@link Result}.
 *
 * @example
 * ```ts
 * import { ok } from '@perpkit/core'
 * ok(42) // { ok: true, value: 42 }
 * ```
 */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value }
}

/**
 * Build a refused {@link Result}.
 *
 * @example
 * ```ts
 * import { fail } from '@perpkit/core'
 * fail('below-min-qty', { qty: 0.0001, minQty: 0.001 })
 * ```
 */
export function fail<R extends string, D = Readonly<Record<string, unknown>>>(reason: R, details: D): Fail<R, D> {
  return { ok: false, reason, details }
}
