import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRollingVwap, createSessionVwap, rollingVwap, sessionVwap } from './vwap.js'

const utc = (...a: [number, number, number, number?, number?, number?]) => Date.UTC(...a)

describe('session VWAP (true VWAP from trades)', () => {
  it('restarts at UTC midnight by default; VWAP and volume-weighted σ by hand', () => {
    const v = createSessionVwap()
    expect(v.update({ price: 100, qty: 1, timestampMs: utc(2024, 7, 8, 23, 59, 59) })).toBe(100)
    expect(v.update({ price: 200, qty: 1, timestampMs: utc(2024, 7, 9) })).toBe(200)
    expect(v.update({ price: 110, qty: 3, timestampMs: utc(2024, 7, 9, 0, 0, 1) })).toBeCloseTo(132.5, 12)
    expect(v.stdDev).toBeCloseTo(Math.sqrt(1518.75), 10)
    expect(v.volume).toBe(4)
    expect(v.count).toBe(2)
    expect(v.sessionStartMs).toBe(utc(2024, 7, 9))
    expect(v.sessionEndMs).toBe(utc(2024, 7, 10))
  })
  it('zero-quantity trades do not make it ready', () => {
    const v = createSessionVwap()
    expect(v.update({ price: 100, qty: 0, timestampMs: 0 })).toBeNaN()
    expect(v.isReady).toBe(false)
  })
  it('IANA time zones, DST-aware (New York spring-forward day is 23 h; Seoul is UTC+9)', () => {
    const ny = createSessionVwap({ timeZone: 'America/New_York' })
    ny.update({ price: 1, qty: 1, timestampMs: utc(2024, 2, 10, 12) })
    expect(ny.sessionStartMs).toBe(utc(2024, 2, 10, 5))
    expect(ny.sessionEndMs).toBe(utc(2024, 2, 11, 4))
    const seoul = createSessionVwap({ timeZone: 'Asia/Seoul' })
    seoul.update({ price: 1, qty: 1, timestampMs: utc(2024, 7, 8, 23, 54) })
    expect(seoul.sessionStartMs).toBe(utc(2024, 7, 8, 15))
    // Chile skips local midnight on 2024-09-08 (00:00 → 01:00): the day starts at 01:00 −03 = 04:00Z
    const scl = createSessionVwap({ timeZone: 'America/Santiago' })
    scl.update({ price: 1, qty: 1, timestampMs: utc(2024, 8, 8, 12) })
    expect(scl.sessionStartMs).toBe(utc(2024, 8, 8, 4))
  })
  it('week (ISO, Monday) and month anchors, and a fixed anchor instant', () => {
    const w = createSessionVwap({ anchor: 'week' })
    w.update({ price: 1, qty: 1, timestampMs: utc(2024, 7, 8, 23, 54) }) // Thursday
    expect([w.sessionStartMs, w.sessionEndMs]).toEqual([utc(2024, 7, 5), utc(2024, 7, 12)])
    const m = createSessionVwap({ anchor: 'month' })
    m.update({ price: 1, qty: 1, timestampMs: utc(2024, 11, 31, 12) })
    expect([m.sessionStartMs, m.sessionEndMs]).toEqual([utc(2024, 11, 1), utc(2025, 0, 1)])
    const a = createSessionVwap({ anchor: { startMs: 1000 } })
    expect(a.update({ price: 50, qty: 1, timestampMs: 999 })).toBeNaN()
    expect(a.update({ price: 100, qty: 1, timestampMs: 1000 })).toBe(100)
    expect(a.update({ price: 200, qty: 1, timestampMs: 9e12 })).toBe(150)
  })
  it('rejects bad input', () => {
    expect(() => createSessionVwap({ timeZone: 'Mars/Olympus' })).toThrow(/time zone/)
    expect(() => createSessionVwap({ anchor: 'year' as never })).toThrow(/anchor/)
    const v = createSessionVwap()
    expect(() => v.update({ price: 0, qty: 1, timestampMs: 0 })).toThrow(/price/)
    expect(() => v.update({ price: 1, qty: -1, timestampMs: 0 })).toThrow(/qty/)
    v.update({ price: 1, qty: 1, timestampMs: utc(2024, 0, 2) })
    expect(() => v.update({ price: 1, qty: 1, timestampMs: utc(2024, 0, 1) })).toThrow(/session/)
  })
  it('matches a naive per-UTC-day Σpq/Σq on random tapes (property, 1,000 runs)', () => {
    const tape = fc.array(
      fc.record({ dt: fc.integer({ min: 0, max: 3 * 3_600_000 }), price: fc.double({ min: 1, max: 1e5, noNaN: true }), qty: fc.oneof(fc.constant(0), fc.double({ min: 1e-8, max: 10, noNaN: true })) }),
      { maxLength: 60 },
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), tape, (t0, trades) => {
        let t = t0
        const ts = trades.map((x) => (t += x.dt))
        const got = sessionVwap({ price: trades.map((x) => x.price), qty: trades.map((x) => x.qty), timestampMs: ts })
        for (let i = 0; i < trades.length; i++) {
          const day = Math.floor((ts[i] as number) / 86_400_000)
          let pq = 0
          let q = 0
          for (let j = 0; j <= i; j++) {
            if (Math.floor((ts[j] as number) / 86_400_000) !== day) continue
            pq += (trades[j]!.price) * trades[j]!.qty
            q += trades[j]!.qty
          }
          if (q === 0) expect(got[i]).toBeNaN()
          else expect(Math.abs((got[i] as number) - pq / q)).toBeLessThanOrEqual(1e-9 * (pq / q))
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe('rolling VWAP', () => {
  it('window by hand', () => {
    const out = rollingVwap({ price: [100, 110, 120], qty: [1, 1, 2], timestampMs: [0, 500, 1400], windowMs: 1000 })
    expect(Array.from(out)).toEqual([100, 105, (110 + 240) / 3])
    // a trade exactly windowMs old has left the window
    expect(rollingVwap({ price: [100, 200], qty: [1, 1], timestampMs: [0, 1000], windowMs: 1000 })[1]).toBe(200)
  })
  it('rejects out-of-order trades and bad windows', () => {
    const v = createRollingVwap({ windowMs: 10 })
    v.update({ price: 1, qty: 1, timestampMs: 5 })
    expect(() => v.update({ price: 1, qty: 1, timestampMs: 4 })).toThrow(/older/)
    expect(() => createRollingVwap({ windowMs: 0 })).toThrow(/windowMs/)
  })
  it('matches a naive window sum on random tapes incl. growth past 1,024 trades (property, 1,000 runs)', () => {
    const tape = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 50 }), price: fc.double({ min: 1, max: 1e5, noNaN: true }), qty: fc.oneof(fc.constant(0), fc.double({ min: 1e-8, max: 10, noNaN: true })) }), {
      maxLength: 1500,
    })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), tape, (windowMs, trades) => {
        let t = 0
        const ts = trades.map((x) => (t += x.dt))
        const v = createRollingVwap({ windowMs })
        let lo = 0
        for (let i = 0; i < trades.length; i++) {
          const got = v.update({ price: trades[i]!.price, qty: trades[i]!.qty, timestampMs: ts[i]! })
          while ((ts[lo] as number) <= (ts[i] as number) - windowMs) lo++
          let pq = 0
          let q = 0
          for (let j = lo; j <= i; j++) {
            pq += trades[j]!.price * trades[j]!.qty
            q += trades[j]!.qty
          }
          if (i % 37 !== 0 && i !== trades.length - 1) continue
          expect(v.count).toBe(i - lo + 1)
          if (q === 0) expect(v.volume).toBeLessThanOrEqual(1e-9)
          else if (q > 1e-6) expect(Math.abs(got - pq / q)).toBeLessThanOrEqual(1e-9 * (pq / q))
        }
      }),
      { numRuns: 1000 },
    )
  })
})
