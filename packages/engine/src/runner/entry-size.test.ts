import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { describe, expect, it } from 'vitest'
import { sizeEntry } from './entry-size.js'

// Binance USDⓈ-M BTCUSDT contract spec (tick 0.1, step 0.001, min qty 0.001, min notional 100)
const ins: Instrument = BINANCE_BTCUSDT
const base = {
  instrument: ins, side: 'long', price: 100_000, stopDistance: 0.03, equity: 10_000, leverage: 3, marginMode: 'isolated', maintenance: { maintenanceMarginRate: 0.004 },
  maintenanceBasis: 'liquidation-price', entryLiquidity: 'taker', sizeMultiplier: 1, stage: null,
} as const

describe('sizeEntry', () => {
  it('risk-fraction is sizing’s loss budget with fees: 1 % of 10,000 USDT, 3 % stop, taker both ways', () => {
    // per BTC: 3,000 + 0.0005 × (100,000 + 97,000) = 3,098.5 → 100 / 3,098.5 = 0.03227 → 0.032 BTC
    const r = sizeEntry({ ...base, policy: { mode: 'risk-fraction', riskFraction: 0.01 } })
    expect(r).toMatchObject({ ok: true, value: { qty: 0.032, stopPrice: 97_000 } })
    // risk's loss-streak multiplier halves the budget: 50 / 3,098.5 = 0.01613 → 0.016
    const half = sizeEntry({ ...base, policy: { mode: 'risk-fraction', riskFraction: 0.01 }, sizeMultiplier: 0.5 })
    expect(half.ok && half.value.qty).toBe(0.016)
  })

  it('a stage caps the loss budget in USD: stage 3 ($30) on the same account', () => {
    // budget min(10,000 × 1 %, 30) = 30 → 30 / 3,098.5 = 0.00968 → 0.009 BTC (900 USDT ≥ 100)
    const r = sizeEntry({ ...base, policy: { mode: 'risk-fraction', riskFraction: 0.01 }, stage: { maxLossFraction: 0.06, maxLossUsd: 30, minLiquidationDistance: 0.2 } })
    expect(r.ok && r.value.qty).toBe(0.009)
  })

  it('fixed policies take the quantity as given and refuse what the margin cannot carry', () => {
    expect(sizeEntry({ ...base, policy: { mode: 'fixed-qty', qty: 0.1 } })).toMatchObject({ ok: true, value: { qty: 0.1, stopPrice: 97_000 } })
    // 10 BTC at 100,000 and 3x needs 333,333 USDT of margin
    expect(sizeEntry({ ...base, policy: { mode: 'fixed-qty', qty: 10 } })).toEqual({ ok: false, reason: 'insufficient-margin' })
    expect(sizeEntry({ ...base, policy: { mode: 'fixed-qty', qty: 0.0005 } })).toEqual({ ok: false, reason: 'below-min-qty' })
    expect(sizeEntry({ ...base, policy: { mode: 'fixed-notional', notional: 5_000 } })).toMatchObject({ ok: true, value: { qty: 0.05 } })
  })
})
