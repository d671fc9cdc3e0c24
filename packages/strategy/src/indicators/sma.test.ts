import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSma, sma } from './sma.js'
import { opsArb, valueArb } from './test-support/arbitraries.js'
import { col, expectIdentical, expectSeriesClose, loadCsv, runOps } from './test-support/oracle.js'

const talib = loadCsv('talib_0.6_binance_usdm_BTCUSDT_5m_first5000.csv.gz')

describe('sma', () => {
  it('matches TA-Lib SMA(20) on 5,000 real BTCUSDT 5m closes (≤1e-9 rel, same lookback)', () => {
    const close = col(talib, 'close')
    expectSeriesClose(sma({ values: close, period: 20 }), col(talib, 'sma20'))
    const s = createSma({ period: 20 })
    expectSeriesClose(Array.from(close, (x) => s.update(x)), col(talib, 'sma20'))
  })

  it('hand-computed small case', () => {
    expectIdentical(sma({ values: [1, 2, 3, 4, 5], period: 3 }), [Number.NaN, Number.NaN, 2, 3, 4])
    expectIdentical(sma({ values: [7, 8], period: 1 }), [7, 8])
    expectIdentical(sma({ values: [1, 2], period: 3 }), [Number.NaN, Number.NaN])
  })

  it('streaming: isReady/count/lookback, replaceLast recomputes the forming bar, reset', () => {
    const s = createSma({ period: 3 })
    expect(s.lookback).toBe(2)
    expect(s.update(1)).toBeNaN()
    expect(s.update(2)).toBeNaN()
    expect(s.isReady).toBe(false)
    expect(s.update(3)).toBe(2)
    expect(s.isReady).toBe(true)
    expect(s.replaceLast(6)).toBe(3)
    expect(s.replaceLast(9)).toBe(4)
    expect(s.count).toBe(3)
    expect(s.update(4)).toBe(5) // window 2, 9, 4
    s.reset()
    expect(s.count).toBe(0)
    expect(s.value).toBeNaN()
    expect(s.replaceLast(5)).toBeNaN() // acts as update on an empty indicator
    expect(s.count).toBe(1)
  })

  it('rejects bad periods and non-finite inputs', () => {
    expect(() => createSma({ period: 0 })).toThrow(/period/)
    expect(() => createSma({ period: 2.5 })).toThrow(/period/)
    expect(() => createSma({ period: 3 }).update(Number.NaN)).toThrow(/finite/)
    expect(() => sma({ values: [1, Number.POSITIVE_INFINITY], period: 1 })).toThrow(/values\[1\]/)
  })

  it('streaming ≡ batch exactly, including replaceLast sequences (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), opsArb(valueArb), (period, ops) => {
        const r = runOps(createSma({ period }), ops)
        expectIdentical(r.values, sma({ values: r.inputs, period }))
      }),
      { numRuns: 1000 },
    )
  })
})
