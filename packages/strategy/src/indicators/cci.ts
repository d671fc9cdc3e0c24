/**
 * Commodity channel index (TA-Lib `CCI`).
 * @module
 */
import { checkBar } from './atr.js'
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { checkHlc, checkPeriod, nanArray } from './validate.js'

/** Options of {@link createCci} / {@link cci}. */
export interface CciOptions {
  /** Window length (integer ≥ 2), usually 14 or 20. */
  readonly period: number
}

/** A streaming CCI. */
export type CciIndicator = StreamingIndicator<HlcInput>

/** TA-Lib CCI over a ring of typical prices, summed in slot order (exactly as TA-Lib's circular buffer). */
function cciFromRing(ring: Float64Array, period: number, last: number): number {
  let avg = 0
  for (let i = 0; i < period; i++) avg += ring[i] as number
  avg /= period
  let dev = 0
  for (let i = 0; i < period; i++) dev += Math.abs((ring[i] as number) - avg)
  const d = last - avg
  return d !== 0 && dev !== 0 ? d / (0.015 * (dev / period)) : 0
}

class Cci implements CciIndicator {
  value = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly ring: Float64Array
  private idx = 0

  constructor(period: number) {
    this.period = period
    this.lookback = period - 1
    this.ring = new Float64Array(period)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(bar: HlcInput): number {
    checkBar(bar)
    return this.step((bar.high + bar.low + bar.close) / 3)
  }

  replaceLast(bar: HlcInput): number {
    if (this.count === 0) return this.update(bar)
    checkBar(bar)
    this.count--
    this.idx = this.idx === 0 ? this.period - 1 : this.idx - 1
    return this.step((bar.high + bar.low + bar.close) / 3)
  }

  private step(tp: number): number {
    const i = this.idx
    this.ring[i] = tp
    this.idx = i + 1 === this.period ? 0 : i + 1
    if (this.count++ < this.lookback) return (this.value = Number.NaN)
    return (this.value = cciFromRing(this.ring, this.period, tp))
  }

  reset(): void {
    this.value = Number.NaN
    this.count = 0
    this.idx = 0
    this.ring.fill(0)
  }
}

/**
 * Create a streaming CCI exactly as TA-Lib `CCI`: typical price tp = (high + low + close)/3,
 * CCI = (tp − mean(tp)) / (0.015 · mean |tp − mean(tp)|) over the last `period` bars (0 when either part is 0);
 * first value at input `period − 1`. O(period) per update (the mean deviation needs the whole window).
 *
 * @param options - `{ period }`
 * @returns a {@link CciIndicator}
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createCci } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const c = createCci({ period: 20 })
 * for (const bar of candles) c.update(bar)
 * if (c.value > 100) console.log('overbought')
 * ```
 */
export function createCci(options: CciOptions): CciIndicator {
  return new Cci(checkPeriod(options.period, 'period', 2))
}

/**
 * CCI over whole series (TA-Lib `CCI`). Bit-identical to {@link createCci}.
 *
 * @param input - `{ high, low, close, period }`
 * @returns a `Float64Array`, `NaN` for the first `period − 1` entries
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { cci } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const out = cci({ high, low, close, period: 20 })
 * ```
 */
export function cci(input: HlcBatchInput & CciOptions): Float64Array {
  const period = checkPeriod(input.period, 'period', 2)
  const { high, low, close } = input
  const n = checkHlc(high, low, close)
  const out = nanArray(n)
  const ring = new Float64Array(period)
  let idx = 0
  for (let i = 0; i < n; i++) {
    const tp = ((high[i] as number) + (low[i] as number) + (close[i] as number)) / 3
    ring[idx] = tp
    idx = idx + 1 === period ? 0 : idx + 1
    if (i >= period - 1) out[i] = cciFromRing(ring, period, tp)
  }
  return out
}
