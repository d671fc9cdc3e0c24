/**
 * createBybit against the local Bybit v5 venue server over 127.0.0.1: refusals at connect (hedge-mode account,
 * withdraw-enabled key) with nothing traded, the error table on real wire answers (timeout and 5xx after the venue
 * accepted, 10006, a crossing PostOnly, a trigger already crossed), what a conditional order sends, amend of a
 * trigger price, and the private stream's reconnect after a dropped socket (a silent one: stream-liveness).
 */
import { createHmac } from 'node:crypto'
import { createTestClock, type OrderRequest, type TestClock, type UserStreamEvent } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer, type VenueServer } from '@perpkit/venue-server'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClockDriftEvent, createBybit } from '../src/index.js'
import { failure, pause, until } from './wire-helpers.js'

const LINEAR = 'BTC/USDT:USDT'
const INVERSE = 'BTC/USD:BTC'

let clock: TestClock
let server: VenueServer
let client: ReturnType<typeof createBybit> | undefined
let events: UserStreamEvent[]

const requests = (path: string): number => server.handle.requestLog().filter((r) => r.path === path).length
const connections = (): string[] => events.flatMap((e) => (e.type === 'connection' ? [`${e.state}:${e.reason ?? ''}`] : []))

async function start(args: { readonly category: 'inverse' | 'linear'; readonly keys?: Parameters<typeof startVenueServer>[0]['keys']; readonly apiKey?: string; readonly secret?: string; readonly connect?: boolean }): Promise<void> {
  clock = createTestClock(Date.UTC(2026, 0, 5))
  server = await startVenueServer({ dialect: 'bybit', clock, seed: 5, ...(args.keys === undefined ? {} : { keys: args.keys }) })
  for (const symbol of [LINEAR, INVERSE]) server.handle.venue.applyTrade({ symbol, trade: { tradeId: `t0${symbol}`, timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
  client = createBybit({
    apiKey: args.apiKey ?? DEFAULT_API_KEY.apiKey,
    secret: args.secret ?? DEFAULT_API_KEY.secret,
    category: args.category,
    restBaseUrl: server.httpUrl,
    wsBaseUrl: server.wsUrl,
    clock,
    stream: { pingIntervalMs: 3_600_000 }, // the clock jumps by seconds here; the heartbeat has its own tests (stream-liveness)
  })
  events = []
  client.subscribeUserStream((e) => events.push(e))
  if (args.connect !== false) await client.connect()
}
afterEach(async () => {
  await client?.close()
  client = undefined
  await server.close()
})

/** A signed v5 request written from the docs' rule (HMAC-SHA256 of timestamp + key + recvWindow + query or body), independent of the adapter. */
async function signed(method: 'GET' | 'POST', path: string, params: Record<string, string | number>): Promise<{ retCode: number; result: Record<string, unknown> }> {
  const query = method === 'GET' ? new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString() : ''
  const body = method === 'POST' ? JSON.stringify(params) : ''
  const ts = String(clock.now())
  const sign = createHmac('sha256', DEFAULT_API_KEY.secret).update(`${ts}${DEFAULT_API_KEY.apiKey}5000${method === 'GET' ? query : body}`).digest('hex')
  const res = await fetch(`${server.httpUrl}${path}${query === '' ? '' : `?${query}`}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-BAPI-API-KEY': DEFAULT_API_KEY.apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign },
    ...(method === 'POST' ? { body } : {}),
  })
  return (await res.json()) as { retCode: number; result: Record<string, unknown> }
}

describe('refused at connect, nothing traded', () => {
  it('a hedge-mode account (positionIdx 1/2) is invalid-state; no order request, no private stream', async () => {
    await start({ category: 'linear', connect: false })
    expect((await signed('POST', '/v5/position/switch-mode', { category: 'linear', symbol: 'BTCUSDT', mode: 3 })).retCode).toBe(0)
    const e = await failure((client as NonNullable<typeof client>).connect())
    expect(e.code).toBe('invalid-state')
    expect(requests('/v5/order/create')).toBe(0)
    expect(connections()).toEqual([])
  })
  it('a key with withdrawal permission is refused (permission) right after user/query-api: no instruments, no order, no stream', async () => {
    await start({ category: 'inverse', keys: [{ apiKey: 'wd-key', secret: 'wd-secret', permissions: { read: true, trade: true, withdraw: true } }], apiKey: 'wd-key', secret: 'wd-secret', connect: false })
    const e = await failure((client as NonNullable<typeof client>).connect())
    expect(e.code).toBe('permission')
    expect(requests('/v5/user/query-api')).toBe(1)
    expect([requests('/v5/market/instruments-info'), requests('/v5/order/create')]).toEqual([0, 0])
    expect(connections()).toEqual([])
  })
  it('an unknown key is a fatal authentication error (10003)', async () => {
    await start({ category: 'inverse', apiKey: 'nope', secret: 'nope', connect: false })
    const e = await failure((client as NonNullable<typeof client>).connect())
    expect([e.code, e.venueCode]).toEqual(['authentication', 10003])
  })
})

const limit = (link: string, price = 60_000): OrderRequest => ({ symbol: LINEAR, clientOrderId: link, side: 'buy', type: 'limit', qty: 0.003, price, timeInForce: 'GTC' })

describe('errors mapped from the wire (linear)', () => {

  it('a timeout after the venue accepted a create is unknown-outcome; the create is sent once and the order exists', async () => {
    await start({ category: 'linear' })
    server.handle.faults.http('order.create', { kind: 'timeout-after-accept' })
    const c = client as NonNullable<typeof client>
    const pending = failure(c.createOrder(limit('pk_to1')))
    await until('the create to reach the venue', () => requests('/v5/order/create') === 1)
    clock.advance(10_000)
    expect((await pending).code).toBe('unknown-outcome')
    expect(requests('/v5/order/create')).toBe(1)
    expect((await c.fetchOrder({ symbol: LINEAR, clientOrderId: 'pk_to1' }))?.status).toBe('open')
  })
  it('an HTTP 503 after accept is unknown-outcome, never a rejection', async () => {
    await start({ category: 'linear' })
    server.handle.faults.http('order.create', { kind: 'http-5xx-after-accept' })
    const c = client as NonNullable<typeof client>
    expect((await failure(c.createOrder(limit('pk_5xx')))).code).toBe('unknown-outcome')
    expect(requests('/v5/order/create')).toBe(1)
    expect((await c.fetchOrder({ symbol: LINEAR, clientOrderId: 'pk_5xx' }))?.status).toBe('open')
  })
  it('10006 is rate-limited with the wait until X-Bapi-Limit-Reset-Timestamp; nothing was placed', async () => {
    await start({ category: 'linear' })
    server.handle.faults.http('order.create', { kind: 'rate-limited', retryAfterSec: 3 })
    const c = client as NonNullable<typeof client>
    expect(await failure(c.createOrder(limit('pk_429')))).toMatchObject({ code: 'rate-limited', venueCode: 10006, retryAfterMs: 3_000 })
    expect(await c.fetchOrder({ symbol: LINEAR, clientOrderId: 'pk_429' })).toBeNull()
  })
  it('a crossing PostOnly order (accepted, then canceled by the venue) is post-only-rejected', async () => {
    await start({ category: 'linear' })
    const e = await failure((client as NonNullable<typeof client>).createOrder({ ...limit('pk_po', 66_000), timeInForce: 'post-only' }))
    expect(e.code).toBe('post-only-rejected')
  })
  it('a stop whose trigger is already crossed is would-immediately-trigger (110093: falling trigger above the price)', async () => {
    await start({ category: 'linear' })
    const c = client as NonNullable<typeof client>
    await c.createOrder({ symbol: LINEAR, clientOrderId: 'pk_in', side: 'buy', type: 'market', qty: 0.003 })
    const e = await failure(c.createOrder({ symbol: LINEAR, clientOrderId: 'pk_imm', side: 'sell', type: 'stop-market', qty: 0.003, triggerPrice: 66_000, reduceOnly: true }))
    expect([e.code, e.venueCode]).toEqual(['would-immediately-trigger', 110093])
  })
})

describe('conditional orders (inverse)', () => {
  it('a reduce-only stop sends triggerPrice, triggerDirection 2, triggerBy MarkPrice, closeOnTrigger, positionIdx 0 and the OMS id; its trigger amends', async () => {
    await start({ category: 'inverse' })
    const c = client as NonNullable<typeof client>
    await c.createOrder({ symbol: INVERSE, clientOrderId: 'pk_entry', side: 'buy', type: 'market', qty: 100 })
    const stop = await c.createOrder({ symbol: INVERSE, clientOrderId: 'pk_sl', side: 'sell', type: 'stop-market', qty: 100, triggerPrice: 60_000, triggerPriceType: 'mark', reduceOnly: true })
    expect([stop.status, stop.book, stop.triggerPrice, stop.triggerPriceType, stop.reduceOnly]).toEqual(['untriggered', 'conditional', 60_000, 'mark', true])
    // The venue's own record of the order (its order object), read with an independent signed request.
    const venueView = (await signed('GET', '/v5/order/realtime', { category: 'inverse', symbol: 'BTCUSD', orderLinkId: 'pk_sl' })).result['list'] as Record<string, unknown>[]
    expect(venueView[0]).toMatchObject({ orderLinkId: 'pk_sl', side: 'Sell', orderType: 'Market', qty: '100', triggerPrice: '60000.0', triggerDirection: 2, triggerBy: 'MarkPrice', reduceOnly: true, closeOnTrigger: true, positionIdx: 0 })
    const amended = await c.amendOrder({ symbol: INVERSE, clientOrderId: 'pk_sl', triggerPrice: 61_000.5 })
    expect([amended.clientOrderId, amended.status, amended.triggerPrice]).toEqual(['pk_sl', 'untriggered', 61_000.5])
    expect(await failure(c.amendOrder({ symbol: INVERSE, clientOrderId: 'pk_sl', triggerPrice: 61_000.25 }))).toMatchObject({ code: 'invalid-input' })
    expect(requests('/v5/order/amend')).toBe(1)
  })
})

describe('private stream', () => {
  it('a dropped socket reports closed/dropped, then reconnects (re-auth, re-subscribe) and events flow again', async () => {
    await start({ category: 'linear' })
    const c = client as NonNullable<typeof client>
    server.handle.faults.ws({ kind: 'drop', channel: 'user' })
    await until('the drop to be seen', () => connections().includes('closed:dropped'))
    clock.advance(1_000)
    await until('the reconnect', () => connections().includes('open:reconnect'))
    expect(connections()).toEqual(['connecting:connect', 'open:connect', 'closed:dropped', 'connecting:reconnect', 'open:reconnect'])
    await c.createOrder({ symbol: LINEAR, clientOrderId: 'pk_after', side: 'buy', type: 'market', qty: 0.003 })
    await until('fill of pk_after on the new socket', () => events.some((e) => e.type === 'fill' && e.fill.clientOrderId === 'pk_after'))
  })
})

describe('request budget and server time', () => {
  it('a burst of 12 creates spends 8 in the rolling second (80 % of 10/s) and the rest when the first leave it: the venue never answers 10006', async () => {
    await start({ category: 'linear' })
    const c = client as NonNullable<typeof client>
    const before = requests('/v5/order/create')
    const created = Promise.all(Array.from({ length: 12 }, (_, i) => c.createOrder({ symbol: LINEAR, clientOrderId: `pk_burst${i}`, side: 'buy', type: 'limit', qty: 0.003, price: 60_000 - i * 10, timeInForce: 'GTC' })))
    await until('8 creates to reach the venue', () => requests('/v5/order/create') - before === 8)
    await pause(30)
    expect(requests('/v5/order/create') - before).toBe(8)
    clock.advance(1_000)
    const orders = await created
    expect(orders.map((o) => o.status)).toEqual(Array.from({ length: 12 }, () => 'open'))
    expect(requests('/v5/order/create') - before).toBe(12)
    const usage = c.rateLimitUsage().find((u) => u.kind === 'orders')
    expect(usage !== undefined && usage.used <= usage.limit).toBe(true)
  })
  it('10006 from the venue holds that endpoint until X-Bapi-Limit-Reset-Timestamp; other endpoints go on', async () => {
    await start({ category: 'linear' })
    server.handle.faults.http('order.create', { kind: 'rate-limited', retryAfterSec: 2 })
    const c = client as NonNullable<typeof client>
    expect(await failure(c.createOrder(limit('pk_h1')))).toMatchObject({ code: 'rate-limited', venueCode: 10006 })
    expect(await c.fetchOrder({ symbol: LINEAR, clientOrderId: 'pk_h1' })).toBeNull() // order/realtime is not held
    const sent = requests('/v5/order/create')
    let done = false
    const next = c.createOrder(limit('pk_h2')).finally(() => (done = true))
    clock.advance(1_999)
    await pause(20)
    expect([done, requests('/v5/order/create')]).toEqual([false, sent])
    clock.advance(1)
    expect((await next).status).toBe('open')
  })
  it('a local clock that falls 20 s behind: 10002 is clock-skew, the offset is measured again and reported as clock-drift, the next request passes', async () => {
    await start({ category: 'inverse', connect: false })
    const drifts: ClockDriftEvent[] = []
    const local = createTestClock(clock.now())
    const c = createBybit({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, category: 'inverse', restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock: local, onClockDrift: (e) => drifts.push(e) })
    expect((await c.fetchBalances()).length).toBeGreaterThan(0)
    local.stepWall(-20_000)
    expect(await failure(c.fetchBalances())).toMatchObject({ code: 'clock-skew', venueCode: 10002 })
    await until('the re-measured offset', () => drifts.length === 1)
    expect(drifts[0]).toMatchObject({ type: 'clock-drift', previousOffsetMs: 0, offsetMs: 20_000, driftMs: 20_000, recvWindowMs: 5_000 })
    expect((await c.fetchBalances()).length).toBeGreaterThan(0)
  })
})
