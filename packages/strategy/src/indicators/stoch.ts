/**
 * Stochastic oscillator, slow %K / %D with SMA smoothing (TA-Lib `STOCH`, MA type SMA).
 * @module
 */
import { checkBar } from './atr.js'
import { Sma, smaInto } from './sma.js'
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { checkHlc, checkPeriod, nanArray } from './validate.js'
import { HighLowWindow, slidingMax, slidingMin } from './window-extremes.js'

/** Options of {@link createStoch} / {@link stoch}. */
export interface StochOptions {
  /** Fast %K look-back (integer ≥ 1), default 5 (TA-Lib default; 14 is also common). */
  readonly fastKPeriod?: number
  /** SMA smoothing of fast %K into slow %K (integer ≥ 1), default 3. */
  readonly slowKPeriod?: number
  /** SMA of slow %K giving %D (integer ≥ 1), default 3. */
  readonly slowDPeriod?: number
}

/** A streaming stochastic: `update` returns slow %K; `d` is read afterwards. */
export interface StochIndicator extends StreamingIndicator<HlcInput> {
  /** Slow %K (0..100), same as `value`. */
  readonly k: number
  /** %D = SMA(slowDPeriod) of slow %K. */
  readonly d: number
}

/** Output of {@link stoch}. */
export interface StochSeries {
  /** Slow %K. */
  readonly k: Float64Array
  /** %D. */
  readonly d: Float64Array
}

function opts(o: StochOptions): [number, number, number] {
  return [checkPeriod(o.fastKPeriod ?? 5, 'fastKPeriod'), checkPeriod(o.slowKPeriod ?? 3, 'slowKPeriod'), checkPeriod(o.slowDPeriod ?? 3, 'slowDPeriod')]
}

/** TA-Lib's fast %K formula (kept in one place so both forms use identical operations). */
function fastK(close: number, highest: number, lowest: number): number {
  const diff = (highest - lowest) / 100
  return diff !== 0 ? (close - lowest) / diff : 0
}

class Stoch implements StochIndicator {
  value = Number.NaN
  k = Number.NaN
  d = Number.NaN
  count = 0
  readonly lookback: number
  private readonly fastKPeriod: number
  private readonly window: HighLowWindow
  private readonly smaK: Sma
  private readonly smaD: Sma

  constructor(fastKPeriod: number, slowK: number, slowD: number) {
    this.fastKPeriod = fastKPeriod
    this.window = new HighLowWindow(fastKPeriod)
    this.smaK = new Sma(slowK)
    this.smaD = new Sma(slowD)
    this.lookback = fastKPeriod - 1 + (slowK - 1) + (slowD - 1)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(bar: HlcInput): number {
    checkBar(bar)
    this.window.push(bar.high, bar.low)
    if (this.count++ < this.fastKPeriod - 1) return this.value
    const k = this.smaK.update(fastK(bar.close, this.window.highest, this.window.lowest))
    if (k !== k) return this.value
    return this.emit(k, this.smaD.update(k))
  }

  replaceLast(bar: HlcInput): number {
    if (this.count === 0) return this.update(bar)
    checkBar(bar)
    this.window.replaceLast(bar.high, bar.low)
    if (this.count - 1 < this.fastKPeriod - 1) return this.value
    const k = this.smaK.replaceLast(fastK(bar.close, this.window.highest, this.window.lowest))
    if (k !== k) return this.value
    return this.emit(k, this.smaD.replaceLast(k))
  }

  private emit(k: number, d: number): number {
    if (d !== d) {
      this.k = this.d = this.value = Number.NaN
      return this.value
    }
    this.k = k
    this.d = d
    return (this.value = k)
  }

  reset(): void {
    this.value = this.k = this.d = Number.NaN
    this.count = 0
    this.window.reset()
    this.smaK.reset()
    this.smaD.reset()
  }
}

/**
 * Create a streaming slow stochastic exactly as TA-Lib `STOCH` with SMA smoothing:
 * fast %K = (close − lowest low) / ((highest high − lowest low) / 100) over `fastKPeriod` bars (0 when the range is 0),
 * slow %K = SMA(slowKPeriod) of fast %K, %D = SMA(slowDPeriod) of slow %K. Both are `NaN` until input
 * `fastKPeriod + slowKPeriod + slowDPeriod − 3` (TA-Lib lookback).
 *
 * @param options - `{ fastKPeriod = 5, slowKPeriod = 3, slowDPeriod = 3 }`
 * @returns a {@link StochIndicator}; read `k` and `d` after `update`
 * @throws InvalidInputError when a period is invalid, or a bar field is not finite
 * @example
 * ```ts
 * import { createStoch } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const st = createStoch({ fastKPeriod: 14 })
 * for (const c of candles) st.update(c)
 * if (st.isReady && st.k > st.d && st.k < 20) console.log('bullish cross in oversold zone')
 * ```
 */
export function createStoch(options: StochOptions = {}): StochIndicator {
  const [a, b, c] = opts(options)
  return new Stoch(a, b, c)
}

/**
 * Slow stochastic over whole series (TA-Lib `STOCH`, SMA smoothing). Bit-identical to {@link createStoch}.
 *
 * @param input - `{ high, low, close, fastKPeriod?, slowKPeriod?, slowDPeriod? }`
 * @returns `{ k, d }`, `NaN` for the first `fastKPeriod + slowKPeriod + slowDPeriod − 3` entries
 * @throws InvalidInputError when a period is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { stoch } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const { k, d } = stoch({ high, low, close })
 * ```
 */
export function stoch(input: HlcBatchInput & StochOptions): StochSeries {
  const [fk, sk, sd] = opts(input)
  const { high, low, close } = input
  const n = checkHlc(high, low, close)
  const hh = nanArray(n)
  const ll = nanArray(n)
  slidingMax(high, fk, hh)
  slidingMin(low, fk, ll)
  const fast = nanArray(n)
  for (let i = fk - 1; i < n; i++) fast[i] = fastK(close[i] as number, hh[i] as number, ll[i] as number)
  const slowK = nanArray(n)
  smaInto(fast, fk - 1, n, sk, slowK)
  const d = nanArray(n)
  smaInto(slowK, fk - 1 + sk - 1, n, sd, d)
  const k = nanArray(n)
  for (let i = fk - 1 + sk - 1 + sd - 1; i < n; i++) k[i] = slowK[i] as number
  return { k, d }
}
