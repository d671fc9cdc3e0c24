import { describe, expect, it } from 'vitest'
import { createTradeLedger } from './ledger.js'

const fill = (side: 'buy' | 'sell', price: number, qty: number, t: number, fee = 0) => ({
  symbol: 'BTC/USD:BTC', tradeId: `${t}`, venueOrderId: `${t}`, clientOrderId: `c${t}`, side, price, qty, feeAmount: fee, feeAsset: 'BTC', liquidity: 'taker' as const, timestampMs: t,
})

describe('trade ledger', () => {
  it('inverse long: Bybit worked example 10,000 contracts 8,000 → 12,500 = +0.45 BTC', () => {
    const l = createTradeLedger({ kind: 'inverse', contractSize: 1 })
    expect(l.applyFill({ fill: fill('buy', 8000, 10_000, 1) })).toBeNull()
    const t = l.applyFill({ fill: fill('sell', 12_500, 10_000, 2) })
    expect(t?.grossPnl).toBeCloseTo(0.45, 12)
  })

  it('a fill split into parts at one price reports that exact price (no float noise)', () => {
    const l = createTradeLedger({ kind: 'linear', contractSize: 1 })
    l.applyFill({ fill: fill('buy', 113775.1, 0.014, 1) })
    l.applyFill({ fill: fill('buy', 113775.1, 0.015, 2) })
    l.applyFill({ fill: fill('sell', 112572.9, 0.014, 3) })
    const t = l.applyFill({ fill: fill('sell', 112572.9, 0.015, 4) })
    // (0.014·112572.9 + 0.015·112572.9) / 0.029 is 112572.89999999998 in floating point
    expect((0.014 * 112572.9 + 0.015 * 112572.9) / 0.029).not.toBe(112572.9)
    expect(t?.entryPrice).toBe(113775.1)
    expect(t?.exitPrice).toBe(112572.9)
  })

  it('inverse average entry is the harmonic mean (contracts / Σ contracts/price)', () => {
    const l = createTradeLedger({ kind: 'inverse', contractSize: 1 })
    l.applyFill({ fill: fill('buy', 8000, 10_000, 1) })
    l.applyFill({ fill: fill('buy', 12_000, 10_000, 2) })
    // 20,000 / (10,000/8,000 + 10,000/12,000) = 20,000 / (1.25 + 0.8333…) = 9,600; an arithmetic mean would say 10,000
    const t = l.applyFill({ fill: fill('sell', 9600, 20_000, 3) })
    expect(t?.entryPrice).toBeCloseTo(9600, 9)
    expect(t?.grossPnl).toBeCloseTo(0, 12)
  })

  it('linear: scaling in, partial exits, fees, funding and a flip', () => {
    const l = createTradeLedger({})
    l.applyFill({ fill: fill('buy', 100, 1, 1, 0.05) })
    l.applyFill({ fill: fill('buy', 110, 1, 2, 0.05) }) // avg 105
    l.applyFunding({ symbol: 'BTC/USD:BTC', amount: -0.2 }) // paid 0.2
    expect(l.applyFill({ fill: fill('sell', 120, 1, 3, 0.1) })).toBeNull()
    expect(l.openQty('BTC/USD:BTC')).toBe(1)
    // sell 3: closes 1 at 100 (pnl −5) and opens a 2-short
    const t = l.applyFill({ fill: fill('sell', 100, 3, 4, 0.3) })
    expect(t?.grossPnl).toBeCloseTo(15 - 5, 12)
    expect(t?.fees).toBeCloseTo(0.05 + 0.05 + 0.1 + 0.1, 12)
    expect(t?.funding).toBeCloseTo(0.2, 12)
    expect(t?.netPnl).toBeCloseTo(10 - 0.3 - 0.2, 12)
    expect(t?.qty).toBe(2)
    expect(t?.exitPrice).toBeCloseTo(110, 12)
    expect(l.openQty('BTC/USD:BTC')).toBe(-2)
    const end = l.markOpenAtEnd({ symbol: 'BTC/USD:BTC', price: 90, timestampMs: 5 })
    expect(end?.grossPnl).toBeCloseTo(20, 12)
    expect(end?.openAtEnd).toBe(true)
    expect(end?.fees).toBeCloseTo(0.2, 12)
  })

  it('a restored position (opened by a previous process) closes by later fills into one trade marked recovered', () => {
    const l = createTradeLedger({ kind: 'inverse', contractSize: 1 })
    l.restoreOpen({ symbol: 'BTC/USD:BTC', position: { side: 'long', qty: 10_000, entryPrice: 8000, entryTimeMs: 1 } })
    expect(l.openQty('BTC/USD:BTC')).toBe(10_000)
    expect(l.applyFill({ fill: fill('sell', 12_500, 4000, 2, 0.0001) })).toBeNull()
    const t = l.applyFill({ fill: fill('sell', 12_500, 6000, 3, 0.0002) })
    // the Bybit worked example again: 10,000 contracts 8,000 → 12,500 = +0.45 BTC; only this run's fees
    expect(t).toMatchObject({ side: 'long', qty: 10_000, entryPrice: 8000, entryTimeMs: 1, exitPrice: 12_500, exitTimeMs: 3, recovered: true, openAtEnd: false })
    expect(t?.grossPnl).toBeCloseTo(0.45, 12)
    expect(t?.fees).toBeCloseTo(0.0003, 12)
    expect(l.openQty('BTC/USD:BTC')).toBe(0)
    // the next trade is an ordinary one
    l.applyFill({ fill: fill('buy', 9000, 1, 4) })
    expect(l.applyFill({ fill: fill('sell', 9000, 1, 5) })?.recovered).toBeUndefined()
  })

  it('restoring replaces what is open (null: flat) and refuses a position without a size or price', () => {
    const l = createTradeLedger({})
    l.applyFill({ fill: fill('sell', 100, 1, 1) })
    l.restoreOpen({ symbol: 'BTC/USD:BTC', position: { side: 'long', qty: 2, entryPrice: 95, entryTimeMs: 0 } })
    expect(l.openQty('BTC/USD:BTC')).toBe(2)
    l.restoreOpen({ symbol: 'BTC/USD:BTC', position: null })
    expect(l.openQty('BTC/USD:BTC')).toBe(0)
    expect(l.markOpenAtEnd({ symbol: 'BTC/USD:BTC', price: 100, timestampMs: 2 })).toBeNull()
    expect(() => l.restoreOpen({ symbol: 'BTC/USD:BTC', position: { side: 'long', qty: 0, entryPrice: 95, entryTimeMs: 0 } })).toThrow(/quantity > 0/)
    expect(() => l.restoreOpen({ symbol: 'BTC/USD:BTC', position: { side: 'short', qty: 1, entryPrice: Number.NaN, entryTimeMs: 0 } })).toThrow(/entry price > 0/)
    expect(l.trades()).toEqual([])
  })
})
