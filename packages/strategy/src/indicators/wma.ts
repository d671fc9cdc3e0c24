/**
 * Weighted (linearly weighted) moving average (TA-Lib `WMA`).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createWma} / {@link wma}. */
export interface WmaOptions {
  /** Window length (integer ≥ 1); the newest input weighs `period`, the oldest 1. */
  readonly period: number
}

/** A streaming weighted moving average. */
export type WmaIndicator = StreamingIndicator<number>

class Wma implements WmaIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly divider: number
  // ring slot t % period holds input t; before being overwritten it holds input t - period (0 initially)
  private readonly buf: Float64Array
  private idx = 0
  private periodSub = 0
  private periodSum = 0
  private pSub = 0
  private pSum = 0
  private pEvicted = 0
  private pValue = Number.NaN

  constructor(period: number) {
    this.period = period
    this.lookback = period - 1
    this.divider = (period * (period + 1)) / 2
    this.buf = new Float64Array(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.pSub = this.periodSub
    this.pSum = this.periodSum
    this.pValue = this.value
    this.pEvicted = this.buf[this.idx] as number
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.periodSub = this.pSub
    this.periodSum = this.pSum
    this.value = this.pValue
    this.count--
    this.idx = this.idx === 0 ? this.period - 1 : this.idx - 1
    this.buf[this.idx] = this.pEvicted
    return this.step(x)
  }

  private step(x: number): number {
    const i = this.idx
    const trailing = this.buf[i] as number
    this.buf[i] = x
    this.idx = i + 1 === this.period ? 0 : i + 1
    const c = this.count++
    if (c < this.lookback) {
      this.periodSub += x
      this.periodSum += x * (c + 1)
      return this.value
    }
    this.periodSub += x
    this.periodSub -= trailing
    this.periodSum += x * this.period
    this.value = this.periodSum / this.divider
    this.periodSum -= this.periodSub
    return this.value
  }

  reset(): void {
    this.value = Number.NaN
    this.pValue = Number.NaN
    this.count = 0
    this.idx = 0
    this.periodSub = this.periodSum = this.pSub = this.pSum = this.pEvicted = 0
    this.buf.fill(0)
  }
}

/**
 * Create a streaming weighted moving average (TA-Lib `WMA`: weights 1..period, divider period·(period+1)/2,
 * first value at input `period - 1`).
 *
 * @param options - `{ period }`
 * @returns a {@link WmaIndicator}
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], or an input is not finite
 * @example
 * ```ts
 * import { createWma } from '@perpkit/strategy'
 * const w = createWma({ period: 3 })
 * w.update(1); w.update(2); w.update(3) // (1·1 + 2·2 + 3·3) / 6 = 2.333…
 * ```
 */
export function createWma(options: WmaOptions): WmaIndicator {
  return new Wma(checkPeriod(options.period, 'period'))
}

/**
 * Weighted moving average over a whole series (TA-Lib `WMA`). Bit-identical to {@link createWma}.
 *
 * @param input - `{ values, period }`
 * @returns a `Float64Array`, `NaN` for the first `period - 1` entries
 * @throws InvalidInputError when `period` is invalid or a value is not finite
 * @example
 * ```ts
 * import { wma } from '@perpkit/strategy'
 * wma({ values: [1, 2, 3, 4], period: 2 }) // [NaN, 5/3, 8/3, 11/3]
 * ```
 */
export function wma(input: SeriesBatchInput & WmaOptions): Float64Array {
  const period = checkPeriod(input.period, 'period')
  const v = input.values
  checkSeries(v, 'values')
  const n = v.length
  const out = nanArray(n)
  if (n < period) return out
  const divider = (period * (period + 1)) / 2
  let periodSub = 0
  let periodSum = 0
  for (let i = 0; i < period - 1; i++) {
    const x = v[i] as number
    periodSub += x
    periodSum += x * (i + 1)
  }
  let trailing = 0
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = v[i] as number
    periodSub += x
    periodSub -= trailing
    periodSum += x * period
    trailing = v[t] as number
    out[i] = periodSum / divider
    periodSum -= periodSub
  }
  return out
}
