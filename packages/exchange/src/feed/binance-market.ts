/**
 * Binance USDⓈ-M market data: the combined-stream socket (`/stream?streams=a/b`, frames `{ stream, data }`) with
 * `<symbol>@kline_<interval>`, `<symbol>@aggTrade` and `<symbol>@markPrice` (mark price and the funding rate of
 * the next settlement), and `GET /fapi/v1/klines` for history and backfill (oldest first from `startTime`,
 * at most 1,500 rows a page).
 * @module
 */
import { type Candle, type Clock, type MarketDataSubscription, parsePerpSymbol, PerpkitError, systemClock, timeframeMs, timeframeSchema } from '@perpkit/core'
import { createMarketFeed, type LiveMarketDataFeed } from './market-feed.js'
import { publicGet } from '../transport/public-get.js'
import type { RequestGate } from '../transport/rate-budget.js'
import { DEFAULT_SOCKET_TIMINGS, type SocketTimings } from '../transport/resilient-socket.js'
import type { MarketVenue, VenueMarketMessage } from './venue.js'

/**
 * Options of {@link createBinanceUsdmFeed}.
 * @example
 * ```ts
 * import type { BinanceUsdmFeedOptions } from '@perpkit/exchange'
 * const options: BinanceUsdmFeedOptions = { environment: 'testnet' }
 * ```
 */
export interface BinanceUsdmFeedOptions {
  /** `testnet` (default) or `production`. */
  readonly environment?: 'testnet' | 'production'
  /** REST base for klines, e.g. `http://127.0.0.1:8080`. Default: the environment's. */
  readonly restBaseUrl?: string
  /** WebSocket base; the socket is `${wsBaseUrl}/stream?streams=…`. Default: the environment's. */
  readonly wsBaseUrl?: string
  /** Time source. Default: the system clock. */
  readonly clock?: Clock
  /** Heartbeat and reconnect timings. */
  readonly socket?: Partial<SocketTimings>
  /** The account's request budget, shared with the REST client (backfill and history spend it). */
  readonly rateBudget?: RequestGate
  /** Rows per klines page (1–1,500). Default 1,500. */
  readonly pageLimit?: number
  /** REST timeout. Default 10,000 ms. */
  readonly timeoutMs?: number
}

const ENDPOINTS = {
  testnet: { rest: 'https://demo-fapi.binance.com', ws: 'wss://fstream.binancefuture.com' },
  production: { rest: 'https://fapi.binance.com', ws: 'wss://fstream.binance.com' },
} as const

const num = (v: unknown): number => (typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN)
const klineWeight = (limit: number): number => (limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10)

/**
 * The Binance USDⓈ-M market-data dialect.
 * @param args - endpoints, clock, budget, page size
 * @returns the venue description used by the feed
 * @throws never
 * @example
 * ```ts
 * const venue = binanceMarketVenue({ restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080', clock: systemClock, pageLimit: 1500, timeoutMs: 10_000 })
 * ```
 */
export function binanceMarketVenue(args: {
  readonly restBaseUrl: string
  readonly wsBaseUrl: string
  readonly clock: Clock
  readonly pageLimit: number
  readonly timeoutMs: number
  readonly gate?: RequestGate | undefined
}): MarketVenue {
  const unifiedOf = new Map<string, string>()
  const venueSymbol = (symbol: string): string => {
    const p = parsePerpSymbol(symbol)
    const v = `${p.base}${p.quote}`
    unifiedOf.set(v, symbol)
    return v
  }
  const candleOf = (k: Record<string, unknown>): Candle => ({ openTimeMs: num(k['t']), open: num(k['o']), high: num(k['h']), low: num(k['l']), close: num(k['c']), volume: num(k['v']) })
  const parseData = (d: Record<string, unknown>): VenueMarketMessage[] => {
    const symbol = unifiedOf.get(String(d['s']))
    if (symbol === undefined) return []
    switch (d['e']) {
      case 'kline': {
        const k = d['k'] as Record<string, unknown> | undefined
        const tf = timeframeSchema.safeParse(k?.['i'])
        if (k === undefined || !tf.success) return []
        return [{ kind: 'candle', symbol, timeframe: tf.data, candle: candleOf(k), closed: k['x'] === true }]
      }
      case 'aggTrade':
        // m: the buyer is the maker, so the aggressor sold
        return [{ kind: 'trade', symbol, trade: { tradeId: String(d['a']), timestampMs: num(d['T']), price: num(d['p']), qty: num(d['q']), side: d['m'] === true ? 'sell' : 'buy' } }]
      case 'markPriceUpdate': {
        const markPrice = num(d['p'])
        const indexPrice = num(d['i'])
        const rate = num(d['r'])
        const fundingTimeMs = num(d['T'])
        return [
          {
            kind: 'mark',
            symbol,
            mark: { symbol, timestampMs: num(d['E']), markPrice, ...(indexPrice > 0 ? { indexPrice } : {}) },
            ...(Number.isFinite(rate) && fundingTimeMs > 0 ? { funding: { symbol, fundingTimeMs, rate, markPrice } } : {}),
          },
        ]
      }
      default:
        return []
    }
  }
  let nextId = 1
  return {
    name: 'binance-usdm',
    probe: 'frame',
    socketKey: () => 'usdm',
    streamOf(sub: MarketDataSubscription) {
      const lower = venueSymbol(sub.symbol).toLowerCase()
      if (sub.channel === 'candles') return `${lower}@kline_${sub.timeframe}`
      if (sub.channel === 'trades') return `${lower}@aggTrade`
      return `${lower}@markPrice`
    },
    socketUrl: (_key, streams) => `${args.wsBaseUrl}/stream?streams=${streams.join('/')}`,
    subscriptionFrames: (streams, on) => (streams.length === 0 ? [] : [JSON.stringify({ method: on ? 'SUBSCRIBE' : 'UNSUBSCRIBE', params: streams, id: nextId++ })]),
    parse(text) {
      const frame = JSON.parse(text) as Record<string, unknown>
      const data = typeof frame['stream'] === 'string' && typeof frame['data'] === 'object' && frame['data'] !== null ? (frame['data'] as Record<string, unknown>) : frame
      return parseData(data)
    },
    async fetchCandles({ symbol, timeframe, fromMs, toMs }) {
      const v = venueSymbol(symbol)
      const tf = timeframeMs(timeframe)
      const out: Candle[] = []
      let from = fromMs
      while (from < toMs) {
        const url = `${args.restBaseUrl}/fapi/v1/klines?symbol=${v}&interval=${timeframe}&startTime=${from}&endTime=${toMs - 1}&limit=${args.pageLimit}`
        const rows = await publicGet({ url, clock: args.clock, timeoutMs: args.timeoutMs, weight: klineWeight(args.pageLimit), gate: args.gate, venue: 'binance-usdm' })
        if (!Array.isArray(rows)) throw new PerpkitError('corrupt-data', 'Binance klines answered something other than a list', { details: { endpoint: '/fapi/v1/klines' } })
        for (const r of rows as unknown[][]) out.push({ openTimeMs: num(r[0]), open: num(r[1]), high: num(r[2]), low: num(r[3]), close: num(r[4]), volume: num(r[5]) })
        const lastOpen = out.at(-1)?.openTimeMs
        if (rows.length < args.pageLimit || lastOpen === undefined || lastOpen + tf <= from) break
        from = lastOpen + tf
      }
      return out
    },
  }
}

/**
 * A live Binance USDⓈ-M `MarketDataFeed`: candles (forming and closed), aggregate trades, mark price and funding
 * over one combined-stream socket, with gap backfill from `/fapi/v1/klines`. Public data: no keys.
 * @param options - see {@link BinanceUsdmFeedOptions}
 * @returns the feed; `close()` ends its socket
 * @throws InvalidInputError (from `subscribe`) for a symbol that is not a unified perp symbol
 * @example
 * ```ts
 * import { createBinanceUsdmFeed } from '@perpkit/exchange'
 * const feed = createBinanceUsdmFeed({ restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
 * feed.subscribe({ channel: 'candles', symbol: 'BTC/USDT:USDT', timeframe: '5m' }, (e) => {
 *   if (e.type === 'candle' && e.closed) console.log(e.candle.close, e.backfill === true)
 * })
 * const warmUp = await feed.fetchCandles({ symbol: 'BTC/USDT:USDT', timeframe: '5m', fromMs: 0, toMs: 1_700_000_000_000 })
 * feed.close()
 * ```
 */
export function createBinanceUsdmFeed(options: BinanceUsdmFeedOptions = {}): LiveMarketDataFeed {
  const environment = options.environment ?? 'testnet'
  const clock = options.clock ?? systemClock
  const pageLimit = options.pageLimit ?? 1500
  if (!(Number.isInteger(pageLimit) && pageLimit >= 1 && pageLimit <= 1500)) throw new PerpkitError('invalid-input', 'pageLimit must be an integer in [1, 1500]', { path: 'pageLimit' })
  const venue = binanceMarketVenue({
    restBaseUrl: options.restBaseUrl ?? ENDPOINTS[environment].rest,
    wsBaseUrl: options.wsBaseUrl ?? ENDPOINTS[environment].ws,
    clock,
    pageLimit,
    timeoutMs: options.timeoutMs ?? 10_000,
    gate: options.rateBudget,
  })
  return createMarketFeed({ venue, clock, timings: { ...DEFAULT_SOCKET_TIMINGS, ...options.socket } })
}
