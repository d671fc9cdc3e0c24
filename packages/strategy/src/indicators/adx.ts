/**
 * Average directional index with +DI / −DI (TA-Lib `ADX`, `PLUS_DI`, `MINUS_DI`).
 * @module
 */
import { checkBar, trueRange } from './atr.js'
import type { HlcBatchInput, HlcInput, StreamingIndicator } from './types.js'
import { checkHlc, checkPeriod, nanArray } from './validate.js'

/** Options of {@link createAdx} / {@link adx}. */
export interface AdxOptions {
  /** Wilder period (integer ≥ 2), usually 14. */
  readonly period: number
}

/** A streaming ADX: `update` returns the ADX; `plusDi`, `minusDi` and `dx` are read afterwards. */
export interface AdxIndicator extends StreamingIndicator<HlcInput> {
  /** ADX (0..100), same as `value`; first value at input `2·period − 1`. */
  readonly adx: number
  /** +DI (0..100); available from input `period` (TA-Lib `PLUS_DI`). */
  readonly plusDi: number
  /** −DI (0..100); available from input `period` (TA-Lib `MINUS_DI`). */
  readonly minusDi: number
}

/** Output of {@link adx}. */
export interface AdxSeries {
  /** ADX, `NaN` for the first `2·period − 1` entries. */
  readonly adx: Float64Array
  /** +DI, `NaN` for the first `period` entries. */
  readonly plusDi: Float64Array
  /** −DI, `NaN` for the first `period` entries. */
  readonly minusDi: Float64Array
}

const isZero = (x: number): boolean => x > -1e-8 && x < 1e-8

class Adx implements AdxIndicator {
  value = Number.NaN
  adx = Number.NaN
  plusDi = Number.NaN
  minusDi = Number.NaN
  count = 0
  readonly lookback: number
  private readonly period: number
  private readonly periodM1: number
  private prevHigh = 0
  private prevLow = 0
  private prevClose = 0
  private plusDm = 0
  private minusDm = 0
  private tr = 0
  private sumDx = 0
  private pPrevHigh = 0
  private pPrevLow = 0
  private pPrevClose = 0
  private pPlusDm = 0
  private pMinusDm = 0
  private pTr = 0
  private pSumDx = 0
  private pAdx = Number.NaN

  constructor(period: number) {
    this.period = period
    this.periodM1 = period - 1
    this.lookback = 2 * period - 1
  }

  get isReady(): boolean {
    return this.count > this.lookback
  }

  update(bar: HlcInput): number {
    checkBar(bar)
    this.pPrevHigh = this.prevHigh
    this.pPrevLow = this.prevLow
    this.pPrevClose = this.prevClose
    this.pPlusDm = this.plusDm
    this.pMinusDm = this.minusDm
    this.pTr = this.tr
    this.pSumDx = this.sumDx
    this.pAdx = this.adx
    return this.step(bar.high, bar.low, bar.close)
  }

  replaceLast(bar: HlcInput): number {
    if (this.count === 0) return this.update(bar)
    checkBar(bar)
    this.prevHigh = this.pPrevHigh
    this.prevLow = this.pPrevLow
    this.prevClose = this.pPrevClose
    this.plusDm = this.pPlusDm
    this.minusDm = this.pMinusDm
    this.tr = this.pTr
    this.sumDx = this.pSumDx
    this.adx = this.pAdx
    this.count--
    return this.step(bar.high, bar.low, bar.close)
  }

  private step(high: number, low: number, close: number): number {
    const c = this.count++
    if (c === 0) {
      this.prevHigh = high
      this.prevLow = low
      this.prevClose = close
      return this.value
    }
    const period = this.period
    const diffP = high - this.prevHigh
    const diffM = this.prevLow - low
    this.prevHigh = high
    this.prevLow = low
    const tr = trueRange(high, low, this.prevClose)
    this.prevClose = close
    if (c < period) {
      if (diffM > 0 && diffP < diffM) this.minusDm += diffM
      else if (diffP > 0 && diffP > diffM) this.plusDm += diffP
      this.tr += tr
      return this.value
    }
    let minusDm = this.minusDm
    let plusDm = this.plusDm
    minusDm -= minusDm / period
    plusDm -= plusDm / period
    if (diffM > 0 && diffP < diffM) minusDm += diffM
    else if (diffP > 0 && diffP > diffM) plusDm += diffP
    const trSum = this.tr - this.tr / period + tr
    this.minusDm = minusDm
    this.plusDm = plusDm
    this.tr = trSum
    let dx = Number.NaN
    if (!isZero(trSum)) {
      const minusDi = 100 * (minusDm / trSum)
      const plusDi = 100 * (plusDm / trSum)
      this.minusDi = minusDi
      this.plusDi = plusDi
      const sum = minusDi + plusDi
      if (!isZero(sum)) dx = 100 * (Math.abs(minusDi - plusDi) / sum)
    } else {
      this.minusDi = 0
      this.plusDi = 0
    }
    if (c < this.lookback) {
      if (dx === dx) this.sumDx += dx
      return this.value
    }
    if (c === this.lookback) {
      if (dx === dx) this.sumDx += dx
      this.adx = this.sumDx / period
    } else if (dx === dx) {
      this.adx = (this.adx * this.periodM1 + dx) / period
    }
    return (this.value = this.adx)
  }

  reset(): void {
    this.value = this.adx = this.plusDi = this.minusDi = this.pAdx = Number.NaN
    this.count = 0
    this.prevHigh = this.prevLow = this.prevClose = this.plusDm = this.minusDm = this.tr = this.sumDx = 0
    this.pPrevHigh = this.pPrevLow = this.pPrevClose = this.pPlusDm = this.pMinusDm = this.pTr = this.pSumDx = 0
  }
}

/**
 * Create a streaming ADX / +DI / −DI exactly as TA-Lib (no Wilder integer rounding): directional movements and
 * true range summed over the first `period − 1` moves then Wilder-smoothed (`s − s/period + x`),
 * DI = 100·DM/TR (0 when TR ≈ 0), DX = 100·|−DI − +DI|/(−DI + +DI), ADX = mean of the first `period` DX then
 * `(adx·(period−1) + dx)/period`. ±DI from input `period`, ADX from input `2·period − 1`.
 *
 * @param options - `{ period }`
 * @returns an {@link AdxIndicator}; read `plusDi` / `minusDi` after `update`
 * @throws InvalidInputError when `period` is not an integer in [2, 100000], or a bar field is not finite
 * @example
 * ```ts
 * import { createAdx } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const a = createAdx({ period: 14 })
 * for (const c of candles) a.update(c)
 * if (a.isReady && a.adx > 25 && a.plusDi > a.minusDi) console.log('strong up-trend')
 * ```
 */
export function createAdx(options: AdxOptions): AdxIndicator {
  return new Adx(checkPeriod(options.period, 'period', 2))
}

/**
 * ADX, +DI and −DI over whole series (TA-Lib `ADX`, `PLUS_DI`, `MINUS_DI`). Bit-identical to {@link createAdx}.
 *
 * @param input - `{ high, low, close, period }`
 * @returns `{ adx, plusDi, minusDi }`
 * @throws InvalidInputError when `period` is invalid, arrays differ in length, or a value is not finite
 * @example
 * ```ts
 * import { adx } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const { adx: trend, plusDi, minusDi } = adx({ high, low, close, period: 14 })
 * ```
 */
export function adx(input: HlcBatchInput & AdxOptions): AdxSeries {
  const period = checkPeriod(input.period, 'period', 2)
  const { high, low, close } = input
  const n = checkHlc(high, low, close)
  const outAdx = nanArray(n)
  const outPlus = nanArray(n)
  const outMinus = nanArray(n)
  if (n === 0) return { adx: outAdx, plusDi: outPlus, minusDi: outMinus }
  const lookback = 2 * period - 1
  const periodM1 = period - 1
  let prevHigh = high[0] as number
  let prevLow = low[0] as number
  let prevClose = close[0] as number
  let plusDm = 0
  let minusDm = 0
  let trSum = 0
  let sumDx = 0
  let adxValue = Number.NaN
  for (let i = 1; i < n; i++) {
    const h = high[i] as number
    const l = low[i] as number
    const diffP = h - prevHigh
    const diffM = prevLow - l
    prevHigh = h
    prevLow = l
    const tr = trueRange(h, l, prevClose)
    prevClose = close[i] as number
    if (i < period) {
      if (diffM > 0 && diffP < diffM) minusDm += diffM
      else if (diffP > 0 && diffP > diffM) plusDm += diffP
      trSum += tr
      continue
    }
    minusDm -= minusDm / period
    plusDm -= plusDm / period
    if (diffM > 0 && diffP < diffM) minusDm += diffM
    else if (diffP > 0 && diffP > diffM) plusDm += diffP
    trSum = trSum - trSum / period + tr
    let dx = Number.NaN
    if (!isZero(trSum)) {
      const minusDi = 100 * (minusDm / trSum)
      const plusDi = 100 * (plusDm / trSum)
      outMinus[i] = minusDi
      outPlus[i] = plusDi
      const sum = minusDi + plusDi
      if (!isZero(sum)) dx = 100 * (Math.abs(minusDi - plusDi) / sum)
    } else {
      outMinus[i] = 0
      outPlus[i] = 0
    }
    if (i < lookback) {
      if (dx === dx) sumDx += dx
      continue
    }
    if (i === lookback) {
      if (dx === dx) sumDx += dx
      adxValue = sumDx / period
    } else if (dx === dx) {
      adxValue = (adxValue * periodM1 + dx) / period
    }
    outAdx[i] = adxValue
  }
  return { adx: outAdx, plusDi: outPlus, minusDi: outMinus }
}
