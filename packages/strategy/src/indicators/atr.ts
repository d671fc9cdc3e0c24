/**
 * Average true range and normalised ATR with Wilder smoothing (TA-Lib `ATR`, `NATR`, `TRANGE`).
 * @module
 */
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { badValue, checkHlc, checkHlcShape, checkPeriod, nanArray } from './validate.js'

/** Options of {@link createAtr} / {@link atr} / {@link createNatr} / {@link natr}. */
export interface AtrOptions {
  /** Wilder period (integer ≥ 1), usually 14. */
  readonly period: number
}

/** A streaming ATR (or NATR); `atr` and `natr` are both always available after `update`. */
export interface AtrIndicator extends StreamingIndicator<HlcInput> {
  /** Average true range, in price units. */
  readonly atr: number
  /** ATR as a percentage of the bar's close: `atr / close · 100`. */
  readonly natr: number
  /** True range of the last bar (`NaN` for the first bar, which has no previous close). */
  readonly trueRange: number
}

/**
 * TA-Lib true range of one bar: max(high − low, |prevClose − high|, |low − prevClose|).
 * @internal
 */
export function trueRange(high: number, low: number, prevClose: number): number {
  let greatest = high - low
  const v2 = Math.abs(prevClose - high)
  if (v2 > greatest) greatest = v2
  const v3 = Math.abs(low - prevClose)
  if (v3 > greatest) greatest = v3
  return greatest
}

/** @internal throws unless every field of the bar is finite */
export function checkBar(bar: HlcInput): void {
  checkFields(bar.high, bar.low, bar.close)
}

function checkFields(h: number, l: number, c: number): void {
  if (!(h - h === 0)) throw badValue(h, 'input.high')
  if (!(l - l === 0)) throw badValue(l, 'input.low')
  if (!(c - c === 0)) throw badValue(c, 'input.close')
}

/** @internal (exported for composition inside the package, not from the package index) */
export class Atr implements AtrIndicator {
  atr = Number.NaN
  trueRange = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly periodM1: number
  private readonly normalised: boolean
  private prevClose = 0
  private sum = 0
  private pPrevClose = 0
  private pSum = 0
  private pAtr = Number.NaN

  constructor(period: number, normalised: boolean) {
    this.period = period
    this.periodM1 = period - 1
    this.lookback = period
    this.normalised = normalised
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  /** The ATR, or the NATR for {@link createNatr} (read from the state: the hot path stores it once). */
  get value(): number {
    return this.normalised ? this.natr : this.atr
  }

  /** ATR / close · 100 of the last bar (computed on read: the hot path does not pay for it). */
  get natr(): number {
    const a = this.atr
    if (a !== a || this.count <= this.lookback) return Number.NaN
    const c = this.prevClose
    return c > -1e-8 && c < 1e-8 ? 0 : (a / c) * 100
  }

  update(bar: HlcInput): number {
    const h = bar.high
    const l = bar.low
    const c = bar.close
    // Hot path (ready): step()'s exact float operations in the same order (TA-Lib's `(atr·(period−1) + tr) / period`)
    // into locals first, state written only when the result and the close are finite. A non-finite high or low
    // always makes the result non-finite (NaN or +Infinity through the true range), so that one check covers all
    // three fields; anything else (warm-up, a bad field, an overflow) goes through cold(), which starts again from
    // the untouched state, validates and throws the InvalidInputError. sum is not used once ready (the first ready
    // value came from cold(), which saved pSum).
    if (this.count > this.period) {
      const prevClose = this.prevClose
      const prevAtr = this.atr
      // trueRange(), inlined by hand
      let tr = h - l
      const v2 = Math.abs(prevClose - h)
      if (v2 > tr) tr = v2
      const v3 = Math.abs(l - prevClose)
      if (v3 > tr) tr = v3
      let a = prevAtr * this.periodM1
      a += tr
      a /= this.period
      if (a - a === 0 && c - c === 0) {
        this.count++
        this.pPrevClose = prevClose
        this.pAtr = prevAtr
        this.trueRange = tr
        this.prevClose = c
        this.atr = a
        if (this.normalised) return c > -1e-8 && c < 1e-8 ? 0 : (a / c) * 100
        return a
      }
    }
    return this.cold(h, l, c)
  }

  /** update() outside the hot path: validates, saves the replaceLast state, steps. */
  private cold(h: number, l: number, c: number): number {
    checkFields(h, l, c)
    this.pPrevClose = this.prevClose
    this.pAtr = this.atr
    this.pSum = this.sum
    return this.step(h, l, c)
  }

  replaceLast(bar: HlcInput): number {
    if (this.count === 0) return this.update(bar)
    checkBar(bar)
    this.prevClose = this.pPrevClose
    this.sum = this.pSum
    this.atr = this.pAtr
    this.count--
    return this.step(bar.high, bar.low, bar.close)
  }

  private step(high: number, low: number, close: number): number {
    const c = this.count++
    if (c === 0) {
      this.prevClose = close
      return Number.NaN
    }
    const tr = trueRange(high, low, this.prevClose)
    this.trueRange = tr
    this.prevClose = close
    let a: number
    if (c > this.period) {
      a = this.atr * this.periodM1
      a += tr
      a /= this.period
    } else {
      this.sum += tr
      if (c < this.period) return Number.NaN
      a = this.sum / this.period
    }
    this.atr = a
    if (this.normalised) return close > -1e-8 && close < 1e-8 ? 0 : (a / close) * 100
    return a
  }

  reset(): void {
    this.atr = this.trueRange = this.pAtr = Number.NaN
    this.count = 0
    this.prevClose = this.sum = this.pPrevClose = this.pSum = 0
  }
}

/**
 * Create a streaming Average True Range exactly as TA-Lib `ATR`: the first value (at bar `period`) is the mean of the
 * true ranges of bars 1..period, then Wilder smoothing `atr = (atr·(period−1) + tr) / period`.
 *
 * @param options - `{ period }`
 * @returns an {@link AtrIndicator} whose `value` is the ATR (also exposes `natr` and `trueRange`)
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createAtr } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const atr = createAtr({ period: 14 })
 * for (const c of candles) atr.update(c) // c has high, low, close
 * const stopDistance = 2 * atr.value
 * ```
 */
export function createAtr(options: AtrOptions): AtrIndicator {
  return new Atr(checkPeriod(options.period, 'period'), false)
}

/**
 * Create a streaming normalised ATR (TA-Lib `NATR`, "ATR %"): `atr / close · 100` (0 when |close| < 1e-8).
 *
 * @param options - `{ period }`
 * @returns an {@link AtrIndicator} whose `value` is the NATR in percent
 * @throws InvalidInputError when `period` is not an integer in [1, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createNatr } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const natr = createNatr({ period: 14 })
 * for (const c of candles) natr.update(c)
 * if (natr.value > 0.5) console.log('volatile: ATR is more than 0.5 % of price')
 * ```
 */
export function createNatr(options: AtrOptions): AtrIndicator {
  return new Atr(checkPeriod(options.period, 'period'), true)
}

function atrKernel(input: HlcBatchInput & AtrOptions, normalised: boolean): Float64Array {
  const period = checkPeriod(input.period, 'period')
  const { high, low, close } = input
  const n = checkHlcShape(high, low, close)
  if (n <= period) {
    checkHlc(high, low, close)
    return nanArray(n)
  }
  const out = new Float64Array(n)
  out.fill(Number.NaN, 0, period)
  let c = close[0] as number
  let h = high[0] as number
  let l = low[0] as number
  if (!(h - h === 0 && l - l === 0 && c - c === 0)) throw badBar(0, h, l, c)
  let sum = 0
  for (let i = 1; i <= period; i++) {
    h = high[i] as number
    l = low[i] as number
    sum += trueRange(h, l, c)
    c = close[i] as number
    if (!(h - h === 0 && l - l === 0 && c - c === 0)) throw badBar(i, h, l, c)
  }
  let a = sum / period
  const periodM1 = period - 1
  out[period] = normalised ? (c > -1e-8 && c < 1e-8 ? 0 : (a / c) * 100) : a
  for (let i = period + 1; i < n; i++) {
    h = high[i] as number
    l = low[i] as number
    const tr = trueRange(h, l, c)
    c = close[i] as number
    if (!(h - h === 0 && l - l === 0 && c - c === 0)) throw badBar(i, h, l, c)
    a *= periodM1
    a += tr
    a /= period
    out[i] = normalised ? (c > -1e-8 && c < 1e-8 ? 0 : (a / c) * 100) : a
  }
  return out
}

function badBar(i: number, h: number, l: number, c: number): Error {
  if (!(h - h === 0)) return badValue(h, `high[${i}]`)
  if (!(l - l === 0)) return badValue(l, `low[${i}]`)
  return badValue(c, `close[${i}]`)
}

/**
 * Average True Range over whole series (TA-Lib `ATR`). Bit-identical to {@link createAtr}.
 *
 * @param input - `{ high, low, close, period }` (parallel arrays, oldest first)
 * @returns a `Float64Array`, `NaN` for the first `period` entries
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { atr } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const out = atr({ high, low, close, period: 14 })
 * ```
 */
export function atr(input: HlcBatchInput & AtrOptions): Float64Array {
  return atrKernel(input, false)
}

/**
 * Normalised ATR in percent over whole series (TA-Lib `NATR`). Bit-identical to {@link createNatr}.
 *
 * @param input - `{ high, low, close, period }`
 * @returns a `Float64Array` of ATR/close·100, `NaN` for the first `period` entries
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { natr } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const pct = natr({ high, low, close, period: 14 })
 * ```
 */
export function natr(input: HlcBatchInput & AtrOptions): Float64Array {
  return atrKernel(input, true)
}
