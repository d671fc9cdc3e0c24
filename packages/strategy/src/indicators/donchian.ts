/**
 * Donchian channel: highest high / lowest low over a window (TA-Lib `MAX`/`MIN` on high/low).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { HlcInput, StreamingIndicator } from './types.js'
import { badValue, checkPeriod, checkSeries, nanArray } from './validate.js'
import { HighLowWindow, slidingMax, slidingMin } from './window-extremes.js'

/** Options of {@link createDonchian} / {@link donchian}. */
export interface DonchianOptions {
  /** Window length in bars, including the current bar (integer ≥ 1), e.g. 20. */
  readonly period: number
}

/** A bar with high and low. */
export type HighLowInput = Pick<HlcInput, 'high' | 'low'>

/** A streaming Donchian channel: `update` returns the middle line; `upper` and `lower` are read afterwards. */
export interface DonchianIndicator extends StreamingIndicator<HighLowInput> {
  /** Highest high of the last `period` bars. */
  readonly upper: number
  /** (upper + lower) / 2, same as `value`. */
  readonly middle: number
  /** Lowest low of the last `period` bars. */
  readonly lower: number
}

/** Output of {@link donchian}. */
export interface DonchianSeries {
  /** Highest high. */
  readonly upper: Float64Array
  /** (upper + lower) / 2. */
  readonly middle: Float64Array
  /** Lowest low. */
  readonly lower: Float64Array
}

function checkHl(bar: HighLowInput): void {
  if (!(bar.high - bar.high === 0)) throw badValue(bar.high, 'input.high')
  if (!(bar.low - bar.low === 0)) throw badValue(bar.low, 'input.low')
}

class Donchian implements DonchianIndicator {
  value = Number.NaN
  upper = Number.NaN
  middle = Number.NaN
  lower = Number.NaN
  count = 0
  readonly lookback: number
  private readonly window: HighLowWindow

  constructor(period: number) {
    this.lookback = period - 1
    this.window = new HighLowWindow(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(bar: HighLowInput): number {
    checkHl(bar)
    this.window.push(bar.high, bar.low)
    if (this.count++ < this.lookback) return this.value
    return this.emit()
  }

  replaceLast(bar: HighLowInput): number {
    if (this.count === 0) return this.update(bar)
    checkHl(bar)
    this.window.replaceLast(bar.high, bar.low)
    if (this.count - 1 < this.lookback) return this.value
    return this.emit()
  }

  private emit(): number {
    const u = this.window.highest
    const l = this.window.lowest
    this.upper = u
    this.lower = l
    this.middle = (u + l) / 2
    return (this.value = this.middle)
  }

  reset(): void {
    this.value = this.upper = this.middle = this.lower = Number.NaN
    this.count = 0
    this.window.reset()
  }
}

/**
 * Create a streaming Donchian channel over the last `period` bars (current bar included):
 * upper = highest high, lower = lowest low, middle = (upper + lower) / 2. First value at input `period − 1`.
 * Amortised O(1) per update (rescan only when the extreme leaves the window).
 *
 * @param options - `{ period }`
 * @returns a {@link DonchianIndicator}
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createDonchian } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const dc = createDonchian({ period: 20 })
 * for (const c of candles) dc.update(c)
 * if (dc.isReady) console.log(dc.upper, dc.lower)
 * ```
 */
export function createDonchian(options: DonchianOptions): DonchianIndicator {
  return new Donchian(checkPeriod(options.period, 'period'))
}

/**
 * Donchian channel over whole series. Bit-identical to {@link createDonchian}; upper/lower equal TA-Lib
 * `MAX(high)`/`MIN(low)`.
 *
 * @param input - `{ high, low, period }`
 * @returns `{ upper, middle, lower }`, `NaN` for the first `period − 1` entries
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { donchian } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[] // oldest first
 * const { upper, lower } = donchian({ high, low, period: 20 })
 * ```
 */
export function donchian(input: { readonly high: ArrayLike<number>; readonly low: ArrayLike<number> } & DonchianOptions): DonchianSeries {
  const period = checkPeriod(input.period, 'period')
  const { high, low } = input
  checkSeries(high, 'high')
  checkSeries(low, 'low')
  if (high.length !== low.length) throw new InvalidInputError('high and low must have the same length', { path: 'low' })
  const n = high.length
  const upper = nanArray(n)
  const lower = nanArray(n)
  const middle = nanArray(n)
  slidingMax(high, period, upper)
  slidingMin(low, period, lower)
  for (let i = period - 1; i < n; i++) middle[i] = ((upper[i] as number) + (lower[i] as number)) / 2
  return { upper, middle, lower }
}
