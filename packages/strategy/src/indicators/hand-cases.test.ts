/**
 * Small cases computed by hand from the textbook / TA-Lib definitions (independently of the code under test).
 */
import { describe, expect, it } from 'vitest'
import { adx, createAdx } from './adx.js'
import { atr, createNatr, natr } from './atr.js'
import { bollinger } from './bollinger.js'
import { ema } from './ema.js'
import { macd } from './macd.js'
import { sma } from './sma.js'
import { cci } from './cci.js'
import { donchian } from './donchian.js'
import { keltner } from './keltner.js'
import { obv } from './obv.js'
import { rsi } from './rsi.js'
import { stdDev } from './stddev.js'
import { stoch } from './stoch.js'
import { williamsR } from './willr.js'
import { wma } from './wma.js'

const close12 = (a: ArrayLike<number>, b: readonly number[]) => {
  expect(a.length).toBe(b.length)
  b.forEach((x, i) => (Number.isNaN(x) ? expect(a[i]).toBeNaN() : expect(a[i]).toBeCloseTo(x, 10)))
}
const N = Number.NaN
const bars3 = { high: [10, 11, 12, 13], low: [8, 9, 10, 11], close: [9, 10, 11, 11] }

describe('batch forms reject a non-finite value anywhere, naming its index', () => {
  it.each([
    ['sma', () => sma({ values: [1, 2, Number.NaN, 4, 5], period: 2 })],
    ['ema', () => ema({ values: [1, 2, 3, Number.POSITIVE_INFINITY, 5], period: 2 })],
    ['rsi', () => rsi({ values: [1, 2, 3, 4, Number.NaN], period: 2 })],
    ['macd', () => macd({ values: [...Array.from({ length: 40 }, (_, i) => i + 1), Number.NaN] })],
    ['bollinger', () => bollinger({ values: [1, Number.NaN, 3], period: 2 })],
    ['stdDev', () => stdDev({ values: [1, 2, Number.NaN], period: 2 })],
  ])('%s', (_name, f) => {
    expect(f).toThrow(/values\[\d+\]/)
  })
  it('atr names the bad field and index', () => {
    expect(() => atr({ high: [2, 2, 2, 2], low: [1, 1, Number.NaN, 1], close: [1.5, 1.5, 1.5, 1.5], period: 1 })).toThrow(/low\[2\]/)
    expect(() => atr({ high: [2, 2], low: [1, 1], close: [1.5, 1.5, 1.5], period: 1 })).toThrow(/same length/)
    expect(() => atr({ high: [Number.NaN], low: [1], close: [1], period: 3 })).toThrow(/high\[0\]/)
  })
})

describe('hand-computed cases', () => {
  it('WMA: weights 1..n over n(n+1)/2', () => {
    close12(wma({ values: [1, 2, 3, 4], period: 2 }), [N, 5 / 3, 8 / 3, 11 / 3])
    close12(wma({ values: [1, 2, 3], period: 3 }), [N, N, 14 / 6])
  })
  it('RSI (Wilder): [1,2,3,2] period 2 → 100 then 50', () => {
    close12(rsi({ values: [1, 2, 3, 2], period: 2 }), [N, N, 100, 50])
    close12(rsi({ values: [5, 5, 5], period: 2 }), [N, N, 0]) // no movement: TA-Lib returns 0
  })
  it('STDDEV: population σ of 2,4,4,4,5,5,7,9 is 2', () => {
    close12(stdDev({ values: [2, 4, 4, 4, 5, 5, 7, 9], period: 8 }), [N, N, N, N, N, N, N, 2])
    close12(stdDev({ values: [1, 1, 1], period: 2 }), [N, 0, 0])
  })
  it('Bollinger: [1,2,3] period 3 → 2 ± 2·sqrt(2/3)', () => {
    const b = bollinger({ values: [1, 2, 3], period: 3 })
    close12(b.middle, [N, N, 2])
    close12(b.upper, [N, N, 2 + 2 * Math.sqrt(2 / 3)])
    close12(b.lower, [N, N, 2 - 2 * Math.sqrt(2 / 3)])
  })
  it('Stochastic: fast %K 75 then 50; %D = mean', () => {
    const s = stoch({ ...bars3, fastKPeriod: 3, slowKPeriod: 1, slowDPeriod: 2 })
    close12(s.k, [N, N, N, 50])
    close12(s.d, [N, N, N, 62.5])
  })
  it('Williams %R: −25 then −50', () => {
    close12(williamsR({ ...bars3, period: 3 }), [N, N, -25, -50])
  })
  it('CCI: typical prices 2, 5, 8 → (8 − 5)/(0.015 · 2) = 100', () => {
    close12(cci({ high: [3, 6, 9], low: [1, 4, 7], close: [2, 5, 8], period: 3 }), [N, N, 100])
  })
  it('OBV starts at the first volume (TA-Lib)', () => {
    close12(obv({ close: [10, 11, 11, 9], volume: [5, 2, 3, 4] }), [5, 7, 7, 3])
  })
  it('Donchian', () => {
    const d = donchian({ high: [3, 5, 4], low: [1, 2, 0], period: 2 })
    close12(d.upper, [N, 5, 5])
    close12(d.lower, [N, 1, 0])
    close12(d.middle, [N, 3, 2.5])
  })
  it('ATR / NATR (Wilder): TR 2, 3, 1 → 2.5, 1.75', () => {
    const b = { high: [10, 11, 12, 11], low: [8, 9, 9, 10], close: [9, 10, 11, 10.5] }
    close12(atr({ ...b, period: 2 }), [N, N, 2.5, 1.75])
    close12(natr({ ...b, period: 2 }), [N, N, (2.5 / 11) * 100, (1.75 / 10.5) * 100])
    const s = createNatr({ period: 2 })
    s.update({ high: 10, low: 8, close: 9 })
    s.update({ high: 11, low: 9, close: 10 })
    s.update({ high: 12, low: 9, close: 11 })
    expect(s.atr).toBeCloseTo(2.5, 12)
    expect(s.trueRange).toBe(3)
  })
  it('ADX(2): +DI/−DI/DX/ADX by hand', () => {
    const b = { high: [10, 12, 13, 12, 11], low: [8, 9, 10, 8, 9], close: [9, 11, 12, 9, 10] }
    const r = adx({ ...b, period: 2 })
    close12(r.plusDi, [N, N, 200 / 4.5, 16, 50 / 5.125])
    close12(r.minusDi, [N, N, 0, 32, 100 / 5.125])
    close12(r.adx, [N, N, N, 200 / 3, 50])
    const s = createAdx({ period: 2 })
    for (let i = 0; i < 5; i++) s.update({ high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number })
    expect(s.adx).toBeCloseTo(50, 10)
    expect(s.lookback).toBe(3)
  })
  it('Keltner: EMA(2) ± 2·ATR(1)', () => {
    const k = keltner({ high: [10, 11, 12], low: [8, 9, 9], close: [9, 10, 11], period: 2, atrPeriod: 1, multiplier: 2 })
    close12(k.middle, [N, 9.5, 10.5])
    close12(k.upper, [N, 13.5, 16.5])
    close12(k.lower, [N, 5.5, 4.5])
  })
})
