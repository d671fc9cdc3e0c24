import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer } from '../src/index.js'
import { ccxtBinanceUsdm } from './ccxt-binance.js'

const BTC = 'BTC/USDT:USDT'
let server: VenueServer
let t = 0
let exchanges: { close(): Promise<unknown> }[] = []

function bar(open: number, high: number, low: number, close: number): void {
  t = Math.max(t + 60_000, Math.floor((Date.now() - 120_000) / 60_000) * 60_000)
  server.handle.venue.applyCandle({ symbol: BTC, candle: { openTimeMs: t, open, high, low, close, volume: 10 } })
}

/** A ccxt pro client; ccxt needs its plain-http agent loaded before it opens a non-TLS `ws://` socket. */
async function client(): Promise<ReturnType<typeof ccxtBinanceUsdm>> {
  const ex = ccxtBinanceUsdm(server)
  await ex.loadHttpProxyAgent()
  exchanges.push(ex)
  return ex
}

/** Wait until the server has a user-data (or market) connection, so events sent next reach ccxt. */
async function untilConnected(channel: 'user' | 'market'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const connected = server.handle
      .requestLog()
      .some((e) => e.transport === 'ws' && (channel === 'user' ? e.method === 'CONNECT' && e.path.startsWith('/private') : e.method === 'MESSAGE'))
    if (connected) {
      await new Promise((r) => setTimeout(r, 100))
      return
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`no ${channel} connection`)
}

/**
 * Await a pending ccxt watch call, then call the watch method again until the result satisfies `done`
 * (a watch call resolves with the updates that arrived since the previous one).
 */
async function watchUntil<T>(first: Promise<T>, watch: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await first
  for (let i = 0; i < 20 && !done(value); i++) value = await watch()
  if (!done(value)) throw new Error('the awaited update never came')
  return value
}

beforeEach(async () => {
  server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet' })
  t = 0
  exchanges = []
  bar(65000, 65010, 64990, 65000)
})
afterEach(async () => {
  for (const ex of exchanges) await ex.close()
  await server.close()
})

describe('ccxt pro parses the local Binance USDⓈ-M WebSocket streams', () => {
  it('watchOrders and watchMyTrades see a market order fill (ORDER_TRADE_UPDATE)', async () => {
    const ex = await client()
    await ex.loadMarkets()
    const orders = ex.watchOrders(BTC)
    const myTrades = ex.watchMyTrades(BTC)
    await untilConnected('user')
    const created = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pk-w-1' })
    const filled = await watchUntil(orders, () => ex.watchOrders(BTC), (list) => list.some((o) => o.id === created.id && o.status === 'closed'))
    expect(filled.find((o) => o.id === created.id)).toMatchObject({ clientOrderId: 'pk-w-1', symbol: BTC, side: 'buy', filled: 0.01, average: 65000 })
    const trades = await myTrades
    expect(trades.at(-1)).toMatchObject({ order: created.id, price: 65000, amount: 0.01, side: 'buy', fee: { cost: 0.325, currency: 'USDT' } })
  })

  it('watchPositions and watchBalance see ACCOUNT_UPDATE after a fill', async () => {
    const ex = await client()
    await ex.loadMarkets()
    expect(await ex.watchPositions([BTC])).toEqual([]) // the first call answers with ccxt's REST snapshot: flat
    const next = ex.watchPositions([BTC])
    const balance = ex.watchBalance()
    await untilConnected('user')
    await ex.createOrder(BTC, 'market', 'buy', 0.01)
    const positions = await watchUntil(next, () => ex.watchPositions([BTC]), (list) => list.some((p) => (p.contracts ?? 0) > 0))
    expect(positions.find((p) => (p.contracts ?? 0) > 0)).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 65000 })
    const b = await balance
    expect(b['USDT']?.total).toBeCloseTo(10_000 - 0.325, 8)
  })

  it('watchOrders reports a stop placed through the algo API, then its trigger and fill', async () => {
    const ex = await client()
    await ex.loadMarkets()
    await ex.createOrder(BTC, 'market', 'buy', 0.01)
    const first = ex.watchOrders(BTC)
    await untilConnected('user')
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 64000, reduceOnly: true, clientOrderId: 'pk-sl-w' })
    expect((await first).at(-1)).toMatchObject({ clientOrderId: 'pk-sl-w', status: 'open' })
    const next = ex.watchMyTrades(BTC)
    bar(65000, 65050, 63900, 63950)
    const trades = await next
    expect(trades.at(-1)).toMatchObject({ side: 'sell', price: 64000, amount: 0.01 })
    expect(stop.id).toBeDefined()
  })

  it('watchOHLCV parses kline frames fed from the price path', async () => {
    const ex = await client()
    await ex.loadMarkets()
    const ohlcv = ex.watchOHLCV(BTC, '1m')
    await untilConnected('market')
    bar(65000, 65100, 64900, 65050)
    const candles = await ohlcv
    expect(candles.at(-1)).toEqual([t, 65000, 65100, 64900, 65050, 10])
  })
})
