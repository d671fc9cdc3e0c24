import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createCircuitBreaker } from './circuit-breaker.js'
import { parseRiskConfig, type RiskConfigInput } from './config.js'
import type { RiskEvent } from './events.js'

function setup(breaker: RiskConfigInput['breaker'] = {}) {
  const clock = createTestClock(1_000_000)
  const b = createCircuitBreaker({ config: parseRiskConfig({ breaker }), clock })
  const events: RiskEvent[] = []
  b.subscribe((e) => events.push(e))
  return { clock, b, events }
}

describe('circuit breaker (002)', () => {
  it.each([
    ['loss', { maxLossUsd: 30, maxTrades: 100, maxConsecutiveLosses: 100 }, [-10, 5, -10, -14.99], [-0.01]],
    ['trade-count', { maxLossUsd: 1000, maxTrades: 4, maxConsecutiveLosses: 100 }, [1, 1, 1], [1]],
    ['consecutive-losses', { maxLossUsd: 1000, maxTrades: 100, maxConsecutiveLosses: 3 }, [-1, -1, 2, -1, -1], [-1]],
  ] as const)('trips on %s exactly at the limit', (trigger, cfg, before, last) => {
    const { b, events } = setup(cfg)
    for (const p of before) b.recordTrade({ pnlUsd: p })
    expect(b.isOpen()).toBe(false)
    for (const p of last) b.recordTrade({ pnlUsd: p })
    expect(b.isOpen()).toBe(true)
    expect(b.currentTrip()?.trigger).toBe(trigger)
    expect(events.filter((e) => e.type === 'breaker-tripped')).toHaveLength(1)
  })

  it('loss and trade count use a rolling window', () => {
    const { b, clock } = setup({ maxLossUsd: 10, windowMs: 3_600_000, maxConsecutiveLosses: 100 })
    b.recordTrade({ pnlUsd: -6 })
    clock.advance(3_600_000)
    b.recordTrade({ pnlUsd: -6 })
    expect(b.isOpen()).toBe(false)
  })

  it.each([
    ['health-check', 'binance ping failed'],
    ['reconciliation', 'orphan position BTC/USDT:USDT'],
  ] as const)('external trip from %s needs a manual reset even in timed mode', (trigger, detail) => {
    const { b, clock } = setup({ resetMode: 'timed', resetAfterMs: 60_000 })
    b.trip({ trigger, detail })
    clock.advance(10 * 60_000)
    expect(b.isOpen()).toBe(true)
    expect(b.currentTrip()).toMatchObject({ trigger, detail, resetAtMs: null })
    expect(b.reset().ok).toBe(true)
    expect(b.isOpen()).toBe(false)
  })

  it('timed reset closes the breaker at resetAfterMs, not before', () => {
    const { b, clock, events } = setup({ resetMode: 'timed', resetAfterMs: 60_000, maxConsecutiveLosses: 1 })
    b.recordTrade({ pnlUsd: -1 })
    clock.advance(59_999)
    expect(b.isOpen()).toBe(true)
    clock.advance(1)
    expect(b.isOpen()).toBe(false)
    expect(events.map((e) => e.type)).toEqual(['breaker-tripped', 'breaker-reset'])
    expect(events[1]).toMatchObject({ by: 'timer' })
  })

  it('an external manual-only trip escalates an open timed trip', () => {
    const { b, clock } = setup({ resetMode: 'timed', resetAfterMs: 60_000, maxConsecutiveLosses: 1 })
    b.recordTrade({ pnlUsd: -1 })
    b.trip({ trigger: 'reconciliation', detail: 'orphan' })
    clock.advance(120_000)
    expect(b.isOpen()).toBe(true)
  })

  it('manual mode: stays open until reset; reset clears the counters', () => {
    const { b, clock } = setup({ maxConsecutiveLosses: 2 })
    b.recordTrade({ pnlUsd: -1 })
    b.recordTrade({ pnlUsd: -1 })
    clock.advance(365 * 86_400_000)
    expect(b.isOpen()).toBe(true)
    expect(b.reset().ok).toBe(true)
    b.recordTrade({ pnlUsd: -1 })
    expect(b.isOpen()).toBe(false)
    expect(b.reset()).toMatchObject({ ok: false, reason: 'not-open' })
  })

  it('snapshot / restore keeps the trip', () => {
    const { b, clock } = setup()
    b.trip({ trigger: 'health-check', detail: 'x' })
    const other = createCircuitBreaker({ config: parseRiskConfig(), clock })
    other.restore(JSON.parse(JSON.stringify(b.snapshot())))
    expect(other.currentTrip()).toEqual(b.currentTrip())
    expect(() => other.restore({ trip: null })).toThrow(/snapshot/)
  })

  it('restores a snapshot written before the rename (trades stamped `timeMs`) and keeps its trades in the window', () => {
    const { b, clock } = setup({ maxLossUsd: 30, maxTrades: 100, maxConsecutiveLosses: 100 })
    b.restore({ trip: null, trades: [{ timeMs: clock.now() - 1_000, pnlUsd: -29.99 }], consecutiveLosses: 1 })
    expect(b.snapshot()).toMatchObject({ trades: [{ timestampMs: clock.now() - 1_000, pnlUsd: -29.99 }] })
    b.recordTrade({ pnlUsd: -0.01 })
    expect(b.currentTrip()?.trigger).toBe('loss')
  })
})
