/**
 * Streaming ≡ batch, bit for bit, for every indicator and any input, including replaceLast (forming-bar) sequences.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { adx, createAdx } from './adx.js'
import { atr, createAtr, createNatr, natr } from './atr.js'
import { bollinger, createBollinger } from './bollinger.js'
import { cci, createCci } from './cci.js'
import { createDonchian, donchian } from './donchian.js'
import { createKeltner, keltner } from './keltner.js'
import { createMacd, macd } from './macd.js'
import { createObv, obv } from './obv.js'
import { createRsi, rsi } from './rsi.js'
import { createStdDev, stdDev } from './stddev.js'
import { createStoch, stoch } from './stoch.js'
import { hlcArb, opsArb, priceArb, valueArb } from './test-support/arbitraries.js'
import { expectIdentical, runOps } from './test-support/oracle.js'
import { createWilliamsR, williamsR } from './willr.js'
import { createWma, wma } from './wma.js'

const RUNS = { numRuns: 1000 }
const period = (min: number, max = 12) => fc.integer({ min, max })
type Bar = { high: number; low: number; close: number }
const cols = (bars: readonly Bar[]) => ({ high: bars.map((b) => b.high), low: bars.map((b) => b.low), close: bars.map((b) => b.close) })
const pick = (extras: number[][], k: number) => extras.map((e) => e[k] as number)

describe('streaming ≡ batch (fast-check, 1,000 runs each, with replaceLast)', () => {
  it('WMA', () => {
    fc.assert(
      fc.property(period(1), opsArb(valueArb), (p, ops) => {
        const r = runOps(createWma({ period: p }), ops)
        expectIdentical(r.values, wma({ values: r.inputs, period: p }))
      }),
      RUNS,
    )
  })
  it('RSI', () => {
    fc.assert(
      fc.property(period(2), opsArb(priceArb), (p, ops) => {
        const r = runOps(createRsi({ period: p }), ops)
        expectIdentical(r.values, rsi({ values: r.inputs, period: p }))
      }),
      RUNS,
    )
  })
  it('MACD (macd, signal, histogram)', () => {
    fc.assert(
      fc.property(period(2, 8), period(2, 10), period(1, 5), opsArb(priceArb, 60), (f, s, g, ops) => {
        const ind = createMacd({ fastPeriod: f, slowPeriod: s, signalPeriod: g })
        const r = runOps(ind, ops, (m) => [m.signal, m.histogram])
        const b = macd({ values: r.inputs, fastPeriod: f, slowPeriod: s, signalPeriod: g })
        expectIdentical(r.values, b.macd)
        expectIdentical(pick(r.extras, 0), b.signal)
        expectIdentical(pick(r.extras, 1), b.histogram)
      }),
      RUNS,
    )
  })
  it('Bollinger (upper, middle, lower)', () => {
    fc.assert(
      fc.property(period(2), fc.double({ min: 0, max: 4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), opsArb(priceArb), (p, up, dn, ops) => {
        const ind = createBollinger({ period: p, stdDevUp: up, stdDevDown: dn })
        const r = runOps(ind, ops, (b) => [b.upper, b.lower])
        const b = bollinger({ values: r.inputs, period: p, stdDevUp: up, stdDevDown: dn })
        expectIdentical(r.values, b.middle)
        expectIdentical(pick(r.extras, 0), b.upper)
        expectIdentical(pick(r.extras, 1), b.lower)
      }),
      RUNS,
    )
  })
  it('StdDev', () => {
    fc.assert(
      fc.property(period(2), opsArb(valueArb), (p, ops) => {
        const r = runOps(createStdDev({ period: p }), ops)
        expectIdentical(r.values, stdDev({ values: r.inputs, period: p }))
      }),
      RUNS,
    )
  })
  it('ATR and NATR', () => {
    fc.assert(
      fc.property(period(1), opsArb(hlcArb), (p, ops) => {
        const r = runOps(createAtr({ period: p }), ops, (a) => [a.natr])
        expectIdentical(r.values, atr({ ...cols(r.inputs), period: p }))
        expectIdentical(pick(r.extras, 0), natr({ ...cols(r.inputs), period: p }))
        const q = runOps(createNatr({ period: p }), ops)
        expectIdentical(q.values, natr({ ...cols(q.inputs), period: p }))
      }),
      RUNS,
    )
  })
  it('Stochastic (k, d)', () => {
    fc.assert(
      fc.property(period(1, 8), period(1, 4), period(1, 4), opsArb(hlcArb), (fk, sk, sd, ops) => {
        const r = runOps(createStoch({ fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd }), ops, (s) => [s.d])
        const b = stoch({ ...cols(r.inputs), fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd })
        expectIdentical(r.values, b.k)
        expectIdentical(pick(r.extras, 0), b.d)
      }),
      RUNS,
    )
  })
  it('Williams %R', () => {
    fc.assert(
      fc.property(period(2), opsArb(hlcArb), (p, ops) => {
        const r = runOps(createWilliamsR({ period: p }), ops)
        expectIdentical(r.values, williamsR({ ...cols(r.inputs), period: p }))
      }),
      RUNS,
    )
  })
  it('ADX (adx, +DI, −DI)', () => {
    fc.assert(
      fc.property(period(2, 8), opsArb(hlcArb), (p, ops) => {
        const r = runOps(createAdx({ period: p }), ops, (a) => [a.plusDi, a.minusDi])
        const b = adx({ ...cols(r.inputs), period: p })
        expectIdentical(r.values, b.adx)
        // streaming DI fields keep their last value; the batch has them from index `period`
        const plus = pick(r.extras, 0).map((x, i) => (i < p ? Number.NaN : x))
        const minus = pick(r.extras, 1).map((x, i) => (i < p ? Number.NaN : x))
        expectIdentical(plus, b.plusDi)
        expectIdentical(minus, b.minusDi)
      }),
      RUNS,
    )
  })
  it('CCI', () => {
    fc.assert(
      fc.property(period(2), opsArb(hlcArb), (p, ops) => {
        const r = runOps(createCci({ period: p }), ops)
        expectIdentical(r.values, cci({ ...cols(r.inputs), period: p }))
      }),
      RUNS,
    )
  })
  it('OBV', () => {
    const bar = fc.record({ close: fc.constantFrom(1, 2, 3, 2.5), volume: fc.double({ min: 0, max: 1000, noNaN: true }) })
    fc.assert(
      fc.property(opsArb(bar), (ops) => {
        const r = runOps(createObv(), ops)
        expectIdentical(r.values, obv({ close: r.inputs.map((b) => b.close), volume: r.inputs.map((b) => b.volume) }))
      }),
      RUNS,
    )
  })
  it('Donchian (upper, middle, lower)', () => {
    fc.assert(
      fc.property(period(1), opsArb(hlcArb), (p, ops) => {
        const r = runOps(createDonchian({ period: p }), ops, (d) => [d.upper, d.lower])
        const c = cols(r.inputs)
        const b = donchian({ high: c.high, low: c.low, period: p })
        expectIdentical(r.values, b.middle)
        expectIdentical(pick(r.extras, 0).map((x, i) => (i < p - 1 ? Number.NaN : x)), b.upper)
        expectIdentical(pick(r.extras, 1).map((x, i) => (i < p - 1 ? Number.NaN : x)), b.lower)
      }),
      RUNS,
    )
  })
  it('Keltner (upper, middle, lower) for both EMA seeds', () => {
    fc.assert(
      fc.property(period(1), period(1), fc.constantFrom('sma' as const, 'first' as const), opsArb(hlcArb), (p, ap, seed, ops) => {
        const r = runOps(createKeltner({ period: p, atrPeriod: ap, multiplier: 1.5, seed }), ops, (k) => [k.upper, k.lower])
        const b = keltner({ ...cols(r.inputs), period: p, atrPeriod: ap, multiplier: 1.5, seed })
        const lb = Math.max(seed === 'sma' ? p - 1 : 0, ap)
        expectIdentical(r.values, b.middle)
        expectIdentical(pick(r.extras, 0).map((x, i) => (i < lb ? Number.NaN : x)), b.upper)
        expectIdentical(pick(r.extras, 1).map((x, i) => (i < lb ? Number.NaN : x)), b.lower)
      }),
      RUNS,
    )
  })
})
