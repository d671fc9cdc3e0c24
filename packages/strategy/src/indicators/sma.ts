/**
 * Simple moving average (TA-Lib `SMA`).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkArrayLike, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createSma} / {@link sma}. */
export interface SmaOptions {
  /** Window length in inputs (integer ≥ 1). */
  readonly period: number
}

/** A streaming simple moving average. */
export type SmaIndicator = StreamingIndicator<number>

/** @internal (exported for composition inside the package, not from the package index) */
export class Sma implements SmaIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly buf: Float64Array
  private idx = 0
  // TA-Lib's "periodTotal": sum of the newest (period - 1) inputs
  private sum = 0
  private prevSum = 0
  private prevValue = Number.NaN

  constructor(period: number) {
    this.period = period
    this.lookback = period - 1
    this.buf = new Float64Array(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
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
    this.idx = this.idx === 0 ? this.period - 1 : this.idx - 1
    return this.step(x)
  }

  private step(x: number): number {
    const buf = this.buf
    const i = this.idx
    buf[i] = x
    const j = i + 1 === this.period ? 0 : i + 1
    this.idx = j
    if (this.count++ < this.lookback) {
      this.sum += x
      return this.value
    }
    const total = this.sum + x
    this.sum = total - (buf[j] as number)
    return (this.value = total / this.period)
  }

  reset(): void {
    this.value = Number.NaN
    this.prevValue = Number.NaN
    this.count = 0
    this.idx = 0
    this.sum = 0
    this.prevSum = 0
    this.buf.fill(0)
  }
}

/**
 * Create a streaming simple moving average (TA-Lib `SMA`: running total, first value at input `period - 1`).
 *
 * @param options - `{ period }`
 * @returns a {@link SmaIndicator}; `update(x)` returns the mean of the last `period` inputs (`NaN` before)
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], or an input is not finite
 * @example
 * ```ts
 * import { createSma } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const sma = createSma({ period: 20 })
 * for (const c of candles) sma.update(c.close)
 * if (sma.isReady) console.log(sma.value)
 * ```
 */
export function createSma(options: SmaOptions): SmaIndicator {
  return new Sma(checkPeriod(options.period, 'period'))
}

/**
 * Simple moving average over a whole series (TA-Lib `SMA`). Bit-identical to {@link createSma}.
 *
 * @param input - `{ values, period }`
 * @returns a `Float64Array` of `values.length`, `NaN` for the first `period - 1` entries
 * @throws InvalidInputError when `period` is invalid or a value is not finite
 * @example
 * ```ts
 * import { sma } from '@perpkit/strategy'
 * sma({ values: [1, 2, 3, 4], period: 2 }) // Float64Array [NaN, 1.5, 2.5, 3.5]
 * ```
 */
export function sma(input: SeriesBatchInput & SmaOptions): Float64Array {
  const period = checkPeriod(input.period, 'period')
  const v = input.values
  const n = checkArrayLike(v, 'values')
  if (n < period) {
    checkSeries(v, 'values')
    return nanArray(n)
  }
  const out = new Float64Array(n)
  smaInto(v, 0, n, period, out)
  out.fill(Number.NaN, 0, period - 1)
  return out
}

/**
 * Internal kernel: SMA of `v[from..to)` written into `out[from + period − 1 .. to)`; shared by the composite
 * indicators so every SMA in the package uses the same float operations. Throws on a non-finite element.
 * @internal
 */
export function smaInto(v: ArrayLike<number>, from: number, to: number, period: number, out: Float64Array): void {
  if (to - from < period) return
  let sum = 0
  for (let i = from; i < from + period - 1; i++) {
    const x = v[i] as number
    if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
    sum += x
  }
  for (let i = from + period - 1, t = from; i < to; i++, t++) {
    const x = v[i] as number
    if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
    const total = sum + x
    sum = total - (v[t] as number)
    out[i] = total / period
  }
}
