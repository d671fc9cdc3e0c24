import type { Candle } from '@perpkit/core'
import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { computeFeatures, createFeaturePipeline, featureWarmupBars } from './features.js'
import { embeddedBars } from './test-support/embedded-bars.js'

describe('createFeaturePipeline', () => {
  const bars = embeddedBars(3000)

  it('has no look-ahead: features on a truncated series equal the prefix of features on the full series', () => {
    const full = computeFeatures({ bars })
    for (const cut of [30, 31, 288, 1234, 2999]) {
      const part = computeFeatures({ bars: bars.slice(0, cut) })
      const n = part.rows.length
      expect(n).toBeGreaterThan(0)
      expect(part.rowIndex).toEqual(full.rowIndex.slice(0, n))
      expect(part.rows).toEqual(full.rows.slice(0, n))
    }
  })

  it('is ready after the longest lookback and gives finite values in the documented ranges', () => {
    const { names, rows, rowIndex } = computeFeatures({ bars })
    // Bollinger(20) and SMA(20) of volume need 20 bars: first vector after bar index 19
    expect(rowIndex[0]).toBe(19)
    expect(names).toEqual(['ret_lag0', 'ret_lag1', 'ret_lag2', 'ret_lag3', 'ret_lag4', 'rsi', 'natr', 'bb_pctb', 'vwap_dev', 'volume_ratio'])
    for (const row of rows) {
      for (const v of row) expect(Number.isFinite(v)).toBe(true)
      expect(Math.abs(row[5] as number)).toBeLessThanOrEqual(0.5) // RSI in [0, 100] shifted by −0.5
    }
  })

  it('ret_lag0 is the log return of the bar and ret_lag1 the previous one', () => {
    const p = createFeaturePipeline({ lags: 2, rsiPeriod: 2, natrPeriod: 1, bollingerPeriod: 2, volumePeriod: 1 })
    const bar = (i: number, close: number): Candle => ({ openTimeMs: i * 300_000, open: close, high: close + 1, low: close - 1, close, volume: 1 })
    p.update(bar(0, 100))
    p.update(bar(1, 110))
    p.update(bar(2, 99))
    expect(p.values[0]).toBeCloseTo(Math.log(99 / 110), 15)
    expect(p.values[1]).toBeCloseTo(Math.log(110 / 100), 15)
  })

  it('refuses bars out of order and bad prices with a typed error', () => {
    const p = createFeaturePipeline()
    p.update(bars[1] as Candle)
    expect(() => p.update(bars[0] as Candle)).toThrow(InvalidInputError)
    expect(() => p.update({ ...(bars[2] as Candle), close: Number.NaN })).toThrow(InvalidInputError)
    expect(() => createFeaturePipeline({ lags: 0 })).toThrow(InvalidInputError)
  })

  it('reset forgets everything: the same bars give the same features again', () => {
    const p = createFeaturePipeline()
    const run = (): number[] => {
      for (const b of bars.slice(0, 100)) p.update(b)
      return [...p.values]
    }
    const first = run()
    p.reset()
    expect(run()).toEqual(first)
  })
})

describe('featureWarmupBars', () => {
  const bars = embeddedBars(400)
  it('is the bar count at which the pipeline first becomes ready, for several option sets', () => {
    for (const options of [{}, { lags: 30 }, { rsiPeriod: 40 }, { natrPeriod: 50 }, { bollingerPeriod: 60, volumePeriod: 5 }, { volumePeriod: 70, lags: 2 }]) {
      const first = computeFeatures({ bars, options }).rowIndex[0] as number
      expect(featureWarmupBars(options)).toBe(first + 1)
    }
  })
})
