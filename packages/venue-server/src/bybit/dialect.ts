/**
 * The Bybit v5 dialect: REST answers, WebSocket sessions and market-data publishing over one or two simulated
 * venues (linear and inverse). Transport-free: the server hands it raw requests and sockets.
 * @module
 */
import { createHash } from 'node:crypto'
import type { Candle, Clock, MarginMode, TradeTick } from '@perpkit/core'
import { positionObject, walletAccount } from './rest-account.js'
import type { BybitApiKey } from './auth.js'
import { allBooks, type BybitBook, type BybitBooks, type BybitDerivativeCategory } from './books.js'
import { bybitWsKlineMessage, bybitWsTickerMessage, bybitWsTradeMessage } from './market-format.js'
import { klineIntervalMs } from './market-tape.js'
import { bybitExecutionJson, bybitOrderJson } from './order-format.js'
import { createBybitRateLimiter } from './rate-limit.js'
import { type BybitFundingView, tickerContext } from './rest-market.js'
import { type BybitHttpReply, type BybitHttpRequest, handleBybitRest } from './rest-router.js'
import { type BybitState, type CategorizedEvent, createBybitState } from './state.js'
import { type BybitSession, type BybitSocket, openBybitSession, type SessionHost } from './ws-sessions.js'

/** Funding the venues apply, for `funding/history` and tickers (give the simulated venues the same). */
export interface BybitFundingOptions {
  /** A rate charged every 8 h (00/08/16 UTC). */
  readonly fixedRate?: number
  /** Settlements per Bybit symbol (`BTCUSD`), oldest first. */
  readonly ratesBySymbol?: Readonly<Record<string, readonly { readonly fundingTimeMs: number; readonly rate: number }[]>>
}

/**
 * Options of {@link createBybitDialect}.
 * @example
 * ```ts
 * const options: BybitDialectOptions = { books: { inverse: { category: 'inverse', venue, instruments } }, clock, keys: [{ apiKey: 'k', secret: 's', readOnly: false }] }
 * ```
 */
export interface BybitDialectOptions {
  readonly books: BybitBooks
  readonly clock: Clock
  readonly keys: readonly BybitApiKey[]
  readonly funding?: BybitFundingOptions
  /** Leverage reported before `set-leverage` (give the simulated venues the same `defaultLeverage`). Default 20. */
  readonly defaultLeverage?: number
  /** Margin mode the venues start in (default cross, `REGULAR_MARGIN`). */
  readonly marginMode?: MarginMode
  /** Requests per second per endpoint (see `BYBIT_DEFAULT_LIMITS`). */
  readonly limits?: Readonly<Record<string, number>>
  /** `launchTime` of the listed instruments. Default 0. */
  readonly launchTimeMs?: number
}

/**
 * A running Bybit dialect.
 * @example
 * ```ts
 * const bybit = createBybitDialect(options)
 * bybit.applyCandle({ symbol: 'BTC/USD:BTC', candle, intervalMs: 60_000 })
 * const answer = await bybit.handleRest(request)
 * ```
 */
export interface BybitDialect {
  readonly state: BybitState
  /** Answer one REST request (then publish what it caused on the private streams). */
  handleRest(request: BybitHttpRequest): Promise<BybitHttpReply>
  /** Attach a WebSocket connection; `undefined` when `path` is not a Bybit stream. */
  openSocket(path: string, socket: BybitSocket): BybitSession | undefined
  /** Forget a closed connection. */
  closeSocket(session: BybitSession): void
  /** Feed a candle of a unified symbol (`BTC/USD:BTC`) to its venue, record it and publish klines / tickers. */
  applyCandle(args: { readonly symbol: string; readonly candle: Candle; readonly intervalMs: number }): void
  /** Feed a public trade and publish it. */
  applyTrade(args: { readonly symbol: string; readonly trade: TradeTick }): void
  /** Move a mark price. */
  setMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs: number }): void
  /** Read the venues' new events and publish them on the private streams (call after timers fire). */
  pump(): void
  /** Every frame sent on any connection and every REST answer, in order (`<conn> <json>`). */
  wireLog(): readonly string[]
  /** SHA-256 hex of {@link BybitDialect.wireLog} (one line per entry). */
  wireLogHash(): string
}

const EIGHT_HOURS = 28_800_000

function fundingView(options: BybitFundingOptions | undefined): BybitFundingView {
  const fixed = options?.fixedRate
  return {
    history: (symbol, nowMs) => {
      const series = options?.ratesBySymbol?.[symbol]
      if (series !== undefined) return series.filter((f) => f.fundingTimeMs <= nowMs)
      if (fixed === undefined) return []
      const out: { fundingTimeMs: number; rate: number }[] = []
      const last = Math.floor(nowMs / EIGHT_HOURS) * EIGHT_HOURS
      for (let t = last - 199 * EIGHT_HOURS; t <= last; t += EIGHT_HOURS) if (t >= 0) out.push({ fundingTimeMs: t, rate: fixed })
      return out
    },
    next: (symbol, nowMs) => {
      const series = options?.ratesBySymbol?.[symbol]
      const upcoming = series?.find((f) => f.fundingTimeMs > nowMs)
      if (upcoming !== undefined) return upcoming
      return { rate: fixed ?? 0, fundingTimeMs: (Math.floor(nowMs / EIGHT_HOURS) + 1) * EIGHT_HOURS }
    },
  }
}

/**
 * Create the Bybit dialect over simulated venues (`@perpkit/sim` profiles `bybit-linear` / `bybit-inverse`).
 *
 * @param options - see {@link BybitDialectOptions}
 * @returns a {@link BybitDialect}
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createSimVenue } from '@perpkit/sim'
 * const clock = createTestClock(Date.UTC(2022, 11, 13))
 * const venue = createSimVenue({ profile: 'bybit-inverse', instruments: [btcusd], balances: { BTC: 1 }, clock })
 * const bybit = createBybitDialect({ books: { inverse: { category: 'inverse', venue, instruments: [btcusd] } }, clock, keys: [{ apiKey: 'k', secret: 's', readOnly: false }] })
 * ```
 */
export function createBybitDialect(options: BybitDialectOptions): BybitDialect {
  const state = createBybitState({ books: options.books, clock: options.clock, keys: options.keys, defaultLeverage: options.defaultLeverage ?? 20, ...(options.marginMode === undefined ? {} : { marginMode: options.marginMode }) })
  const funding = fundingView(options.funding)
  const limiter = createBybitRateLimiter(options.limits)
  const sessions = new Set<BybitSession>()
  const wire: string[] = []
  let conns = 0
  let crossSeq = 0

  const bookOfSymbol = (symbol: string): { book: BybitBook; category: BybitDerivativeCategory } => {
    for (const book of allBooks(options.books)) if (book.instruments.some((i) => i.symbol === symbol)) return { book, category: book.category }
    throw new Error(`venue-server (bybit): no instrument ${symbol}`)
  }
  const nowMs = (): number => options.clock.now()

  const privateMessage = (topic: string, data: readonly unknown[]): Record<string, unknown> => ({ id: `${String(state.nextSeq())}-${topic}`, topic, creationTime: nowMs(), data })

  const publishPrivate = (ev: CategorizedEvent): void => {
    const e = ev.event
    let topic: string | undefined
    let data: unknown
    if (e.type === 'order') {
      const meta = state.registry.byClientOrderId(ev.category, e.order.clientOrderId)
      const instrument = state.instrumentOf(ev.category, e.order.symbol)
      if (meta === undefined || instrument === undefined) return
      topic = 'order'
      data = bybitOrderJson({ order: e.order, meta, instrument, ws: true })
    } else if (e.type === 'fill' && ev.execution !== undefined) {
      const x = ev.execution
      const instrument = state.instrumentOf(ev.category, x.fill.symbol)
      if (instrument === undefined) return
      topic = 'execution'
      data = bybitExecutionJson({ category: x.category, fill: x.fill, order: x.order, meta: x.meta, instrument, markPrice: x.markPrice, leavesQty: x.leavesQty, seq: x.seq, ws: true })
    } else if (e.type === 'position') {
      topic = 'position'
      data = positionObject(state, ev.category, e.symbol, true)
    } else if (e.type === 'balance') {
      topic = 'wallet'
      data = walletAccount(state)
    }
    if (topic === undefined || data === undefined) return
    const targets = [...sessions].filter((s) => s.kind === 'private' && s.wants(topic, ev.category))
    if (targets.length === 0) return
    const message = privateMessage(topic, [data])
    for (const s of targets) s.send(message)
  }

  const pump = (): void => {
    for (const ev of state.sync()) publishPrivate(ev)
  }

  const publishPublic = (category: BybitDerivativeCategory, topics: (topic: string) => Record<string, unknown> | undefined, only?: BybitSession): void => {
    for (const s of only === undefined ? sessions : [only]) {
      if (s.kind !== 'public' || s.category !== category) continue
      for (const topic of s.topicsList()) {
        const msg = topics(topic)
        if (msg !== undefined) s.send(msg)
      }
    }
  }

  const marketMessage = (category: BybitDerivativeCategory, topic: string, trades?: { list: readonly TradeTick[]; previous: number | undefined }): Record<string, unknown> | undefined => {
    const [kind, a, b] = topic.split('.')
    const symbol = kind === 'kline' ? b : a
    const instrument = options.books[category]?.instruments.find((i) => i.venueSymbol === symbol)
    if (instrument === undefined) return undefined
    if (kind === 'tickers') {
      if (state.tape.lastPrice(instrument.venueSymbol) === undefined) return undefined
      return bybitWsTickerMessage({ tape: state.tape, instrument, context: tickerContext(state, funding, instrument, category), cs: ++crossSeq })
    }
    if (kind === 'kline') {
      const intervalMs = klineIntervalMs(a ?? '')
      if (intervalMs === undefined) return undefined
      const k = state.tape.klineAt({ symbol: instrument.venueSymbol, intervalMs, timeMs: state.tape.lastTimeMs(instrument.venueSymbol) })
      return k === undefined ? undefined : bybitWsKlineMessage({ kline: k, interval: a ?? '', intervalMs, instrument, nowMs: nowMs() })
    }
    if (kind === 'publicTrade' && trades !== undefined && trades.list.length > 0) return bybitWsTradeMessage({ trades: trades.list, previousPrice: trades.previous, instrument, nowMs: nowMs() })
    return undefined
  }

  const host: SessionHost = {
    keys: options.keys,
    nowMs,
    symbols: (category) => options.books[category]?.instruments.map((i) => i.venueSymbol) ?? [],
    subscribed: (session, topics) => {
      if (session.category === undefined) return
      const category = session.category
      for (const t of topics) {
        const msg = t.startsWith('publicTrade.') ? undefined : marketMessage(category, t)
        if (msg !== undefined) session.send(msg)
      }
    },
    record: (connId, text) => {
      wire.push(`${connId} ${text}`)
    },
  }

  return {
    state,
    handleRest: async (request) => {
      pump()
      const answer = await handleBybitRest({ state, funding, limiter, launchTimeMs: options.launchTimeMs ?? 0, request })
      wire.push(`rest ${request.method} ${request.path} ${String(answer.status)} ${answer.body}`)
      pump()
      return answer
    },
    openSocket: (path, socket) => {
      const kind = path.startsWith('/v5/private') ? 'private' : 'public'
      const session = openBybitSession({ path, socket, host, connId: `${kind}-${String(++conns)}` })
      if (session !== undefined) sessions.add(session)
      return session
    },
    closeSocket: (session) => {
      sessions.delete(session)
    },
    applyCandle: ({ symbol, candle, intervalMs }) => {
      const { book, category } = bookOfSymbol(symbol)
      const instrument = book.instruments.find((i) => i.symbol === symbol)
      if (instrument === undefined) return
      pump()
      state.tape.recordCandle({ symbol: instrument.venueSymbol, candle, intervalMs, inverse: instrument.kind === 'inverse' })
      book.venue.applyCandle({ symbol, candle })
      pump()
      publishPublic(category, (topic) => (topic.endsWith(`.${instrument.venueSymbol}`) && !topic.startsWith('publicTrade.') ? marketMessage(category, topic) : undefined))
    },
    applyTrade: ({ symbol, trade }) => {
      const { book, category } = bookOfSymbol(symbol)
      const instrument = book.instruments.find((i) => i.symbol === symbol)
      if (instrument === undefined) return
      pump()
      const previous = state.tape.lastPrice(instrument.venueSymbol)
      state.tape.recordTrade({ symbol: instrument.venueSymbol, trade })
      book.venue.applyTrade({ symbol, trade })
      pump()
      publishPublic(category, (topic) =>
        topic === `publicTrade.${instrument.venueSymbol}` || topic === `tickers.${instrument.venueSymbol}` ? marketMessage(category, topic, { list: [trade], previous }) : undefined,
      )
    },
    setMarkPrice: ({ symbol, markPrice, timestampMs }) => {
      const { book, category } = bookOfSymbol(symbol)
      const instrument = book.instruments.find((i) => i.symbol === symbol)
      if (instrument === undefined) return
      pump()
      state.tape.recordMarkPrice({ symbol: instrument.venueSymbol, markPrice, timestampMs })
      book.venue.setMarkPrice({ symbol, markPrice, timestampMs })
      pump()
      publishPublic(category, (topic) => (topic === `tickers.${instrument.venueSymbol}` ? marketMessage(category, topic) : undefined))
    },
    pump,
    wireLog: () => wire,
    wireLogHash: () => createHash('sha256').update(wire.join('\n')).digest('hex'),
  }
}
