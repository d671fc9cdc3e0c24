import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import type { VenueServer } from '../../src/index.js'
import { ccxtBybit } from '../ccxt-bybit.js'
import { bybitRest } from './raw-client.js'
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

async function setup() {
  ;({ server } = await startBybit())
  server.handle.step(2)
  const exchange = ccxtBybit(server)
  closeExchange = () => exchange.close()
  await exchange.loadMarkets()
  return { server, exchange }
}

describe('faults of the shared fault plan, as ccxt sees them', () => {
  it('timeout after accept: ccxt times out, the order exists and is found on reconciliation', async () => {
    const { server: s, exchange } = await setup()
    exchange.timeout = 500 // the request that will never be answered
    s.handle.faults.http('order.create', { kind: 'timeout-after-accept' })
    await expect(exchange.createOrder(INV, 'market', 'buy', 100, undefined, { clientOrderId: 'lost-1' })).rejects.toThrow(ccxt.RequestTimeout)
    expect(s.handle.state(INV).positions[0]).toMatchObject({ side: 'long', qty: 100 })
    exchange.timeout = 30_000
    const history = await exchange.fetchClosedOrders(INV)
    expect(history.map((o) => o.clientOrderId)).toEqual(['lost-1'])
  })

  it('5xx before accept: ExchangeNotAvailable and nothing placed; 5xx after accept: the order exists', async () => {
    const { server: s, exchange } = await setup()
    s.handle.faults.http('order.create', { kind: 'http-5xx-before-accept' })
    await expect(exchange.createOrder(INV, 'market', 'buy', 100)).rejects.toThrow(ccxt.ExchangeNotAvailable)
    expect(s.handle.state(INV).positions).toHaveLength(0)
    s.handle.faults.http('order.create', { kind: 'http-5xx-after-accept' })
    await expect(exchange.createOrder(INV, 'market', 'buy', 100)).rejects.toThrow(ccxt.ExchangeNotAvailable)
    expect(s.handle.state(INV).positions[0]?.qty).toBe(100)
  })

  it('a 429-style burst is retCode 10006 (RateLimitExceeded); maintenance is retCode 10016', async () => {
    const { server: s, exchange } = await setup()
    s.handle.faults.http('account.wallet-balance', { kind: 'rate-limited', retryAfterSec: 2 })
    await expect(exchange.fetchBalance()).rejects.toThrow(ccxt.RateLimitExceeded)
    s.handle.faults.http('order.create', { kind: 'maintenance' })
    await expect(exchange.createOrder(INV, 'market', 'buy', 1)).rejects.toThrow(/10016/)
    expect(s.handle.state(INV).positions).toHaveLength(0)
  })
})

describe('Bybit rate limit headers and 10006', () => {
  it('X-Bapi-Limit / -Status / -Reset-Timestamp count down per key and endpoint; the 11th create in a second is refused', async () => {
    ;({ server } = await startBybit())
    const s = server
    s.handle.step(2)
    const now = s.handle.clock.now()
    const create = (i: number) =>
      bybitRest({ baseUrl: s.httpUrl, method: 'POST', path: '/v5/order/create', timestampMs: now, params: { category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Limit', qty: '1', price: '17000', orderLinkId: `rl-${i}` } })
    const answers = []
    for (let i = 1; i <= 11; i++) answers.push(await create(i))
    expect(answers[0]?.headers.get('x-bapi-limit')).toBe('10')
    expect(answers[0]?.headers.get('x-bapi-limit-status')).toBe('9')
    expect(answers[9]?.body.retCode).toBe(0)
    expect(answers[9]?.headers.get('x-bapi-limit-status')).toBe('0')
    expect(answers[10]?.body).toMatchObject({ retCode: 10006, retMsg: 'Too many visits!' })
    expect(Number(answers[10]?.headers.get('x-bapi-limit-reset-timestamp'))).toBeGreaterThan(now)
    expect(s.handle.state(INV).openOrders).toHaveLength(10)
    // another endpoint has its own window
    const balance = await bybitRest({ baseUrl: s.httpUrl, method: 'GET', path: '/v5/account/wallet-balance', params: { accountType: 'UNIFIED' }, timestampMs: now })
    expect(balance.body.retCode).toBe(0)
    expect(balance.headers.get('x-bapi-limit')).toBe('50')
  })
})

describe('REST authentication (timestamp window, key, signature)', () => {
  it('accepts serverTime − recvWindow ≤ timestamp < serverTime + 1000 and answers 10002 outside it', async () => {
    ;({ server } = await startBybit())
    const s = server
    const now = s.handle.clock.now()
    const at = (timestampMs: number, recvWindow = 5_000) => bybitRest({ baseUrl: s.httpUrl, method: 'GET', path: '/v5/account/info', timestampMs, recvWindow })
    expect((await at(now - 5_000)).body.retCode).toBe(0)
    expect((await at(now + 999)).body.retCode).toBe(0)
    expect((await at(now - 5_001)).body.retCode).toBe(10002)
    expect((await at(now + 1_000)).body.retCode).toBe(10002)
    expect((await at(now - 20_000, 30_000)).body.retCode).toBe(0)
    expect((await bybitRest({ baseUrl: s.httpUrl, method: 'GET', path: '/v5/account/info', timestampMs: now, secret: 'bad' })).body.retCode).toBe(10004)
    expect((await bybitRest({ baseUrl: s.httpUrl, method: 'GET', path: '/v5/account/info', timestampMs: now, apiKey: 'who' })).body.retCode).toBe(10003)
    expect((await bybitRest({ baseUrl: s.httpUrl, method: 'GET', path: '/v5/account/info', timestampMs: now, signed: false })).body.retCode).toBe(10003)
  })
})
