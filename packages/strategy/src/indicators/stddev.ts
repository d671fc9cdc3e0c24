/**
 * Rolling population standard deviation (TA-Lib `STDDEV`).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkMultiplier, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createStdDev} / {@link stdDev}. */
export interface StdDevOptions {
  /** Window length (integer ≥ 2). */
  readonly period: number
  /** Multiplier applied to σ (TA-Lib `nbDev`), default 1. */
  readonly deviations?: number
}

/** A streaming population standard deviation. */
export type StdDevIndicator = StreamingIndicator<number>

class StdDev implements StdDevIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly dev: number
  private readonly buf: Float64Array
  private idx = 0
  private sum = 0
  private sumSq = 0
  private pSum = 0
  private pSumSq = 0
  private pValue = Number.NaN

  constructor(period: number, dev: number) {
    this.period = period
    this.dev = dev
    this.lookback = period - 1
    this.buf = new Float64Array(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.pSum = this.sum
    this.pSumSq = this.sumSq
    this.pValue = this.value
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.sum = this.pSum
    this.sumSq = this.pSumSq
    this.value = this.pValue
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
      this.sumSq += x * x
      return this.value
    }
    const total = this.sum + x
    const totalSq = this.sumSq + x * x
    const old = buf[j] as number
    this.sum = total - old
    this.sumSq = totalSq - old * old
    const mean = total / this.period
    const variance = totalSq / this.period - mean * mean
    return (this.value = variance < 1e-8 ? 0 : Math.sqrt(variance) * this.dev)
  }

  reset(): void {
    this.value = this.pValue = Number.NaN
    this.count = 0
    this.idx = 0
    this.sum = this.sumSq = this.pSum = this.pSumSq = 0
    this.buf.fill(0)
  }
}

/**
 * Create a streaming rolling POPULATION standard deviation (divide by `period`), exactly as TA-Lib `STDDEV`:
 * running sums, variance = E[x²] − mean², σ = 0 when the variance is below 1e-8, first value at input `period − 1`.
 *
 * @param options - `{ period, deviations = 1 }`
 * @returns a {@link StdDevIndicator} (σ · deviations)
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], `deviations` is negative/non-finite, or an input is not finite
 * @example
 * ```ts
 * import { createStdDev } from '@perpkit/strategy'
 * const sd = createStdDev({ period: 5 })
 * for (const x of [2, 4, 4, 4, 5]) sd.update(x) // 0.8944… (population σ)
 * ```
 */
export function createStdDev(options: StdDevOptions): StdDevIndicator {
  return new StdDev(checkPeriod(options.period, 'period', 2), checkMultiplier(options.deviations ?? 1, 'deviations'))
}

/**
 * Rolling population standard deviation over a whole series (TA-Lib `STDDEV`). Bit-identical to {@link createStdDev}.
 *
 * @param input - `{ values, period, deviations? }`
 * @returns a `Float64Array`, `NaN` for the first `period − 1` entries
 * @throws InvalidInputError when an option is invalid or a value is not finite
 * @example
 * ```ts
 * import { stdDev } from '@perpkit/strategy'
 * stdDev({ values: [2, 4, 4, 4, 5, 5, 7, 9], period: 8 })[7] // 2
 * ```
 */
export function stdDev(input: SeriesBatchInput & StdDevOptions): Float64Array {
  const period = checkPeriod(input.period, 'period', 2)
  const dev = checkMultiplier(input.deviations ?? 1, 'deviations')
  const v = input.values
  checkSeries(v, 'values')
  const n = v.length
  const out = nanArray(n)
  if (n < period) return out
  let sum = 0
  let sumSq = 0
  for (let i = 0; i < period - 1; i++) {
    const x = v[i] as number
    sum += x
    sumSq += x * x
  }
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = v[i] as number
    const total = sum + x
    const totalSq = sumSq + x * x
    const old = v[t] as number
    sum = total - old
    sumSq = totalSq - old * old
    const mean = total / period
    const variance = totalSq / period - mean * mean
    out[i] = variance < 1e-8 ? 0 : Math.sqrt(variance) * dev
  }
  return out
}
