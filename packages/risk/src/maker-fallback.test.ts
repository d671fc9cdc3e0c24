import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import type { RiskEvent } from './events.js'
import { createMakerFallback } from './maker-fallback.js'

function setup(start = Date.UTC(2025, 3, 1, 10)) {
  const clock = createTestClock(start)
  const mf = createMakerFallback({ config: parseRiskConfig(), clock })
  const events: RiskEvent[] = []
  mf.subscribe((e) => events.push(e))
  return { clock, mf, events }
}
// 100 contracts at the taker rate 0.06 % -> taker fee $0.06; 5 x = $0.30
const fee = 0.06

describe('maker timeout fallback (one taker attempt after 3 maker timeouts)', () => {
  it.each([
    [2, 0.3, 'not-enough-timeouts'],
    [3, 0.29, 'insufficient-edge'],
    [3, 0.3, null],
  ] as const)('%i timeouts, expected profit %d -> %s', (timeouts, expectedProfitUsd, refusal) => {
    const { mf } = setup()
    for (let i = 0; i < timeouts; i++) mf.recordMakerTimeout({ signalId: 's1' })
    const r = mf.requestTaker({ signalId: 's1', expectedProfitUsd, takerFeeUsd: fee })
    if (refusal === null) expect(r.ok).toBe(true)
    else expect(r).toMatchObject({ ok: false, reason: refusal })
  })

  it('timeouts must be for the same signal', () => {
    const { mf } = setup()
    mf.recordMakerTimeout({ signalId: 's1' })
    mf.recordMakerTimeout({ signalId: 's1' })
    expect(mf.recordMakerTimeout({ signalId: 's2' })).toBe(1)
    expect(mf.requestTaker({ signalId: 's2', expectedProfitUsd: 1, takerFeeUsd: fee })).toMatchObject({ reason: 'not-enough-timeouts' })
  })

  it('at most one taker entry per day; the count resets at midnight', () => {
    const { mf, clock } = setup()
    for (let i = 0; i < 3; i++) mf.recordMakerTimeout({ signalId: 'a' })
    expect(mf.requestTaker({ signalId: 'a', expectedProfitUsd: 1, takerFeeUsd: fee }).ok).toBe(true)
    mf.recordTakerResult({ signalId: 'a', failed: false })
    for (let i = 0; i < 3; i++) mf.recordMakerTimeout({ signalId: 'b' })
    expect(mf.requestTaker({ signalId: 'b', expectedProfitUsd: 1, takerFeeUsd: fee })).toMatchObject({ reason: 'daily-limit' })
    clock.advanceTo(Date.UTC(2025, 3, 2))
    expect(mf.requestTaker({ signalId: 'b', expectedProfitUsd: 1, takerFeeUsd: fee }).ok).toBe(true)
  })

  it('a failed taker entry blocks entries for 1 h', () => {
    const { mf, clock, events } = setup()
    for (let i = 0; i < 3; i++) mf.recordMakerTimeout({ signalId: 'a' })
    mf.requestTaker({ signalId: 'a', expectedProfitUsd: 1, takerFeeUsd: fee })
    const t = clock.now()
    mf.recordTakerResult({ signalId: 'a', failed: true })
    expect(mf.blockedUntilMs()).toBe(t + 3_600_000)
    expect(events.map((e) => e.type)).toEqual(['taker-fallback-granted', 'taker-fallback-failed', 'cooldown-started'])
    clock.advance(3_600_000)
    expect(mf.blockedUntilMs()).toBeNull()
  })
})
