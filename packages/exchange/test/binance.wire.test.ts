/**
 * createBinanceUsdm against the local Binance USDⓈ-M venue server over 127.0.0.1: the error table on real wire
 * answers (venue codes, 429, 5xx and timeouts after the venue accepted), no re-send of a create, hedge mode
 * refused, and the user stream's reconnect after a dropped socket and `listenKeyExpired` (a silent socket: stream-liveness).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestClock, type OrderRequest, type TestClock, type UserStreamEvent } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer, type VenueServer } from '@perpkit/venue-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ClockDriftEvent, createBinanceUsdm } from '../src/index.js'
import { failure, pause, until } from './wire-helpers.js'

const SYMBOL = 'BTC/USDT:USDT'

let clock: TestClock
let server: VenueServer
let client: ReturnType<typeof createBinanceUsdm>
let events: UserStreamEvent[]

const creates = (cid: string): number =>
  server.handle.requestLog().filter((r) => r.method === 'POST' && r.path === '/fapi/v1/order' && r.params['newClientOrderId'] === cid).length
const limit = (cid: string, price = 60_000): OrderRequest => ({ symbol: SYMBOL, clientOrderId: cid, side: 'buy', type: 'limit', qty: 0.003, price, timeInForce: 'GTC' })

beforeEach(async () => {
  clock = createTestClock(Date.UTC(2026, 0, 5))
  server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', clock, seed: 5 })
  // these tests jump the clock by seconds at once, which no pong can keep up with: the heartbeat has its own tests (stream-liveness)
  client = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock, timeoutMs: 10_000, userStream: { pingIntervalMs: 3_600_000 } })
  events = []
  client.subscribeUserStream((e) => events.push(e))
  server.handle.venue.applyTrade({ symbol: SYMBOL, trade: { tradeId: 't0', timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
  await client.connect()
})
afterEach(async () => {
  await client.close()
  await server.close()
})

describe('errors mapped from the wire', () => {
  it('a timeout after the venue accepted a create is unknown-outcome; the create is sent once and the order exists', async () => {
    server.handle.faults.http('order.create', { kind: 'timeout-after-accept' })
    const pending = failure(client.createOrder(limit('pk_to1')))
    await until('the create to reach the venue', () => creates('pk_to1') === 1)
    clock.advance(10_000)
    expect((await pending).code).toBe('unknown-outcome')
    expect(creates('pk_to1')).toBe(1)
    expect((await client.fetchOrder({ symbol: SYMBOL, clientOrderId: 'pk_to1' }))?.status).toBe('open')
  })
  it('an HTTP 503 after accept is unknown-outcome, never a rejection', async () => {
    server.handle.faults.http('order.create', { kind: 'http-5xx-after-accept' })
    const e = await failure(client.createOrder(limit('pk_5xx')))
    expect(e.code).toBe('unknown-outcome')
    expect(creates('pk_5xx')).toBe(1)
    expect((await client.fetchOrder({ symbol: SYMBOL, clientOrderId: 'pk_5xx' }))?.status).toBe('open')
  })
  it('429 is rate-limited with Retry-After; nothing was placed', async () => {
    server.handle.faults.http('order.create', { kind: 'rate-limited', retryAfterSec: 3 })
    expect(await failure(client.createOrder(limit('pk_429')))).toMatchObject({ code: 'rate-limited', retryAfterMs: 3_000 })
    // the shared budget holds every request until Retry-After has passed
    const requests = (): number => server.handle.requestLog().length
    const sent = requests()
    let answered = false
    const query = client.fetchOrder({ symbol: SYMBOL, clientOrderId: 'pk_429' }).finally(() => (answered = true))
    clock.advance(2_999)
    await pause(20)
    expect([answered, requests()]).toEqual([false, sent])
    clock.advance(1)
    expect(await query).toBeNull()
  })
  it('a local clock that jumps beyond recvWindow: -1021 is clock-skew, the offset is measured again and reported as clock-drift, the next request passes', async () => {
    const drifts: ClockDriftEvent[] = []
    const local = createTestClock(clock.now())
    const c = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock: local, onClockDrift: (e) => drifts.push(e) })
    expect((await c.fetchBalances()).length).toBeGreaterThan(0)
    local.stepWall(-20_000) // the local clock falls 20 s behind the venue's (recvWindow 5 s)
    expect(await failure(c.fetchBalances())).toMatchObject({ code: 'clock-skew', venueCode: -1021 })
    await until('the re-measured offset', () => drifts.length === 1)
    expect(drifts[0]).toMatchObject({ type: 'clock-drift', previousOffsetMs: 0, offsetMs: 20_000, driftMs: 20_000, recvWindowMs: 5_000 })
    expect((await c.fetchBalances()).length).toBeGreaterThan(0)
  })
  it('a stop whose trigger is already crossed is would-immediately-trigger (-2021)', async () => {
    const e = await failure(client.createOrder({ symbol: SYMBOL, clientOrderId: 'pk_imm', side: 'sell', type: 'stop-market', qty: 0.003, triggerPrice: 66_000, reduceOnly: true }))
    expect([e.code, e.venueCode]).toEqual(['would-immediately-trigger', -2021])
  })
  it('a post-only order that would take liquidity is post-only-rejected (-5022)', async () => {
    const e = await failure(client.createOrder({ ...limit('pk_gtx', 66_000), timeInForce: 'post-only' }))
    expect([e.code, e.venueCode]).toEqual(['post-only-rejected', -5022])
  })
  it('a wrong secret is authentication (-1022), fatal', async () => {
    const bad = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: 'wrong', restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock })
    expect(await failure(bad.fetchBalances())).toMatchObject({ code: 'authentication', venueCode: -1022 })
  })
  it('conditional orders go to the Algo Order API with exact decimal strings', async () => {
    await client.createOrder({ symbol: SYMBOL, clientOrderId: 'pk_sl', side: 'buy', type: 'stop-market', qty: 0.003, triggerPrice: 70_000.1 })
    const sent = server.handle.requestLog().filter((r) => r.method === 'POST' && r.path === '/fapi/v1/algoOrder')
    expect(sent.map((r) => [r.params['type'], r.params['triggerPrice'], r.params['quantity'], r.params['clientAlgoId'], r.params['algoType']])).toEqual([
      ['STOP_MARKET', '70000.1', '0.003', 'pk_sl', 'CONDITIONAL'],
    ])
  })
})

describe('account mode', () => {
  it('connect() refuses a hedge-mode account with invalid-state', async () => {
    await server.handle.venue.sim('binance-usdm').setPositionMode({ mode: 'hedge' })
    const other = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock })
    expect((await failure(other.connect())).code).toBe('invalid-state')
  })
})

describe('user stream', () => {
  it('reports a dropped socket and reconnects (closed dropped → connecting → open reconnect)', async () => {
    server.handle.faults.ws({ kind: 'drop', channel: 'user' })
    await until('the drop', () => events.some((e) => e.type === 'connection' && e.reason === 'dropped'))
    clock.advance(1_000)
    await until('the reconnect', () => events.some((e) => e.type === 'connection' && e.state === 'open' && e.reason === 'reconnect'))
    await client.createOrder(limit('pk_after'))
    await until('events after the reconnect', () => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'pk_after'))
  })
  it('recreates the listen key after listenKeyExpired', async () => {
    const keysBefore = server.handle.requestLog().filter((r) => r.method === 'POST' && r.path === '/fapi/v1/listenKey').length
    server.handle.faults.ws({ kind: 'expire-user-stream', channel: 'user' })
    await until('the expiry', () => events.some((e) => e.type === 'connection' && e.reason === 'listen-key-expired' && e.state === 'closed'))
    clock.advance(1_000)
    await until('the new stream', () => events.some((e) => e.type === 'connection' && e.reason === 'listen-key-expired' && e.state === 'open'))
    expect(server.handle.requestLog().filter((r) => r.method === 'POST' && r.path === '/fapi/v1/listenKey').length).toBe(keysBefore + 1)
    await client.createOrder(limit('pk_fresh'))
    await until('events on the new key', () => events.some((e) => e.type === 'order' && e.order.clientOrderId === 'pk_fresh'))
  })
})

describe('key permissions', () => {
  // GET /sapi/v1/account/apiRestrictions response example from Binance's wallet API docs, with enableWithdrawals set per case
  const restrictions = (enableWithdrawals: boolean): Record<string, unknown> => ({
    ipRestrict: false, createTime: 1698645219000, enableReading: true, enableWithdrawals, enableInternalTransfer: true, enableMargin: false,
    enableFutures: true, permitsUniversalTransfer: true, enableVanillaOptions: false, enableFixApiTrade: false, enableFixReadOnly: true,
    enableSpotAndMarginTrading: false, enablePortfolioMarginTrading: true,
  })
  const spotApi = async (enableWithdrawals: boolean): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> => {
    const paths: string[] = []
    const http = createServer((req, res) => {
      paths.push((req.url ?? '').split('?')[0] ?? '')
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(restrictions(enableWithdrawals)))
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const { port } = http.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}`, paths, close: () => new Promise((resolve) => http.close(() => resolve())) }
  }
  it('connect() refuses a key with withdrawal permission (permission, fatal) and opens no stream', async () => {
    const spot = await spotApi(true)
    try {
      const risky = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, spotRestBaseUrl: spot.url, clock })
      const keysBefore = server.handle.requestLog().filter((r) => r.path === '/fapi/v1/listenKey').length
      expect((await failure(risky.connect())).code).toBe('permission')
      expect(spot.paths).toEqual(['/sapi/v1/account/apiRestrictions'])
      expect(server.handle.requestLog().filter((r) => r.path === '/fapi/v1/listenKey').length).toBe(keysBefore)
    } finally {
      await spot.close()
    }
  })
  it('connect() accepts a key without withdrawal permission', async () => {
    const spot = await spotApi(false)
    try {
      const safe = createBinanceUsdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, spotRestBaseUrl: spot.url, clock })
      await safe.connect()
      await safe.close()
      expect(spot.paths).toEqual(['/sapi/v1/account/apiRestrictions'])
    } finally {
      await spot.close()
    }
  })
})
