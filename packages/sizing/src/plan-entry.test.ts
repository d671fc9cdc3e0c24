import { isOnStep } from '@perpkit/core'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD } from '@perpkit/core/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planEntry } from './plan-entry.js'

// The expected sizes below are derived by hand (in the comments) with maker 0.01 % / taker 0.06 %, so this inverse
// instrument keeps that fee pair explicitly; tick, step and limits are the shared fixture's.
const btcusd = { ...BYBIT_BTCUSD, makerFeeRate: 0.0001, takerFeeRate: 0.0006 }
const btcusdt = BINANCE_BTCUSDT
// the account builder's stage 1: $10 / 12 % loss caps, EV K = 2, liquidation at least 30 % away, 3x
const s1 = { maxLossUsd: 10, maxLossFraction: 0.12, evFeeMultiple: 2, minLiquidationDistance: 0.3, leverage: 3 } as const

const stage1Inverse = {
  instrument: btcusd,
  side: 'long',
  entryPrice: 50_000,
  equity: 0.004,
  leverage: s1.leverage,
  maxLossFraction: s1.maxLossFraction,
  maxLossUsd: s1.maxLossUsd,
  gridSpacing: 0.02,
  minLiquidationDistance: s1.minLiquidationDistance,
  liquidation: { maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' },
} as const

describe('planEntry', () => {
  it('isolated 3x inverse long: liquidation ≈ 24.7 % away < 30 % → liquidation-too-close', () => {
    // 1/LP = 1/50,000 × (1 + 1/3 − 0.005) → LP ≈ 37,641, distance ≈ 24.7 %
    const r = planEntry(stage1Inverse)
    expect(!r.ok && r.reason).toBe('liquidation-too-close')
    expect(!r.ok && r.details.step).toBe('liquidation')
    expect(!r.ok && (r.details.distance as number)).toBeCloseTo(1 - 1 / (1 + 1 / 3 - 0.005), 3)
  })

  it('inverse stage-1 account ($200 at 50,000), cross margin', () => {
    const r = planEntry({
      instrument: btcusd,
      side: 'long',
      entryPrice: 50_000,
      equity: 0.004,
      leverage: s1.leverage,
      maxLossFraction: s1.maxLossFraction,
      maxLossUsd: s1.maxLossUsd,
      gridSpacing: 0.02,
      minLiquidationDistance: s1.minLiquidationDistance,
      liquidation: { maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' },
      marginMode: 'cross',
      expectedProfitUsd: 5,
      evFeeMultiple: s1.evFeeMultiple,
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const v = r.value
    expect(v.stopDistance).toBeCloseTo(0.03, 15)
    expect(v.stopPrice).toBe(48_500)
    expect(v.lossBudget.budget).toBeCloseTo(0.0002, 15) // $10 cap binds (12 % of 0.004 = 0.00048)
    expect(v.lossAtStop).toBeLessThanOrEqual(0.0002)
    // per contract: 1/48,500 − 1/50,000 + 0.0006 × (1/50,000 + 1/48,500) → 0.0002 / 6.4298e-7 = 311.05 → 311
    expect(v.qty).toBe(311)
    expect(v.margin.required).toBeLessThanOrEqual(0.004)
    // cross: the whole 0.004 BTC backs 311 contracts (0.00622 BTC): 1/LP = 1/50,000 + (0.004 − 0.005 × 0.00622)/311
    expect(v.liquidation.method).toBe('price')
    expect(v.liquidation.price).toBeCloseTo(1 / (1 / 50_000 + (0.004 - 0.005 * (311 / 50_000)) / 311), 6)
    expect(v.liquidation.distance).toBeGreaterThan(0.3)
    // round-trip fee: maker on 311 USD + taker on 311 USD (inverse: USD notional = contracts)
    expect(v.estimatedFeeUsd).toBeCloseTo(311 * 0.0001 + 311 * 0.0006, 12)
  })
})

describe('planEntry refusals and proxy', () => {
  it('no estimate → proxy cuts the size by 20 %', () => {
    const r = planEntry({ ...stage1Inverse, liquidation: undefined })
    expect(r.ok && r.value.liquidation.method).toBe('proxy')
    expect(r.ok && r.value.qty).toBe(248) // floor(311 × 0.8)
  })
  it('exchange-reported price is preferred', () => {
    const r = planEntry({ ...stage1Inverse, liquidation: { price: 20_000 } })
    expect(r.ok && r.value.liquidation.price).toBe(20_000)
  })
  it('EV gate', () => {
    const r = planEntry({ ...stage1Inverse, liquidation: undefined, expectedProfitUsd: 0.2, evFeeMultiple: 2 })
    expect(!r.ok && r.reason).toBe('ev-below-fees')
    expect(!r.ok && r.details.step).toBe('ev')
  })
  it('insufficient margin', () => {
    const r = planEntry({ ...stage1Inverse, liquidation: undefined, available: 0.0001 })
    expect(!r.ok && r.reason).toBe('insufficient-margin')
  })
  it('invalid stop from a zero grid spacing', () => {
    const r = planEntry({ ...stage1Inverse, gridSpacing: 0 })
    expect(!r.ok && r.reason).toBe('invalid-stop')
  })
  it('linear Binance account: $1,000 USDT, 1 % risk', () => {
    const r = planEntry({
      instrument: btcusdt, side: 'short', entryPrice: 60_000, equity: 1_000, leverage: 3, maxLossFraction: 0.01,
      gridSpacing: 0.02, minLiquidationDistance: 0.3, liquidation: { maintenance: { maintenanceMarginRate: 0.004 } },
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.stopPrice).toBe(61_800)
    // per BTC: 1,800 + 0.0005 × (60,000 + 61,800) = 1,860.9 → 10 / 1,860.9 = 0.00537 → 0.005 BTC (300 USDT ≥ 100)
    expect(r.value.qty).toBe(0.005)
    expect(r.value.margin.initialMargin).toBeCloseTo(100, 9)
  })
  it('an explicit stop distance is used as is (no grid clamp): 1 % stop on the same short', () => {
    const base = { instrument: btcusdt, side: 'short', entryPrice: 60_000, equity: 1_000, leverage: 3, maxLossFraction: 0.01, minLiquidationDistance: 0.3 } as const
    const r = planEntry({ ...base, stopDistance: 0.01, liquidation: { maintenance: { maintenanceMarginRate: 0.004 } } })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    // stop 60,600 (the grid clamp's 2 % floor would put it at 61,200); per BTC: 600 + 0.0005 × (60,000 + 60,600) = 660.3
    // → 10 / 660.3 = 0.01514 → 0.015 BTC
    expect(r.value.stopPrice).toBe(60_600)
    expect(r.value.stopDistance).toBe(0.01)
    expect(r.value.qty).toBe(0.015)
    expect(() => planEntry({ ...base, stopDistance: 0.01, gridSpacing: 0.02 })).toThrow(/either stopDistance or gridSpacing/)
    expect(() => planEntry({ ...base, stopDistance: 0 })).toThrow()
  })
})

describe('planEntry properties (1,000 runs)', () => {
  it('margin + fees ≤ available, loss ≤ budget, qty on step, no NaN', () => {
    let accepted = 0
    fc.assert(
      fc.property(
        fc.constantFrom(btcusd, btcusdt),
        fc.constantFrom('long' as const, 'short' as const),
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 10, max: 100_000, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.option(fc.double({ min: 0.001, max: 0.1, noNaN: true }), { nil: undefined }),
        fc.double({ min: 1, max: 6, noNaN: true }),
        fc.constantFrom('isolated' as const, 'cross' as const),
        (instrument, side, entryPrice, equityUsd, availableShare, gridSpacing, leverage, marginMode) => {
          const equity = instrument.kind === 'inverse' ? equityUsd / entryPrice : equityUsd
          const available = equity * availableShare
          const r = planEntry({
            instrument, side, entryPrice, equity, available, leverage, maxLossFraction: 0.05, maxLossUsd: 30, gridSpacing,
            minLiquidationDistance: 0.2, liquidation: { maintenance: { maintenanceMarginRate: 0.005 } }, marginMode,
          })
          if (!r.ok) return
          accepted++
          const v = r.value
          for (const n of [v.qty, v.lossAtStop, v.margin.required, v.notionalUsd, v.estimatedFeeUsd, v.stopPrice]) expect(Number.isNaN(n)).toBe(false)
          expect(v.margin.initialMargin + v.margin.feeBuffer).toBeLessThanOrEqual(available)
          expect(v.lossAtStop).toBeLessThanOrEqual(v.lossBudget.budget)
          expect(isOnStep({ value: v.qty, step: instrument.lotStep })).toBe(true)
          expect(isOnStep({ value: v.stopPrice, step: instrument.tickSize })).toBe(true)
          expect(v.qty).toBeGreaterThanOrEqual(instrument.minQty)
          expect(v.notionalUsd).toBeGreaterThanOrEqual(instrument.minNotional)
        },
      ),
      { numRuns: 1000 },
    )
    expect(accepted).toBeGreaterThan(100) // the property is not vacuous
  })
})
