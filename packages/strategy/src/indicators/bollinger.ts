/**
 * Bollinger Bands (TA-Lib `BBANDS` with an SMA middle band and population standard deviation).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkArrayLike, checkMultiplier, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createBollinger} / {@link bollinger}. */
export interface BollingerOptions {
  /** Window length (integer ≥ 2), default 20. */
  readonly period?: number
  /** Width of the upper band in standard deviations, default 2. */
  readonly stdDevUp?: number
  /** Width of the lower band in standard deviations, default 2. */
  readonly stdDevDown?: number
}

/** A streaming Bollinger Bands: `update` returns the middle band; `upper`, `lower`, `stdDev` are read afterwards. */
export interface BollingerIndicator extends StreamingIndicator<number> {
  /** middle + stdDevUp · σ */
  readonly upper: number
  /** SMA(period) (same as `value`). */
  readonly middle: number
  /** middle − stdDevDown · σ */
  readonly lower: number
  /** Population standard deviation σ of the window (0 when the variance is below 1e-8, as TA-Lib). */
  readonly stdDev: number
}

/** Output of {@link bollinger}. */
export interface BollingerSeries {
  /** Upper band. */
  readonly upper: Float64Array
  /** Middle band (SMA). */
  readonly middle: Float64Array
  /** Lower band. */
  readonly lower: Float64Array
}

function opts(o: BollingerOptions): [period: number, up: number, down: number] {
  return [checkPeriod(o.period ?? 20, 'period', 2), checkMultiplier(o.stdDevUp ?? 2, 'stdDevUp'), checkMultiplier(o.stdDevDown ?? 2, 'stdDevDown')]
}

class Bollinger implements BollingerIndicator {
  value = Number.NaN
  upper = Number.NaN
  middle = Number.NaN
  lower = Number.NaN
  stdDev = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly up: number
  private readonly down: number
  private readonly buf: Float64Array
  private idx = 0
  private sum = 0
  private sumSq = 0
  private pSum = 0
  private pSumSq = 0

  constructor(period: number, up: number, down: number) {
    this.period = period
    this.up = up
    this.down = down
    this.lookback = period - 1
    this.buf = new Float64Array(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    const sum = this.sum
    const sumSq = this.sumSq
    this.pSum = sum
    this.pSumSq = sumSq
    if (this.count > this.lookback) {
      // hot path (ready): no warm-up branches
      this.count++
      return this.advance(x, sum, sumSq)
    }
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.sum = this.pSum
    this.sumSq = this.pSumSq
    this.count--
    this.idx = this.idx === 0 ? this.period - 1 : this.idx - 1
    return this.step(x)
  }

  private step(x: number): number {
    if (this.count++ < this.lookback) {
      const buf = this.buf
      const i = this.idx
      buf[i] = x
      this.idx = i + 1 === this.period ? 0 : i + 1
      this.sum += x
      this.sumSq += x * x
      return this.value
    }
    return this.advance(x, this.sum, this.sumSq)
  }

  /** One ready step: slide the window, then TA-Lib's population σ (variance < 1e-8 → 0) and the bands. */
  private advance(x: number, sum: number, sumSq: number): number {
    const buf = this.buf
    const i = this.idx
    buf[i] = x
    const j = i + 1 === this.period ? 0 : i + 1
    this.idx = j
    const period = this.period
    const total = sum + x
    const totalSq = sumSq + x * x
    const old = buf[j] as number
    this.sum = total - old
    this.sumSq = totalSq - old * old
    const mid = total / period
    const variance = totalSq / period - mid * mid
    const sd = variance < 1e-8 ? 0 : Math.sqrt(variance)
    this.stdDev = sd
    this.upper = mid + sd * this.up
    this.lower = mid - sd * this.down
    this.middle = mid
    return (this.value = mid)
  }

  reset(): void {
    this.value = this.upper = this.middle = this.lower = this.stdDev = Number.NaN
    this.count = 0
    this.idx = 0
    this.sum = this.sumSq = this.pSum = this.pSumSq = 0
    this.buf.fill(0)
  }
}

/**
 * Create streaming Bollinger Bands exactly as TA-Lib `BBANDS(period, up, down, SMA)`: middle = SMA, σ = population
 * standard deviation from running sums (E[x²] − mean², 0 when below 1e-8), first value at input `period − 1`.
 *
 * @param options - `{ period = 20, stdDevUp = 2, stdDevDown = 2 }`
 * @returns a {@link BollingerIndicator}; read `upper`, `middle`, `lower`, `stdDev` after `update`
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], a width is negative/non-finite, or an input is not finite
 * @example
 * ```ts
 * import { createBollinger } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * declare const price: number
 * const bb = createBollinger({ period: 20 })
 * for (const c of candles) bb.update(c.close)
 * if (bb.isReady && price < bb.lower) console.log('below the lower band')
 * ```
 */
export function createBollinger(options: BollingerOptions = {}): BollingerIndicator {
  const [period, up, down] = opts(options)
  return new Bollinger(period, up, down)
}

/**
 * Bollinger Bands over a whole series (TA-Lib `BBANDS` with SMA). Bit-identical to {@link createBollinger}.
 *
 * @param input - `{ values, period?, stdDevUp?, stdDevDown? }`
 * @returns `{ upper, middle, lower }`, each `NaN` for the first `period − 1` entries
 * @throws InvalidInputError when an option is invalid or a value is not finite
 * @example
 * ```ts
 * import { bollinger } from '@perpkit/strategy'
 * declare const closes: readonly number[] // oldest first
 * const { upper, middle, lower } = bollinger({ values: closes, period: 20 })
 * ```
 */
export function bollinger(input: SeriesBatchInput & BollingerOptions): BollingerSeries {
  const [period, up, down] = opts(input)
  const v = input.values
  const n = checkArrayLike(v, 'values')
  if (n < period) {
    checkSeries(v, 'values')
    return { upper: nanArray(n), middle: nanArray(n), lower: nanArray(n) }
  }
  const upper = new Float64Array(n)
  const middle = new Float64Array(n)
  const lower = new Float64Array(n)
  upper.fill(Number.NaN, 0, period - 1)
  middle.fill(Number.NaN, 0, period - 1)
  lower.fill(Number.NaN, 0, period - 1)
  {
    let sum = 0
    let sumSq = 0
    for (let i = 0; i < period - 1; i++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      sum += x
      sumSq += x * x
    }
    for (let i = period - 1, t = 0; i < n; i++, t++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      const total = sum + x
      const totalSq = sumSq + x * x
      const old = v[t] as number
      sum = total - old
      sumSq = totalSq - old * old
      const mid = total / period
      const variance = totalSq / period - mid * mid
      const sd = variance < 1e-8 ? 0 : Math.sqrt(variance)
      upper[i] = mid + sd * up
      lower[i] = mid - sd * down
      middle[i] = mid
    }
  }
  return { upper, middle, lower }
}
