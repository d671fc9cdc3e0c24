import { createTestClock } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer } from '../../src/index.js'
import { binanceRequest } from '../helpers.js'
import { openSocket, settle } from '../ws-client.js'

const BTC = 'BTC/USDT:USDT'
const T0 = Date.UTC(2025, 8, 19)
let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('Binance: what a client misses and must reconcile', () => {
  it('a stop that triggers while the user stream is dropped: no frames reach the client, REST shows the truth afterwards', async () => {
    const clock = createTestClock(T0)
    server = await startVenueServer({ dialect: 'binance-usdm', clock })
    const s = server
    const bar = (i: number, o: number, h: number, l: number, c: number) => s.handle.venue.applyCandle({ symbol: BTC, candle: { openTimeMs: T0 + i * 60_000, open: o, high: h, low: l, close: c, volume: 10 } })
    const signed = (method: 'GET' | 'POST', path: string, params: Record<string, string>) => binanceRequest({ baseUrl: s.httpUrl, method, path, params, signed: true, timestampMs: clock.now() })
    bar(0, 65000, 65010, 64990, 65000)
    const key = await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })
    const socket = await openSocket(`${s.wsUrl}/ws/${(key.body as { listenKey: string }).listenKey}`)
    await signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' })
    await signed('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.010', triggerPrice: '64000.0', reduceOnly: 'true', clientAlgoId: 'sl-dc' })
    const before = (await socket.waitFrames(4)).length
    s.handle.faults.ws({ kind: 'drop', channel: 'user' })
    expect(await socket.waitClose()).toBe(1006)
    clock.advance(60_000)
    bar(1, 65000, 65000, 63500, 63600) // the stop triggers with nobody listening
    await settle()
    expect(socket.frames).toHaveLength(before)
    const algo = await signed('GET', '/fapi/v1/algoOrder', { clientAlgoId: 'sl-dc' })
    expect(algo.body).toMatchObject({ algoStatus: 'FINISHED', actualPrice: '64000.0' })
    const positions = await signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })
    expect(positions.body).toEqual([])
    const actual = await signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: (algo.body as { actualOrderId: string }).actualOrderId })
    expect(actual.body).toMatchObject({ status: 'FILLED', type: 'MARKET', origType: 'STOP_MARKET', clientOrderId: 'sl-dc', executedQty: '0.010' })
  })

  it('partial fills (volume participation) are reported as PARTIALLY_FILLED trades, then FILLED', async () => {
    const clock = createTestClock(T0)
    server = await startVenueServer({ dialect: 'binance-usdm', clock, sim: { fillModel: { participation: 0.5 } } })
    const s = server
    const bar = (i: number, o: number, h: number, l: number, c: number, v: number) => s.handle.venue.applyCandle({ symbol: BTC, candle: { openTimeMs: T0 + i * 60_000, open: o, high: h, low: l, close: c, volume: v } })
    bar(0, 65000, 65010, 64990, 65000, 10)
    const key = await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })
    const socket = await openSocket(`${s.wsUrl}/ws/${(key.body as { listenKey: string }).listenKey}`)
    await binanceRequest({ baseUrl: s.httpUrl, method: 'POST', path: '/fapi/v1/order', signed: true, timestampMs: clock.now(), params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.100', price: '64900.0', newClientOrderId: 'part-1' } })
    clock.advance(60_000)
    bar(1, 65000, 65000, 64800, 64950, 0.12) // half of 0.12 traded through: 0.06 of 0.1 fills
    const mid = await binanceRequest({ baseUrl: s.httpUrl, method: 'GET', path: '/fapi/v1/order', signed: true, timestampMs: clock.now(), params: { symbol: 'BTCUSDT', origClientOrderId: 'part-1' } })
    expect(mid.body).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '0.060' })
    clock.advance(60_000)
    bar(2, 64950, 64950, 64800, 64900, 1)
    await settle()
    const trades = socket.frames
      .filter((f) => (f as { e: string }).e === 'ORDER_TRADE_UPDATE' && (f as { o: { x: string } }).o.x === 'TRADE')
      .map((f) => (f as { o: { X: string; l: string; z: string } }).o)
    expect(trades.map((o) => [o.X, o.l, o.z])).toEqual([
      ['PARTIALLY_FILLED', '0.060', '0.060'],
      ['FILLED', '0.040', '0.100'],
    ])
    socket.close()
  })
})
