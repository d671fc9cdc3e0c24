/**
 * Moving average convergence/divergence (TA-Lib `MACD`).
 * @module
 */
import type { SeriesBatchInput, StreamingIndicator } from './types.js'
import { badValue, checkArrayLike, checkPeriod, checkSeries, nanArray } from './validate.js'

/** Options of {@link createMacd} / {@link macd}. */
export interface MacdOptions {
  /** Fast EMA period (integer ≥ 2), default 12. */
  readonly fastPeriod?: number
  /** Slow EMA period (integer ≥ 2), default 26. If smaller than `fastPeriod` the two are swapped (as TA-Lib does). */
  readonly slowPeriod?: number
  /** Signal EMA period (integer ≥ 1), default 9. */
  readonly signalPeriod?: number
}

/** A streaming MACD: `update` returns the MACD line; `signal` and `histogram` are read afterwards. */
export interface MacdIndicator extends StreamingIndicator<number> {
  /** MACD line = fast EMA − slow EMA (`NaN` until ready; same as `value`). */
  readonly macd: number
  /** Signal line = EMA(signalPeriod) of the MACD line. */
  readonly signal: number
  /** Histogram = macd − signal. */
  readonly histogram: number
}

/** Output of {@link macd}. */
export interface MacdSeries {
  /** MACD line. */
  readonly macd: Float64Array
  /** Signal line. */
  readonly signal: Float64Array
  /** macd − signal. */
  readonly histogram: Float64Array
}

function periods(o: MacdOptions): [fast: number, slow: number, signal: number] {
  let fast = checkPeriod(o.fastPeriod ?? 12, 'fastPeriod', 2)
  let slow = checkPeriod(o.slowPeriod ?? 26, 'slowPeriod', 2)
  const signal = checkPeriod(o.signalPeriod ?? 9, 'signalPeriod', 1)
  if (slow < fast) [fast, slow] = [slow, fast]
  return [fast, slow, signal]
}

class Macd implements MacdIndicator {
  // Every field is created here, in one order, with its final representation (doubles as doubles): one hidden class.
  value = Number.NaN
  // the signal EMA's state: NaN until ready, then its value (no separate copy to keep the hot path small)
  signal = Number.NaN
  histogram = Number.NaN
  count = 0
  readonly lookback: number
  private readonly fast: number
  private readonly slow: number
  private readonly sig: number
  private readonly kFast: number
  private readonly kSlow: number
  private readonly kSig: number
  private readonly warm: Float64Array
  private fastEma = Number.NaN
  private slowEma = Number.NaN
  private sigSum = 0
  // replaceLast state: the three EMA states before the last update (+ the signal seed sum during warm-up)
  private pFastEma = Number.NaN
  private pSlowEma = Number.NaN
  private pSigSum = 0
  private pSignal = Number.NaN

  constructor(fast: number, slow: number, sig: number) {
    this.fast = fast
    this.slow = slow
    this.sig = sig
    this.kFast = 2 / (fast + 1)
    this.kSlow = 2 / (slow + 1)
    this.kSig = 2 / (sig + 1)
    this.lookback = slow - 1 + (sig - 1)
    this.warm = new Float64Array(slow)
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  get macd(): number {
    return this.value
  }

  update(x: number): number {
    // Hot path (ready and finite input): the same float operations as step(), in the same order, with no warm-up
    // branches and no throw site (V8 compiles a throw inside the inlined loop body badly); everything else —
    // warm-up, and the InvalidInputError for NaN/±Infinity — goes through cold(). sigSum is not used once ready
    // (the update that produced the first ready value went through cold(), which saved pSigSum).
    if (this.count > this.lookback && x - x === 0) {
      const fastPrev = this.fastEma
      const slowPrev = this.slowEma
      const sigPrev = this.signal
      this.count++
      this.pFastEma = fastPrev
      this.pSlowEma = slowPrev
      this.pSignal = sigPrev
      const fastEma = (x - fastPrev) * this.kFast + fastPrev
      const slowEma = (x - slowPrev) * this.kSlow + slowPrev
      const line = fastEma - slowEma
      const signal = (line - sigPrev) * this.kSig + sigPrev
      this.fastEma = fastEma
      this.slowEma = slowEma
      this.signal = signal
      this.histogram = line - signal
      return (this.value = line)
    }
    return this.cold(x)
  }

  /** update() outside the hot path: validates, saves the replaceLast state, steps. */
  private cold(x: number): number {
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.pFastEma = this.fastEma
    this.pSlowEma = this.slowEma
    this.pSignal = this.signal
    this.pSigSum = this.sigSum
    return this.step(x)
  }

  replaceLast(x: number): number {
    if (this.count === 0) return this.update(x)
    if (!(x - x === 0)) throw badValue(x, 'input')
    this.fastEma = this.pFastEma
    this.slowEma = this.pSlowEma
    this.sigSum = this.pSigSum
    this.signal = this.pSignal
    this.count--
    return this.step(x)
  }

  private step(x: number): number {
    const c = this.count++
    const slow = this.slow
    let fastEma: number
    let slowEma: number
    if (c >= slow) {
      fastEma = this.fastEma = (x - this.fastEma) * this.kFast + this.fastEma
      slowEma = this.slowEma = (x - this.slowEma) * this.kSlow + this.slowEma
    } else {
      const warm = this.warm
      warm[c] = x
      if (c < slow - 1) return this.value
      // TA-Lib seeds BOTH EMAs at input slow-1: slow = mean(x[0..slow-1]), fast = mean(x[slow-fast..slow-1])
      let s = 0
      for (let i = 0; i < slow; i++) s += warm[i] as number
      let f = 0
      for (let i = slow - this.fast; i < slow; i++) f += warm[i] as number
      slowEma = this.slowEma = s / slow
      fastEma = this.fastEma = f / this.fast
    }
    const line = fastEma - slowEma
    const j = c - (slow - 1)
    let signal: number
    if (j >= this.sig) {
      signal = (line - this.signal) * this.kSig + this.signal
    } else {
      this.sigSum += line
      if (j < this.sig - 1) return this.value
      signal = this.sigSum / this.sig
    }
    this.signal = signal
    this.histogram = line - signal
    return (this.value = line)
  }

  reset(): void {
    this.value = this.signal = this.histogram = this.pSignal = Number.NaN
    this.count = 0
    this.fastEma = this.slowEma = this.pFastEma = this.pSlowEma = Number.NaN
    this.sigSum = this.pSigSum = 0
  }
}

/**
 * Create a streaming MACD with TA-Lib's exact conventions: EMAs with `k = 2/(n+1)`, both seeded at input
 * `slowPeriod − 1` (slow EMA = SMA of the first `slowPeriod` inputs, fast EMA = SMA of the last `fastPeriod` of those),
 * signal = EMA of the MACD line seeded with its SMA; first value at input `slowPeriod + signalPeriod − 2` (33 for 12/26/9).
 *
 * @param options - `{ fastPeriod = 12, slowPeriod = 26, signalPeriod = 9 }`
 * @returns a {@link MacdIndicator}; read `macd`, `signal`, `histogram` after `update`
 * @throws InvalidInputError when a period is invalid, or an input is not finite
 * @example
 * ```ts
 * import { createMacd } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const m = createMacd({})
 * for (const c of candles) m.update(c.close)
 * if (m.isReady && m.histogram > 0) console.log('bullish momentum', m.macd, m.signal)
 * ```
 */
export function createMacd(options: MacdOptions = {}): MacdIndicator {
  const [fast, slow, signal] = periods(options)
  return new Macd(fast, slow, signal)
}

/**
 * MACD over a whole series (TA-Lib `MACD`). Bit-identical to {@link createMacd}.
 *
 * @param input - `{ values, fastPeriod?, slowPeriod?, signalPeriod? }`
 * @returns `{ macd, signal, histogram }`, each `NaN` for the first `slowPeriod + signalPeriod − 2` entries
 * @throws InvalidInputError when a period is invalid or a value is not finite
 * @example
 * ```ts
 * import { macd } from '@perpkit/strategy'
 * declare const closes: readonly number[] // oldest first
 * const { macd: line, signal, histogram } = macd({ values: closes })
 * ```
 */
export function macd(input: SeriesBatchInput & MacdOptions): MacdSeries {
  const [fast, slow, sig] = periods(input)
  const v = input.values
  const n = checkArrayLike(v, 'values')
  const lookback = slow - 1 + (sig - 1)
  if (n <= lookback) {
    checkSeries(v, 'values')
    return { macd: nanArray(n), signal: nanArray(n), histogram: nanArray(n) }
  }
  const outMacd = new Float64Array(n)
  const outSignal = new Float64Array(n)
  const outHist = new Float64Array(n)
  outMacd.fill(Number.NaN, 0, lookback)
  outSignal.fill(Number.NaN, 0, lookback)
  outHist.fill(Number.NaN, 0, lookback)
  {
    const kFast = 2 / (fast + 1)
    const kSlow = 2 / (slow + 1)
    const kSig = 2 / (sig + 1)
    let s = 0
    for (let i = 0; i < slow; i++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      s += x
    }
    let f = 0
    for (let i = slow - fast; i < slow; i++) f += v[i] as number
    let slowEma = s / slow
    let fastEma = f / fast
    let sigSum = fastEma - slowEma
    for (let i = slow; i <= lookback; i++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      fastEma = (x - fastEma) * kFast + fastEma
      slowEma = (x - slowEma) * kSlow + slowEma
      sigSum += fastEma - slowEma
    }
    let line = fastEma - slowEma
    let signal = sigSum / sig
    outMacd[lookback] = line
    outSignal[lookback] = signal
    outHist[lookback] = line - signal
    for (let i = lookback + 1; i < n; i++) {
      const x = v[i] as number
      if (!(x - x === 0)) throw badValue(x, `values[${i}]`)
      fastEma = (x - fastEma) * kFast + fastEma
      slowEma = (x - slowEma) * kSlow + slowEma
      line = fastEma - slowEma
      signal = (line - signal) * kSig + signal
      outMacd[i] = line
      outSignal[i] = signal
      outHist[i] = line - signal
    }
  }
  return { macd: outMacd, signal: outSignal, histogram: outHist }
}
