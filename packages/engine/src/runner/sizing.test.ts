import type { Instrument } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { sizeEntry } from './sizing.js'

// Binance USDⓈ-M BTCUSDT contract spec (tick 0.1, step 0.001, min qty 0.001, min notional 100)
const ins: Instrument = {
  symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'linear', contractSize: 1,
  tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 100, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005,
}
const base = { instrument: ins, price: 100_000, stopPrice: 97_000, equity: 10_000, available: 10_000, leverage: 3 }

describe('sizeEntry reports when it cut the size', () => {
  it('a fixed 10 BTC at 3x on 10,000 USDT is cut by margin to 0.297 BTC (9,900 / 33,333.33 per BTC, floored to 0.001)', () => {
    const r = sizeEntry({ ...base, policy: { mode: 'fixed-qty', qty: 10 } })
    expect(r).toMatchObject({ ok: true, qty: 0.297, clampedFrom: 10, clampedBy: 'margin' })
  })

  it('the venue maximum quantity cuts it when smaller', () => {
    const r = sizeEntry({ ...base, equity: 1e7, available: 1e7, instrument: { ...ins, maxQty: 120 }, policy: { mode: 'fixed-qty', qty: 500 } })
    expect(r).toMatchObject({ ok: true, qty: 120, clampedFrom: 500, clampedBy: 'max-qty' })
  })

  it('an entry that fits is not marked', () => {
    const r = sizeEntry({ ...base, policy: { mode: 'fixed-qty', qty: 0.1 } })
    expect(r.ok && r.qty).toBe(0.1)
    expect(r.ok && 'clampedFrom' in r).toBe(false)
  })
})
