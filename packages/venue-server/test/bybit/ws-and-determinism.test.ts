import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEFAULT_API_KEY, type VenueServer } from '../../src/index.js'
import { bybitRest } from './raw-client.js'
import { startBybit } from './scenario.js'

const servers: VenueServer[] = []
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  for (const s of servers.splice(0)) await s.close()
})

interface Conn {
  readonly ws: WebSocket
  readonly frames: Record<string, unknown>[]
  send(message: unknown): void
  waitFor(count: number): Promise<void>
}

async function connect(url: string): Promise<Conn> {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: Record<string, unknown>[] = []
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  return {
    ws,
    frames,
    send: (m) => ws.send(JSON.stringify(m)),
    waitFor: async (count) => {
      for (let i = 0; i < 1_000 && frames.length < count; i++) await new Promise((r) => setTimeout(r, 20))
      if (frames.length < count) throw new Error(`expected ${count} frames, got ${frames.length}: ${JSON.stringify(frames)}`)
    },
  }
}

const authArgs = (expires: number, secret = DEFAULT_API_KEY.secret) => [DEFAULT_API_KEY.apiKey, expires, createHmac('sha256', secret).update(`GET/realtime${String(expires)}`).digest('hex')]

describe('private WebSocket: auth, subscribe, ping', () => {
  it('refuses a subscription before auth, a bad signature and an expired auth; answers ping with pong', async () => {
    const { server } = await startBybit()
    servers.push(server)
    const now = server.handle.clock.now()
    const c = await connect(`${server.wsUrl}/v5/private`)
    c.send({ op: 'subscribe', args: ['order'] })
    c.send({ op: 'auth', args: authArgs(now + 10_000, 'wrong') })
    c.send({ op: 'auth', args: authArgs(now - 1) })
    c.send({ req_id: 'x', op: 'ping' })
    c.send({ op: 'auth', args: authArgs(now + 10_000) })
    c.send({ op: 'subscribe', args: ['order', 'nonsense'] })
    await c.waitFor(6)
    expect(c.frames[0]).toMatchObject({ success: false, op: 'subscribe' })
    expect(c.frames[1]).toMatchObject({ success: false, op: 'auth' })
    expect(c.frames[2]).toMatchObject({ success: false, op: 'auth', ret_msg: 'Request expired' })
    expect(c.frames[3]).toEqual({ req_id: 'x', op: 'pong', args: [String(now)], conn_id: expect.any(String) as string })
    expect(c.frames[4]).toMatchObject({ success: true, op: 'auth', ret_msg: '' })
    expect(c.frames[5]).toMatchObject({ success: false, op: 'subscribe' })
  })

  it('streams order → execution → position → wallet for a fill, and the fault plan can duplicate user frames', async () => {
    const { server } = await startBybit()
    servers.push(server)
    server.handle.step(2)
    const now = server.handle.clock.now()
    const c = await connect(`${server.wsUrl}/v5/private`)
    c.send({ op: 'auth', args: authArgs(now + 10_000) })
    c.send({ op: 'subscribe', args: ['order', 'execution', 'position', 'wallet'] })
    await c.waitFor(2)
    server.handle.faults.ws({ kind: 'duplicate', channel: 'user', count: 1 })
    await bybitRest({ baseUrl: server.httpUrl, method: 'POST', path: '/v5/order/create', timestampMs: now, params: { category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Market', qty: '10' } })
    await c.waitFor(2 + 6)
    const topics = c.frames.slice(2).map((f) => `${String(f.topic)}:${String((f.data as Record<string, unknown>[])[0]?.orderStatus ?? '')}`)
    expect(topics).toEqual(['order:New', 'order:New', 'execution:', 'order:Filled', 'position:', 'wallet:'])
    expect(c.frames[2]).toEqual(c.frames[3]) // the duplicated frame is identical
    expect((c.frames[2]?.data as Record<string, unknown>[])[0]).toMatchObject({ cumExecQty: '0', cumExecFee: '0.00000000' })
  })
})

async function scriptedRun(seed: number, qty: string): Promise<string> {
  const { server } = await startBybit({ seed })
  servers.push(server)
  server.handle.step(2)
  const t = () => server.handle.clock.now()
  const c = await connect(`${server.wsUrl}/v5/private`)
  c.send({ op: 'auth', args: authArgs(t() + 10_000) })
  c.send({ op: 'subscribe', args: ['order', 'execution', 'position', 'wallet'] })
  await c.waitFor(2)
  const post = (path: string, params: Record<string, unknown>) => bybitRest({ baseUrl: server.httpUrl, method: 'POST', path, params, timestampMs: t() })
  await post('/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty })
  await post('/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Market', qty, triggerPrice: '17180', triggerDirection: 2, reduceOnly: true, orderLinkId: 'sl' })
  await post('/v5/order/amend', { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'sl', triggerPrice: '17190' })
  server.handle.step(8)
  await bybitRest({ baseUrl: server.httpUrl, method: 'GET', path: '/v5/execution/list', params: { category: 'linear' }, timestampMs: t() })
  await c.waitFor(2 + 12)
  return server.handle.eventLogHash()
}

describe('determinism', () => {
  it('the same seed and inputs give a byte-identical wire event log; a different input does not', async () => {
    const a = await scriptedRun(7, '0.01')
    const b = await scriptedRun(7, '0.01')
    const c = await scriptedRun(7, '0.02')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(b).toBe(a)
    expect(c).not.toBe(a)
  })
})
