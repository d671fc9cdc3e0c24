/**
 * The venue's true state: one `@perpkit/sim` venue per simulated profile the dialect needs, the instruments,
 * the price path (recorded candles fed step by step, or prices driven by a test), recorded candles and trades
 * for the market-data endpoints, and market-event listeners for the dialects' public streams.
 * @module
 */
import {
  type Candle,
  type Clock,
  InvalidInputError,
  PerpkitError,
  type Instrument,
  type TestClock,
  type TradeTick,
  type Unsubscribe,
  type VenueId,
} from '@perpkit/core'
import { createSimVenue, type SimFundingPoint, type SimVenue, type SimVenueOptions } from '@perpkit/sim'

/**
 * A change of the public market the dialects turn into stream frames.
 * - `candle`: a bar was applied (`closed: true`), or the still-forming bar moved (`closed: false`, from
 *   {@link VenueState.updateCandle}).
 * - `trade`: one public trade.
 * - `mark`: the mark price moved.
 * @example
 * ```ts
 * import { type VenueState } from '@perpkit/venue-server'
 * declare const state: VenueState // `server.handle.venue` of a running server
 * state.onMarket((e) => { if (e.type === 'candle') console.log(e.symbol, e.candle.close) })
 * ```
 */
export type MarketEvent =
  | { readonly type: 'candle'; readonly symbol: string; readonly timeframeMs: number; readonly candle: Candle; readonly closed: boolean }
  | { readonly type: 'trade'; readonly symbol: string; readonly trade: TradeTick; readonly tradeSeq: number }
  | { readonly type: 'mark'; readonly symbol: string; readonly markPrice: number; readonly timestampMs: number }

/**
 * Price-path input: recorded candles per unified symbol (same timeframe for all), optional funding series.
 * @example
 * ```ts
 * import { type Candle } from '@perpkit/core'
 * import { type SimFundingPoint } from '@perpkit/sim'
 * import { type VenueData } from '@perpkit/venue-server'
 * declare const candles: Candle[] // recorded 5 m bars, oldest first
 * declare const rates: SimFundingPoint[] // recorded funding settlements
 * const data: VenueData = { timeframeMs: 300_000, candles: { 'BTC/USDT:USDT': candles }, funding: { 'BTC/USDT:USDT': rates } }
 * ```
 */
export interface VenueData {
  /** Bar length of `candles` (default 60,000 = 1m). */
  readonly timeframeMs?: number
  /** Candles to feed with `handle.step()`, oldest first, per unified symbol. */
  readonly candles?: Readonly<Record<string, readonly Candle[]>>
  /** Funding settlements per unified symbol (also served by the funding-history endpoints). */
  readonly funding?: Readonly<Record<string, readonly SimFundingPoint[]>>
}

/**
 * Extra options handed to every simulated venue (fill model, slippage, latency, leverage, margin mode …).
 * @example
 * ```ts
 * import { type SimPassThrough } from '@perpkit/venue-server'
 * const sim: SimPassThrough = { slippage: { fixedBps: 1 }, fillModel: { queue: 'touch' } }
 * ```
 */
export type SimPassThrough = Omit<SimVenueOptions, 'profile' | 'instruments' | 'balances' | 'clock' | 'seed' | 'funding'> & {
  /** Fixed funding rate used where `data.funding` has no series (default 0.0001). */
  readonly fixedFundingRate?: number
}

/**
 * The simulated venue(s) behind a server.
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm' })
 * const { balances, positions, openOrders } = server.handle.venue.simFor('BTC/USDT:USDT').state()
 * ```
 */
export interface VenueState {
  readonly clock: Clock
  readonly instruments: readonly Instrument[]
  /** Bar length of recorded candles. */
  readonly timeframeMs: number
  /** Instrument by unified symbol; throws `unknown-symbol`. */
  instrument(symbol: string): Instrument
  /** Instrument by venue symbol (`BTCUSDT`) among the instruments of `venue` (default: any). */
  findByVenueSymbol(venueSymbol: string, venue?: VenueId): Instrument | undefined
  /** The simulated venue of a profile; throws `invalid-input` if the server has none. */
  sim(venue: VenueId): SimVenue
  /** The simulated venue trading `symbol`. */
  simFor(symbol: string): SimVenue
  /** Feed one candle: the simulated venue matches along its path, then `candle` (and `mark`) events. */
  applyCandle(args: { readonly symbol: string; readonly candle: Candle }): void
  /**
   * Move the still-forming bar of `symbol` (a live kline update: streams send it with `x: false` /
   * `confirm: false`). Market data only: the simulated venue matches on whole bars and trades, so this neither
   * fills orders nor enters the klines history; {@link VenueState.applyCandle} of the same bar closes it.
   */
  updateCandle(args: { readonly symbol: string; readonly candle: Candle }): void
  /** The still-forming bar of `symbol` set by {@link VenueState.updateCandle}, until a bar at or after it is applied. */
  formingCandle(symbol: string): Candle | undefined
  /** Feed one public trade. */
  applyTrade(args: { readonly symbol: string; readonly trade: TradeTick }): void
  /** Move the mark price (default timestamp: now). */
  setMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs?: number }): void
  /**
   * Feed the next `bars` recorded candles of every symbol (default 1). With a `TestClock` the clock first moves
   * to each bar's open and, after it, to its close. Returns how many bars were fed.
   */
  step(bars?: number): number
  /** Recorded bars not yet fed (the minimum over symbols). */
  remainingBars(): number
  /** Candles applied so far (oldest first). */
  candles(symbol: string): readonly Candle[]
  /** Trades applied so far (oldest first). */
  trades(symbol: string): readonly TradeTick[]
  /** Last traded price (undefined before any price). */
  lastPrice(symbol: string): number | undefined
  /** Current mark price (follows last price unless set explicitly). */
  markPrice(symbol: string): number | undefined
  /** Funding settlements of `symbol` at or before now. */
  fundingHistory(symbol: string): readonly SimFundingPoint[]
  /** The funding rate that applies at the next settlement. */
  nextFundingRate(symbol: string): number
  /** Next funding time (epoch ms) after now: 00/08/16 UTC or the next series point. */
  nextFundingTimeMs(symbol: string): number
  onMarket(listener: (event: MarketEvent) => void): Unsubscribe
}

const EIGHT_HOURS_MS = 8 * 3_600_000

function isTestClock(clock: Clock): clock is TestClock {
  return typeof (clock as Partial<TestClock>).advanceTo === 'function'
}

/**
 * Create the venue state.
 *
 * @param args.instruments - tradable instruments (each served by the sim of `instrument.venue`)
 * @param args.balances - starting balances per profile
 * @param args.clock - the server clock
 * @param args.seed - base seed (sim `i` gets `seed + i`)
 * @param args.data - recorded candles / funding
 * @param args.sim - options passed to every simulated venue
 * @returns a {@link VenueState}
 * @throws InvalidInputError for instruments of a profile without balances, or bad data
 * @example
 * ```ts
 * import { systemClock as clock } from '@perpkit/core'
 * import { binanceUsdmDialect, createVenueState } from '@perpkit/venue-server'
 * const btc = binanceUsdmDialect.defaults('testnet').instruments[0]!
 * const candle = { openTimeMs: Date.UTC(2025, 8, 19), open: 65000, high: 65010, low: 64990, close: 65005, volume: 5 }
 * const state = createVenueState({ instruments: [btc], balances: { 'binance-usdm': { USDT: 10_000 } }, clock, seed: 1 })
 * state.applyCandle({ symbol: 'BTC/USDT:USDT', candle })
 * ```
 */
export function createVenueState(args: {
  readonly instruments: readonly Instrument[]
  readonly balances: Partial<Record<VenueId, Readonly<Record<string, number>>>>
  readonly clock: Clock
  readonly seed: number
  readonly data?: VenueData
  readonly sim?: SimPassThrough
}): VenueState {
  const { instruments, clock, data } = args
  const timeframeMs = data?.timeframeMs ?? 60_000
  if (!(Number.isInteger(timeframeMs) && timeframeMs > 0)) throw new InvalidInputError('must be a positive integer', { path: 'data.timeframeMs' })
  if (instruments.length === 0) throw new InvalidInputError('at least one instrument is needed', { path: 'instruments' })
  const { fixedFundingRate, ...simRest } = args.sim ?? {}
  const venueIds = [...new Set(instruments.map((i) => i.venue))].sort()
  const sims = new Map<VenueId, SimVenue>()
  for (const [idx, venue] of venueIds.entries()) {
    const balances = args.balances[venue]
    if (balances === undefined) throw new InvalidInputError(`no starting balances for ${venue}`, { path: `balances.${venue}` })
    const own = instruments.filter((i) => i.venue === venue)
    const ratesBySymbol: Record<string, readonly SimFundingPoint[]> = {}
    for (const i of own) {
      const series = data?.funding?.[i.symbol]
      if (series !== undefined) ratesBySymbol[i.symbol] = series
    }
    const options: SimVenueOptions = {
      ...simRest,
      profile: venue,
      instruments: own,
      balances,
      clock,
      seed: args.seed + idx,
      funding: Object.keys(ratesBySymbol).length > 0 ? { ratesBySymbol } : { fixedRate: fixedFundingRate ?? 0.0001 },
      // the Bybit dialect reads the simulator's event log by cursor, so events are always kept; the call log is
      // kept unless the caller turns it off (a local venue is inspected by its tests)
      record: { calls: simRest.record?.calls ?? true, events: true },
    }
    sims.set(venue, createSimVenue(options))
  }
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]))
  const candles = new Map<string, Candle[]>(instruments.map((i) => [i.symbol, []]))
  const trades = new Map<string, TradeTick[]>(instruments.map((i) => [i.symbol, []]))
  const last = new Map<string, number>()
  const marks = new Map<string, number>()
  const forming = new Map<string, Candle>()
  const explicitMark = (args.sim?.markPrice ?? 'follow-last') === 'explicit'
  const cursor = new Map<string, number>(instruments.map((i) => [i.symbol, 0]))
  const listeners = new Set<(event: MarketEvent) => void>()
  let tradeSeq = 0

  for (const [symbol, series] of Object.entries(data?.candles ?? {})) {
    if (!bySymbol.has(symbol)) throw new InvalidInputError(`candles for an unknown instrument ${symbol}`, { path: `data.candles.${symbol}` })
    for (let i = 1; i < series.length; i++) {
      if ((series[i]?.openTimeMs ?? 0) - (series[i - 1]?.openTimeMs ?? 0) <= 0) throw new InvalidInputError('candles must be strictly increasing in time', { path: `data.candles.${symbol}[${i}]` })
    }
  }

  const emit = (event: MarketEvent): void => {
    for (const l of [...listeners]) l(event)
  }
  const instrument = (symbol: string): Instrument => {
    const i = bySymbol.get(symbol)
    if (i === undefined) throw new PerpkitError('unknown-symbol', `${symbol} is not an instrument of this venue`, { retryable: false })
    return i
  }
  const simFor = (symbol: string): SimVenue => state.sim(instrument(symbol).venue)
  const fundingSeries = (symbol: string): readonly SimFundingPoint[] => data?.funding?.[symbol] ?? []

  const state: VenueState = {
    clock,
    instruments,
    timeframeMs,
    instrument,
    findByVenueSymbol: (venueSymbol, venue) => instruments.find((i) => i.venueSymbol === venueSymbol && (venue === undefined || i.venue === venue)),
    sim(venue) {
      const s = sims.get(venue)
      if (s === undefined) throw new InvalidInputError(`this server simulates no ${venue} venue`, { path: 'venue' })
      return s
    },
    simFor,
    applyCandle({ symbol, candle }) {
      simFor(symbol).applyCandle({ symbol, candle })
      candles.get(symbol)?.push(candle)
      const open = forming.get(symbol)
      if (open !== undefined && open.openTimeMs <= candle.openTimeMs) forming.delete(symbol)
      last.set(symbol, candle.close)
      emit({ type: 'candle', symbol, timeframeMs, candle, closed: true })
      if (!explicitMark) {
        marks.set(symbol, candle.close)
        emit({ type: 'mark', symbol, markPrice: candle.close, timestampMs: clock.now() })
      }
    },
    updateCandle({ symbol, candle }) {
      const ins = instrument(symbol)
      const lastClosed = candles.get(ins.symbol)?.at(-1)
      if (lastClosed !== undefined && candle.openTimeMs <= lastClosed.openTimeMs) throw new InvalidInputError('the forming bar must open after the last applied bar', { path: 'candle.openTimeMs' })
      forming.set(ins.symbol, candle)
      emit({ type: 'candle', symbol: ins.symbol, timeframeMs, candle, closed: false })
    },
    formingCandle: (symbol) => forming.get(instrument(symbol).symbol),
    applyTrade({ symbol, trade }) {
      simFor(symbol).applyTrade({ symbol, trade })
      trades.get(symbol)?.push(trade)
      last.set(symbol, trade.price)
      tradeSeq++
      emit({ type: 'trade', symbol, trade, tradeSeq })
      if (!explicitMark) marks.set(symbol, trade.price)
    },
    setMarkPrice({ symbol, markPrice, timestampMs }) {
      const at = timestampMs ?? clock.now()
      simFor(symbol).setMarkPrice({ symbol, markPrice, timestampMs: at })
      marks.set(symbol, markPrice)
      emit({ type: 'mark', symbol, markPrice, timestampMs: at })
    },
    step(bars = 1) {
      if (!(Number.isInteger(bars) && bars >= 0)) throw new InvalidInputError('must be an integer >= 0', { path: 'bars' })
      let fed = 0
      for (let n = 0; n < bars; n++) {
        const due: { symbol: string; candle: Candle }[] = []
        for (const [symbol, series] of Object.entries(data?.candles ?? {})) {
          const at = cursor.get(symbol) ?? 0
          const candle = series[at]
          if (candle !== undefined) due.push({ symbol, candle })
        }
        if (due.length === 0) break
        const openMs = Math.min(...due.map((d) => d.candle.openTimeMs))
        const batch = due.filter((d) => d.candle.openTimeMs === openMs)
        if (isTestClock(clock) && clock.now() < openMs) clock.advanceTo(openMs)
        for (const d of batch) {
          state.applyCandle(d)
          cursor.set(d.symbol, (cursor.get(d.symbol) ?? 0) + 1)
        }
        if (isTestClock(clock) && clock.now() < openMs + timeframeMs) clock.advanceTo(openMs + timeframeMs)
        fed++
      }
      return fed
    },
    remainingBars() {
      const left = Object.entries(data?.candles ?? {}).map(([s, series]) => series.length - (cursor.get(s) ?? 0))
      return left.length === 0 ? 0 : Math.min(...left)
    },
    candles: (symbol) => candles.get(instrument(symbol).symbol) ?? [],
    trades: (symbol) => trades.get(instrument(symbol).symbol) ?? [],
    lastPrice: (symbol) => last.get(instrument(symbol).symbol),
    markPrice: (symbol) => marks.get(instrument(symbol).symbol),
    fundingHistory(symbol) {
      const now = clock.now()
      return fundingSeries(symbol).filter((p) => p.fundingTimeMs <= now)
    },
    nextFundingRate(symbol) {
      const now = clock.now()
      const next = fundingSeries(symbol).find((p) => p.fundingTimeMs > now)
      return next?.rate ?? (fundingSeries(symbol).length > 0 ? 0 : (fixedFundingRate ?? 0.0001))
    },
    nextFundingTimeMs(symbol) {
      const now = clock.now()
      const next = fundingSeries(symbol).find((p) => p.fundingTimeMs > now)
      return next?.fundingTimeMs ?? (Math.floor(now / EIGHT_HOURS_MS) + 1) * EIGHT_HOURS_MS
    },
    onMarket(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
  return state
}
