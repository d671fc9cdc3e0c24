import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { DEFAULT_STAGE_BUNDLES, parseRiskConfig } from './config.js'

describe('parseRiskConfig', () => {
  it('fills in the seed defaults', () => {
    const c = parseRiskConfig()
    expect(c.timeZone).toBe('UTC')
    expect(c.guard.maxSlStreak).toBe(3)
    expect(c.guard.tradesPerDayTiers).toEqual([
      { minEquityUsd: 0, maxTradesPerDay: 5 },
      { minEquityUsd: 300, maxTradesPerDay: 10 },
    ])
    expect(c.emergency).toMatchObject({ haltDrop1mPct: -10, haltDrop5mPct: -20, maxLatencyMs: 5000, minEquityUsd: 80, calmMs: 300_000, cooldownAfterRecoveryMs: 1_800_000 })
    expect(c.stages.bundles).toEqual(DEFAULT_STAGE_BUNDLES)
    expect(c.stages.bundles.map((b) => [b.maxLossUsd, b.lossCapFraction, b.evMultipleK, b.atrPctThreshold, b.maxTradesPerDay, b.leverage, b.minLiquidationDistance])).toEqual([
      [10, 0.12, 2, 3, 5, 3, 0.3],
      [20, 0.08, 2.5, 4, 10, 3, 0.3],
      [30, 0.06, 3, 5, 10, 2, 0.2],
    ])
    expect(c.leverage).toEqual({ defaultLeverage: 3, reducedLeverage: 2, reduceAboveEquityUsd: 500 })
    expect(c.winRate).toMatchObject({ backtestMinWinRate: 0.55, softMinTrades: 10, hardMinTrades: 30, softMinWinRate: 0.4, hardMinWinRate: 0.45, windowTrades: 50 })
    expect(c.sizeMultiplier).toEqual({ lossStreak: 3, lossFactor: 0.5, floor: 0.25, winStreak: 3, winFactor: 1.5, cap: 1 })
    expect(c.makerFallback).toEqual({ timeoutsBeforeTaker: 3, minProfitToTakerFee: 5, maxTakerEntriesPerDay: 1, failureBlockMs: 3_600_000 })
    expect(c.feeSpike.ratio).toBe(1.5)
    expect(c.feeSpike.tightenMs).toBe(86_400_000)
  })

  it('keeps defaults for fields not overridden', () => {
    const c = parseRiskConfig({ timeZone: 'Asia/Seoul', guard: { maxDailyLossPct: 3 } })
    expect(c.timeZone).toBe('Asia/Seoul')
    expect(c.guard.maxDailyLossPct).toBe(3)
    expect(c.guard.maxSlStreak).toBe(3)
  })

  it('accepts a resolved config again (idempotent)', () => {
    const c = parseRiskConfig({ guard: { maxSlStreak: 4 } })
    expect(parseRiskConfig(c)).toEqual(c)
  })

  it.each([
    [{ guard: { maxSlStreak: 0 } }, 'guard.maxSlStreak'],
    [{ guard: { maxSlStreak: 2.5 } }, 'guard.maxSlStreak'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ emergency: { haltDrop1mPct: 10 } }, 'emergency.haltDrop1mPct'],
    [{ emergency: { maxLatencyMs: Number.NaN } }, 'emergency.maxLatencyMs'],
    [{ guard: { tradesPerDayTiers: [{ minEquityUsd: -1, maxTradesPerDay: 5 }] } }, 'guard.tradesPerDayTiers[0].minEquityUsd'],
    [{ stages: { bundles: [{ ...DEFAULT_STAGE_BUNDLES[0], minEquityUsd: 100 }] } }, 'stages.bundles[0].minEquityUsd'],
    [{ stages: { bundles: [DEFAULT_STAGE_BUNDLES[0], { ...DEFAULT_STAGE_BUNDLES[1], evMultipleK: -1 }] } }, 'stages.bundles[1].evMultipleK'],
    [{ stages: { bundles: [{ ...DEFAULT_STAGE_BUNDLES[0], minLiquidationDistance: 1.5 }] } }, 'stages.bundles[0].minLiquidationDistance'],
    [{ stages: { bundles: [(({ minLiquidationDistance: _, ...rest }) => rest)(DEFAULT_STAGE_BUNDLES[0]!)] } }, 'stages.bundles[0].minLiquidationDistance'],
    [{ guard: { maxSlStreek: 3 } }, 'guard'],
    [{ winRate: { softMinTrades: 30, hardMinTrades: 10 } }, 'winRate.hardMinTrades'],
  ])('rejects %j with InvalidInputError at %s', (input, path) => {
    try {
      parseRiskConfig(input)
      expect.unreachable('should throw')
    } catch (e) {
      expect(isPerpkitError(e, 'invalid-input')).toBe(true)
      expect((e as { path?: string }).path).toBe(path)
    }
  })
})
