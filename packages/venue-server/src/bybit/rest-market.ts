/**
 * Public REST handlers: `market/time`, `market/instruments-info`, `market/kline`, `market/tickers`,
 * `market/funding/history`. Categories the venue does not list (`spot`, `option`) answer empty lists.
 * @module
 */
import type { Instrument } from '@perpkit/core'
import { bookOf, categoryParam, marketOf } from './books.js'
import { rate } from './decimals.js'
import { BybitApiError, BYBIT_RET } from './errors.js'
import { bybitInstrumentJson, bybitKlineRow, bybitTickerJson, type TickerContext } from './market-format.js'
import { klineIntervalMs } from './market-tape.js'
import type { BybitState } from './state.js'

/** Request parameters of a handler (query string or JSON body). */
export type BybitParams = Readonly<Record<string, unknown>>

/** Funding as the venue applies it: a rate series per Bybit symbol, or a fixed rate every 8 h. */
export interface BybitFundingView {
  /** Settled funding points of `symbol` up to `nowMs`, oldest first. */
  history(symbol: string, nowMs: number): readonly { readonly fundingTimeMs: number; readonly rate: number }[]
  /** The rate of the next settlement and its time. */
  next(symbol: string, nowMs: number): { readonly rate: number; readonly fundingTimeMs: number }
}

function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new BybitApiError(BYBIT_RET.paramsError, `params error: ${name} invalid`)
  return Math.min(n, max)
}

function msParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new BybitApiError(BYBIT_RET.paramsError, `params error: ${name} invalid`)
  return n
}

/** `GET /v5/market/time`. @example `marketTime(state)` */
export function marketTime(state: BybitState): Record<string, unknown> {
  const now = state.clock.now()
  return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${String(now)}000000` }
}

/** `GET /v5/market/instruments-info`. @example `instrumentsInfo(state, { category: 'inverse' })` */
export function instrumentsInfo(state: BybitState, p: BybitParams, launchTimeMs: number): Record<string, unknown> {
  const category = categoryParam(p.category)
  if (category === 'spot' || category === 'option') return { category, list: [], nextPageCursor: '' }
  const book = state.books[category]
  // Only listed (Trading) instruments exist here; a PreLaunch query answers an empty list.
  const status = p.status === undefined || p.status === 'Trading' ? 'Trading' : String(p.status)
  const list = (book?.instruments ?? [])
    .filter((i) => status === 'Trading' && (p.symbol === undefined || i.venueSymbol === p.symbol) && (p.baseCoin === undefined || i.base === p.baseCoin))
    .map((instrument) => bybitInstrumentJson({ instrument, launchTimeMs, fundingIntervalMin: 480 }))
  return { category, list, nextPageCursor: '' }
}

/** `GET /v5/market/kline`. @example `kline(state, { category: 'inverse', symbol: 'BTCUSD', interval: '5' })` */
export function kline(state: BybitState, p: BybitParams): Record<string, unknown> {
  const { instrument, book } = marketOf(state.books, p.category, p.symbol)
  const intervalMs = typeof p.interval === 'string' ? klineIntervalMs(p.interval) : undefined
  if (intervalMs === undefined) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: interval invalid')
  const limit = intParam(p.limit, 'limit', 200, 1000)
  const startMs = msParam(p.start, 'start')
  const endMs = msParam(p.end, 'end')
  const rows = state.tape.klines({ symbol: instrument.venueSymbol, intervalMs, limit, ...(startMs === undefined ? {} : { startMs }), ...(endMs === undefined ? {} : { endMs }) })
  return { symbol: instrument.venueSymbol, category: book.category, list: rows.map((k) => bybitKlineRow(k, instrument)) }
}

/** Ticker context (funding, open interest) of an instrument. */
export function tickerContext(state: BybitState, funding: BybitFundingView, instrument: Instrument, category: 'linear' | 'inverse'): TickerContext {
  const now = state.clock.now()
  const next = funding.next(instrument.venueSymbol, now)
  const position = state.books[category]?.venue.state().positions.find((x) => x.symbol === instrument.symbol)
  return { nowMs: now, fundingRate: next.rate, nextFundingTimeMs: next.fundingTimeMs, openInterest: position?.qty ?? 0 }
}

/** `GET /v5/market/tickers`. @example `tickers(state, funding, { category: 'linear' })` */
export function tickers(state: BybitState, funding: BybitFundingView, p: BybitParams): Record<string, unknown> {
  const category = categoryParam(p.category)
  if (category === 'spot' || category === 'option') return { category, list: [] }
  const book = bookOf(state.books, category)
  const list = book.instruments
    .filter((i) => p.symbol === undefined || i.venueSymbol === p.symbol)
    .filter((i) => state.tape.lastPrice(i.venueSymbol) !== undefined)
    .map((instrument) => bybitTickerJson({ tape: state.tape, instrument, context: tickerContext(state, funding, instrument, category) }))
  if (p.symbol !== undefined && list.length === 0 && !book.instruments.some((i) => i.venueSymbol === p.symbol)) {
    throw new BybitApiError(BYBIT_RET.paramsError, 'params error: symbol invalid')
  }
  return { category, list }
}

/** `GET /v5/market/funding/history`: newest first. @example `fundingHistory(state, funding, { category: 'linear', symbol: 'BTCUSDT' })` */
export function fundingHistory(state: BybitState, funding: BybitFundingView, p: BybitParams): Record<string, unknown> {
  const { instrument, book } = marketOf(state.books, p.category, p.symbol)
  const limit = intParam(p.limit, 'limit', 200, 200)
  const startMs = msParam(p.startTime, 'startTime')
  const endMs = msParam(p.endTime, 'endTime')
  const points = funding
    .history(instrument.venueSymbol, state.clock.now())
    .filter((f) => (startMs === undefined || f.fundingTimeMs >= startMs) && (endMs === undefined || f.fundingTimeMs <= endMs))
    .slice(-limit)
    .reverse()
  return { category: book.category, list: points.map((f) => ({ symbol: instrument.venueSymbol, fundingRate: rate(f.rate), fundingRateTimestamp: String(f.fundingTimeMs) })) }
}
