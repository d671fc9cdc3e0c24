import { BYBIT_BTCUSD } from '@perpkit/core/testing'
import { describe, expect, it } from 'vitest'
import { rig } from '../test/helpers.js'

// Bybit inverse worked examples (Bybit help centre, as used in @perpkit/sizing):
// long 10,000 BTCUSD contracts 8,000 → 12,500: PnL = 10,000 × (1/8,000 − 1/12,500) = +0.45 BTC;
// taker 0.075 % on 10,000 contracts at 8,000: 10,000 / 8,000 × 0.00075 = 0.0009375 BTC;
// maker −0.025 %: −0.0003125 BTC (rebate).
// The fee pair is the worked example's (Bybit's former inverse rates), not today's base tier in
// @perpkit/core/testing: the expected numbers below are the example's.
const WORKED_EXAMPLE = { ...BYBIT_BTCUSD, makerFeeRate: -0.00025, takerFeeRate: 0.00075 }
const S = WORKED_EXAMPLE.symbol

describe('inverse (Bybit BTCUSD) accounting', () => {
  it('taker entry at 8,000, exit at 12,500: fee 0.0009375 BTC, realized PnL +0.45 BTC', async () => {
    const r = rig('bybit-inverse', { balances: { BTC: 1 }, instruments: [WORKED_EXAMPLE] })
    r.candle(8_000, 8_000, 8_000, 8_000)
    const entry = await r.venue.createOrder({ symbol: S, clientOrderId: 'in', side: 'buy', type: 'market', qty: 10_000 })
    expect(entry.avgFillPrice).toBe(8_000)
    const [f1] = await r.venue.fetchFills({ symbol: S })
    expect(f1?.feeAmount).toBeCloseTo(0.0009375, 12)
    expect(f1?.feeAsset).toBe('BTC')
    r.candle(8_000, 12_500, 8_000, 12_500)
    const exit = await r.venue.createOrder({ symbol: S, clientOrderId: 'out', side: 'sell', type: 'market', qty: 10_000, reduceOnly: true })
    expect(exit.avgFillPrice).toBe(12_500)
    const fills = await r.venue.fetchFills({ symbol: S })
    expect(fills[1]?.realizedPnl).toBeCloseTo(0.45, 12)
    // exit taker fee 10,000 / 12,500 × 0.00075 = 0.0006
    expect(fills[1]?.feeAmount).toBeCloseTo(0.0006, 12)
    expect(r.venue.state().balances.BTC).toBeCloseTo(1 - 0.0009375 + 0.45 - 0.0006, 12)
    expect(r.venue.state().positions).toHaveLength(0)
  })

  it('maker entry at 8,000 earns the −0.025 % rebate: −0.0003125 BTC', async () => {
    const r = rig('bybit-inverse', { balances: { BTC: 1 }, instruments: [WORKED_EXAMPLE] })
    r.candle(8_100, 8_100, 8_100, 8_100)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'in', side: 'buy', type: 'limit', price: 8_000, qty: 10_000, timeInForce: 'post-only' })
    r.candle(8_100, 8_100, 7_990, 8_050)
    const [f] = await r.venue.fetchFills({ symbol: S })
    expect(f?.liquidity).toBe('maker')
    expect(f?.price).toBe(8_000)
    expect(f?.feeAmount).toBeCloseTo(-0.0003125, 12)
    expect(r.venue.state().balances.BTC).toBeCloseTo(1 + 0.0003125, 12)
    const pos = r.venue.state().positions[0]
    expect(pos?.entryPrice).toBe(8_000)
    // unrealized at mark 8,050: 10,000 × (1/8,000 − 1/8,050)
    expect(pos?.unrealizedPnl).toBeCloseTo(10_000 * (1 / 8_000 - 1 / 8_050), 12)
  })

  it('averages inverse entries harmonically (contracts / Σ contracts/price)', async () => {
    const r = rig('bybit-inverse', { balances: { BTC: 1 }, instruments: [WORKED_EXAMPLE] })
    r.candle(8_000, 8_000, 8_000, 8_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'a', side: 'buy', type: 'market', qty: 10_000 })
    r.candle(12_500, 12_500, 12_500, 12_500)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'b', side: 'buy', type: 'market', qty: 10_000 })
    // 20,000 / (10,000/8,000 + 10,000/12,500) = 20,000 / 2.05 = 9,756.0975…
    expect(r.venue.state().positions[0]?.entryPrice).toBeCloseTo(20_000 / 2.05, 8)
  })
})
