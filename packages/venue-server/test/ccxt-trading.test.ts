import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer } from '../src/index.js'
import { ccxtBinanceUsdm } from './ccxt-binance.js'
import { binanceRequest } from './helpers.js'

const BTC = 'BTC/USDT:USDT'
let server: VenueServer
let t = 0

/** Feed one 1-minute candle at the wall clock (the server runs on the system clock in these tests). */
function bar(open: number, high: number, low: number, close: number): void {
  t = Math.max(t + 60_000, Date.now() - 60_000)
  server.handle.venue.applyCandle({ symbol: BTC, candle: { openTimeMs: t, open, high, low, close, volume: 10 } })
}

beforeEach(async () => {
  server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet' })
  t = 0
  bar(65000, 65010, 64990, 65000)
})
afterEach(async () => {
  await server.close()
})

describe('ccxt binanceusdm trades against the local Binance USDⓈ-M server', () => {
  it('creates, queries and cancels a limit order, with the client id echoed', async () => {
    const ex = ccxtBinanceUsdm(server)
    await ex.loadMarkets()
    const created = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pk-lim-1', timeInForce: 'GTC' })
    expect(created).toMatchObject({ status: 'open', clientOrderId: 'pk-lim-1', price: 64000, amount: 0.01, filled: 0, side: 'buy', type: 'limit' })
    const open = await ex.fetchOpenOrders(BTC)
    expect(open.map((o) => o.id)).toEqual([created.id])
    const fetched = await ex.fetchOrder(String(created.id), BTC)
    expect(fetched).toMatchObject({ id: created.id, status: 'open', clientOrderId: 'pk-lim-1' })
    const canceled = await ex.cancelOrder(String(created.id), BTC)
    expect(canceled.status).toBe('canceled')
    expect(await ex.fetchOpenOrders(BTC)).toEqual([])
    expect(server.handle.state(BTC).openOrders).toEqual([])
  })

  it('fills a market order and reports position, balance and the trade', async () => {
    const ex = ccxtBinanceUsdm(server)
    await ex.loadMarkets()
    const order = await ex.createOrder(BTC, 'market', 'buy', 0.01)
    expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 65000 })
    const positions = await ex.fetchPositions([BTC])
    expect(positions).toHaveLength(1)
    expect(positions[0]).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 65000 })
    const trades = await ex.fetchMyTrades(BTC)
    expect(trades).toHaveLength(1)
    // taker fee 0.05 % of 650 USDT notional
    expect(trades[0]).toMatchObject({ order: order.id, side: 'buy', price: 65000, amount: 0.01, takerOrMaker: 'taker', fee: { cost: 0.325, currency: 'USDT' } })
    const balance = await ex.fetchBalance()
    expect(balance['USDT']?.total).toBeCloseTo(10_000 - 0.325, 8)
    const truth = server.handle.state(BTC)
    expect(truth.positions[0]).toMatchObject({ side: 'long', qty: 0.01 })
    expect(truth.balances['USDT']).toBeCloseTo(10_000 - 0.325, 8)
  })

  it('places a conditional stop through the Algo Order API, lists, queries and cancels it', async () => {
    const ex = ccxtBinanceUsdm(server)
    await ex.loadMarkets()
    await ex.createOrder(BTC, 'market', 'buy', 0.01)
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 64000, reduceOnly: true, clientOrderId: 'pk-sl-1' })
    const algoCall = server.handle.requestLog().find((e) => e.route === 'algoOrder.create')
    expect(algoCall?.params).toMatchObject({ algoType: 'CONDITIONAL', type: 'STOP_MARKET', triggerPrice: '64000', reduceOnly: 'true', clientAlgoId: 'pk-sl-1' })
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 64000, clientOrderId: 'pk-sl-1' })
    const openTriggers = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })
    expect(openTriggers.map((o) => o.id)).toEqual([stop.id])
    expect((await ex.fetchOpenOrders(BTC)).map((o) => o.id)).toEqual([])
    const fetched = await ex.fetchOrder(String(stop.id), BTC, { trigger: true })
    expect(fetched).toMatchObject({ id: stop.id, status: 'open', triggerPrice: 64000 })
    await ex.cancelOrder(String(stop.id), BTC, { trigger: true })
    expect(await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toEqual([])
  })

  it('triggers the stop when the price path crosses it and closes the position', async () => {
    const ex = ccxtBinanceUsdm(server)
    await ex.loadMarkets()
    await ex.createOrder(BTC, 'market', 'buy', 0.01)
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 64000, reduceOnly: true })
    bar(65000, 65050, 63900, 63950)
    const after = await ex.fetchOrder(String(stop.id), BTC, { trigger: true })
    expect(after.info['algoStatus']).toBe('FINISHED')
    expect(after.info['actualOrderId']).not.toBe('')
    expect(await ex.fetchPositions([BTC])).toEqual([])
    const trades = await ex.fetchMyTrades(BTC)
    expect(trades.map((tr) => [tr.side, tr.price])).toEqual([['buy', 65000], ['sell', 64000]])
  })

  it('refuses a conditional type on the plain order endpoint with -4120 and nothing reaches the venue', async () => {
    const res = await binanceRequest({ baseUrl: server.httpUrl, method: 'POST', path: '/fapi/v1/order', signed: true, params: { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.01', stopPrice: '64000' } })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: -4120 })
    expect(server.handle.state(BTC).openOrders).toEqual([])
    expect(server.handle.venue.simFor(BTC).callLog().filter((c) => c.method === 'createOrder')).toEqual([])
  })

  it('sets leverage and margin type, and reads position mode', async () => {
    const ex = ccxtBinanceUsdm(server)
    await ex.loadMarkets()
    const lev = await ex.setLeverage(10, BTC)
    expect(lev).toMatchObject({ leverage: 10, symbol: 'BTCUSDT' })
    await ex.setMarginMode('isolated', BTC)
    await expect(ex.setMarginMode('isolated', BTC)).rejects.toThrow(/-4046|No need to change margin type/)
    expect(await ex.fetchPositionMode(BTC)).toMatchObject({ hedged: false })
    await ex.createOrder(BTC, 'market', 'buy', 0.01)
    const [p] = await ex.fetchPositions([BTC])
    expect(p).toMatchObject({ marginMode: 'isolated' })
  })
})
