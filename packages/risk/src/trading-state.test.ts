import { createTestClock } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RiskEvent } from './events.js'
import { createTradingState, type HoldId, modePermits, type TradingAction, type TradingMode } from './trading-state.js'

describe('trading state', () => {
  it.each([
    ['ACTIVE', ['entry', 'increase', 'reduce', 'cancel', 'protective-stop']],
    ['REDUCING', ['reduce', 'cancel', 'protective-stop']],
    ['HALTED', ['cancel', 'protective-stop']],
  ] as const)('%s permits exactly %j', (mode, allowed) => {
    const all: TradingAction[] = ['entry', 'increase', 'reduce', 'cancel', 'protective-stop']
    expect(all.filter((action) => modePermits({ mode, action }))).toEqual(allowed)
  })

  it('derives the mode from holds and emits transitions', () => {
    const clock = createTestClock(5)
    const ts = createTradingState({ clock })
    const events: RiskEvent[] = []
    ts.subscribe((e) => events.push(e))
    ts.place({ id: 'latency', level: 'reduce', reason: 'slow venue', liftableBy: 'auto' })
    expect(ts.mode()).toBe('REDUCING')
    ts.place({ id: 'emergency', level: 'halt', reason: '1m drop', liftableBy: 'auto' })
    expect(ts.mode()).toBe('HALTED')
    expect(ts.lift({ id: 'emergency', by: 'auto' }).ok).toBe(true)
    expect(ts.mode()).toBe('REDUCING')
    expect(ts.lift({ id: 'latency', by: 'auto' }).ok).toBe(true)
    expect(ts.mode()).toBe('ACTIVE')
    expect(events.map((e) => e.type)).toEqual([
      'reducing-entered',
      'mode-changed',
      'halt-entered',
      'mode-changed',
      'halt-lifted',
      'mode-changed',
      'reducing-lifted',
      'mode-changed',
    ])
  })

  it('manual holds refuse automatic lifts; escalation never downgrades', () => {
    const ts = createTradingState({ clock: createTestClock() })
    ts.place({ id: 'emergency', level: 'halt', reason: 'liquidation', liftableBy: 'manual' })
    ts.place({ id: 'emergency', level: 'reduce', reason: 'x', liftableBy: 'auto' })
    expect(ts.holds()[0]).toMatchObject({ level: 'halt', liftableBy: 'manual' })
    expect(ts.lift({ id: 'emergency', by: 'auto' })).toMatchObject({ ok: false, reason: 'manual-only' })
    expect(ts.lift({ id: 'breaker', by: 'manual' })).toMatchObject({ ok: false, reason: 'not-held' })
    expect(ts.lift({ id: 'emergency', by: 'manual' }).ok).toBe(true)
  })

  it('property: in HALTED no entry or increase is permitted, and automation never lifts a manual hold', () => {
    const ids: HoldId[] = ['emergency', 'latency', 'breaker', 'win-rate', 'final-criteria', 'manual']
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        id: fc.constantFrom(...ids),
        level: fc.constantFrom('halt' as const, 'reduce' as const),
        liftableBy: fc.constantFrom('manual' as const, 'auto' as const),
      }),
      fc.record({ kind: fc.constant('lift' as const), id: fc.constantFrom(...ids), by: fc.constant('auto' as const) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const ts = createTradingState({ clock: createTestClock() })
        const manual = new Set<HoldId>()
        for (const o of ops) {
          if (o.kind === 'place') {
            ts.place({ id: o.id, level: o.level, reason: 'r', liftableBy: o.liftableBy })
            if (o.liftableBy === 'manual') manual.add(o.id)
          } else {
            const r = ts.lift({ id: o.id, by: 'auto' })
            if (manual.has(o.id) && r.ok) return false
          }
          for (const id of manual) if (!ts.holds().some((h) => h.id === id && h.liftableBy === 'manual')) return false
          const mode: TradingMode = ts.mode()
          if (mode === 'HALTED' && (ts.permits('entry') || ts.permits('increase'))) return false
          if (!ts.permits('cancel') || !ts.permits('protective-stop')) return false
        }
        return true
      }),
      { numRuns: 1000 },
    )
  })

  it('snapshot / restore', () => {
    const clock = createTestClock(42)
    const ts = createTradingState({ clock })
    ts.place({ id: 'manual', level: 'halt', reason: 'operator', liftableBy: 'manual' })
    const copy = createTradingState({ clock })
    copy.restore(JSON.parse(JSON.stringify(ts.snapshot())))
    expect(copy.holds()).toEqual(ts.holds())
    expect(copy.mode()).toBe('HALTED')
    expect(() => copy.restore({ holds: [{ id: 'nope' }] })).toThrow(/trading state snapshot/)
  })
})
