import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_STAGE_BUNDLES, parseRiskConfig } from './config.js'
import type { RiskEvent } from './events.js'
import { createStageTracker, inverseEquityUsd, leverageFor, stageFor } from './stages.js'

const bundles = DEFAULT_STAGE_BUNDLES
const policy = parseRiskConfig().leverage

describe('stage determination (only at entry time)', () => {
  it.each([
    [0, 1],
    [100, 1],
    [299.99, 1],
    [300, 2],
    [699.99, 2],
    [700, 3],
    [1000, 3],
  ])('equity $%d -> stage %i', (equityUsd, stage) => {
    expect(stageFor({ equityUsd, bundles }).stage).toBe(stage)
  })

  it('inverse accounts: equity_btc x mark decides the stage', () => {
    // 0.005 BTC at $60,000 = $300 -> stage 2; the same BTC at $59,998 = $299.99 -> stage 1
    expect(stageFor({ equityUsd: inverseEquityUsd({ equityBtc: 0.005, markPriceUsd: 60_000 }), bundles }).stage).toBe(2)
    expect(stageFor({ equityUsd: inverseEquityUsd({ equityBtc: 0.005, markPriceUsd: 59_998 }), bundles }).stage).toBe(1)
    expect(() => inverseEquityUsd({ equityBtc: 0.005, markPriceUsd: 0 })).toThrow(/markPriceUsd/)
  })

  it('bundles are overridable through config', () => {
    const cfg = parseRiskConfig({ stages: { bundles: [{ ...bundles[0]!, evMultipleK: 2.2 }, { ...bundles[1]!, minEquityUsd: 400 }, bundles[2]!] } })
    expect(stageFor({ equityUsd: 350, bundles: cfg.stages.bundles })).toMatchObject({ stage: 1, evMultipleK: 2.2 })
  })
})

describe('leverage policy (3x default, 2x above $500 or in stage 3)', () => {
  it.each([
    [150, 0, undefined, 3],
    [500, 1, undefined, 3],
    [500.01, 1, undefined, 2],
    [700, 2, undefined, 2],
    [150, 0, 2, 2], // never increased above the current leverage
    [150, 0, 5, 3],
  ])('equity %d, stage index %i, current %s -> %ix', (equityUsd, i, currentLeverage, lev) => {
    expect(leverageFor({ equityUsd, bundle: bundles[i]!, policy, ...(currentLeverage === undefined ? {} : { currentLeverage }) })).toBe(lev)
  })
})

describe('anti-flap (> 2 stage changes within 1 h -> entries blocked 1 h)', () => {
  const MIN = 60_000
  function run(changeTimesMin: number[]) {
    const clock = createTestClock(0)
    const t = createStageTracker({ config: parseRiskConfig(), clock })
    const events: RiskEvent[] = []
    t.subscribe((e) => events.push(e))
    t.determine({ equityUsd: 299 })
    let high = false
    for (const m of changeTimesMin) {
      clock.advanceTo(m * MIN)
      high = !high
      t.determine({ equityUsd: high ? 300 : 299.99 })
    }
    return { t, clock, events }
  }

  it.each([
    [[10, 20], false],
    [[10, 20, 30], true], // the 3rd change within an hour blocks
    [[10, 20, 70.01], false], // the 1st change left the window before the 3rd
    [[0, 30, 59.99], true],
  ])('changes at minutes %j -> blocked=%s', (times, blocked) => {
    const { t } = run(times)
    expect(t.blockedUntilMs() !== null).toBe(blocked)
  })

  it('the block lasts exactly 1 h and is announced', () => {
    const { t, clock, events } = run([10, 20, 30])
    expect(t.blockedUntilMs()).toBe(90 * MIN)
    expect(events.filter((e) => e.type === 'stage-changed')).toHaveLength(4) // initial + 3
    expect(events.find((e) => e.type === 'stage-flap-blocked')).toMatchObject({ changesInWindow: 3, untilMs: 90 * MIN })
    clock.advanceTo(90 * MIN - 1)
    expect(t.blockedUntilMs()).toBe(90 * MIN)
    clock.advanceTo(90 * MIN)
    expect(t.blockedUntilMs()).toBeNull()
  })

  it('snapshot / restore keeps the window', () => {
    const { t, clock } = run([10, 20])
    const copy = createStageTracker({ config: parseRiskConfig(), clock })
    copy.restore(JSON.parse(JSON.stringify(t.snapshot())))
    clock.advanceTo(30 * MIN)
    expect(copy.determine({ equityUsd: 300 }).blockedUntilMs).toBe(90 * MIN)
  })
})
