import { createTestClock } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { venueProfile } from '@perpkit/sim'
import { budgetConfigOf, createRequestBudget, requestWeight } from './budget.js'

describe('request budget', () => {
  it('defaults from the port: Bybit 96/min (80 % of 120), Binance 1920 weight/min (80 % of 2400)', () => {
    const clock = createTestClock(0)
    const [bybit, binance] = [venueProfile('bybit-inverse').requestLimits, venueProfile('binance-usdm').requestLimits]
    expect(createRequestBudget({ clock, config: budgetConfigOf(bybit) }).cap).toBe(96)
    expect(createRequestBudget({ clock, config: budgetConfigOf(binance) }).cap).toBe(1920)
    expect(requestWeight({ limits: binance, method: 'fetchOpenOrders', allSymbols: true })).toBe(40)
    expect(requestWeight({ limits: binance, method: 'fetchOpenOrders' })).toBe(1)
    expect(requestWeight({ limits: binance, method: 'fetchPositions' })).toBe(5)
    expect(requestWeight({ limits: venueProfile('bybit-linear').requestLimits, method: 'fetchPositions' })).toBe(1)
  })

  it('a weight the port reports as a fraction or below 1 still counts at least 1', () => {
    const limits = { limit: 100, intervalMs: 1000, weights: { createOrder: 0, fetchFills: 2.5 } }
    expect(requestWeight({ limits, method: 'createOrder' })).toBe(1)
    expect(requestWeight({ limits, method: 'fetchFills' })).toBe(3)
    expect(requestWeight({ limits, method: 'fetchFills', allSymbols: true })).toBe(3)
  })

  it('refuses a cap above 80 % of the venue limit', () => {
    expect(() => createRequestBudget({ clock: createTestClock(0), config: { venueLimit: 100, windowMs: 1000, capPerWindow: 81 } })).toThrow(
      expect.objectContaining({ code: 'invalid-input', path: 'capPerWindow' }),
    )
  })

  it('reserves a share for protective requests', () => {
    const b = createRequestBudget({ clock: createTestClock(0), config: { venueLimit: 125, windowMs: 1000 }, protectiveReserve: 0.2 })
    expect(b.cap).toBe(100)
    for (let i = 0; i < 80; i++) expect(b.tryAcquire(1)).toBe(true)
    expect(b.tryAcquire(1)).toBe(false)
    expect(b.tryAcquire(1, 'protective')).toBe(true)
  })

  it('protective queries use half of the reserve at most: the rest is kept for protective orders', () => {
    const b = createRequestBudget({ clock: createTestClock(0), config: { venueLimit: 125, windowMs: 1000 }, protectiveReserve: 0.2 })
    for (let i = 0; i < 80; i++) expect(b.tryAcquire(1)).toBe(true)
    for (let i = 0; i < 10; i++) expect(b.tryAcquire(1, 'protective-query')).toBe(true)
    expect(b.tryAcquire(1, 'protective-query')).toBe(false)
    expect(b.waitMs(1, 'protective-query')).toBeGreaterThan(0)
    for (let i = 0; i < 10; i++) expect(b.tryAcquire(1, 'protective')).toBe(true)
    expect(b.tryAcquire(1, 'protective')).toBe(false)
  })

  it('the smallest reserve (one unit) goes to protective orders, none to queries', () => {
    const b = createRequestBudget({ clock: createTestClock(0), config: { venueLimit: 10, windowMs: 1000 }, protectiveReserve: 0.125 })
    expect(b.cap).toBe(8)
    for (let i = 0; i < 7; i++) expect(b.tryAcquire(1, 'protective-query')).toBe(true)
    expect(b.tryAcquire(1, 'protective-query')).toBe(false)
    expect(b.tryAcquire(1, 'protective')).toBe(true)
  })

  it('never lets more than cap weight into any window (property over random request streams)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 120 }), async (reqs) => {
        const clock = createTestClock(0)
        const b = createRequestBudget({ clock, config: { venueLimit: 12, windowMs: 1000 } })
        const taken: { at: number; w: number }[] = []
        for (const [gap, w] of reqs) {
          clock.advance(gap)
          if (b.tryAcquire(w)) taken.push({ at: clock.now(), w })
        }
        for (const t of taken) {
          const inWindow = taken.filter((x) => x.at > t.at - 1000 && x.at <= t.at).reduce((a, x) => a + x.w, 0)
          expect(inWindow).toBeLessThanOrEqual(b.cap)
        }
      }),
      { numRuns: 300, seed: 11 },
    )
  })

  it('acquire waits on the clock until the window frees up', async () => {
    const clock = createTestClock(0)
    const b = createRequestBudget({ clock, config: { venueLimit: 2.5, windowMs: 1000 } })
    expect(b.cap).toBe(2)
    await b.acquire(2)
    let done = false
    const p = b.acquire(1).then(() => (done = true))
    await clock.advanceAsync(999)
    expect(done).toBe(false)
    await clock.advanceAsync(10)
    await p
    expect(done).toBe(true)
  })
})
