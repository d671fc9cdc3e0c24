/**
 * Binance USDⓈ-M WebSocket streams. Paths served (the client's futures WebSocket base is `${wsUrl}/ws`):
 * - raw streams `/ws`, `/ws/<streams or listenKey>`, and the routed `/market/ws[/…]`, `/public/ws[/…]`;
 * - combined streams `/stream?streams=a/b` (and `/market/stream`, `/public/stream`), frames `{ stream, data }`;
 * - the user-data stream `/ws/<listenKey>`, `/private/ws?listenKey=<key>` (or `/private/ws/<key>`).
 * Subscription messages `SUBSCRIBE` / `UNSUBSCRIBE` / `LIST_SUBSCRIPTIONS` are answered `{ result, id }`.
 * Market streams: `<symbol>@kline_<interval>` (`x: false` while the bar forms, `x: true` once when it closes),
 * `<symbol>@aggTrade`, `<symbol>@markPrice[@1s]`.
 * @module
 */
import type { WsPeer } from '../dialect.js'
import type { MarketEvent } from '../venue-state.js'
import { money, px, qty } from './format.js'
import { aggregateCandles, KLINE_INTERVAL_MS } from './routes/market.js'
import type { BinanceSession } from './session.js'

interface Connection {
  readonly peer: WsPeer
  readonly combined: boolean
  readonly streams: Set<string>
  listenKey: string | undefined
}

/**
 * The stream hub of one server.
 * @example
 * ```ts
 * const hub = createStreamHub({ session, isValidListenKey: (k) => keys.isValid(k) })
 * hub.connect(peer)
 * ```
 */
export interface StreamHub {
  connect(peer: WsPeer): void
  /** Send a user-data event to every connection of a valid listen key. */
  userEvent(frame: Record<string, unknown>): void
  /** A listen key expired: tell its connections and stop their user events. */
  expired(listenKey: string): void
  close(): void
}

const PREFIXES = ['/ws', '/market/ws', '/public/ws', '/private/ws']
const COMBINED = ['/stream', '/market/stream', '/public/stream', '/private/stream']

/**
 * Create the hub.
 * @param args.session - dialect session
 * @param args.isValidListenKey - whether a listen key is currently valid
 * @returns the hub
 * @throws never
 * @example
 * ```ts
 * const hub = createStreamHub({ session, isValidListenKey: () => true })
 * ```
 */
export function createStreamHub(args: { readonly session: BinanceSession; readonly isValidListenKey: (key: string) => boolean }): StreamHub {
  const { session, isValidListenKey } = args
  const { venue, clock } = session.ctx
  const connections = new Set<Connection>()

  const send = (c: Connection, stream: string, data: unknown): void => {
    c.peer.send(c.combined ? { stream, data } : data)
  }
  const addStream = (c: Connection, name: string): void => {
    if (isValidListenKey(name)) {
      c.listenKey = name
      c.peer.channel = 'user'
      return
    }
    c.streams.add(name)
    if (c.peer.channel === 'unknown') c.peer.channel = 'market'
  }

  const klineFrame = (event: Extract<MarketEvent, { type: 'candle' }>, interval: string, intervalMs: number): Record<string, unknown> | undefined => {
    const ins = venue.instrument(event.symbol)
    // a forming bar joins the applied ones of its interval; only an applied bar that ends the interval closes it
    const base = event.closed ? venue.candles(event.symbol) : [...venue.candles(event.symbol), event.candle]
    const bar = aggregateCandles({ candles: base, baseMs: event.timeframeMs, intervalMs }).at(-1)
    if (bar === undefined) return undefined
    const closed = event.closed && (event.candle.openTimeMs + event.timeframeMs) % intervalMs === 0
    return {
      e: 'kline',
      E: clock.now(),
      s: ins.venueSymbol,
      k: {
        t: bar.openTimeMs,
        T: bar.openTimeMs + intervalMs - 1,
        s: ins.venueSymbol,
        i: interval,
        f: 0,
        L: 0,
        o: px(ins, bar.open),
        c: px(ins, bar.close),
        h: px(ins, bar.high),
        l: px(ins, bar.low),
        v: qty(ins, bar.volume),
        n: 0,
        x: closed,
        q: money(bar.volume * bar.close),
        V: qty(ins, 0),
        Q: money(0),
        B: '0',
      },
    }
  }

  const onMarket = (event: MarketEvent): void => {
    const ins = venue.instrument(event.symbol)
    const lower = ins.venueSymbol.toLowerCase()
    for (const c of connections) {
      for (const name of c.streams) {
        if (!name.startsWith(`${lower}@`)) continue
        const kind = name.slice(lower.length + 1)
        if (event.type === 'candle' && kind.startsWith('kline_')) {
          const interval = kind.slice('kline_'.length)
          const intervalMs = KLINE_INTERVAL_MS[interval]
          const frame = intervalMs === undefined ? undefined : klineFrame(event, interval, intervalMs)
          if (frame !== undefined) send(c, name, frame)
        } else if (event.type === 'trade' && kind === 'aggTrade') {
          const t = event.trade
          send(c, name, { e: 'aggTrade', E: clock.now(), a: event.tradeSeq, s: ins.venueSymbol, p: px(ins, t.price), q: qty(ins, t.qty), f: event.tradeSeq, l: event.tradeSeq, T: t.timestampMs, m: t.side === 'sell' })
        } else if (event.type === 'mark' && (kind === 'markPrice' || kind === 'markPrice@1s')) {
          send(c, name, {
            e: 'markPriceUpdate',
            E: event.timestampMs,
            s: ins.venueSymbol,
            p: money(event.markPrice),
            i: money(event.markPrice),
            P: money(event.markPrice),
            r: venue.nextFundingRate(event.symbol).toFixed(8),
            T: venue.nextFundingTimeMs(event.symbol),
          })
        }
      }
    }
  }
  const unsubscribe = venue.onMarket(onMarket)

  const handleMessage = (c: Connection, text: string): void => {
    let msg: { method?: unknown; params?: unknown; id?: unknown }
    try {
      msg = JSON.parse(text) as typeof msg
    } catch {
      c.peer.send({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null })
      return
    }
    const id = msg.id ?? null
    const params = Array.isArray(msg.params) ? msg.params.filter((p): p is string => typeof p === 'string') : []
    switch (msg.method) {
      case 'SUBSCRIBE':
        for (const p of params) addStream(c, p)
        c.peer.send({ result: null, id })
        return
      case 'UNSUBSCRIBE':
        for (const p of params) c.streams.delete(p)
        c.peer.send({ result: null, id })
        return
      case 'LIST_SUBSCRIPTIONS':
        c.peer.send({ result: [...c.streams], id })
        return
      default:
        c.peer.send({ error: { code: 2, msg: `Invalid request: unknown variant \`${String(msg.method)}\`` }, id })
    }
  }

  return {
    connect(peer) {
      const path = peer.path.replace(/\/+$/, '')
      const combinedBase = COMBINED.find((p) => path === p)
      const rawBase = PREFIXES.find((p) => path === p || path.startsWith(`${p}/`))
      if (combinedBase === undefined && rawBase === undefined) {
        peer.close(1008, 'unknown path')
        return
      }
      const c: Connection = { peer, combined: combinedBase !== undefined, streams: new Set(), listenKey: undefined }
      const names = combinedBase !== undefined ? (peer.query.get('streams') ?? '').split('/') : path.slice((rawBase ?? '').length + 1).split('/')
      for (const n of names) if (n.length > 0) addStream(c, n)
      const queryKey = peer.query.get('listenKey')
      if (queryKey !== null) {
        if (!isValidListenKey(queryKey)) {
          peer.close(1008, 'invalid listenKey')
          return
        }
        addStream(c, queryKey)
      }
      connections.add(c)
      peer.onMessage((text) => handleMessage(c, text))
      peer.onClose(() => connections.delete(c))
    },
    userEvent(frame) {
      for (const c of connections) if (c.listenKey !== undefined && isValidListenKey(c.listenKey)) send(c, c.listenKey, frame)
    },
    expired(listenKey) {
      for (const c of connections) {
        if (c.listenKey !== listenKey) continue
        send(c, listenKey, { e: 'listenKeyExpired', E: String(clock.now()), listenKey })
      }
      session.ctx.eventLog.record({ timestampMs: clock.now(), kind: 'venue', ref: 'listenKeyExpired', body: listenKey })
    },
    close() {
      unsubscribe()
      connections.clear()
    },
  }
}
