/**
 * Relative strength index with Wilder smoothing (TA-Lib `RSI`).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkArrayLike, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createRsi} / {@link rsi}. */
export interface RsiOptions {
  /** Wilder period (integer ≥ 2), usually 14. */
  readonly period: number
}

/** A streaming RSI (0..100). */
export type RsiIndicator = StreamingIndicator<number>

class Rsi implements RsiIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly periodM1: number
  private prevX = 0
  private gain = 0
  private loss = 0
  private pPrevX = 0
  private pGain = 0
  private pLoss = 0
  private pValue = Number.NaN

  constructor(period: number) {
    this.period = period
    this.periodM1 = period - 1
    this.lookback = period
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.pPrevX = this.prevX
    this.pGain = this.gain
    this.pLoss = this.loss
    this.pValue = this.value
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.prevX = this.pPrevX
    this.gain = this.pGain
    this.loss = this.pLoss
    this.value = this.pValue
    this.count--
    return this.step(x)
  }

  private step(x: number): number {
    const c = this.count++
    if (c === 0) {
      this.prevX = x
      return this.value
    }
    const diff = x - this.prevX
    this.prevX = x
    let gain = this.gain
    let loss = this.loss
    if (c > this.period) {
      loss *= this.periodM1
      gain *= this.periodM1
      if (diff < 0) loss -= diff
      else gain += diff
      loss /= this.period
      gain /= this.period
    } else {
      if (diff < 0) loss -= diff
      else gain += diff
      if (c < this.period) {
        this.gain = gain
        this.loss = loss
        return this.value
      }
      loss /= this.period
      gain /= this.period
    }
    this.gain = gain
    this.loss = loss
    const total = gain + loss
    return (this.value = total > -1e-8 && total < 1e-8 ? 0 : 100 * (gain / total))
  }

  reset(): void {
    this.value = Number.NaN
    this.pValue = Number.NaN
    this.count = 0
    this.prevX = this.gain = this.loss = this.pPrevX = this.pGain = this.pLoss = 0
  }
}

/**
 * Create a streaming RSI with Wilder smoothing, exactly as TA-Lib: the first average gain/loss is the simple mean
 * of the first `period` changes, first value at input `period`; RSI is 0 when average gain + loss ≈ 0 (|x| < 1e-8).
 *
 * @param options - `{ period }`
 * @returns an {@link RsiIndicator}
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], or an input is not finite
 * @example
 * ```ts
 * import { createRsi } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const r = createRsi({ period: 14 })
 * for (const c of candles) r.update(c.close)
 * if (r.isReady && r.value < 30) console.log('oversold')
 * ```
 */
export function createRsi(options: RsiOptions): RsiIndicator {
  return new Rsi(checkPeriod(options.period, 'period', 2))
}

/**
 * RSI over a whole series (TA-Lib `RSI`). Bit-identical to {@link createRsi}.
 *
 * @param input - `{ values, period }`
 * @returns a `Float64Array` (0..100), `NaN` for the first `period` entries
 * @throws InvalidInputError when `period` is invalid or a value is not finite
 * @example
 * ```ts
 * import { rsi } from '@perpkit/strategy'
 * declare const closes: readonly number[] // oldest first
 * const out = rsi({ values: closes, period: 14 })
 * ```
 */
export function rsi(input: SeriesBatchInput & RsiOptions): Float64Array {
  const period = checkPeriod(input.period, 'period', 2)
  const v = input.values
  const n = checkArrayLike(v, 'values')
  if (n <= period) {
    checkSeries(v, 'values')
    return nanArray(n)
  }
  const out = new Float64Array(n)
  out.fill(Number.NaN, 0, period)
  const periodM1 = period - 1
  let prev = v[0] as number
  if (!(prev - prev === 0)) throw badValue(prev, 'values[0]')
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const x = v[i] as number
    if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
    const diff = x - prev
    prev = x
    if (diff < 0) loss -= diff
    else gain += diff
  }
  loss /= period
  gain /= period
  let total = gain + loss
  out[period] = total > -1e-8 && total < 1e-8 ? 0 : 100 * (gain / total)
  for (let i = period + 1; i < n; i++) {
    const x = v[i] as number
    if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
    const diff = x - prev
    prev = x
    loss *= periodM1
    gain *= periodM1
    if (diff < 0) loss -= diff
    else gain += diff
    loss /= period
    gain /= period
    total = gain + loss
    out[i] = total > -1e-8 && total < 1e-8 ? 0 : 100 * (gain / total)
  }
  return out
}
