/**
 * Liveness of the private streams, end to end: @perpkit/oms (default `streamStaleAfterMs`, 5 s) over
 * createBinanceUsdm / createBybit over the local venue server. A quiet account whose stream is healthy never
 * turns the order manager DEGRADED (each pong is reported as a `connection` `open` without a reason), and a
 * silent, half-open stream is detected by the adapter within two ping intervals, reported, reconnected, and the
 * order manager reconciles back to normal. Time runs on a test clock stepped one ping interval at a time, and
 * each step waits for the venue's answer on the real socket, so no result depends on the machine's speed.
 */
import { createTestClock, type ExchangeClient, type Instrument, type TestClock, type UserStreamEvent } from '@perpkit/core'
import { createMemoryJournal, createOrderManager, type OmsEvent, type OmsJournalEntry, type OmsState, type OrderManager } from '@perpkit/oms'
import { DEFAULT_API_KEY, startVenueServer, type VenueServer } from '@perpkit/venue-server'
import { afterEach, describe, expect, it } from 'vitest'
import { createBinanceUsdm, createBybit, USER_STREAM_PING_INTERVAL_MS } from '../src/index.js'
import { pause, until } from './wire-helpers.js'

const PING = USER_STREAM_PING_INTERVAL_MS

interface Dialect {
  readonly name: 'binance-usdm' | 'bybit'
  readonly symbol: string
  readonly client: (server: VenueServer, clock: TestClock) => ExchangeClient
}
const DIALECTS: readonly Dialect[] = [
  {
    name: 'binance-usdm',
    symbol: 'BTC/USDT:USDT',
    client: (server, clock) => createBinanceUsdm({ ...DEFAULT_API_KEY, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock }),
  },
  {
    name: 'bybit',
    symbol: 'BTC/USDT:USDT',
    client: (server, clock) => createBybit({ ...DEFAULT_API_KEY, category: 'linear', restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock }),
  },
]

let server: VenueServer | undefined
let client: ExchangeClient | undefined
let oms: OrderManager | undefined
afterEach(async () => {
  await oms?.stop()
  await client?.close()
  await server?.close()
  oms = undefined
  client = undefined
  server = undefined
})

/** Step the clock in small slices while `p` is pending (REST answers arrive in real time, timers wait on the clock). */
async function drive<T>(clock: TestClock, p: Promise<T>): Promise<T> {
  let done = false
  const settled = p.finally(() => (done = true))
  for (let i = 0; i < 2_000 && !done; i++) {
    await pause(2)
    if (!done) clock.advance(10)
  }
  return settled
}

async function world(dialect: Dialect, options: { readonly hidePongs?: boolean } = {}) {
  const clock = createTestClock(Date.UTC(2026, 0, 5))
  server = await startVenueServer({ dialect: dialect.name, flavour: 'testnet', clock, seed: 11 })
  server.handle.venue.applyTrade({ symbol: dialect.symbol, trade: { tradeId: 't0', timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
  const c = dialect.client(server, clock)
  client = c
  const stream: UserStreamEvent[] = []
  c.subscribeUserStream((e) => stream.push(e))
  await drive(clock, c.connect())
  const instrument = (await c.loadInstruments()).find((i) => i.symbol === dialect.symbol) as Instrument
  // `hidePongs`: the same client without its liveness reports (what the order manager saw before they existed)
  const venue: ExchangeClient = options.hidePongs === true ? { ...c, subscribeUserStream: (l) => c.subscribeUserStream((e) => (e.type === 'connection' && e.reason === undefined ? undefined : l(e))) } : c
  const m = createOrderManager({ venue, clock, journal: createMemoryJournal<OmsState, OmsJournalEntry>(), instruments: [instrument], config: { makerOnly: false } })
  oms = m
  const omsEvents: OmsEvent[] = []
  m.subscribe((e) => omsEvents.push(e))
  m.onMarkPrice({ symbol: dialect.symbol, markPrice: 65_000 })
  await drive(clock, m.start())
  // exposed: a resting entry far below the market is a working order the stream must keep watching
  const entry = await drive(clock, m.submitEntry({ signalId: 'quiet', signalTimeMs: clock.now(), symbol: dialect.symbol, direction: 'long', qty: 0.003, type: 'limit', price: 60_000, stopPrice: 59_000 }))
  expect(entry.ok).toBe(true)
  await until('the entry on the stream', () => stream.some((e) => e.type === 'order' && e.order.status === 'open'))
  const alive = (): number => stream.filter((e) => e.type === 'connection' && e.reason === undefined).length
  const connections = (): string[] => stream.flatMap((e) => (e.type === 'connection' && e.reason !== undefined ? [`${e.state}/${e.reason}`] : []))
  const degraded = (): OmsEvent[] => omsEvents.filter((e) => e.type === 'degraded')
  return { clock, stream, alive, connections, degraded, oms: m }
}

describe.each(DIALECTS)('$name private stream liveness', (dialect) => {
  it('a quiet but healthy stream is heard every ping interval: 30 s without an event never turns the order manager DEGRADED', async () => {
    const w = await world(dialect)
    const before = w.connections().length
    for (let i = 0; i < 15; i++) {
      const heard = w.alive()
      w.clock.advance(PING) // the adapter pings; the venue answers
      await until('the pong', () => w.alive() === heard + 1)
    }
    expect(w.connections().slice(before)).toEqual([]) // no drop, no reconnect
    expect(w.degraded()).toEqual([])
    expect(w.oms.status().degraded).toBe(false)
  })

  it('the same quiet stream without its pongs reported would look half-open to the order manager (what the reports prevent)', async () => {
    const w = await world(dialect, { hidePongs: true })
    const before = w.connections().length
    for (let i = 0; i < 4; i++) {
      const heard = w.alive()
      w.clock.advance(PING) // the adapter pings and the venue answers, but the order manager is not told
      await until('the pong', () => w.alive() === heard + 1) // the socket is healthy: a late pong must not turn this into a drop
    }
    expect(w.connections().slice(before)).toEqual([])
    expect(w.degraded().map((e) => (e.type === 'degraded' ? e.reason : ''))).toContain('stream stale')
  })

  it('a silent (half-open) stream is closed as heartbeat-timeout within two ping intervals, reconnected once the venue speaks, and the order manager reconciles back to normal', async () => {
    const w = await world(dialect)
    const before = w.connections().length
    const silentFrom = w.clock.now()
    server?.handle.faults.ws({ kind: 'silence', channel: 'user', untilMs: silentFrom + 3 * PING })
    w.clock.advance(PING) // a ping the venue does not answer
    await pause(30)
    expect(w.connections().slice(before)).toEqual([])
    w.clock.advance(PING) // a whole interval after the ping, nothing heard: dead
    expect(w.connections().slice(before)).toEqual(['closed/heartbeat-timeout'])
    const closedAt = w.stream.filter((e) => e.type === 'connection' && e.reason === 'heartbeat-timeout')[0]?.timestampMs ?? Number.NaN
    expect(closedAt - silentFrom).toBeLessThanOrEqual(2 * PING)
    expect(w.degraded().at(0)).toMatchObject({ on: true })
    // the venue speaks again after 3 intervals; the adapter keeps reconnecting until a socket answers
    for (let t = 0; t < 60_000 && !(w.connections().slice(before).includes('open/reconnect') && !w.oms.status().degraded); t += 250) {
      w.clock.advance(250)
      await pause(5)
    }
    expect(w.connections().slice(before)).toContain('open/reconnect')
    expect(w.degraded().at(-1)).toMatchObject({ on: false, reason: 'reconciled' })
    // and the new socket is healthy: it is heard at every ping from now on
    const heard = w.alive()
    for (let i = 1; i <= 3; i++) {
      w.clock.advance(PING)
      await until('the pong on the new socket', () => w.alive() === heard + i)
    }
    expect(w.oms.status().degraded).toBe(false)
  })
})
