import { venueProfile } from '@perpkit/sim'
import { describe, expect, it } from 'vitest'
import { defaultOmsConfig, resolveOmsConfig } from './config.js'

const bybit = venueProfile('bybit-inverse').requestLimits

describe('config', () => {
  it('defaults: mark trigger, limit TP, maker-only, 3 stop attempts, 20 % / 2 s debounce, 60 s DEGRADED halt', () => {
    const c = defaultOmsConfig(bybit)
    expect(c).toMatchObject({
      triggerPriceType: 'mark',
      takeProfitStyle: 'limit',
      makerOnly: true,
      maxStopAttempts: 3,
      stopMoveMinChange: 0.2,
      stopUpdateMinIntervalMs: 2000,
      degradedReconcileIntervalMs: 1000,
      degradedHaltAfterMs: 60_000,
      mismatchChecksRequired: 3,
      mismatchCooldownMs: 5000,
    })
    expect(c.budget).toEqual({ venueLimit: 120, windowMs: 60_000 }) // the port's limits; the budget uses 80 %
  })
  it.each([
    [{ makerTimeoutMs: -1 }, 'config.makerTimeoutMs'],
    [{ unknownGraceMs: Number.NaN }, 'config.unknownGraceMs'],
    [{ maxStopAttempts: 0 }, 'config.maxStopAttempts'],
    [{ stopMoveMinChange: 1 }, 'config.stopMoveMinChange'],
    [{ takeProfitStyle: 'stop' as never }, 'config.takeProfitStyle'],
    [{ triggerPriceType: 'contract' as never }, 'config.triggerPriceType'],
  ])('rejects %o', (over, path) => {
    expect(() => resolveOmsConfig(venueProfile('binance-usdm').requestLimits, over)).toThrow(expect.objectContaining({ code: 'invalid-input', path }))
  })
  it('protectWorkingEntries follows the venue capability unless set; true without it is refused', () => {
    expect(resolveOmsConfig(bybit).protectWorkingEntries).toBe(true)
    expect(resolveOmsConfig(bybit, {}, { reduceOnlyStopWithoutPosition: true }).protectWorkingEntries).toBe(true)
    expect(resolveOmsConfig(bybit, {}, { reduceOnlyStopWithoutPosition: false }).protectWorkingEntries).toBe(false)
    expect(resolveOmsConfig(bybit, { protectWorkingEntries: false }, { reduceOnlyStopWithoutPosition: true }).protectWorkingEntries).toBe(false)
    expect(() => resolveOmsConfig(bybit, { protectWorkingEntries: true }, { reduceOnlyStopWithoutPosition: false })).toThrow(
      expect.objectContaining({ code: 'invalid-input', path: 'config.protectWorkingEntries' }),
    )
    expect(() => resolveOmsConfig(bybit, { protectWorkingEntries: 'yes' as never })).toThrow(expect.objectContaining({ path: 'config.protectWorkingEntries' }))
  })
})
