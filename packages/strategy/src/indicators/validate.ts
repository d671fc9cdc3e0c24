/**
 * Internal argument checks shared by the indicators (not exported from the package).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/** Throw unless `period` is an integer in [min, 100000]. */
export function checkPeriod(period: unknown, path: string, min = 1): number {
  if (typeof period !== 'number' || !Number.isInteger(period) || period < min || period > 100_000) {
    throw new InvalidInputError(`${path} must be an integer in [${min}, 100000], got ${String(period)}`, { path })
  }
  return period
}

/** Throw unless `x` is a finite number (NaN and ±Infinity rejected). */
export function checkMultiplier(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
    throw new InvalidInputError(`${path} must be a finite number >= 0, got ${String(x)}`, { path })
  }
  return x
}

/** The error thrown for a non-finite input value. */
export function badValue(x: unknown, path: string): InvalidInputError {
  return new InvalidInputError(`${path} must be a finite number, got ${String(x)}`, { path })
}

/** Throw unless every element of `values` is a finite number. */
export function checkSeries(values: ArrayLike<number>, path: string): void {
  if (values == null || typeof values.length !== 'number') {
    throw new InvalidInputError(`${path} must be an array of numbers`, { path })
  }
  const n = values.length
  for (let i = 0; i < n; i++) {
    const x = values[i] as number
    // x - x is 0 for finite numbers and NaN for NaN/±Infinity/non-numbers
    if (!(x - x === 0)) throw badValue(x, `${path}[${i}]`)
  }
}

/** Throw unless the parallel OHLC arrays are finite and of equal length; returns the length. */
export function checkHlc(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): number {
  checkSeries(high, 'high')
  checkSeries(low, 'low')
  checkSeries(close, 'close')
  const n = close.length
  if (high.length !== n || low.length !== n) {
    throw new InvalidInputError(`high, low and close must have the same length (${high.length}, ${low.length}, ${n})`, { path: 'high' })
  }
  return n
}

/** Throw unless `values` is array-like (elements are checked by the kernels as they are read). */
export function checkArrayLike(values: ArrayLike<number>, path: string): number {
  if (values == null || typeof values.length !== 'number') {
    throw new InvalidInputError(`${path} must be an array of numbers`, { path })
  }
  return values.length
}

/** Throw unless the parallel OHLC arrays are array-like of equal length (elements are checked by the kernel). */
export function checkHlcShape(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): number {
  checkArrayLike(high, 'high')
  checkArrayLike(low, 'low')
  const n = checkArrayLike(close, 'close')
  if (high.length !== n || low.length !== n) {
    throw new InvalidInputError(`high, low and close must have the same length (${high.length}, ${low.length}, ${n})`, { path: 'high' })
  }
  return n
}

/** Allocate an output array filled with NaN. */
export function nanArray(n: number): Float64Array {
  const out = new Float64Array(n)
  out.fill(Number.NaN)
  return out
}
