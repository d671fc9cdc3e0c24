/**
 * Williams %R (TA-Lib `WILLR`).
 * @module
 */
import { checkBar } from './atr.js'
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { checkHlc, checkPeriod, nanArray } from './validate.js'
import { HighLowWindow, slidingMax, slidingMin } from './window-extremes.js'

/** Options of {@link createWilliamsR} / {@link williamsR}. */
export interface WilliamsROptions {
  /** Look-back in bars (integer ≥ 2), usually 14. */
  readonly period: number
}

/** A streaming Williams %R (−100..0). */
export type WilliamsRIndicator = StreamingIndicator<HlcInput>

function willr(close: number, highest: number, lowest: number): number {
  const diff = (highest - lowest) / -100
  return diff !== 0 ? (highest - close) / diff : 0
}

class WilliamsR implements WilliamsRIndicator {
  value = Number.NaN
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

  update(bar: HlcInput): number {
    checkBar(bar)
    this.window.push(bar.high, bar.low)
    if (this.count++ < this.lookback) return this.value
    return (this.value = willr(bar.close, this.window.highest, this.window.lowest))
  }

  replaceLast(bar: HlcInput): number {
    if (this.count === 0) return this.update(bar)
    checkBar(bar)
    this.window.replaceLast(bar.high, bar.low)
    if (this.count - 1 < this.lookback) return this.value
    return (this.value = willr(bar.close, this.window.highest, this.window.lowest))
  }

  reset(): void {
    this.value = Number.NaN
    this.count = 0
    this.window.reset()
  }
}

/**
 * Create a streaming Williams %R exactly as TA-Lib `WILLR`: (highest − close) / ((highest − lowest) / −100) over the
 * last `period` bars, 0 when the range is 0; first value at input `period − 1`.
 *
 * @param options - `{ period }`
 * @returns a {@link WilliamsRIndicator} (−100 = at the low, 0 = at the high)
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createWilliamsR } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const w = createWilliamsR({ period: 14 })
 * for (const c of candles) w.update(c)
 * if (w.value < -80) console.log('oversold')
 * ```
 */
export function createWilliamsR(options: WilliamsROptions): WilliamsRIndicator {
  return new WilliamsR(checkPeriod(options.period, 'period', 2))
}

/**
 * Williams %R over whole series (TA-Lib `WILLR`). Bit-identical to {@link createWilliamsR}.
 *
 * @param input - `{ high, low, close, period }`
 * @returns a `Float64Array`, `NaN` for the first `period − 1` entries
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { williamsR } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const out = williamsR({ high, low, close, period: 14 })
 * ```
 */
export function williamsR(input: HlcBatchInput & WilliamsROptions): Float64Array {
  const period = checkPeriod(input.period, 'period', 2)
  const { high, low, close } = input
  const n = checkHlc(high, low, close)
  const out = nanArray(n)
  const hh = nanArray(n)
  const ll = nanArray(n)
  slidingMax(high, period, hh)
  slidingMin(low, period, ll)
  for (let i = period - 1; i < n; i++) out[i] = willr(close[i] as number, hh[i] as number, ll[i] as number)
  return out
}
