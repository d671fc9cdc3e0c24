import { createTestClock } from '@perpkit/core'
import { parseRiskConfig } from '@perpkit/risk'
import { describe, expect, it } from 'vitest'
import { createRiskChamber } from './risk-chamber.js'

const obs = (timeMs: number, equityUsd: number) => ({ timeMs, change1mPct: null, change5mPct: null, equityUsd })
const guardDayKey = (snap: Readonly<Record<string, unknown>>): unknown => (snap.guard as { dayKey: unknown }).dayKey

describe('createRiskChamber: guard day roll with unchanged equity', () => {
  it('UTC: the guard rolls at the first bar of the new day', () => {
    const t0 = Date.UTC(2025, 0, 1, 23, 55)
    const clock = createTestClock(t0)
    const risk = createRiskChamber({ config: parseRiskConfig({}), clock })
    risk.observe(obs(t0, 1000))
    expect(guardDayKey(risk.snapshot())).toBe('2025-01-01')
    clock.advanceTo(t0 + 5 * 60_000) // 00:00 next day
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.snapshot())).toBe('2025-01-02')
    clock.advanceTo(t0 + 10 * 60_000)
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.snapshot())).toBe('2025-01-02')
  })
  it('other zones: the guard is refreshed at least hourly', () => {
    // 15:00 UTC is 00:00 in Seoul (UTC+9)
    const t0 = Date.UTC(2025, 0, 1, 14, 0)
    const clock = createTestClock(t0)
    const risk = createRiskChamber({ config: parseRiskConfig({ timeZone: 'Asia/Seoul' }), clock })
    risk.observe(obs(t0, 1000))
    expect(guardDayKey(risk.snapshot())).toBe('2025-01-01')
    clock.advanceTo(t0 + 3_600_000)
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.snapshot())).toBe('2025-01-02')
  })
})
