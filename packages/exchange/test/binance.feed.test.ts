/**
 * createBinanceUsdmFeed against the local Binance USDⓈ-M venue server over 127.0.0.1: forming and closed
 * klines (a closed bar once, even when the venue sends it twice), a skipped bar announced as a gap and
 * backfilled from /fapi/v1/klines before later bars, the bars a dropped socket missed, a silent (half-open)
 * socket detected as stale and replaced, paginated history, trades, mark price and funding. Time runs on a
 * TestClock shared with the server.
 */
import { type Candle, createTestClock, type MarketDataEvent, type TestClock } from '@perpkit/core'
import { startVenueServer, type VenueServer } from '@perpkit/venue-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceUsdmFeed, type LiveMarketDataFeed } from '../src/index.js'
import { expectSilentSocketReplaced } from './feed-liveness.js'

const SYMBOL = 'BTC/USDT:USDT'
const T0 = Date.UTC(2026, 0, 5)
const MIN = 60_000
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const until = async (what: string, predicate: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !predicate(); i++) await pause(5)
  if (!predicate()) throw new Error(`waited for ${what}`)
}
const bar = (i: number, close = 65_000 + i * 10): Candle => ({ openTimeMs: T0 + i * MIN, open: close - 5, high: close + 20, low: close - 20, close, volume: 3 + i })

let clock: TestClock
let server: VenueServer
let feed: LiveMarketDataFeed
let events: MarketDataEvent[]
const connections = (): string[] => events.flatMap((e) => (e.type === 'connection' ? [`${e.state}/${e.reason ?? ''}`] : []))
const candles = (): { open: number; closed: boolean; backfill: boolean; close: number }[] =>
  events.flatMap((e) => (e.type === 'candle' ? [{ open: (e.candle.openTimeMs - T0) / MIN, closed: e.closed, backfill: e.backfill === true, close: e.candle.close }] : []))
const klineRequests = (): number => server.handle.requestLog().filter((r) => r.path === '/fapi/v1/klines').length
/** Close bar `i` the way the venue does: its close time has passed when the final frame goes out. */
const close = (i: number, c?: Candle): void => {
  clock.advanceTo(Math.max(clock.now(), T0 + (i + 1) * MIN))
  server.handle.venue.applyCandle({ symbol: SYMBOL, candle: c ?? bar(i) })
}

beforeEach(async () => {
  clock = createTestClock(T0)
  server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', clock, seed: 3 })
  events = []
})
afterEach(async () => {
  feed.close()
  await server.close()
})

const open = async (socket?: { pingIntervalMs: number }, pageLimit?: number): Promise<void> => {
  feed = createBinanceUsdmFeed({
    restBaseUrl: server.httpUrl,
    wsBaseUrl: server.wsUrl,
    clock,
    socket: socket ?? { pingIntervalMs: 3_600_000 },
    ...(pageLimit === undefined ? {} : { pageLimit }),
  })
  feed.subscribe({ channel: 'candles', symbol: SYMBOL, timeframe: '1m' }, (e) => events.push(e))
  await until('the socket to open', () => connections().includes('open/connect'))
}

describe('klines over the combined stream', () => {
  it('a forming bar arrives as closed:false, its close once with the venue values, even when the frame is duplicated', async () => {
    await open()
    const url = server.handle.requestLog().find((r) => r.method === 'CONNECT')
    expect(url?.path).toBe('/stream')
    expect(url?.params['streams']).toBe('btcusdt@kline_1m')
    server.handle.venue.updateCandle({ symbol: SYMBOL, candle: { ...bar(0), close: 64_990, high: 65_015 } })
    await until('the forming bar', () => candles().length === 1)
    server.handle.faults.ws({ kind: 'duplicate', channel: 'market' })
    close(0)
    close(1)
    await until('bar 1', () => candles().some((c) => c.open === 1))
    expect(candles()).toEqual([
      { open: 0, closed: false, backfill: false, close: 64_990 },
      { open: 0, closed: true, backfill: false, close: 65_000 },
      { open: 1, closed: true, backfill: false, close: 65_010 },
    ])
    const closedBar = events.find((e) => e.type === 'candle' && e.closed)
    expect(closedBar).toMatchObject({ type: 'candle', symbol: SYMBOL, timeframe: '1m', candle: { openTimeMs: T0, open: 64_995, high: 65_020, low: 64_980, close: 65_000, volume: 3 } })
  })

  it('a skipped bar is announced as a gap, backfilled from REST (backfill: true), and only then the next bar', async () => {
    await open()
    close(0)
    await until('bar 0', () => candles().length === 1)
    server.handle.faults.ws({ kind: 'skip', channel: 'market', count: 1 })
    close(1)
    close(2)
    await until('bar 2', () => candles().some((c) => c.open === 2))
    const tail = events.filter((e) => e.type !== 'connection').slice(1)
    expect(tail.map((e) => e.type)).toEqual(['gap', 'candle', 'candle'])
    expect(tail[0]).toEqual({ type: 'gap', symbol: SYMBOL, channel: 'candles', timeframe: '1m', fromMs: T0 + MIN, toMs: T0 + 2 * MIN })
    expect(candles().slice(1)).toEqual([
      { open: 1, closed: true, backfill: true, close: 65_010 },
      { open: 2, closed: true, backfill: false, close: 65_020 },
    ])
    expect(klineRequests()).toBe(1)
  })

  it('after a dropped socket, the bars that closed meanwhile are a gap, backfilled after the reconnect', async () => {
    await open()
    close(0)
    await until('bar 0', () => candles().length === 1)
    server.handle.faults.ws({ kind: 'drop', channel: 'market' })
    await until('the drop', () => connections().includes('closed/dropped'))
    close(1)
    close(2)
    clock.advanceTo(T0 + 3 * MIN + 1_000) // bar 3 is forming; the reconnect delay (500 ms) has passed
    await until('the reconnect', () => connections().includes('open/reconnect'))
    await until('the backfill', () => candles().length === 3)
    expect(connections()).toEqual(['connecting/connect', 'open/connect', 'closed/dropped', 'connecting/reconnect', 'open/reconnect'])
    expect(events.find((e) => e.type === 'gap')).toEqual({ type: 'gap', symbol: SYMBOL, channel: 'candles', timeframe: '1m', fromMs: T0 + MIN, toMs: T0 + 3 * MIN })
    expect(candles().slice(1)).toEqual([
      { open: 1, closed: true, backfill: true, close: 65_010 },
      { open: 2, closed: true, backfill: true, close: 65_020 },
    ])
    close(3)
    await until('bar 3 live', () => candles().length === 4)
    expect(candles()[3]).toEqual({ open: 3, closed: true, backfill: false, close: 65_030 })
  })

  it('a silent socket (no frames, pings unanswered through a whole ping interval) is dead: terminated, reported, reconnected', async () => {
    await open({ pingIntervalMs: 5_000 }) // the whole story stays inside bar 0: no reconnect gap to backfill
    // the venue registers the streams named in the URL at connection
    const subscribed = () => server.handle.requestLog().filter((r) => r.method === 'CONNECT').length
    await expectSilentSocketReplaced({ clock, server, connections, candles, pingIntervalMs: 5_000, subscribed, forming: (s) => server.handle.venue.updateCandle({ symbol: SYMBOL, candle: bar(0, 65_000 + s) }), close: () => close(0) })
  })
})

describe('history, trades, mark and funding', () => {
  it('fetchCandles pages through /fapi/v1/klines and returns closed bars of [fromMs, toMs) only', async () => {
    await open(undefined, 3)
    for (let i = 0; i < 8; i++) close(i)
    server.handle.venue.updateCandle({ symbol: SYMBOL, candle: bar(8) })
    const got = await feed.fetchCandles({ symbol: SYMBOL, timeframe: '1m', fromMs: T0 + MIN, toMs: T0 + 20 * MIN })
    expect(got.map((c) => (c.openTimeMs - T0) / MIN)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(got[6]).toEqual(bar(7))
    expect(klineRequests()).toBe(3)
  })

  it('aggTrade becomes a trade (m: the buyer made, so the aggressor sold); markPrice becomes mark and funding once per rate', async () => {
    await open()
    const other: MarketDataEvent[] = []
    feed.subscribe({ channel: 'trades', symbol: SYMBOL }, (e) => other.push(e))
    feed.subscribe({ channel: 'mark', symbol: SYMBOL }, (e) => other.push(e))
    feed.subscribe({ channel: 'funding', symbol: SYMBOL }, (e) => other.push(e))
    await until('the subscriptions', () => server.handle.requestLog().filter((r) => r.method === 'MESSAGE').length >= 3)
    await pause(20)
    server.handle.venue.applyTrade({ symbol: SYMBOL, trade: { tradeId: 'x', timestampMs: T0 + 5, price: 65_001.5, qty: 0.25, side: 'sell' } })
    server.handle.venue.setMarkPrice({ symbol: SYMBOL, markPrice: 65_002.1, timestampMs: T0 + 6 })
    server.handle.venue.setMarkPrice({ symbol: SYMBOL, markPrice: 65_003.2, timestampMs: T0 + 7 })
    await until('two marks', () => other.filter((e) => e.type === 'mark').length === 2)
    const data = other.filter((e) => e.type !== 'connection')
    expect(data[0]).toEqual({ type: 'trade', symbol: SYMBOL, trade: { tradeId: '1', timestampMs: T0 + 5, price: 65_001.5, qty: 0.25, side: 'sell' } })
    expect(data.filter((e) => e.type === 'mark').map((e) => (e.type === 'mark' ? e.mark : undefined))).toEqual([
      { symbol: SYMBOL, timestampMs: T0 + 6, markPrice: 65_002.1, indexPrice: 65_002.1 },
      { symbol: SYMBOL, timestampMs: T0 + 7, markPrice: 65_003.2, indexPrice: 65_003.2 },
    ])
    // the venue server's default: 0.0001 every 8 hours, next settlement 08:00 UTC
    expect(data.filter((e) => e.type === 'funding')).toEqual([{ type: 'funding', funding: { symbol: SYMBOL, fundingTimeMs: T0 + 8 * 3_600_000, rate: 0.0001, markPrice: 65_002.1 } }])
  })
})
