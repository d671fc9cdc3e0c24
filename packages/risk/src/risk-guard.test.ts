import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import type { RiskEvent } from './events.js'
import { createRiskGuard, maxTradesPerDayFor } from './risk-guard.js'

const T0 = Date.UTC(2025, 2, 10, 3, 0, 0) // 2025-03-10 03:00 UTC = 12:00 in Seoul

function setup(input: Parameters<typeof parseRiskConfig>[0] = {}, start = T0) {
  const clock = createTestClock(start)
  const guard = createRiskGuard({ config: parseRiskConfig(input), clock })
  const events: RiskEvent[] = []
  guard.subscribe((e) => events.push(e))
  return { clock, guard, events }
}

describe('RiskGuard: stop-loss streak', () => {
  it.each([
    [1, true],
    [2, true],
    [3, false],
    [4, false],
  ])('%i consecutive stop-losses -> allowed=%s', (n, allowed) => {
    const { guard } = setup({ guard: { maxDailyLossPct: 100 } })
    guard.updateEquity({ equityUsd: 1000 })
    for (let i = 0; i < n; i++) guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    const v = guard.canOpenPosition()
    expect(v.ok).toBe(allowed)
    if (!v.ok) expect(v.reason).toBe('sl-streak')
  })

  it('a non-stop-loss exit breaks the streak', () => {
    const { guard } = setup()
    guard.updateEquity({ equityUsd: 1000 })
    guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    guard.recordExit({ pnlUsd: 2, exitKind: 'take-profit' })
    guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    expect(guard.status().slStreak).toBe(1)
    expect(guard.canOpenPosition().ok).toBe(true)
  })

  it('emits guard-blocked once when the streak limit is reached, and resetSlStreak clears it', () => {
    const { guard, events } = setup()
    guard.updateEquity({ equityUsd: 1000 })
    for (let i = 0; i < 4; i++) guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    expect(events.filter((e) => e.type === 'guard-blocked')).toHaveLength(1)
    guard.resetSlStreak()
    expect(guard.canOpenPosition().ok).toBe(true)
  })

  it('with slStreakResetsDaily=false the streak survives midnight', () => {
    const { guard, clock } = setup({ guard: { slStreakResetsDaily: false } })
    guard.updateEquity({ equityUsd: 1000 })
    for (let i = 0; i < 3; i++) guard.recordExit({ pnlUsd: -1, exitKind: 'stop-loss' })
    clock.advance(86_400_000)
    expect(guard.canOpenPosition()).toMatchObject({ ok: false, reason: 'sl-streak' })
  })
})

describe('RiskGuard: daily loss limit', () => {
  it.each([
    [-49.99, true],
    [-50, false],
    [-60, false],
  ])('realized %d USD on 1000 start equity with a 5 %% limit -> allowed=%s', (pnl, allowed) => {
    const { guard } = setup({ guard: { maxDailyLossPct: 5 } })
    guard.updateEquity({ equityUsd: 1000 })
    guard.recordExit({ pnlUsd: pnl, exitKind: 'manual' })
    expect(guard.canOpenPosition().ok).toBe(allowed)
  })

  it('counts unrealized PnL only when configured', () => {
    for (const include of [false, true]) {
      const { guard } = setup({ guard: { maxDailyLossPct: 5, includeUnrealizedPnl: include } })
      guard.updateEquity({ equityUsd: 1000 })
      guard.recordExit({ pnlUsd: -30, exitKind: 'manual' })
      guard.updateEquity({ equityUsd: 950, unrealizedPnlUsd: -20 })
      expect(guard.canOpenPosition().ok).toBe(!include)
    }
  })

  it('honours an absolute USD limit as well', () => {
    const { guard } = setup({ guard: { maxDailyLossPct: 50, maxDailyLossUsd: 25 } })
    guard.updateEquity({ equityUsd: 1000 })
    guard.recordExit({ pnlUsd: -24.99, exitKind: 'manual' })
    expect(guard.canOpenPosition().ok).toBe(true)
    guard.recordExit({ pnlUsd: -0.01, exitKind: 'manual' })
    expect(guard.canOpenPosition()).toMatchObject({ ok: false, reason: 'daily-loss-limit' })
  })

  it('is fail-closed without equity', () => {
    const { guard } = setup()
    expect(guard.canOpenPosition()).toMatchObject({ ok: false, reason: 'missing-equity' })
  })

  it('throws InvalidInputError on NaN PnL', () => {
    const { guard } = setup()
    expect(() => guard.recordExit({ pnlUsd: Number.NaN, exitKind: 'manual' })).toThrow(/pnlUsd/)
  })
})

describe('RiskGuard: calendar day in the configured time zone', () => {
  // Asia/Seoul is UTC+9 without DST: local midnight of 2025-03-11 is 2025-03-10T15:00:00Z.
  const seoulMidnight = Date.UTC(2025, 2, 10, 15, 0, 0)
  it.each([
    ['Asia/Seoul', seoulMidnight - 1, false],
    ['Asia/Seoul', seoulMidnight, true],
    ['UTC', seoulMidnight, false],
    ['UTC', Date.UTC(2025, 2, 11, 0, 0, 0) - 1, false],
    ['UTC', Date.UTC(2025, 2, 11, 0, 0, 0), true],
  ])('in %s at %i the day has rolled: %s', (timeZone, atMs, rolled) => {
    const { guard, clock, events } = setup({ timeZone, guard: { maxDailyLossPct: 5 } })
    guard.updateEquity({ equityUsd: 1000 })
    guard.recordExit({ pnlUsd: -60, exitKind: 'stop-loss' })
    for (let i = 0; i < 5; i++) guard.recordEntry()
    expect(guard.canOpenPosition().ok).toBe(false)
    clock.advanceTo(atMs)
    const v = guard.canOpenPosition()
    expect(v.ok).toBe(rolled)
    expect(events.some((e) => e.type === 'day-rolled')).toBe(rolled)
    if (rolled) {
      // the new day starts from the latest equity and a clean count
      expect(guard.status()).toMatchObject({ tradesToday: 0, realizedPnlTodayUsd: 0, startOfDayEquityUsd: 1000, slStreak: 0 })
    }
  })
})

describe('RiskGuard: trades per day by balance', () => {
  it.each([
    [299.99, 5],
    [300, 10],
    [700, 10],
  ])('equity %d -> cap %i', (equityUsd, cap) => {
    const { guard } = setup({ guard: { maxDailyLossPct: 100 } })
    guard.updateEquity({ equityUsd })
    for (let i = 0; i < cap - 1; i++) guard.recordEntry()
    expect(guard.canOpenPosition().ok).toBe(true)
    guard.recordEntry()
    expect(guard.canOpenPosition()).toMatchObject({ ok: false, reason: 'trades-per-day' })
  })

  it('maxTradesPerDayFor picks the highest matching tier regardless of order', () => {
    const tiers = [
      { minEquityUsd: 300, maxTradesPerDay: 10 },
      { minEquityUsd: 0, maxTradesPerDay: 5 },
    ]
    expect(maxTradesPerDayFor({ equityUsd: 0, tiers })).toBe(5)
    expect(maxTradesPerDayFor({ equityUsd: 300, tiers })).toBe(10)
  })

  it('reports every denial at once', () => {
    const { guard } = setup()
    guard.updateEquity({ equityUsd: 100 })
    for (let i = 0; i < 5; i++) guard.recordEntry()
    for (let i = 0; i < 3; i++) guard.recordExit({ pnlUsd: -3, exitKind: 'stop-loss' })
    const v = guard.canOpenPosition()
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.details.denials.map((d) => d.reason)).toEqual(['sl-streak', 'daily-loss-limit', 'trades-per-day'])
  })
})

describe('RiskGuard: snapshot / restore', () => {
  it('round-trips through JSON', () => {
    const { guard, clock } = setup()
    guard.updateEquity({ equityUsd: 500 })
    guard.recordEntry()
    guard.recordExit({ pnlUsd: -4, exitKind: 'stop-loss' })
    const json = JSON.parse(JSON.stringify(guard.snapshot())) as unknown
    const other = createRiskGuard({ config: parseRiskConfig(), clock })
    other.restore(json)
    expect(other.status()).toEqual(guard.status())
  })

  it('rejects a corrupt snapshot', () => {
    const { guard } = setup()
    expect(() => guard.restore({ dayKey: 'x' })).toThrow(/risk guard snapshot/)
  })
})
