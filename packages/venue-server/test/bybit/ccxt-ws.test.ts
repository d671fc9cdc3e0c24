import { afterEach, describe, expect, it } from 'vitest'
import type { VenueServer } from '../../src/index.js'
import { ccxtBybit } from '../ccxt-bybit.js'
import { startBybit } from './scenario.js'

let server: VenueServer | undefined
let closeExchange: (() => Promise<unknown>) | undefined
afterEach(async () => {
  await closeExchange?.()
  await server?.close()
  server = undefined
  closeExchange = undefined
})

const INV = 'BTC/USD:BTC'
const LIN = 'BTC/USDT:USDT'

/** Wait (bounded) until the client has sent a WebSocket frame containing every fragment. */
async function clientSent(s: VenueServer, ...fragments: string[]): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (s.handle.requestLog().some((e) => e.transport === 'ws' && fragments.every((f) => String(e.params.frame).includes(f)))) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`the client never sent ${fragments.join(' + ')}`)
}

async function setup() {
  ;({ server } = await startBybit())
  server.handle.step(2)
  const exchange = ccxtBybit(server)
  closeExchange = () => exchange.close()
  // ccxt opens plain ws:// URLs (the local server has no TLS) only with its http agent loaded once.
  await exchange.loadHttpProxyAgent()
  await exchange.loadMarkets()
  return { server, exchange }
}

describe('ccxt pro bybit parses what the server streams', () => {
  it('watchOrders: an inverse limit order arrives as open, then canceled', async () => {
    const { server: s, exchange } = await setup()
    const first = exchange.watchOrders(INV)
    await clientSent(s, '"subscribe"', '"order"')
    const placed = await exchange.createOrder(INV, 'limit', 'buy', 100, 17000, { clientOrderId: 'ws-1' })
    const [update] = await first
    expect(update).toMatchObject({ id: placed.id, clientOrderId: 'ws-1', symbol: INV, status: 'open', price: 17000, amount: 100, filled: 0, remaining: 100 })
    const next = exchange.watchOrders(INV)
    await exchange.cancelOrder(String(placed.id), INV)
    const after = await next
    expect(after.at(-1)).toMatchObject({ id: placed.id, status: 'canceled' })
  })

  it('watchMyTrades: a linear market fill arrives with price, amount and fee', async () => {
    const { server: s, exchange } = await setup()
    const trades = exchange.watchMyTrades(LIN)
    await clientSent(s, '"subscribe"', '"execution"')
    const order = await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { clientOrderId: 'ws-t' })
    const [t] = await trades
    // taker fee 0.01 × 17,212.5 × 0.055 % = 0.0946687… USDT
    expect(t).toMatchObject({ order: order.id, symbol: LIN, side: 'sell', price: 17212.5, amount: 0.01, takerOrMaker: 'taker', fee: { currency: 'USDT' } })
    expect(t?.fee?.cost).toBeCloseTo(0.01 * 17212.5 * 0.00055, 6)
  })

  it('watchPositions: the position topic (entryPrice) after an inverse buy', async () => {
    const { server: s, exchange } = await setup()
    // ccxt's first call answers with a REST snapshot (position/list); the topic subscription follows.
    expect(await exchange.watchPositions([INV])).toEqual([])
    const positions = exchange.watchPositions([INV])
    await clientSent(s, '"subscribe"', '"position"')
    await exchange.createOrder(INV, 'market', 'buy', 200)
    const [p] = await positions
    expect(p).toMatchObject({ symbol: INV, side: 'long', contracts: 200, entryPrice: 17217.5 })
  })

  it('watchBalance: the wallet topic after a fill (BTC of the inverse account)', async () => {
    const { server: s, exchange } = await setup()
    const balance = exchange.watchBalance()
    await clientSent(s, '"subscribe"', '"wallet"')
    await exchange.createOrder(INV, 'market', 'buy', 100)
    const b = await balance
    expect(b.BTC?.total).toBeCloseTo(1 - (100 / 17217.5) * 0.00055, 8)
    expect(b.USDT?.total).toBe(10_000)
  })

  it('watchOHLCV: the kline topic (snapshot at subscription, then each new bar)', async () => {
    const { server: s, exchange } = await setup()
    const first = await exchange.watchOHLCV(LIN, '1m')
    expect(first.at(-1)).toEqual([Date.UTC(2022, 11, 13, 0, 1), 17199.5, 17212.5, 17199, 17212.5, 153.152])
    const next = exchange.watchOHLCV(LIN, '1m')
    s.handle.step(1)
    const bars = await next
    expect(bars.at(-1)).toEqual([Date.UTC(2022, 11, 13, 0, 2), 17212, 17225, 17212, 17213.5, 217.168])
  })
})
