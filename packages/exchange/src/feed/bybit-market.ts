/**
 * Bybit v5 market data: the public socket of each category (`/v5/public/linear`, `/v5/public/inverse`) with
 * `kline.{interval}.{symbol}`, `publicTrade.{symbol}` and `tickers.{symbol}` (mark price, funding rate and next
 * funding time; a snapshot, then deltas carrying only what changed), the JSON heartbeat `{"op":"ping"}`, and
 * `GET /v5/market/kline` for history (newest first, at most 1,000 rows a page, paged backwards by `end`).
 * @module
 */
import { type Candle, type Clock, type MarketDataSubscription, parsePerpSymbol, PerpkitError, systemClock, type Timeframe, timeframeMs } from '@perpkit/core'
import { publicGet } from '../transport/public-get.js'
import type { RequestGate } from '../transport/rate-budget.js'
import { DEFAULT_SOCKET_TIMINGS, type SocketTimings } from '../transport/resilient-socket.js'
import { createMarketFeed, type LiveMarketDataFeed } from './market-feed.js'
import type { MarketVenue, VenueMarketMessage } from './venue.js'

/**
 * Options of {@link createBybitFeed}.
 * @example
 * ```ts
 * import type { BybitFeedOptions } from '@perpkit/exchange'
 * const options: BybitFeedOptions = { environment: 'testnet' }
 * ```
 */
export interface BybitFeedOptions {
  /** `testnet` (default) or `production` (mainnet). */
  readonly environment?: 'testnet' | 'production'
  /** REST base for klines, e.g. `http://127.0.0.1:8080`. Default: the environment's. */
  readonly restBaseUrl?: string
  /** WebSocket base; sockets are `${wsBaseUrl}/v5/public/<category>`. Default: the environment's. */
  readonly wsBaseUrl?: string
  /** Time source. Default: the system clock. */
  readonly clock?: Clock
  /** Heartbeat and reconnect timings (Bybit asks for a ping every 20 s). */
  readonly socket?: Partial<SocketTimings>
  /** The account's request budget, shared with the REST client. */
  readonly rateBudget?: RequestGate
  /** Rows per kline page (1–1,000). Default 1,000. */
  readonly pageLimit?: number
  /** REST timeout. Default 10,000 ms. */
  readonly timeoutMs?: number
}

const ENDPOINTS = {
  testnet: { rest: 'https://api-testnet.bybit.com', ws: 'wss://stream-testnet.bybit.com' },
  production: { rest: 'https://api.bybit.com', ws: 'wss://stream.bybit.com' },
} as const

/** Bybit's kline interval of each core timeframe (Bybit has no 8-hour klines). */
const INTERVAL: Readonly<Partial<Record<Timeframe, string>>> = { '1m': '1', '3m': '3', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '2h': '120', '4h': '240', '6h': '360', '12h': '720', '1d': 'D' }
const TIMEFRAME_OF: ReadonlyMap<string, Timeframe> = new Map(Object.entries(INTERVAL).map(([tf, i]) => [i, tf as Timeframe]))

const num = (v: unknown): number => (typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN)

function intervalOf(timeframe: Timeframe): string {
  const i = INTERVAL[timeframe]
  if (i === undefined) throw new PerpkitError('invalid-input', `Bybit has no ${timeframe} klines`, { path: 'timeframe' })
  return i
}

/**
 * The Bybit v5 market-data dialect.
 * @param args - endpoints, clock, budget, page size
 * @returns the venue description used by the feed
 * @throws never
 * @example
 * ```ts
 * const venue = bybitMarketVenue({ restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080', clock: systemClock, pageLimit: 1000, timeoutMs: 10_000 })
 * ```
 */
export function bybitMarketVenue(args: {
  readonly restBaseUrl: string
  readonly wsBaseUrl: string
  readonly clock: Clock
  readonly pageLimit: number
  readonly timeoutMs: number
  readonly gate?: RequestGate | undefined
}): MarketVenue {
  const unifiedOf = new Map<string, string>()
  const tickers = new Map<string, Record<string, unknown>>()
  const market = (symbol: string): { venueSymbol: string; category: 'linear' | 'inverse' } => {
    const p = parsePerpSymbol(symbol)
    const venueSymbol = `${p.base}${p.quote}`
    unifiedOf.set(venueSymbol, symbol)
    return { venueSymbol, category: p.settle === p.quote ? 'linear' : 'inverse' }
  }
  const parseTopic = (msg: Record<string, unknown>): VenueMarketMessage[] => {
    const topic = String(msg['topic'])
    const parts = topic.split('.')
    const data = msg['data']
    if (parts[0] === 'kline' && Array.isArray(data)) {
      const symbol = unifiedOf.get(parts[2] ?? '')
      const timeframe = TIMEFRAME_OF.get(parts[1] ?? '')
      if (symbol === undefined || timeframe === undefined) return []
      return (data as Record<string, unknown>[]).map((k) => ({
        kind: 'candle',
        symbol,
        timeframe,
        candle: { openTimeMs: num(k['start']), open: num(k['open']), high: num(k['high']), low: num(k['low']), close: num(k['close']), volume: num(k['volume']) },
        closed: k['confirm'] === true,
      }))
    }
    if (parts[0] === 'publicTrade' && Array.isArray(data)) {
      const symbol = unifiedOf.get(parts[1] ?? '')
      if (symbol === undefined) return []
      return (data as Record<string, unknown>[]).map((t) => ({
        kind: 'trade',
        symbol,
        trade: { tradeId: String(t['i']), timestampMs: num(t['T']), price: num(t['p']), qty: num(t['v']), side: t['S'] === 'Sell' ? 'sell' : 'buy' },
      }))
    }
    if (parts[0] === 'tickers' && typeof data === 'object' && data !== null) {
      const venueSymbol = parts[1] ?? ''
      const symbol = unifiedOf.get(venueSymbol)
      if (symbol === undefined) return []
      const d = data as Record<string, unknown>
      const merged = msg['type'] === 'delta' ? { ...tickers.get(venueSymbol), ...d } : { ...d }
      tickers.set(venueSymbol, merged)
      const timestampMs = num(msg['ts'])
      const markPrice = num(merged['markPrice'])
      const indexPrice = num(merged['indexPrice'])
      const rate = num(merged['fundingRate'])
      const fundingTimeMs = num(merged['nextFundingTime'])
      const hasMark = d['markPrice'] !== undefined && markPrice > 0
      const hasFunding = Number.isFinite(rate) && fundingTimeMs > 0 && merged['fundingRate'] !== ''
      if (!hasMark && !hasFunding) return []
      return [
        {
          kind: 'mark',
          symbol,
          ...(hasMark ? { mark: { symbol, timestampMs, markPrice, ...(indexPrice > 0 ? { indexPrice } : {}) } } : {}),
          ...(hasFunding ? { funding: { symbol, fundingTimeMs, rate, ...(markPrice > 0 ? { markPrice } : {}) } } : {}),
        },
      ]
    }
    return []
  }
  return {
    name: 'bybit',
    probe: { text: () => '{"op":"ping"}', isAnswer: (text) => text.includes('"ret_msg":"pong"') },
    socketKey: (symbol) => market(symbol).category,
    streamOf(sub: MarketDataSubscription) {
      const { venueSymbol } = market(sub.symbol)
      if (sub.channel === 'candles') return `kline.${intervalOf(sub.timeframe)}.${venueSymbol}`
      if (sub.channel === 'trades') return `publicTrade.${venueSymbol}`
      return `tickers.${venueSymbol}`
    },
    socketUrl: (key) => `${args.wsBaseUrl}/v5/public/${key}`,
    subscriptionFrames(streams, on) {
      const frames: string[] = []
      // Bybit takes at most 10 topics per request on some categories: send them in tens
      for (let i = 0; i < streams.length; i += 10) frames.push(JSON.stringify({ op: on ? 'subscribe' : 'unsubscribe', args: streams.slice(i, i + 10) }))
      return frames
    },
    parse(text) {
      const msg = JSON.parse(text) as Record<string, unknown>
      return typeof msg['topic'] === 'string' ? parseTopic(msg) : []
    },
    async fetchCandles({ symbol, timeframe, fromMs, toMs }) {
      const { venueSymbol, category } = market(symbol)
      const interval = intervalOf(timeframe)
      const tf = timeframeMs(timeframe)
      const out: Candle[] = []
      let end = toMs - 1
      while (end >= fromMs) {
        const url = `${args.restBaseUrl}/v5/market/kline?category=${category}&symbol=${venueSymbol}&interval=${interval}&start=${fromMs}&end=${end}&limit=${args.pageLimit}`
        const body = (await publicGet({ url, clock: args.clock, timeoutMs: args.timeoutMs, weight: 1, gate: args.gate, venue: 'bybit' })) as { retCode?: unknown; retMsg?: unknown; result?: { list?: unknown } }
        if (body.retCode !== 0 || !Array.isArray(body.result?.list)) {
          throw new PerpkitError(body.retCode === 10006 ? 'rate-limited' : 'venue-rejected', `Bybit market/kline: ${String(body.retMsg)}`, { details: { endpoint: '/v5/market/kline', retCode: String(body.retCode) } })
        }
        const rows = body.result.list as unknown[][]
        for (const r of rows) out.push({ openTimeMs: num(r[0]), open: num(r[1]), high: num(r[2]), low: num(r[3]), close: num(r[4]), volume: num(r[5]) })
        const oldest = rows.at(-1)
        if (rows.length < args.pageLimit || oldest === undefined) break
        end = num(oldest[0]) - 1
        if (end + 1 - tf < fromMs) break
      }
      return out.sort((a, b) => a.openTimeMs - b.openTimeMs)
    },
  }
}

/**
 * A live Bybit v5 `MarketDataFeed` for linear and inverse perpetuals (`BTC/USDT:USDT`, `BTC/USD:BTC`): candles
 * (forming and closed), public trades, mark price and funding from `tickers`, one socket per category, with gap
 * backfill from `market/kline`. Public data: no keys.
 * @param options - see {@link BybitFeedOptions}
 * @returns the feed; `close()` ends its sockets
 * @throws InvalidInputError (from `subscribe`) for a symbol that is not a unified perp symbol or an 8h timeframe
 * @example
 * ```ts
 * import { createBybitFeed } from '@perpkit/exchange'
 * const feed = createBybitFeed({ restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
 * feed.subscribe({ channel: 'mark', symbol: 'BTC/USD:BTC' }, (e) => {
 *   if (e.type === 'mark') console.log(e.mark.markPrice)
 * })
 * feed.close()
 * ```
 */
export function createBybitFeed(options: BybitFeedOptions = {}): LiveMarketDataFeed {
  const environment = options.environment ?? 'testnet'
  const clock = options.clock ?? systemClock
  const pageLimit = options.pageLimit ?? 1000
  if (!(Number.isInteger(pageLimit) && pageLimit >= 1 && pageLimit <= 1000)) throw new PerpkitError('invalid-input', 'pageLimit must be an integer in [1, 1000]', { path: 'pageLimit' })
  const venue = bybitMarketVenue({
    restBaseUrl: options.restBaseUrl ?? ENDPOINTS[environment].rest,
    wsBaseUrl: options.wsBaseUrl ?? ENDPOINTS[environment].ws,
    clock,
    pageLimit,
    timeoutMs: options.timeoutMs ?? 10_000,
    gate: options.rateBudget,
  })
  return createMarketFeed({ venue, clock, timings: { pingIntervalMs: 20_000, reconnectInitialMs: DEFAULT_SOCKET_TIMINGS.reconnectInitialMs, reconnectMaxMs: DEFAULT_SOCKET_TIMINGS.reconnectMaxMs, ...options.socket } })
}
