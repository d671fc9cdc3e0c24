/**
 * Keltner channel: EMA middle line ± multiplier · ATR (the modern Raschke / StockCharts definition).
 * @module
 */
import { Atr, atr as atrBatch, checkBar } from './atr.js'
import { checkSeed, Ema, type EmaSeed, emaInto } from './ema.js'
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { checkHlc, checkMultiplier, checkPeriod, nanArray } from './validate.js'

/** Options of {@link createKeltner} / {@link keltner}. */
export interface KeltnerOptions {
  /** EMA period of the middle line (on close), default 20. */
  readonly period?: number
  /** Wilder ATR period, default 10. */
  readonly atrPeriod?: number
  /** Band width in ATRs, default 2. */
  readonly multiplier?: number
  /** EMA seeding of the middle line, default `'sma'` (TA-Lib). */
  readonly seed?: EmaSeed
}

/** A streaming Keltner channel: `update` returns the middle line; `upper`, `lower`, `atr` are read afterwards. */
export interface KeltnerIndicator extends StreamingIndicator<HlcInput> {
  /** middle + multiplier · ATR */
  readonly upper: number
  /** EMA(period) of close, same as `value`. */
  readonly middle: number
  /** middle − multiplier · ATR */
  readonly lower: number
  /** The ATR(atrPeriod) used for the width. */
  readonly atr: number
}

/** Output of {@link keltner}. */
export interface KeltnerSeries {
  /** Upper band. */
  readonly upper: Float64Array
  /** Middle line (EMA of close). */
  readonly middle: Float64Array
  /** Lower band. */
  readonly lower: Float64Array
}

function opts(o: KeltnerOptions): [number, number, number, EmaSeed] {
  return [checkPeriod(o.period ?? 20, 'period'), checkPeriod(o.atrPeriod ?? 10, 'atrPeriod'), checkMultiplier(o.multiplier ?? 2, 'multiplier'), checkSeed(o.seed)]
}

class Keltner implements KeltnerIndicator {
  value = Number.NaN
  upper = Number.NaN
  middle = Number.NaN
  lower = Number.NaN
  atr = Number.NaN
  readonly lookback: number
  private readonly ema: Ema
  private readonly atrInd: Atr
  private readonly multiplier: number

  constructor(period: number, atrPeriod: number, multiplier: number, seed: EmaSeed) {
    this.ema = new Ema(period, seed)
    this.atrInd = new Atr(atrPeriod, false)
    this.multiplier = multiplier
    this.lookback = Math.max(this.ema.lookback, this.atrInd.lookback)
  }

  get count(): number {
    return this.ema.count
  }

  get isReady(): boolean {
    return this.ema.count > this.lookback
  }

  update(bar: HlcInput): number {
    checkBar(bar)
    return this.emit(this.ema.update(bar.close), this.atrInd.update(bar))
  }

  replaceLast(bar: HlcInput): number {
    if (this.ema.count === 0) return this.update(bar)
    checkBar(bar)
    return this.emit(this.ema.replaceLast(bar.close), this.atrInd.replaceLast(bar))
  }

  private emit(mid: number, a: number): number {
    if (this.ema.count <= this.lookback) return this.value
    const w = a * this.multiplier
    this.upper = mid + w
    this.lower = mid - w
    this.middle = mid
    this.atr = a
    return (this.value = mid)
  }

  reset(): void {
    this.value = this.upper = this.middle = this.lower = this.atr = Number.NaN
    this.ema.reset()
    this.atrInd.reset()
  }
}

/**
 * Create a streaming Keltner channel: middle = EMA(period) of close (TA-Lib EMA), upper/lower = middle ±
 * multiplier · ATR(atrPeriod) (TA-Lib Wilder ATR). Defaults 20 / 10 / 2 (StockCharts). First value at input
 * max(period − 1, atrPeriod). Not a TA-Lib function: Keltner's 1960 original (SMA of typical price ± SMA of range)
 * is not offered.
 *
 * @param options - `{ period = 20, atrPeriod = 10, multiplier = 2, seed = 'sma' }`
 * @returns a {@link KeltnerIndicator}
 * @throws InvalidInputError when an option is invalid, or a bar field is not finite
 * @example
 * ```ts
 * import { createKeltner } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const kc = createKeltner({})
 * for (const c of candles) {
 *   kc.update(c)
 *   if (kc.isReady && c.close > kc.upper) console.log('breakout')
 * }
 * ```
 */
export function createKeltner(options: KeltnerOptions = {}): KeltnerIndicator {
  const [p, ap, m, s] = opts(options)
  return new Keltner(p, ap, m, s)
}

/**
 * Keltner channel over whole series. Bit-identical to {@link createKeltner}.
 *
 * @param input - `{ high, low, close, period?, atrPeriod?, multiplier?, seed? }`
 * @returns `{ upper, middle, lower }`, `NaN` for the first max(period − 1, atrPeriod) entries (for `seed: 'sma'`)
 * @throws InvalidInputError when an option is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { keltner } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const { upper, middle, lower } = keltner({ high, low, close })
 * ```
 */
export function keltner(input: HlcBatchInput & KeltnerOptions): KeltnerSeries {
  const [period, atrPeriod, multiplier, seed] = opts(input)
  const { high, low, close } = input
  const n = checkHlc(high, low, close)
  const mid = nanArray(n)
  emaInto(close, 0, n, period, seed, mid)
  const a = atrBatch({ high, low, close, period: atrPeriod })
  const lookback = Math.max(seed === 'sma' ? period - 1 : 0, atrPeriod)
  const upper = nanArray(n)
  const middle = nanArray(n)
  const lower = nanArray(n)
  for (let i = lookback; i < n; i++) {
    const m = mid[i] as number
    const w = (a[i] as number) * multiplier
    upper[i] = m + w
    lower[i] = m - w
    middle[i] = m
  }
  return { upper, middle, lower }
}
