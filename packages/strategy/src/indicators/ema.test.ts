import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEma, ema } from './ema.js'
import { opsArb, valueArb } from './test-support/arbitraries.js'
import { col, expectIdentical, expectSeriesClose, loadCsv, runOps } from './test-support/oracle.js'

const talib = loadCsv('talib_0.6_binance_usdm_BTCUSDT_5m_first5000.csv.gz')
const tulip = loadCsv('tulind_0.8_binance_usdm_BTCUSDT_5m_first5000.csv.gz')

describe('ema', () => {
  it('matches TA-Lib EMA(20) (SMA seed) on 5,000 real closes (≤1e-9 rel, same lookback)', () => {
    const close = col(talib, 'close')
    expectSeriesClose(ema({ values: close, period: 20 }), col(talib, 'ema20'))
    const e = createEma({ period: 20 })
    expectSeriesClose(Array.from(close, (x) => e.update(x)), col(talib, 'ema20'))
  })

  it("seed: 'first' matches Tulip Indicators' ema[20] (first-value seed, value from index 0)", () => {
    const close = col(tulip, 'close')
    expectSeriesClose(ema({ values: close, period: 20, seed: 'first' }), col(tulip, 'ema20'))
  })

  it('hand-computed small case (k = 2/(3+1) = 0.5)', () => {
    // seed = (2+4+6)/3 = 4 at index 2; then (10-4)*0.5+4 = 7; (3-7)*0.5+7 = 5
    expectIdentical(ema({ values: [2, 4, 6, 10, 3], period: 3 }), [Number.NaN, Number.NaN, 4, 7, 5])
    // first-value seed: 2, (4-2)*.5+2=3, (6-3)*.5+3=4.5
    expectIdentical(ema({ values: [2, 4, 6], period: 3, seed: 'first' }), [2, 3, 4.5])
  })

  it('streaming replaceLast and options', () => {
    const e = createEma({ period: 3 })
    e.update(2)
    e.update(4)
    expect(e.update(6)).toBe(4)
    expect(e.replaceLast(9)).toBe(5) // seed (2+4+9)/3
    expect(e.update(7)).toBe(6)
    expect(e.replaceLast(11)).toBe(8)
    expect(createEma({ period: 3, seed: 'first' }).lookback).toBe(0)
    expect(() => createEma({ period: 3, seed: 'x' as never })).toThrow(/seed/)
  })

  it('streaming ≡ batch exactly for both seeds, with replaceLast (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.constantFrom('sma' as const, 'first' as const), opsArb(valueArb), (period, seed, ops) => {
        const r = runOps(createEma({ period, seed }), ops)
        expectIdentical(r.values, ema({ values: r.inputs, period, seed }))
      }),
      { numRuns: 1000 },
    )
  })
})

describe('createEma().updateMany', () => {
  const closes = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 80 })
  it('property: chunks give bit-identical values, count and replaceLast to one update() per value', () => {
    fc.assert(
      fc.property(closes, fc.array(fc.nat({ max: 80 }), { maxLength: 4 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('sma' as const, 'first' as const), (xs, cuts, period, seed) => {
        const one = createEma({ period, seed })
        const many = createEma({ period, seed })
        const bounds = [0, ...cuts.map((c) => Math.min(c, xs.length)).sort((a, b) => a - b), xs.length]
        for (let b = 1; b < bounds.length; b++) {
          const chunk = Float64Array.from(xs.slice(bounds[b - 1], bounds[b]))
          let last = one.value
          for (const x of chunk) last = one.update(x)
          expect(Object.is(many.updateMany(chunk), last)).toBe(true)
          expect(many.count).toBe(one.count)
        }
        if (xs.length > 0) expect(Object.is(many.replaceLast(42), one.replaceLast(42))).toBe(true)
        expect(Object.is(many.update(7), one.update(7))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it.each([3, 30])('a non-finite value (at index %i) throws with its index; the values before it are applied', (at) => {
    const xs = Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i))
    const bad = [...xs]
    bad[at] = Number.NaN
    const many = createEma({ period: 5 })
    expect(() => many.updateMany(bad)).toThrow(expect.objectContaining({ code: 'invalid-input', path: `input[${at}]` }))
    const one = createEma({ period: 5 })
    for (const x of xs.slice(0, at)) one.update(x)
    expect(many.count).toBe(one.count)
    expect(Object.is(many.value, one.value)).toBe(true)
    expect(Object.is(many.replaceLast(50), one.replaceLast(50))).toBe(true)
  })
})
