import { describe, expect, it } from 'vitest'
import { atrPercent24h } from './atr-percent-24h.js'
import { col, loadCsv } from './test-support/oracle.js'

describe('atrPercent24h', () => {
  it('by hand: 8 h bars, one 24 h window', () => {
    // prev close 100; window highs 105,110,104 lows 95,99,101 → H 110, L 95 → TR = max(15, 10, 5) = 15; last close 102
    const input = { high: [101, 105, 110, 104], low: [99, 95, 99, 101], close: [100, 100, 105, 102], barMs: 8 * 3_600_000 }
    expect(atrPercent24h(input)).toBeCloseTo((15 / 102) * 100, 12)
    expect(atrPercent24h({ ...input, high: input.high.slice(1), low: input.low.slice(1), close: input.close.slice(1) })).toBeNaN()
  })
  it('with daily bars and days = 14 it equals TA-Lib NATR(14)’s first value (mean of 14 true ranges / close)', () => {
    const t = loadCsv('talib_0.6_extra_binance_spot_BTCUSDT_1d_2017-08-17_2022-10-10.csv.gz')
    const n = 15
    const got = atrPercent24h({ high: col(t, 'high').subarray(0, n), low: col(t, 'low').subarray(0, n), close: col(t, 'close').subarray(0, n), barMs: 86_400_000, days: 14 })
    const expected = col(t, 'natr14')[14] as number
    expect(Math.abs(got - expected) / expected).toBeLessThan(1e-12)
  })
  it('on real 5m BTCUSDT bars it is a daily-range-sized percentage (not a 5m NATR)', () => {
    const t = loadCsv('talib_0.6_binance_usdm_BTCUSDT_5m_first5000.csv.gz')
    const pct = atrPercent24h({ high: col(t, 'high'), low: col(t, 'low'), close: col(t, 'close'), barMs: 300_000 })
    expect(pct).toBeGreaterThan(0.3)
    expect(pct).toBeLessThan(15)
  })
  it('rejects a bar length that does not divide 24 h', () => {
    expect(() => atrPercent24h({ high: [1], low: [1], close: [1], barMs: 7 * 60_000 })).toThrow(/barMs/)
  })
})
