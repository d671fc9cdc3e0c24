/**
 * The Bybit v5 dialect: REST under `/v5/*`, private WebSocket `/v5/private`, public WebSockets
 * `/v5/public/linear` and `/v5/public/inverse`, over the simulated `bybit-linear` and `bybit-inverse` venues
 * (one unified account: USDT for linear contracts, BTC for inverse ones).
 * @module
 */
import type { Candle, Instrument, TradeTick } from '@perpkit/core'
import type { Dialect, DialectContext, DialectInstance, VenueResponse } from '../dialect.js'
import { positionObject, walletAccount } from './rest-account.js'
import type { BybitBooks, BybitDerivativeCategory } from './books.js'
import { BYBIT_RET } from './errors.js'
import { bybitDefaults } from './instruments.js'
import { bybitWsKlineMessage, bybitWsTickerMessage, bybitWsTradeMessage } from './market-format.js'
import { createMarketTape, klineIntervalMs } from './market-tape.js'
import { bybitExecutionJson, bybitOrderJson } from './order-format.js'
import { createBybitRateLimiter } from './rate-limit.js'
import { type BybitFundingView, tickerContext } from './rest-market.js'
import { bybitEnvelopeResponse, bybitRoutes } from './rest-router.js'
import { type BybitState, type CategorizedEvent, createBybitState } from './state.js'
import { type BybitSession, openBybitSession, type SessionHost } from './ws-sessions.js'

const EIGHT_HOURS_MS = 28_800_000
/** Leverage the simulated venues start with (its default). */
const DEFAULT_LEVERAGE = 20

function fundingView(ctx: DialectContext, instruments: readonly Instrument[]): BybitFundingView {
  const unified = (venueSymbol: string): string | undefined => instruments.find((i) => i.venueSymbol === venueSymbol)?.symbol
  return {
    history: (symbol, nowMs) => {
      const u = unified(symbol)
      if (u === undefined) return []
      const series = ctx.venue.fundingHistory(u)
      if (series.length > 0) return series
      // A fixed rate is charged at every 00/08/16 UTC since prices started to flow.
      const first = ctx.venue.candles(u)[0]?.openTimeMs ?? ctx.venue.trades(u)[0]?.timestampMs
      if (first === undefined) return []
      const rate = ctx.venue.nextFundingRate(u)
      const out: { fundingTimeMs: number; rate: number }[] = []
      for (let t = Math.ceil(first / EIGHT_HOURS_MS) * EIGHT_HOURS_MS; t <= nowMs; t += EIGHT_HOURS_MS) out.push({ fundingTimeMs: t, rate })
      return out
    },
    next: (symbol, nowMs) => {
      const u = unified(symbol)
      if (u === undefined) return { rate: 0, fundingTimeMs: (Math.floor(nowMs / EIGHT_HOURS_MS) + 1) * EIGHT_HOURS_MS }
      return { rate: ctx.venue.nextFundingRate(u), fundingTimeMs: ctx.venue.nextFundingTimeMs(u) }
    },
  }
}

function booksOf(ctx: DialectContext): BybitBooks {
  const linear = ctx.venue.instruments.filter((i) => i.venue === 'bybit-linear')
  const inverse = ctx.venue.instruments.filter((i) => i.venue === 'bybit-inverse')
  return {
    ...(linear.length > 0 ? { linear: { category: 'linear' as const, venue: ctx.venue.sim('bybit-linear'), instruments: linear } } : {}),
    ...(inverse.length > 0 ? { inverse: { category: 'inverse' as const, venue: ctx.venue.sim('bybit-inverse'), instruments: inverse } } : {}),
  }
}

function createInstance(ctx: DialectContext): DialectInstance {
  const instruments = ctx.venue.instruments
  const books = booksOf(ctx)
  const tape = createMarketTape({ venue: ctx.venue, instruments })
  const state: BybitState = createBybitState({ books, clock: ctx.clock, keys: ctx.keys, tape, defaultLeverage: DEFAULT_LEVERAGE })
  const funding = fundingView(ctx, instruments)
  const limiter = createBybitRateLimiter({ clock: ctx.clock })
  const sessions = new Set<BybitSession>()
  let crossSeq = 0
  const nowMs = (): number => ctx.clock.now()

  const publishPrivate = (ev: CategorizedEvent): void => {
    const e = ev.event
    let topic: 'order' | 'execution' | 'position' | 'wallet' | undefined
    let data: unknown
    if (e.type === 'order') {
      const meta = ev.meta
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
      data = positionObject(state, ev.category, e.symbol, true, e.position)
    } else if (e.type === 'balance') {
      topic = 'wallet'
      data = walletAccount(state)
    }
    if (topic === undefined || data === undefined) return
    const wanted = topic
    const targets = [...sessions].filter((s) => s.kind === 'private' && s.wants(wanted, ev.category))
    if (targets.length === 0) return
    const message = { id: `${String(state.nextSeq())}-${topic}`, topic, creationTime: nowMs(), data: [data] }
    for (const s of targets) s.send(message)
  }
  const pump = (): void => {
    for (const ev of state.sync()) publishPrivate(ev)
  }

  const marketMessage = (category: BybitDerivativeCategory, topic: string, trade?: { readonly list: readonly TradeTick[] }, formingBar?: Candle): unknown => {
    const [kind, a, b] = topic.split('.')
    const symbol = kind === 'kline' ? b : a
    const instrument = books[category]?.instruments.find((i) => i.venueSymbol === symbol)
    if (instrument === undefined) return undefined
    if (kind === 'tickers') {
      if (tape.lastPrice(instrument.venueSymbol) === undefined) return undefined
      return bybitWsTickerMessage({ tape, instrument, context: tickerContext(state, funding, instrument, category), cs: ++crossSeq })
    }
    if (kind === 'kline') {
      const intervalMs = klineIntervalMs(a ?? '')
      if (intervalMs === undefined) return undefined
      const k =
        formingBar === undefined
          ? tape.klineAt({ symbol: instrument.venueSymbol, intervalMs, timeMs: tape.lastTimeMs(instrument.venueSymbol) })
          : tape.formingKline({ symbol: instrument.venueSymbol, intervalMs, candle: formingBar })
      return k === undefined ? undefined : bybitWsKlineMessage({ kline: k, interval: a ?? '', intervalMs, instrument, nowMs: nowMs() })
    }
    if (kind === 'publicTrade' && trade !== undefined && trade.list.length > 0) {
      return bybitWsTradeMessage({ trades: trade.list, previousPrice: tape.previousLastPrice(instrument.venueSymbol), instrument, nowMs: nowMs() })
    }
    return undefined
  }

  const host: SessionHost = {
    keys: ctx.keys,
    nowMs,
    symbols: (category) => books[category]?.instruments.map((i) => i.venueSymbol) ?? [],
    subscribed: (session, topics) => {
      const category = session.category
      if (category === undefined) return
      for (const t of topics) {
        const msg = marketMessage(category, t)
        if (msg !== undefined) session.send(msg)
      }
    },
  }

  ctx.venue.onMarket((e) => {
    pump()
    const instrument = instruments.find((i) => i.symbol === e.symbol)
    if (instrument === undefined) return
    const category: BybitDerivativeCategory = instrument.kind === 'inverse' ? 'inverse' : 'linear'
    const sym = instrument.venueSymbol
    for (const s of sessions) {
      if (s.kind !== 'public' || s.category !== category) continue
      for (const topic of s.topicsList()) {
        if (!topic.endsWith(`.${sym}`)) continue
        const forming = e.type === 'candle' && !e.closed ? e.candle : undefined
        const relevant =
          e.type === 'trade' ? topic.startsWith('publicTrade.') || topic.startsWith('tickers.') : e.type === 'candle' ? topic.startsWith('kline.') || (e.closed && topic.startsWith('tickers.')) : topic.startsWith('tickers.')
        if (!relevant) continue
        const msg = marketMessage(category, topic, e.type === 'trade' ? { list: [e.trade] } : undefined, forming)
        if (msg !== undefined) s.send(msg)
      }
    }
  })

  const routes = bybitRoutes({ state, funding, limiter, launchTimeMs: 0, beforeRequest: pump, afterRequest: pump })
  return {
    routes,
    notFound: (): VenueResponse => bybitEnvelopeResponse({ status: 404, retCode: BYBIT_RET.routeNotFound, retMsg: 'Route not found', result: {}, nowMs: nowMs() }),
    onWsConnection(peer) {
      const session = openBybitSession({ peer, host })
      if (session === undefined) {
        peer.close(1008, 'unknown stream path')
        return
      }
      peer.channel = session.kind === 'private' ? 'user' : 'market'
      sessions.add(session)
      peer.onMessage((text) => {
        pump()
        session.receive(text)
      })
      peer.onClose(() => sessions.delete(session))
    },
    renderFault(fault) {
      switch (fault.kind) {
        case 'rate-limited': {
          // Bybit's API rate limit answer: retCode 10006 with the limit headers saying when the window frees up.
          const resetMs = nowMs() + (fault.retryAfterSec ?? 1) * 1_000
          return bybitEnvelopeResponse({
            status: 200,
            retCode: BYBIT_RET.tooManyVisits,
            retMsg: 'Too many visits!',
            result: {},
            nowMs: nowMs(),
            headers: { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(resetMs) },
          })
        }
        case 'maintenance':
          return bybitEnvelopeResponse({ status: 200, retCode: BYBIT_RET.internalError, retMsg: 'Internal System Error.', result: {}, nowMs: nowMs() })
        default:
          return { status: 503, body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>' }
      }
    },
    close() {
      sessions.clear()
    },
  }
}

/**
 * The Bybit v5 dialect (`dialect: 'bybit'`): inverse and linear perpetuals of one unified trade account.
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'bybit' }) // BTCUSD (inverse) and BTCUSDT (linear)
 * ```
 */
export const bybitDialect: Dialect = {
  name: 'bybit',
  venues: ['bybit-inverse', 'bybit-linear'],
  defaults: () => bybitDefaults(),
  create: createInstance,
}
