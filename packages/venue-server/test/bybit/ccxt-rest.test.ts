import { createTestClock } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer } from '../../src/index.js'
import { ccxtBybit } from '../ccxt-bybit.js'

let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const T0 = Date.UTC(2022, 11, 13)
const bar = (t: number, o: number, h: number, l: number, c: number) => ({ openTimeMs: t, open: o, high: h, low: l, close: c, volume: 1000 })

async function start() {
  const clock = createTestClock(T0)
  server = await startVenueServer({
    dialect: 'bybit',
    clock,
    data: {
      timeframeMs: 60_000,
      candles: {
        'BTC/USD:BTC': [bar(T0, 17100, 17120, 17090, 17110), bar(T0 + 60_000, 17110, 17130, 17100, 17120)],
        'BTC/USDT:USDT': [bar(T0, 17105, 17125, 17095, 17115), bar(T0 + 60_000, 17115, 17135, 17105, 17125)],
      },
    },
  })
  server.handle.step(2)
  return { server, clock }
}

describe('ccxt bybit against the local Bybit v5 server', () => {
  it('loads inverse and linear markets', async () => {
    const { server } = await start()
    const exchange = ccxtBybit(server)
    const markets = await exchange.loadMarkets()
    expect(Object.keys(markets).sort()).toEqual(['BTC/USD:BTC', 'BTC/USDT:USDT'])
    expect(markets['BTC/USD:BTC']).toMatchObject({ id: 'BTCUSD', inverse: true, settle: 'BTC', contractSize: 1, precision: { price: 0.5, amount: 1 } })
    expect(markets['BTC/USDT:USDT']).toMatchObject({ id: 'BTCUSDT', linear: true, settle: 'USDT', contractSize: 1, precision: { price: 0.1, amount: 0.001 }, limits: { cost: { min: 5 } } })
    expect(await exchange.fetchTime()).toBe(T0 + 120_000)
  })

  it('trades an inverse market order and reads it back', async () => {
    const { server } = await start()
    const exchange = ccxtBybit(server)
    const order = await exchange.createOrder('BTC/USD:BTC', 'market', 'buy', 100, undefined, { clientOrderId: 'inv-1' })
    expect(order.id).toMatch(/^[0-9a-f-]{36}$/)
    const fetched = await exchange.fetchOrder(order.id, 'BTC/USD:BTC', { acknowledged: true })
    expect(fetched).toMatchObject({ clientOrderId: 'inv-1', status: 'closed', filled: 100, amount: 100 })
    const positions = await exchange.fetchPositions(['BTC/USD:BTC'])
    expect(positions[0]).toMatchObject({ symbol: 'BTC/USD:BTC', side: 'long', contracts: 100 })
    const trades = await exchange.fetchMyTrades('BTC/USD:BTC')
    expect(trades).toHaveLength(1)
    const balance = await exchange.fetchBalance()
    expect(balance.BTC?.total).toBeLessThan(1)
  })
})
