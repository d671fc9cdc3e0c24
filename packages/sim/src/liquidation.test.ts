import { roundPrice } from '@perpkit/core'
import { initialMargin, liquidationPrice } from '@perpkit/sizing'
import { describe, expect, it } from 'vitest'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD, rig } from '../test/helpers.js'

describe('liquidation at the price sizing predicts', () => {
  it('Binance isolated long: untouched one tick above, closed at exactly the predicted price below it (autoclose- id)', async () => {
    const r = rig('binance-usdm', { maintenance: { maintenanceMarginRate: 0.004 }, balances: { USDT: 10_000 } })
    await r.venue.setMarginMode({ symbol: r.symbol, marginMode: 'isolated' })
    await r.venue.setLeverage({ symbol: r.symbol, leverage: 20 })
    r.candle(100_000, 100_000, 100_000, 100_000)
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'in', side: 'buy', type: 'market', qty: 1 })
    const margin = initialMargin({ contract: BINANCE_BTCUSDT, qty: 1, price: 100_000, leverage: 20 })
    const predicted = liquidationPrice({
      contract: BINANCE_BTCUSDT,
      side: 'long',
      qty: 1,
      entryPrice: 100_000,
      margin: { mode: 'isolated', positionMargin: margin },
      maintenance: { maintenanceMarginRate: 0.004 },
      maintenanceBasis: 'liquidation-price',
    })
    expect(r.venue.state().positions[0]?.liquidationPrice).toBeCloseTo(predicted, 9)
    const above = roundPrice({ price: predicted, tickSize: 0.1, mode: 'ceil' }) + 0.1
    r.candle(100_000, 100_000, above, 100_000)
    expect(r.venue.state().positions).toHaveLength(1)
    const below = roundPrice({ price: predicted, tickSize: 0.1, mode: 'floor' }) - 0.1
    r.candle(100_000, 100_000, below, 99_000)
    expect(r.venue.state().positions).toHaveLength(0)
    const liq = r.events.find((e) => e.type === 'liquidation')
    if (liq?.type !== 'liquidation') throw new Error('no liquidation event')
    expect(liq.price).toBe(predicted)
    expect([liq.side, liq.qty]).toEqual(['long', 1])
    const fills = await r.venue.fetchFills({ symbol: r.symbol })
    const last = fills[fills.length - 1]
    expect(last?.clientOrderId.startsWith('autoclose-')).toBe(true)
    expect(last?.price).toBe(predicted)
    expect(last?.realizedPnl).toBeCloseTo(predicted - 100_000, 6)
  })

  it('Bybit inverse cross short: liquidated at sizing’s cross price (wallet balance, maintenance at entry)', async () => {
    const r = rig('bybit-inverse', { maintenance: { maintenanceMarginRate: 0.005 }, balances: { BTC: 0.01 }, defaultLeverage: 10 })
    r.candle(50_000, 50_000, 50_000, 50_000)
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'in', side: 'sell', type: 'market', qty: 2_000 })
    const wallet = r.venue.state().balances.BTC as number
    // Bybit's inverse fee: contracts / price × taker rate (the worked example in inverse.test.ts), at the fixture's rate
    expect(wallet).toBeCloseTo(0.01 - (2_000 / 50_000) * BYBIT_BTCUSD.takerFeeRate, 15)
    const predicted = liquidationPrice({
      contract: BYBIT_BTCUSD,
      side: 'short',
      qty: 2_000,
      entryPrice: 50_000,
      margin: { mode: 'cross', walletBalance: wallet },
      maintenance: { maintenanceMarginRate: 0.005 },
      maintenanceBasis: 'entry-price',
    })
    expect(predicted).toBeGreaterThan(50_000)
    r.candle(50_000, roundPrice({ price: predicted, tickSize: 0.5, mode: 'floor' }) - 0.5, 50_000, 50_000)
    expect(r.venue.state().positions).toHaveLength(1)
    r.candle(50_000, roundPrice({ price: predicted, tickSize: 0.5, mode: 'ceil' }) + 0.5, 50_000, 50_000)
    expect(r.venue.state().positions).toHaveLength(0)
    const liq = r.events.find((e) => e.type === 'liquidation')
    expect(liq?.type === 'liquidation' ? liq.price : undefined).toBe(predicted)
    const fills = await r.venue.fetchFills({ symbol: r.symbol })
    expect(fills[fills.length - 1]?.clientOrderId.startsWith('liquidation-')).toBe(true)
    expect(fills[fills.length - 1]?.origin).toBe('liquidation')
    expect(fills[0]?.origin).toBeUndefined() // the account's own order: absent means user
  })

  it('open orders of the symbol are canceled before the liquidation fill', async () => {
    const r = rig('binance-usdm', { maintenance: { maintenanceMarginRate: 0.004 } })
    await r.venue.setLeverage({ symbol: r.symbol, leverage: 100 })
    await r.venue.setMarginMode({ symbol: r.symbol, marginMode: 'isolated' })
    r.candle(100_000, 100_000, 100_000, 100_000)
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'in', side: 'buy', type: 'market', qty: 0.5 })
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'tp', side: 'sell', type: 'limit', price: 105_000, qty: 0.5, reduceOnly: true })
    r.events.length = 0
    r.candle(100_000, 100_000, 98_000, 98_500)
    expect(r.events.map((e) => e.type).slice(0, 3)).toEqual(['order', 'liquidation', 'fill'])
    expect((await r.venue.fetchOrder({ symbol: r.symbol, clientOrderId: 'tp' }))?.status).toBe('canceled')
  })
})

describe('auto-deleveraging', () => {
  it('Binance: the venue closes part of the position with an adl_autoclose order; the account asked for nothing', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_000, 100_000, 100_000)
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'in', side: 'buy', type: 'market', qty: 0.03 })
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.03, triggerPrice: 95_000, reduceOnly: true })
    const calls = r.venue.callLog().length
    r.venue.autoDeleverage({ symbol: r.symbol, qty: 0.01, price: 101_000 })
    expect(r.venue.callLog()).toHaveLength(calls)
    expect(r.venue.state().positions[0]?.qty).toBeCloseTo(0.02, 12)
    const fill = r.events.filter((e) => e.type === 'fill').at(-1)
    if (fill?.type !== 'fill') throw new Error('no fill')
    expect(fill.fill.clientOrderId.startsWith('adl_autoclose-')).toBe(true)
    expect(fill.fill.origin).toBe('adl')
    expect([fill.fill.side, fill.fill.qty, fill.fill.price]).toEqual(['sell', 0.01, 101_000])
    expect(fill.fill.realizedPnl).toBeCloseTo(10, 9) // (101,000 − 100,000) × 0.01
    // the account's own stop is left as it was: now larger than the position
    expect(r.venue.state().openOrders.find((o) => o.clientOrderId === 'sl')?.qty).toBe(0.03)
  })

  it('Bybit inverse: a full ADL closes the position at the mark (adl- id); no position → typed error', async () => {
    const r = rig('bybit-inverse')
    r.candle(100_000, 100_000, 100_000, 100_000)
    await r.venue.createOrder({ symbol: r.symbol, clientOrderId: 'in', side: 'sell', type: 'market', qty: 100 })
    r.venue.setMarkPrice({ symbol: r.symbol, markPrice: 99_000, timestampMs: r.clock.now() })
    r.venue.autoDeleverage({ symbol: r.symbol })
    expect(r.venue.state().positions).toHaveLength(0)
    const fills = await r.venue.fetchFills({ symbol: r.symbol })
    expect(fills.at(-1)?.clientOrderId.startsWith('adl-')).toBe(true)
    expect(fills.at(-1)?.origin).toBe('adl')
    expect(fills.at(-1)?.price).toBe(99_000)
    expect(() => r.venue.autoDeleverage({ symbol: r.symbol })).toThrow(/no position/)
  })
})
