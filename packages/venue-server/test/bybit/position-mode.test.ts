/**
 * `POST /v5/position/switch-mode` as Bybit's "Switch Position Mode" page describes it: mode 0 (one-way) or 3
 * (hedge) per symbol or settle coin; USDT perpetuals support both, inverse perpetuals one-way only; refused with
 * a position or open orders; the same mode again is 110025. A hedge-mode symbol lists a Buy (positionIdx 1) and a
 * Sell (positionIdx 2) entry, and this one-way venue places nothing on it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { VenueServer } from '../../src/index.js'
import { bybitRest } from './raw-client.js'
import { startBybit } from './scenario.js'

let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Signed calls to one started server, timestamped on its clock. */
const caller = (started: Awaited<ReturnType<typeof startBybit>>) => (method: 'GET' | 'POST', path: string, params: Record<string, unknown>) =>
  bybitRest({ baseUrl: started.server.httpUrl, method, path, params, timestampMs: started.clock.now() })

describe('Bybit position/switch-mode', () => {
  it('switches a USDT perpetual to hedge mode: position/list shows positionIdx 1 and 2, order/create is refused, 0 switches back', async () => {
    const started = await startBybit()
    server = started.server
    const call = caller(started)
    expect((await call('POST', '/v5/position/switch-mode', { category: 'linear', symbol: 'BTCUSDT', mode: 3 })).body.retCode).toBe(0)
    const list = (await call('GET', '/v5/position/list', { category: 'linear', symbol: 'BTCUSDT' })).body.result['list'] as { positionIdx: number; size: string }[]
    expect(list.map((p) => [p.positionIdx, p.size])).toEqual([[1, '0.000'], [2, '0.000']])
    const create = await call('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '10000', positionIdx: 0 })
    expect(create.body.retCode).toBe(10001)
    expect((await call('POST', '/v5/position/switch-mode', { category: 'linear', symbol: 'BTCUSDT', mode: 3 })).body.retCode).toBe(110025)
    expect((await call('POST', '/v5/position/switch-mode', { category: 'linear', symbol: 'BTCUSDT', mode: 0 })).body.retCode).toBe(0)
    const back = (await call('GET', '/v5/position/list', { category: 'linear', symbol: 'BTCUSDT' })).body.result['list'] as { positionIdx: number }[]
    expect(back.map((p) => p.positionIdx)).toEqual([0])
  })
  it('an inverse perpetual supports one-way only (110029); open orders block a switch (110028)', async () => {
    const started = await startBybit()
    server = started.server
    const call = caller(started)
    expect((await call('POST', '/v5/position/switch-mode', { category: 'inverse', symbol: 'BTCUSD', mode: 3 })).body.retCode).toBe(110029)
    started.server.handle.venue.step(1)
    const placed = await call('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '10000' })
    expect(placed.body.retCode).toBe(0)
    expect((await call('POST', '/v5/position/switch-mode', { category: 'linear', symbol: 'BTCUSDT', mode: 3 })).body.retCode).toBe(110028)
  })
})
