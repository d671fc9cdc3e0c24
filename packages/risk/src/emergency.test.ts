import { createTestClock } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import { createEmergencyMonitor, type EmergencyObservation } from './emergency.js'
import type { RiskEvent } from './events.js'
import { priceChangePct } from './price-change.js'

const MIN = 60_000
const calm: EmergencyObservation = { priceChange1mPct: -1, priceChange5mPct: -2, latencyMs: 200, equityUsd: 500 }

function setup() {
  const clock = createTestClock(Date.UTC(2025, 5, 1))
  const em = createEmergencyMonitor({ config: parseRiskConfig(), clock })
  const events: RiskEvent[] = []
  em.subscribe((e) => events.push(e))
  return { clock, em, events }
}

describe('emergency triggers (checked before any signal)', () => {
  it.each([
    [{ priceChange1mPct: -9.99 }, false],
    [{ priceChange1mPct: -10 }, true],
    [{ priceChange1mPct: -15 }, true],
    [{ priceChange5mPct: -19.99 }, false],
    [{ priceChange5mPct: -20 }, true],
    [{ equityUsd: 0 }, true],
    [{ equityUsd: -5 }, true],
    [{ equityUsd: null }, true],
    [{ equityUsd: 79.99 }, true],
    [{ equityUsd: 80 }, false],
    [{ latencyMs: 4999 }, false],
    [{ latencyMs: 5000 }, false],
  ])('%j -> HALT=%s', (patch, halted) => {
    const { em } = setup()
    expect(em.observe({ ...calm, ...patch }).halted).toBe(halted)
  })

  it('a -10 % drop computed from prices 100 -> 90 halts; 100 -> 90.01 does not', () => {
    expect(setup().em.observe({ ...calm, priceChange1mPct: priceChangePct({ fromPrice: 100, toPrice: 90 }) }).halted).toBe(true)
    expect(setup().em.observe({ ...calm, priceChange1mPct: priceChangePct({ fromPrice: 100, toPrice: 90.01 }) }).halted).toBe(false)
  })

  it.each([
    [4999, false],
    [5000, true],
    [null, true],
  ])('latency %s ms -> block entries + cancel pending entries: %s', (latencyMs, blocked) => {
    const { em, events } = setup()
    const a = em.observe({ ...calm, latencyMs })
    expect(a.blockEntries).toBe(blocked)
    expect(a.cancelPendingEntries).toBe(blocked)
    expect(a.halted).toBe(false)
    expect(events.some((e) => e.type === 'cancel-pending-entries')).toBe(blocked)
  })

  it('latency block lifts when latency recovers; cancel is requested once per episode', () => {
    const { em, clock } = setup()
    expect(em.observe({ ...calm, latencyMs: 6000 }).cancelPendingEntries).toBe(true)
    clock.advance(1000)
    const again = em.observe({ ...calm, latencyMs: 7000 })
    expect(again.cancelPendingEntries).toBe(false)
    expect(again.blockEntries).toBe(true)
    clock.advance(1000)
    expect(em.observe(calm).blockEntries).toBe(false)
  })

  it('rejects NaN input with a typed error', () => {
    expect(() => setup().em.observe({ ...calm, priceChange1mPct: Number.NaN })).toThrow(/priceChange1mPct/)
  })
})

describe('emergency recovery', () => {
  function haltThenCalm(calmMinutes: number) {
    const s = setup()
    s.em.observe({ ...calm, priceChange1mPct: -12 })
    for (let m = 1; m <= calmMinutes + 1; m++) {
      s.clock.advance(MIN)
      s.em.observe(calm)
    }
    return s
  }

  it.each([
    // observations every minute after the halt; the first calm observation starts the streak
    [4, true], // calm from t+1m to t+5m: 4 minutes elapsed -> still halted
    [5, false], // calm streak reaches exactly 5 minutes -> lifted
  ])('after %i calm minutes halted=%s', (minutes, halted) => {
    const { em } = haltThenCalm(minutes)
    expect(em.current() !== null).toBe(halted)
  })

  it('exactly 5 calm minutes: lifted at the observation 5:00 after the streak began, not at 4:59.999', () => {
    const { em, clock, events } = setup()
    em.observe({ ...calm, priceChange5mPct: -25 })
    clock.advance(MIN)
    const start = clock.now()
    em.observe(calm)
    for (let i = 1; i < 5; i++) {
      clock.advanceTo(start + i * MIN)
      em.observe(calm)
    }
    clock.advanceTo(start + 5 * MIN - 1)
    expect(em.observe(calm).halted).toBe(true)
    clock.advanceTo(start + 5 * MIN)
    const a = em.observe(calm)
    expect(a.halted).toBe(false)
    expect(a.recovered).toBe(true)
    expect(a.cooldownUntilMs).toBe(start + 5 * MIN + 30 * MIN)
    expect(events.filter((e) => e.type === 'cooldown-started')).toEqual([
      { type: 'cooldown-started', timestampMs: start + 5 * MIN, reason: 'emergency-recovery', untilMs: start + 35 * MIN },
    ])
    // entries stay blocked by the 30-minute cooldown
    expect(em.entryBlockers()).toEqual(['cooldown'])
    clock.advanceTo(start + 35 * MIN - 1)
    expect(em.entryBlockers()).toEqual(['cooldown'])
    clock.advanceTo(start + 35 * MIN)
    expect(em.entryBlockers()).toEqual([])
  })

  it.each([
    ['1m at -5 % is not calm', { priceChange1mPct: -5 }],
    ['5m at -10 % is not calm', { priceChange5mPct: -10 }],
    ['unknown 1m change is not calm', { priceChange1mPct: null }],
  ])('%s: the streak restarts', (_label, patch) => {
    const { em, clock } = setup()
    em.observe({ ...calm, priceChange1mPct: -11 })
    for (let m = 1; m <= 4; m++) {
      clock.advance(MIN)
      em.observe(calm)
    }
    clock.advance(MIN)
    em.observe({ ...calm, ...patch })
    for (let m = 6; m <= 10; m++) {
      clock.advance(MIN)
      expect(em.observe(calm).halted).toBe(true) // new streak began at minute 6: 4 min at minute 10
    }
    clock.advance(MIN)
    expect(em.observe(calm).halted).toBe(false) // minute 11: 5 calm minutes
  })

  it('a gap longer than maxObservationGapMs restarts the calm streak', () => {
    const { em, clock } = setup()
    em.observe({ ...calm, priceChange1mPct: -11 })
    clock.advance(MIN)
    em.observe(calm)
    clock.advance(5 * MIN) // no observations for 5 minutes: not known to be calm
    expect(em.observe(calm).halted).toBe(true)
    for (let m = 1; m <= 5; m++) {
      clock.advance(MIN)
      em.observe(calm)
    }
    expect(em.current()).toBeNull()
  })

  it.each([
    ['liquidation warning', 'warning'],
    ['liquidation event', 'event'],
  ] as const)('%s -> manual-only HALT', (_l, kind) => {
    const { em, clock } = setup()
    em.recordLiquidation({ kind })
    for (let m = 0; m < 120; m++) {
      clock.advance(MIN)
      em.observe(calm)
    }
    expect(em.current()?.manualOnly).toBe(true)
    expect(em.liftManually().ok).toBe(true)
    expect(em.current()).toBeNull()
  })

  it('equity < $80 escalates an automatic HALT to manual-only', () => {
    const { em, clock } = setup()
    em.observe({ ...calm, priceChange1mPct: -12 })
    expect(em.current()?.manualOnly).toBe(false)
    clock.advance(MIN)
    em.observe({ ...calm, equityUsd: 70 })
    expect(em.current()?.manualOnly).toBe(true)
    expect(em.current()?.triggers).toEqual(['price-drop-1m', 'balance-below-floor'])
  })

  it('property: a manual-only HALT is never lifted automatically', () => {
    const obs = fc.record({
      priceChange1mPct: fc.option(fc.double({ min: -30, max: 30, noNaN: true }), { nil: null }),
      priceChange5mPct: fc.option(fc.double({ min: -40, max: 40, noNaN: true }), { nil: null }),
      latencyMs: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
      equityUsd: fc.option(fc.double({ min: -10, max: 5000, noNaN: true }), { nil: null }),
    })
    fc.assert(
      fc.property(
        fc.constantFrom('warning' as const, 'event' as const, 'floor' as const),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10 * MIN }), obs), { maxLength: 60 }),
        (cause, steps) => {
          const { em, clock } = setup()
          if (cause === 'floor') em.observe({ ...calm, equityUsd: 50 })
          else em.recordLiquidation({ kind: cause })
          for (const [dt, o] of steps) {
            clock.advance(dt)
            em.observe(o)
            if (em.current() === null || !em.current()?.manualOnly) return false
          }
          // a restored copy keeps it manual-only too
          const copy = createEmergencyMonitor({ config: parseRiskConfig(), clock })
          copy.restore(JSON.parse(JSON.stringify(em.snapshot())))
          return copy.current()?.manualOnly === true
        },
      ),
      { numRuns: 1000 },
    )
  })
})
