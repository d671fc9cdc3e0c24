import { createTestClock, type TestClock } from '@perpkit/core'
import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer, type VenueServerOptions } from '../src/index.js'
import { ccxtBinanceUsdm } from './ccxt-binance.js'
import { binanceRequest } from './helpers.js'
import { openSocket, settle } from './ws-client.js'

const BTC = 'BTC/USDT:USDT'
const T0 = Date.UTC(2025, 8, 19)
let server: VenueServer | undefined
let clock: TestClock

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(extra: Partial<VenueServerOptions> = {}): Promise<VenueServer> {
  clock = createTestClock(T0)
  server = await startVenueServer({ dialect: 'binance-usdm', clock, ...extra })
  server.handle.venue.applyCandle({ symbol: BTC, candle: { openTimeMs: T0, open: 65000, high: 65010, low: 64990, close: 65000, volume: 10 } })
  return server
}

const marketBuy = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' }
const simCreates = (s: VenueServer): number => s.handle.venue.simFor(BTC).callLog().filter((c) => c.method === 'createOrder').length

describe('Binance authentication', () => {
  it('answers -1022 for a wrong signature, -1021 outside recvWindow, -2015 for an unknown key, -2014 without a key', async () => {
    const s = await start()
    const base = { baseUrl: s.httpUrl, method: 'POST' as const, path: '/fapi/v1/order', params: marketBuy, signed: true, timestampMs: T0 }
    expect((await binanceRequest({ ...base, secret: 'wrong' })).body).toMatchObject({ code: -1022 })
    expect((await binanceRequest({ ...base, timestampMs: T0 - 5_001 })).body).toMatchObject({ code: -1021 })
    expect((await binanceRequest({ ...base, timestampMs: T0 + 1_001 })).body).toMatchObject({ code: -1021 })
    expect((await binanceRequest({ ...base, apiKey: 'nobody' })).body).toMatchObject({ code: -2015 })
    expect((await binanceRequest({ ...base, signed: false })).body).toMatchObject({ code: -2014 })
    expect(simCreates(s)).toBe(0)
    expect((await binanceRequest({ ...base, timestampMs: T0 - 5_000 })).status).toBe(200)
    expect(simCreates(s)).toBe(1)
  })

  it('a read-only key can read but not trade (-2015, HTTP 401, nothing reaches the venue)', async () => {
    const s = await start({ keys: [{ apiKey: 'ro', secret: 'ro-secret', permissions: { trade: false } }, { apiKey: 'rw', secret: 'rw-secret' }] })
    const readOnly = { baseUrl: s.httpUrl, signed: true, timestampMs: T0, apiKey: 'ro', secret: 'ro-secret' }
    expect((await binanceRequest({ ...readOnly, method: 'GET', path: '/fapi/v2/balance' })).status).toBe(200)
    const res = await binanceRequest({ ...readOnly, method: 'POST', path: '/fapi/v1/order', params: marketBuy })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: -2015 })
    expect(simCreates(s)).toBe(0)
  })
})

describe('Binance limits', () => {
  it('counts request weight per minute in X-MBX-USED-WEIGHT-1M, answers 429 with Retry-After past 2400, resets next minute', async () => {
    const s = await start()
    const call = () => binanceRequest({ baseUrl: s.httpUrl, method: 'GET', path: '/fapi/v1/openOrders', signed: true, timestampMs: clock.now() })
    let last = await call()
    expect(last.headers.get('x-mbx-used-weight-1m')).toBe('40')
    for (let i = 2; i <= 60; i++) last = await call()
    expect(last.status).toBe(200)
    expect(last.headers.get('x-mbx-used-weight-1m')).toBe('2400')
    const limited = await call()
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ code: -1003 })
    expect(limited.headers.get('retry-after')).toBe('60')
    clock.advance(60_000)
    const again = await call()
    expect(again.status).toBe(200)
    expect(again.headers.get('x-mbx-used-weight-1m')).toBe('40')
  })

  it('reports order counts per 10 s and per minute, and bans with 418 after repeated 429s', async () => {
    const s = await start()
    const first = await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/order', params: marketBuy, signed: true, timestampMs: T0 })
    expect(first.headers.get('x-mbx-order-count-10s')).toBe('1')
    expect(first.headers.get('x-mbx-order-count-1m')).toBe('1')
    s.handle.faults.http('time', { kind: 'rate-limited', retryAfterSec: 7, times: 3 })
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await binanceRequest({ baseUrl: s.httpUrl, method: 'GET', path: '/fapi/v1/time' }))
    expect(answers.map((a) => a.status)).toEqual([429, 429, 429, 418])
    expect(answers[0]?.headers.get('retry-after')).toBe('7')
    expect(answers[3]?.body).toMatchObject({ code: -1003 })
    expect(String((answers[3]?.body as { msg: string }).msg)).toMatch(/banned until/)
    clock.advance(120_000)
    expect((await binanceRequest({ baseUrl: s.httpUrl, method: 'GET', path: '/fapi/v1/time' })).status).toBe(200)
  })
})

describe('Binance HTTP faults seen by ccxt', () => {
  it('accept-then-timeout: ccxt times out, the order exists on the venue', async () => {
    const s = await start()
    const ex = ccxtBinanceUsdm(s, { timeout: 400, options: { fetchCurrencies: false, adjustForTimeDifference: true } })
    await ex.loadMarkets()
    s.handle.faults.http('order.create', { kind: 'timeout-after-accept' })
    await expect(ex.createOrder(BTC, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pk-lost-1' })).rejects.toBeInstanceOf(ccxt.RequestTimeout)
    expect(s.handle.state(BTC).openOrders.map((o) => o.clientOrderId)).toEqual(['pk-lost-1'])
    const found = await ex.fetchOrder('', BTC, { origClientOrderId: 'pk-lost-1' })
    expect(found).toMatchObject({ clientOrderId: 'pk-lost-1', status: 'open' })
    const entry = s.handle.requestLog().find((e) => e.route === 'order.create')
    expect(entry).toMatchObject({ accepted: true, fault: 'timeout-after-accept' })
    expect(entry?.status).toBeUndefined()
  })

  it('5xx before accept ("Service Unavailable.", nothing done) vs after accept (-1007, outcome unknown, the order exists)', async () => {
    const s = await start()
    const ex = ccxtBinanceUsdm(s, { options: { fetchCurrencies: false, adjustForTimeDifference: true } })
    await ex.loadMarkets()
    s.handle.faults.http('order.create', { kind: 'http-5xx-before-accept' })
    await expect(ex.createOrder(BTC, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pk-a' })).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable)
    expect(s.handle.state(BTC).openOrders).toEqual([])
    s.handle.faults.http('POST /fapi/v1/order', { kind: 'http-5xx-after-accept' })
    await expect(ex.createOrder(BTC, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pk-b' })).rejects.toBeInstanceOf(ccxt.RequestTimeout)
    expect(s.handle.state(BTC).openOrders.map((o) => o.clientOrderId)).toEqual(['pk-b'])
  })

  it('maintenance answers -1001 (HTTP 503) and the venue does not act', async () => {
    const s = await start({ faults: [{ target: '*', fault: { kind: 'maintenance', times: 2 } }] })
    const res = await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/order', params: marketBuy, signed: true, timestampMs: T0 })
    expect(res.status).toBe(503)
    expect(res.body).toMatchObject({ code: -1001 })
    expect(simCreates(s)).toBe(0)
  })

  it('slow answers arrive after the delay on the server clock', async () => {
    const s = await start()
    s.handle.faults.http('time', { kind: 'slow', delayMs: 3_000 })
    const pending = binanceRequest({ baseUrl: s.httpUrl, method: 'GET', path: '/fapi/v1/time' })
    await settle()
    expect(s.handle.eventLog().filter((e) => e.ref === 'time')).toEqual([])
    clock.advance(3_000)
    expect((await pending).body).toEqual({ serverTime: T0 + 3_000 })
  })
})

describe('Binance user stream faults', () => {
  async function userSocket(s: VenueServer) {
    const key = await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })
    const listenKey = (key.body as { listenKey: string }).listenKey
    expect(listenKey).toMatch(/^[A-Za-z0-9]{64}$/)
    return { listenKey, socket: await openSocket(`${s.wsUrl}/ws/${listenKey}`) }
  }
  const order = (s: VenueServer, clientId: string) =>
    binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/order', params: { ...marketBuy, type: 'LIMIT', price: '64000.0', timeInForce: 'GTC', newClientOrderId: clientId }, signed: true, timestampMs: clock.now() })

  it('a listen key expires after 60 minutes without keep-alive: listenKeyExpired (E as a string), then silence', async () => {
    const s = await start()
    const { listenKey, socket } = await userSocket(s)
    clock.advance(59 * 60_000)
    expect((await binanceRequest({ baseUrl: s.httpUrl, method: 'PUT', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })).status).toBe(200)
    clock.advance(59 * 60_000)
    await settle()
    expect(socket.frames).toEqual([])
    clock.advance(60_000)
    const [expired] = await socket.waitFrames(1)
    expect(expired).toEqual({ e: 'listenKeyExpired', E: String(T0 + 119 * 60_000), listenKey })
    await order(s, 'after-expiry')
    await settle()
    expect(socket.frames).toHaveLength(1)
    expect((await binanceRequest({ baseUrl: s.httpUrl, method: 'PUT', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })).body).toMatchObject({ code: -1125 })
    socket.close()
  })

  it('expire-user-stream, duplicate, reorder and silence shape what the client receives; drop closes without a close frame', async () => {
    const s = await start()
    const { socket } = await userSocket(s)
    s.handle.faults.ws({ kind: 'duplicate', channel: 'user', count: 1 })
    await order(s, 'dup-1')
    const frames = await socket.waitFrames(2)
    expect(frames[0]).toEqual(frames[1])
    s.handle.faults.ws({ kind: 'silence', channel: 'user', untilMs: T0 + 10_000 })
    await order(s, 'silent-1')
    await settle()
    expect(socket.frames).toHaveLength(2)
    clock.advance(10_000)
    s.handle.faults.ws({ kind: 'reorder', channel: 'user', count: 3 })
    for (const id of ['r-1', 'r-2', 'r-3']) await order(s, id)
    const got = (await socket.waitFrames(5)).slice(2).map((f) => (f as { o: { c: string } }).o.c)
    expect([...got].sort()).toEqual(['r-1', 'r-2', 'r-3'])
    s.handle.faults.ws({ kind: 'drop', channel: 'user' })
    expect(await socket.waitClose()).toBe(1006)
  })
})
