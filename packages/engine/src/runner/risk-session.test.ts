import { createTestClock } from '@perpkit/core'
import { parseRiskConfig } from '@perpkit/risk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRiskSession } from './risk-session.js'

const obs = (timestampMs: number, equityUsd: number) => ({ timestampMs, change1mPct: null, change5mPct: null, equityUsd })
const guardDayKey = (snap: { readonly guard: unknown }): unknown => (snap.guard as { dayKey: unknown }).dayKey

describe('createRiskSession: guard day roll with unchanged equity', () => {
  it('UTC: the guard rolls at the first bar of the new day', () => {
    const t0 = Date.UTC(2025, 0, 1, 23, 55)
    const clock = createTestClock(t0)
    const risk = createRiskSession({ config: parseRiskConfig({ profile: 'general' }), clock })
    risk.observe(obs(t0, 1000))
    expect(guardDayKey(risk.engine.snapshot())).toBe('2025-01-01')
    clock.advanceTo(t0 + 5 * 60_000) // 00:00 next day
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.engine.snapshot())).toBe('2025-01-02')
    clock.advanceTo(t0 + 10 * 60_000)
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.engine.snapshot())).toBe('2025-01-02')
  })
  it('other zones: the guard is refreshed at least hourly', () => {
    // 15:00 UTC is 00:00 in Seoul (UTC+9)
    const t0 = Date.UTC(2025, 0, 1, 14, 0)
    const clock = createTestClock(t0)
    const risk = createRiskSession({ config: parseRiskConfig({ profile: 'general', timeZone: 'Asia/Seoul' }), clock })
    risk.observe(obs(t0, 1000))
    expect(guardDayKey(risk.engine.snapshot())).toBe('2025-01-01')
    clock.advanceTo(t0 + 3_600_000)
    risk.observe(obs(clock.now(), 1000))
    expect(guardDayKey(risk.engine.snapshot())).toBe('2025-01-02')
  })
})

describe('createRiskSession: deferred guard equity (nextObservationMs) is invisible', () => {
  type Step =
    | { readonly kind: 'bar'; readonly gapMs: number; readonly equity: number }
    | { readonly kind: 'entry' }
    | { readonly kind: 'exit'; readonly pnlUsd: number; readonly stop: boolean }
    | { readonly kind: 'decide'; readonly entry: boolean }
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('bar' as const), gapMs: fc.constantFrom(300_000, 300_000, 3_600_000, 4 * 3_600_000, 86_400_000, 3 * 86_400_000), equity: fc.constantFrom(100, 250, 299.5, 300, 301, 450, 1000, 80) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'entry' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('exit' as const), pnlUsd: fc.constantFrom(-40, -5, 0, 12), stop: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('decide' as const), entry: fc.boolean() }) },
  )

  /** Drive one session like the runner does; `hints` passes the next bar's close as `nextObservationMs`. */
  function drive(steps: readonly Step[], hints: boolean, timeZone: string): unknown {
    const t0 = Date.UTC(2025, 0, 1, 21, 0)
    const clock = createTestClock(t0)
    const risk = createRiskSession({ config: parseRiskConfig({ profile: 'general', timeZone }), clock })
    const events: unknown[] = []
    risk.subscribe((e) => events.push(e))
    const decisions: unknown[] = []
    risk.updateEquity(1000)
    // bar close times: the observation of step k happens at closes[k]
    const closes: number[] = []
    let t = t0
    for (const s of steps) if (s.kind === 'bar') closes.push((t += s.gapMs))
    let bar = 0
    let seq = 0
    let lastEquity = 1000
    for (const s of steps) {
      if (s.kind === 'bar') {
        clock.advanceTo(closes[bar] as number)
        const next = closes[bar + 1]
        const obs = { timestampMs: clock.now(), change1mPct: null, change5mPct: 0.1, equityUsd: s.equity, latencyMs: 0 }
        risk.observe(hints ? { ...obs, nextObservationMs: next ?? null } : obs)
        lastEquity = s.equity
        bar++
      } else if (s.kind === 'entry') {
        const d = risk.decide(
          { signalId: `e${seq++}`, symbol: 'BTC/USDT:USDT', kind: 'entry', side: 'long', confidence: 1, strategy: 'p', createdAtMs: clock.now() },
          { equityUsd: lastEquity, dataTimeMs: clock.now(), openPositionSide: null },
        )
        decisions.push(d)
        risk.recordEntry(d)
      } else if (s.kind === 'exit') risk.recordExit({ symbol: 'BTC/USDT:USDT', pnlUsd: s.pnlUsd, exitKind: s.stop ? 'stop-loss' : 'other' })
      else {
        const d = risk.decide(
          { signalId: `s${seq++}`, symbol: 'BTC/USDT:USDT', kind: s.entry ? 'entry' : 'exit', side: 'long', confidence: 1, strategy: 'p', createdAtMs: clock.now() },
          { equityUsd: lastEquity, dataTimeMs: clock.now(), openPositionSide: s.entry ? null : 'long' },
        )
        decisions.push(d)
      }
    }
    return { events, decisions, snapshot: risk.engine.snapshot(), halts: risk.halts() }
  }

  it('events, signed decisions and the final state equal those of updating the guard on every change (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), fc.constantFrom('UTC', 'Asia/Seoul'), (steps, zone) => {
        expect(drive(steps, true, zone)).toStrictEqual(drive(steps, false, zone))
      }),
      { numRuns: 300 },
    )
  })
})
