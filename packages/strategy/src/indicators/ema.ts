/**
 * Exponential moving average (TA-Lib `EMA`).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkArrayLike, checkPeriod, checkSeries, nanArray } from './validate.js'

/**
 * How the first EMA value is formed.
 * - `'sma'` (default, TA-Lib): the first value is the SMA of the first `period` inputs, at input `period - 1`.
 * - `'first'` (Tulip / many charting tools): the first value is the first input itself, at input 0.
 */
export type EmaSeed = 'sma' | 'first'

/** Options of {@link createEma} / {@link ema}. */
export interface EmaOptions {
  /** Period (integer ≥ 1); the smoothing factor is `k = 2 / (period + 1)`. */
  readonly period: number
  /** Seeding convention; default `'sma'` (TA-Lib). */
  readonly seed?: EmaSeed
}

/**
 * A streaming exponential moving average.
 * @example
 * ```ts
 * import { createEma, type EmaIndicator } from '@perpkit/strategy'
 * const ema: EmaIndicator = createEma({ period: 3 })
 * ema.updateMany(new Float64Array([1, 2, 3, 4])) // 3, the same as four update() calls
 * ```
 */
export interface EmaIndicator extends StreamingIndicator<number> {
  /**
   * Append every value of `values` in order, exactly as that many {@link StreamingIndicator.update} calls would
   * (same numbers, same `count`, `replaceLast` then replaces the last of them), with the state kept in registers
   * for the whole chunk: the fastest way to feed a column of closes (e.g. a chunk of a columnar bar feed).
   *
   * @param values - the new inputs, oldest first (a `Float64Array` is fastest)
   * @returns the current value after the last input (`NaN` until ready; the current value for an empty chunk)
   * @throws InvalidInputError when a value is not finite (path `input[i]`); the values before it are applied
   */
  updateMany(values: ArrayLike<number>): number
}

export function checkSeed(seed: unknown): EmaSeed {
  if (seed === undefined || seed === 'sma') return 'sma'
  if (seed === 'first') return 'first'
  throw new InvalidInputError(`seed must be 'sma' or 'first', got ${String(seed)}`, { path: 'seed' })
}

/** @internal (exported for composition inside the package, not from the package index) */
export class Ema implements EmaIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly k: number
  private sum = 0
  private prevSum = 0
  private prevValue = Number.NaN

  constructor(period: number, seed: EmaSeed) {
    this.period = period
    this.k = 2 / (period + 1)
    this.lookback = seed === 'sma' ? period - 1 : 0
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
    // Hot path (ready and finite input): step()'s exact float operations without its branches and without a throw
    // site; warm-up and the InvalidInputError for NaN/±Infinity go through cold(). sum is not used once ready (the
    // update that produced the first ready value went through cold(), which saved prevSum).
    if (this.count > this.lookback && x - x === 0) {
      const prev = this.value
      this.count++
      this.prevValue = prev
      return (this.value = (x - prev) * this.k + prev)
    }
    return this.cold(x)
  }

  updateMany(values: ArrayLike<number>): number {
    const n = values.length
    let i = 0
    for (; i < n && this.count <= this.lookback; i++) {
      const x = values[i] as number
      if (!(x - x === 0)) throw badValue(x, `input[${i}]`)
      this.update(x)
    }
    if (i === n) return this.value
    // ready: the recurrence of the hot path in update(), state in locals, written back once
    const k = this.k
    const from = i
    let v = this.value
    let prev = this.prevValue
    for (; i < n; i++) {
      const x = values[i] as number
      if (!(x - x === 0)) break
      prev = v
      v = (x - v) * k + v
    }
    this.count += i - from
    this.prevValue = prev
    this.value = v
    if (i < n) throw badValue(values[i], `input[${i}]`)
    return v
  }

  /** update() outside the hot path: validates, saves the replaceLast state, steps. */
  private cold(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.prevSum = this.sum
    this.prevValue = this.value
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.sum = this.prevSum
    this.value = this.prevValue
    this.count--
    return this.step(x)
  }

  private step(x: number): number {
    const c = this.count++
    if (c > this.lookback) {
      const prev = this.value
      return (this.value = (x - prev) * this.k + prev)
    }
    if (this.lookback === 0) return (this.value = x)
    this.sum += x
    if (c === this.lookback) this.value = this.sum / this.period
    return this.value
  }

  reset(): void {
    this.value = Number.NaN
    this.prevValue = Number.NaN
    this.count = 0
    this.sum = 0
    this.prevSum = 0
  }
}

/**
 * Create a streaming exponential moving average, `ema = (x - ema) * k + ema` with `k = 2 / (period + 1)`.
 * Default seeding is TA-Lib's (SMA of the first `period` inputs, first value at input `period - 1`);
 * `seed: 'first'` starts from the first input (first value at input 0).
 *
 * @param options - `{ period, seed? }`
 * @returns an {@link EmaIndicator}
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], `seed` is unknown, or an input is not finite
 * @example
 * ```ts
 * import { createEma } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const ema = createEma({ period: 20 })
 * for (const c of candles) ema.update(c.close)
 * ```
 */
export function createEma(options: EmaOptions): EmaIndicator {
  return new Ema(checkPeriod(options.period, 'period'), checkSeed(options.seed))
}

/**
 * Exponential moving average over a whole series (TA-Lib `EMA`). Bit-identical to {@link createEma}.
 *
 * @param input - `{ values, period, seed? }`
 * @returns a `Float64Array` of `values.length` with `NaN` inside the lookback (`period - 1` for `'sma'`, 0 for `'first'`)
 * @throws InvalidInputError when `period`/`seed` are invalid or a value is not finite
 * @example
 * ```ts
 * import { ema } from '@perpkit/strategy'
 * ema({ values: [1, 2, 3, 4], period: 3 }) // Float64Array [NaN, NaN, 2, 3]
 * ```
 */
export function ema(input: SeriesBatchInput & EmaOptions): Float64Array {
  const period = checkPeriod(input.period, 'period')
  const seed = checkSeed(input.seed)
  const v = input.values
  const n = checkArrayLike(v, 'values')
  const lookback = seed === 'sma' ? period - 1 : 0
  if (n <= lookback) {
    checkSeries(v, 'values')
    return nanArray(n)
  }
  const out = new Float64Array(n)
  emaInto(v, 0, n, period, seed, out)
  out.fill(Number.NaN, 0, lookback)
  return out
}

/**
 * Internal kernel: EMA of `v[from..to)` written into `out[from..to)` (NaN inside the lookback, left as is).
 * Shared by Keltner so every EMA in the package uses the same float operations. Throws on a non-finite element.
 * @internal
 */
export function emaInto(v: ArrayLike<number>, from: number, to: number, period: number, seed: EmaSeed, out: Float64Array): void {
  const k = 2 / (period + 1)
  let prev: number
  let i: number
  if (seed === 'first') {
    if (to <= from) return
    prev = v[from] as number
    if (!(prev - prev === 0)) throw badValue(prev, `values[${from}]`)
    out[from] = prev
    i = from + 1
  } else {
    if (to - from < period) return
    let sum = 0
    for (i = from; i < from + period; i++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      sum += x
    }
    prev = sum / period
    out[i - 1] = prev
  }
  for (; i < to; i++) {
    const x = v[i] as number
    if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
    prev = (x - prev) * k + prev
    out[i] = prev
  }
}
