import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import type { VenueServer } from '../../src/index.js'
import { ccxtBybit } from '../ccxt-bybit.js'
import { bybitRest } from './raw-client.js'
import { DAY0, READ_ONLY_KEY, startBybit } from './scenario.js'

let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const INV = 'BTC/USD:BTC'
const LIN = 'BTC/USDT:USDT'

describe('ccxt 4.5.84 bybit against the local Bybit v5 server: market data', () => {
  it('loads inverse and linear markets (inverse contract size 1 USD from minOrderQty)', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    const markets = await exchange.loadMarkets()
    expect(Object.keys(markets).sort()).toEqual([INV, LIN])
    expect(markets[INV]).toMatchObject({ id: 'BTCUSD', type: 'swap', inverse: true, settle: 'BTC', contractSize: 1, precision: { price: 0.5, amount: 1 }, limits: { amount: { min: 1 } } })
    expect(markets[LIN]).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', contractSize: 1, precision: { price: 0.1, amount: 0.001 }, limits: { cost: { min: 5 }, leverage: { max: 100 } } })
    expect(await exchange.fetchTime()).toBe(DAY0 + 120_000)
  })

  it('serves 5m klines aggregated from the recorded 1m bars, tickers and funding history', async () => {
    ;({ server } = await startBybit())
    server.handle.step(10)
    const exchange = ccxtBybit(server)
    // Bybit BTCUSDT 1m trade bars 00:00–00:09 in 5m: O 17194 H 17225 L 17193.5 C 17195.5 V 657.069 BTC, then
    // O 17195.5 H 17195.5 L 17169.5 C 17169.5 V 523.987 (sums of the recorded bars).
    expect(await exchange.fetchOHLCV(LIN, '5m', DAY0, 10)).toEqual([
      [DAY0, 17194, 17225, 17193.5, 17195.5, 657.069],
      [DAY0 + 300_000, 17195.5, 17195.5, 17169.5, 17169.5, 523.987],
    ])
    // Inverse: ccxt reads the volume column of an inverse market from `turnover` (BTC), so only OHLC is compared.
    const inverse = await exchange.fetchOHLCV(INV, '5m', DAY0, 10)
    expect(inverse.map((k) => k.slice(0, 5))).toEqual([
      [DAY0, 17199.5, 17239, 17199, 17210],
      [DAY0 + 300_000, 17210.5, 17210.5, 17178, 17178],
    ])
    const ticker = await exchange.fetchTicker(LIN)
    expect(ticker).toMatchObject({ symbol: LIN, last: 17169.5, high: 17225, low: 17169.5 })
    const funding = await exchange.fetchFundingRateHistory(LIN, DAY0)
    expect(funding.map((f) => [f.timestamp, f.fundingRate])).toEqual([[DAY0, 0.0001]])
  })
})

describe('ccxt bybit: orders, positions, balances, trades', () => {
  it('inverse market buy: fetchOrder, position (entry = fill price), my trades, BTC balance', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    const order = await exchange.createOrder(INV, 'market', 'buy', 100, undefined, { clientOrderId: 'inv-1' })
    expect(order.id).toMatch(/^[0-9a-f-]{36}$/)
    const fetched = await exchange.fetchOrder(String(order.id), INV, { acknowledged: true })
    expect(fetched).toMatchObject({ clientOrderId: 'inv-1', status: 'closed', filled: 100, amount: 100, average: 17217.5, side: 'buy', type: 'market' })
    const [position] = await exchange.fetchPositions([INV])
    expect(position).toMatchObject({ symbol: INV, side: 'long', contracts: 100, entryPrice: 17217.5, contractSize: 1 })
    const trades = await exchange.fetchMyTrades(INV)
    expect(trades).toHaveLength(1)
    // taker fee 100 USD / 17,217.5 × 0.055 % = 0.00000319 BTC
    expect(trades[0]).toMatchObject({ order: order.id, price: 17217.5, amount: 100, side: 'buy', takerOrMaker: 'taker', fee: { currency: 'BTC' } })
    expect(trades[0]?.fee?.cost).toBeCloseTo((100 / 17217.5) * 0.00055, 8)
    const balance = await exchange.fetchBalance()
    expect(balance.BTC?.total).toBeCloseTo(1 - (100 / 17217.5) * 0.00055, 8)
    expect(balance.USDT?.total).toBe(10_000)
  })

  it('linear limit order: open → amend price → cancel, seen through fetchOpenOrders and order history', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    const placed = await exchange.createOrder(LIN, 'limit', 'buy', 0.01, 17000, { clientOrderId: 'lim-1', timeInForce: 'PO' })
    let open = await exchange.fetchOpenOrders(LIN)
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ id: placed.id, clientOrderId: 'lim-1', price: 17000, amount: 0.01, status: 'open', timeInForce: 'PO' })
    await exchange.editOrder(String(placed.id), LIN, 'limit', 'buy', 0.01, 17100)
    open = await exchange.fetchOpenOrders(LIN)
    expect(open[0]).toMatchObject({ price: 17100 })
    await exchange.cancelOrder(String(placed.id), LIN)
    expect(await exchange.fetchOpenOrders(LIN)).toHaveLength(0)
    const canceled = await exchange.fetchCanceledOrders(LIN)
    expect(canceled.map((o) => [o.clientOrderId, o.status])).toEqual([['lim-1', 'canceled']])
    expect(server.handle.state(LIN).openOrders).toHaveLength(0)
  })

  it('cancelAllOrders cancels the symbol\'s open orders, conditional ones included', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    await exchange.createOrder(INV, 'limit', 'buy', 10, 16000)
    await exchange.createOrder(INV, 'market', 'buy', 10, undefined, { triggerPrice: 18000, triggerDirection: 'ascending' })
    await exchange.createOrder(LIN, 'limit', 'buy', 0.01, 16000)
    expect(await exchange.fetchOpenOrders(INV)).toHaveLength(2)
    await exchange.cancelAllOrders(INV)
    expect(await exchange.fetchOpenOrders(INV)).toHaveLength(0)
    expect(server.handle.state(INV).openOrders).toHaveLength(0)
    expect(server.handle.state(LIN).openOrders).toHaveLength(1)
  })

  it('a crossing PostOnly order is accepted then cancelled (EC_PostOnlyWillTakeLiquidity)', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    const o = await exchange.createOrder(LIN, 'limit', 'buy', 0.01, 17300, { postOnly: true, clientOrderId: 'po-x' })
    const fetched = await exchange.fetchOrder(String(o.id), LIN, { acknowledged: true })
    expect(fetched.status).toBe('canceled')
    expect((fetched.info as { rejectReason: string }).rejectReason).toBe('EC_PostOnlyWillTakeLiquidity')
  })

  it('conditional stop (MarkPrice, descending, reduce-only): listed open, trigger amended, fires when price falls', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2) // last 17212.5
    const exchange = ccxtBybit(server)
    await exchange.createOrder(LIN, 'market', 'buy', 0.01)
    const stop = await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17150, triggerDirection: 'descending', triggerBy: 'MarkPrice', reduceOnly: true, clientOrderId: 'sl-1' })
    let open = await exchange.fetchOpenOrders(LIN)
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ id: stop.id, triggerPrice: 17150, stopLossPrice: 17150, reduceOnly: true, status: 'open' })
    expect((open[0]?.info as { orderStatus: string; triggerBy: string; triggerDirection: number }).orderStatus).toBe('Untriggered')
    expect((open[0]?.info as { triggerBy: string }).triggerBy).toBe('MarkPrice')
    await exchange.editOrder(String(stop.id), LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17180, triggerBy: 'MarkPrice' })
    open = await exchange.fetchOpenOrders(LIN)
    expect(open[0]?.triggerPrice).toBe(17180)
    server.handle.step(8) // falls to 17169.5: the 17180 trigger fires
    expect(await exchange.fetchOpenOrders(LIN)).toHaveLength(0)
    const closed = await exchange.fetchClosedOrders(LIN)
    expect(closed.find((o) => o.id === stop.id)).toMatchObject({ status: 'closed', filled: 0.01 })
    // Asked by symbol, Bybit lists the symbol's one-way position even when it is flat (size 0).
    expect((await exchange.fetchPositions([LIN])).map((p) => p.contracts)).toEqual([0])
    expect(server.handle.state(LIN).positions).toHaveLength(0)
  })

  it('closeOnTrigger makes a conditional order reduce-only and is echoed', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    await exchange.createOrder(INV, 'market', 'sell', 100)
    await exchange.createOrder(INV, 'market', 'buy', 100, undefined, { triggerPrice: 17300, triggerDirection: 'ascending', closeOnTrigger: true, clientOrderId: 'cot' })
    const [o] = await exchange.fetchOpenOrders(INV)
    expect(o).toMatchObject({ clientOrderId: 'cot', reduceOnly: true, triggerPrice: 17300, stopLossPrice: 17300 })
    expect((o?.info as { closeOnTrigger: boolean }).closeOnTrigger).toBe(true)
  })

  it('set leverage and the account margin mode (isolated), then back to cross', async () => {
    ;({ server } = await startBybit())
    server.handle.step(1)
    const exchange = ccxtBybit(server)
    await exchange.setLeverage(5, INV)
    await expect(exchange.setLeverage(5, INV)).rejects.toThrow(ccxt.BadRequest) // 110043 leverage not modified
    await exchange.setMarginMode('isolated')
    await exchange.createOrder(INV, 'market', 'buy', 50)
    const [p] = await exchange.fetchPositions([INV])
    expect(p).toMatchObject({ leverage: 5 })
    expect((p?.info as { tradeMode: number }).tradeMode).toBe(1)
    await expect(exchange.setMarginMode('cross')).rejects.toThrow(ccxt.ExchangeError) // 3400045 with a position open
  })
})

describe('ccxt bybit: the venue refusals arrive as ccxt errors (mapped on retCode)', () => {
  it('insufficient balance 110007, reduce-only 110017, unknown order 110001', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const exchange = ccxtBybit(server)
    await expect(exchange.createOrder(LIN, 'market', 'buy', 100)).rejects.toThrow(ccxt.InsufficientFunds)
    await expect(exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { reduceOnly: true })).rejects.toThrow(ccxt.InvalidOrder)
    await expect(exchange.cancelOrder('00000000-0000-4000-8001-000009999999', LIN)).rejects.toThrow(ccxt.OrderNotFound)
    expect(server.handle.state(LIN).openOrders).toHaveLength(0)
  })

  it('bad signature 10004, unknown key 10003, read-only key 10005 on a write', async () => {
    ;({ server } = await startBybit({ keys: [{ apiKey: 'perpkit-local-key', secret: 'perpkit-local-secret' }, READ_ONLY_KEY] }))
    server.handle.step(1)
    await expect(ccxtBybit(server, { secret: 'wrong-secret' }).fetchBalance()).rejects.toThrow(ccxt.AuthenticationError)
    await expect(ccxtBybit(server, { apiKey: 'nobody', secret: 'x' }).fetchBalance()).rejects.toThrow(ccxt.AuthenticationError)
    const ro = ccxtBybit(server, { apiKey: READ_ONLY_KEY.apiKey, secret: READ_ONLY_KEY.secret })
    expect((await ro.fetchBalance()).BTC?.total).toBe(1)
    await expect(ro.createOrder(INV, 'market', 'buy', 10)).rejects.toThrow(ccxt.PermissionDenied)
    expect(server.handle.state(INV).positions).toHaveLength(0)
  })
})

describe('parameter checks ccxt would round away (sent raw, signed as the docs say)', () => {
  it('off-tick price and off-step / below-minimum qty → 10001; under 5 USDT → 110094; nothing reaches the venue', async () => {
    ;({ server } = await startBybit())
    server.handle.step(2)
    const now = server.handle.clock.now()
    const post = (params: Record<string, unknown>) => bybitRest({ baseUrl: server!.httpUrl, method: 'POST', path: '/v5/order/create', params, timestampMs: now })
    const offTick = await post({ category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Limit', qty: '10', price: '17000.3' })
    expect(offTick.body.retCode).toBe(10001)
    const offStep = await post({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.0105', price: '17000' })
    expect(offStep.body.retCode).toBe(10001)
    const belowMin = await post({ category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Market', qty: '0' })
    expect(belowMin.body.retCode).toBe(10001)
    const tooSmall = await post({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '4000' })
    expect(tooSmall.body).toMatchObject({ retCode: 110094 })
    const noDirection = await post({ category: 'linear', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Market', qty: '0.001', triggerPrice: '17000' })
    expect(noDirection.body.retCode).toBe(10001)
    expect(server.handle.state(LIN).openOrders).toHaveLength(0)
    expect(server.handle.state(INV).openOrders).toHaveLength(0)
  })
})
