import { createTestClock } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { binanceRequest } from '../test/helpers.js'
import { startVenueServer, type VenueServer } from './index.js'

const T0 = Date.UTC(2025, 8, 19)
let server: VenueServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('startVenueServer', () => {
  it('listens on 127.0.0.1 and answers the Binance time endpoint from its clock', async () => {
    server = await startVenueServer({ dialect: 'binance-usdm', clock: createTestClock(T0) })
    expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.wsUrl).toBe(server.httpUrl.replace('http:', 'ws:'))
    const res = await binanceRequest({ baseUrl: server.httpUrl, method: 'GET', path: '/fapi/v1/time' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ serverTime: T0 })
    expect(res.headers.get('x-mbx-used-weight-1m')).toBe('1')
  })

  it('logs every request, including unknown paths, without the signature', async () => {
    server = await startVenueServer({ dialect: 'binance-usdm', clock: createTestClock(T0) })
    await binanceRequest({ baseUrl: server.httpUrl, method: 'GET', path: '/fapi/v9/nothing' })
    const log = server.handle.requestLog()
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ seq: 1, method: 'GET', path: '/fapi/v9/nothing', status: 404, accepted: false })
    expect(log[0]?.route).toBeUndefined()
  })

  it('logs the top-level fields of a JSON body (Bybit v5) with the parameters, a malformed body without them', async () => {
    server = await startVenueServer({ dialect: 'bybit', clock: createTestClock(T0) })
    const post = (body: string): Promise<Response> => fetch(`${(server as VenueServer).httpUrl}/v5/order/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    await post(JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', qty: '0.01', reduceOnly: true, orderLinkId: 'pk_1_en0', nested: { a: 1 } }))
    await post('{not json')
    const [first, second] = server.handle.requestLog()
    expect(first?.params).toEqual({ category: 'linear', symbol: 'BTCUSDT', qty: '0.01', reduceOnly: 'true', orderLinkId: 'pk_1_en0' })
    expect(second?.params).toEqual({})
  })

  it('rejects an unknown dialect and a non-loopback-capable port with invalid-input', async () => {
    await expect(startVenueServer({ dialect: 'kraken' as never })).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(startVenueServer({ dialect: 'binance-usdm', port: 70_000 })).rejects.toMatchObject({ code: 'invalid-input' })
  })

  it('applies a scripted 5xx before the venue acts and records the fault', async () => {
    server = await startVenueServer({ dialect: 'binance-usdm', clock: createTestClock(T0), faults: [{ target: 'time', fault: { kind: 'http-5xx-before-accept' } }] })
    const first = await binanceRequest({ baseUrl: server.httpUrl, method: 'GET', path: '/fapi/v1/time' })
    const second = await binanceRequest({ baseUrl: server.httpUrl, method: 'GET', path: '/fapi/v1/time' })
    expect(first.status).toBe(503)
    expect(second.status).toBe(200)
    expect(server.handle.requestLog().map((e) => e.fault)).toEqual(['http-5xx-before-accept', undefined])
  })
})
