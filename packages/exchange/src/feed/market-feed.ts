/**
 * A live `MarketDataFeed` over a venue's public WebSocket streams ({@link MarketVenue}): one resilient socket
 * per socket key (heartbeat, staleness, reconnect with backoff), subscriptions reference-counted per stream,
 * candles sequenced (closed exactly once, gaps announced and backfilled over REST with `backfill: true`), and
 * after every reconnect the bars and trades the socket missed are reported as gaps.
 * @module
 */
import {
  type Candle,
  type Clock,
  type ConnectionReason,
  type ConnectionState,
  type MarketDataEvent,
  type MarketDataFeed,
  type MarketDataSubscription,
  PerpkitError,
  timeframeMs,
  type Unsubscribe,
} from '@perpkit/core'
import { createResilientSocket, type ResilientSocket, type SocketTimings } from '../transport/resilient-socket.js'
import { type CandleSequencer, createCandleSequencer } from './candle-sequencer.js'
import type { MarketVenue, VenueMarketMessage } from './venue.js'

/**
 * A market-data feed with a lifecycle: `close()` ends every socket.
 * @example
 * ```ts
 * import { createBinanceUsdmFeed } from '@perpkit/exchange'
 * const feed = createBinanceUsdmFeed({ restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
 * const off = feed.subscribe({ channel: 'candles', symbol: 'BTC/USDT:USDT', timeframe: '1m' }, (e) => e.type)
 * off()
 * feed.close()
 * ```
 */
export interface LiveMarketDataFeed extends MarketDataFeed {
  /** Close every socket (each subscription's listeners get `connection` `closed` / `client-closed`). */
  close(): void
}

interface Subscription {
  readonly key: string
  readonly sub: MarketDataSubscription
  readonly stream: string
  readonly socketKey: string
  readonly listeners: Set<(event: MarketDataEvent) => void>
  readonly sequencer: CandleSequencer | undefined
  /** Last data time delivered (for the gap a reconnect leaves on trades / mark / funding). */
  lastDataMs: number | undefined
}

interface SocketEntry {
  readonly socket: ResilientSocket
  readonly streams: Map<string, number>
  closedAtMs: number | undefined
}

const keyOf = (s: MarketDataSubscription): string => (s.channel === 'candles' ? `candles|${s.symbol}|${s.timeframe}` : `${s.channel}|${s.symbol}`)

/**
 * Create a feed over `venue`.
 * @param args.venue - the venue's market-data dialect
 * @param args.clock - timers and the time of `connection` events
 * @param args.timings - heartbeat and reconnect timings of each socket
 * @returns the feed
 * @throws never
 * @example
 * ```ts
 * const feed = createMarketFeed({ venue: binanceMarketVenue({ restBaseUrl, wsBaseUrl, clock }), clock, timings: DEFAULT_SOCKET_TIMINGS })
 * ```
 */
export function createMarketFeed(args: { readonly venue: MarketVenue; readonly clock: Clock; readonly timings: SocketTimings }): LiveMarketDataFeed {
  const { venue, clock } = args
  const subs = new Map<string, Subscription>()
  const sockets = new Map<string, SocketEntry>()
  const lastFunding = new Map<string, string>()

  const emit = (s: Subscription, event: MarketDataEvent): void => {
    for (const l of [...s.listeners]) {
      try {
        l(event)
      } catch {
        // a throwing listener never stops delivery to the others
      }
    }
  }
  const subsOfSocket = (socketKey: string): Subscription[] => [...subs.values()].filter((s) => s.socketKey === socketKey)

  const onConnection = (socketKey: string, state: ConnectionState, reason: ConnectionReason): void => {
    const entry = sockets.get(socketKey)
    const now = clock.now()
    if (entry !== undefined && state === 'closed' && entry.closedAtMs === undefined) entry.closedAtMs = now
    for (const s of subsOfSocket(socketKey)) emit(s, { type: 'connection', timestampMs: now, state, reason })
    if (state !== 'open' || reason === 'connect' || entry === undefined) return
    const since = entry.closedAtMs
    entry.closedAtMs = undefined
    for (const s of subsOfSocket(socketKey)) {
      if (s.sequencer !== undefined) s.sequencer.reconnected()
      else if (since !== undefined) {
        const fromMs = s.lastDataMs ?? since
        if (now > fromMs) emit(s, { type: 'gap', symbol: s.sub.symbol, channel: s.sub.channel, fromMs, toMs: now })
      }
    }
  }
  const onMessage = (m: VenueMarketMessage): void => {
    if (m.kind === 'candle') {
      subs.get(`candles|${m.symbol}|${m.timeframe}`)?.sequencer?.push(m.candle, m.closed)
      return
    }
    if (m.kind === 'trade') {
      const s = subs.get(`trades|${m.symbol}`)
      if (s === undefined) return
      s.lastDataMs = m.trade.timestampMs
      emit(s, { type: 'trade', symbol: m.symbol, trade: m.trade })
      return
    }
    const markSub = subs.get(`mark|${m.symbol}`)
    if (markSub !== undefined && m.mark !== undefined) {
      markSub.lastDataMs = m.mark.timestampMs
      emit(markSub, { type: 'mark', mark: m.mark })
    }
    const fundingSub = subs.get(`funding|${m.symbol}`)
    if (fundingSub !== undefined && m.funding !== undefined) {
      const id = `${m.funding.fundingTimeMs}|${m.funding.rate}`
      if (lastFunding.get(m.symbol) === id) return // the venue repeats the announced rate with every mark update
      lastFunding.set(m.symbol, id)
      fundingSub.lastDataMs = clock.now()
      emit(fundingSub, { type: 'funding', funding: m.funding })
    }
  }
  const socketFor = (socketKey: string): SocketEntry => {
    const existing = sockets.get(socketKey)
    if (existing !== undefined) return existing
    const streams = new Map<string, number>()
    const socket = createResilientSocket({
      url: () => venue.socketUrl(socketKey, [...streams.keys()]),
      clock,
      timings: args.timings,
      probe: venue.probe,
      onOpen: (send) => {
        for (const f of venue.subscriptionFrames([...streams.keys()], true)) send(f)
      },
      onText: (text) => {
        let messages: readonly VenueMarketMessage[]
        try {
          messages = venue.parse(text)
        } catch {
          return // a frame we cannot read is not market data
        }
        for (const m of messages) onMessage(m)
      },
      onConnection: (state, reason) => onConnection(socketKey, state, reason),
    })
    const entry: SocketEntry = { socket, streams, closedAtMs: undefined }
    sockets.set(socketKey, entry)
    return entry
  }

  const feed: LiveMarketDataFeed = {
    subscribe(sub, listener): Unsubscribe {
      const key = keyOf(sub)
      let s = subs.get(key)
      if (s === undefined) {
        const stream = venue.streamOf(sub)
        const socketKey = venue.socketKey(sub.symbol)
        let sequencer: CandleSequencer | undefined
        if (sub.channel === 'candles') {
          const { symbol, timeframe } = sub
          const target = (): Subscription | undefined => subs.get(key)
          sequencer = createCandleSequencer({
            timeframeMs: timeframeMs(timeframe),
            effects: {
              nowMs: () => clock.now(),
              deliver: (candle, closed, backfill) => {
                const t = target()
                if (t !== undefined) emit(t, { type: 'candle', symbol, timeframe, candle, closed, ...(backfill ? { backfill: true } : {}) })
              },
              gap: (fromMs, toMs) => {
                const t = target()
                if (t !== undefined) emit(t, { type: 'gap', symbol, channel: 'candles', timeframe, fromMs, toMs })
              },
              backfill: (fromMs, toMs) => venue.fetchCandles({ symbol, timeframe, fromMs, toMs }),
            },
          })
        }
        s = { key, sub, stream, socketKey, listeners: new Set([listener]), sequencer, lastDataMs: undefined }
        subs.set(key, s)
        const entry = socketFor(socketKey)
        const count = entry.streams.get(stream) ?? 0
        entry.streams.set(stream, count + 1)
        if (count === 0 && entry.socket.isOpen()) for (const f of venue.subscriptionFrames([stream], true)) entry.socket.send(f)
        void entry.socket.start()
      }
      s.listeners.add(listener)
      const owned = s
      return () => {
        owned.listeners.delete(listener)
        if (owned.listeners.size > 0 || subs.get(key) !== owned) return
        subs.delete(key)
        const entry = sockets.get(owned.socketKey)
        if (entry === undefined) return
        const left = (entry.streams.get(owned.stream) ?? 1) - 1
        if (left > 0) {
          entry.streams.set(owned.stream, left)
          return
        }
        entry.streams.delete(owned.stream)
        if (entry.streams.size === 0) {
          sockets.delete(owned.socketKey)
          entry.socket.stop()
        } else if (entry.socket.isOpen()) for (const f of venue.subscriptionFrames([owned.stream], false)) entry.socket.send(f)
      }
    },
    async fetchCandles(query) {
      if (!(Number.isFinite(query.fromMs) && Number.isFinite(query.toMs) && query.fromMs <= query.toMs)) {
        throw new PerpkitError('invalid-input', 'fetchCandles needs finite fromMs <= toMs', { path: 'fromMs' })
      }
      const tf = timeframeMs(query.timeframe)
      const now = clock.now()
      const rows = await venue.fetchCandles(query)
      const out: Candle[] = []
      for (const c of rows) {
        if (c.openTimeMs < query.fromMs || c.openTimeMs >= query.toMs || c.openTimeMs + tf > now) continue
        if (out.length > 0 && c.openTimeMs <= (out.at(-1)?.openTimeMs ?? 0)) continue
        out.push(c)
      }
      return out
    },
    close() {
      for (const [k, entry] of sockets) {
        sockets.delete(k)
        entry.socket.stop()
      }
      subs.clear()
    },
  }
  return feed
}
