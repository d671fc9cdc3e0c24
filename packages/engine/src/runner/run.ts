/**
 * The loop of the one event flow, shared by backtest, paper and live: market data (a `MarketDataFeed`) → emergency
 * checks → venue events → strategy intents → intent pipeline (risk decision, sizing) → executor (OMS → venue port).
 * The loop is typed against core's ports only — `ExchangeClient`, `Clock`, `MarketDataFeed` — plus, in backtest and
 * paper, a {@link MarketDriver} that moves the simulated market by each bar the feed delivers. The books (account
 * view, trade ledger, daily roll-up) are kept from the venue's user stream by the fill booking.
 * @module
 */
import {
  type Candle,
  type Clock,
  type ExchangeClient,
  type Instrument,
  InvalidInputError,
  type MarginMode,
  type MarketDataEvent,
  type MarketDataFeed,
  type Timeframe,
  timeframeMs,
} from '@perpkit/core'
import type { OrderManager } from '@perpkit/oms'
import type { MaintenanceBasis, MaintenanceSpec } from '@perpkit/sizing'
import { createCandleAggregator } from '@perpkit/strategy'
import { tradeAt, type TradeColumns } from '../data/trades.js'
import type { ReplayFeed } from '../feed/replay-feed.js'
import { computeMetrics } from '../results/metrics.js'
import type { RunMeta, RunResult } from '../results/types.js'
import { createAccountView } from './account-view.js'
import { createDailyRollup } from './daily-rollup.js'
import { createDayRange } from './day-range.js'
import type { SizingPolicy } from './entry-size.js'
import { createExecutor, createFillAttribution, settleOms } from './executor.js'
import { createFillBooking } from './fill-booking.js'
import { createIntentPipeline, type ExecutionTiming } from './intent-pipeline.js'
import { createTradeLedger } from './ledger.js'
import type { MarketDriver } from './market-driver.js'
import { recoveredPosition, startBooksFrom } from './recovered-position.js'
import type { RiskSession } from './risk-session.js'
import type { EngineEvent, EngineIntent, EngineStrategy } from './types.js'

export type { ExecutionTiming } from './intent-pipeline.js'

/** Options of {@link runSession}. */
export interface RunSessionOptions {
  readonly meta: Omit<RunMeta, 'bars'>
  readonly symbol: string
  readonly instrument: Instrument
  readonly timeframe: Timeframe
  readonly strategy: EngineStrategy
  /** The venue, through the venue port: a simulated venue (backtest, paper) or a connected live client. */
  readonly exchange: ExchangeClient
  /** The clock the venue, the OMS and risk were created with (virtual in backtest and paper, the system clock live). */
  readonly clock: Clock
  /**
   * Closed candles of `symbol` at `timeframe`: a {@link ReplayFeed} (recorded data, pulled as fast as the loop runs)
   * or a live feed (the loop waits for each bar). Bars at or before the last one processed are skipped (a feed may
   * redeliver after a reconnect); `gap` and `connection` events are reported as `feed` events.
   */
  readonly feed: MarketDataFeed
  /**
   * Moves the simulated market by each bar the feed delivers (backtest, paper). Absent in a live session, where
   * the market and the clock move by themselves; then `timing` must be `on-close` and there is no `trades` tape or `tickMs`.
   */
  readonly driver?: MarketDriver
  /** Ends the session after the bar in progress (a live session otherwise runs until its feed stops). */
  readonly signal?: AbortSignal
  /**
   * Closed candles before the first bar of the feed (oldest first), fed to the strategy only, with `warmingUp: true`:
   * a live session's indicator warm-up. Risk, the venue and the books never see them.
   */
  readonly history?: readonly Candle[]
  /** An order manager over `exchange` (created with `tradingState` reading `risk` and `onMakerTimeout` = `risk.onMakerTimeout`). */
  readonly oms: OrderManager
  readonly risk: RiskSession
  readonly sizing: SizingPolicy
  /** Leverage set on the venue at the start, and used when risk sets none (the general profile). */
  readonly leverage: number
  /** Margin mode the venue uses (sizing's liquidation estimate; default `isolated`). */
  readonly marginMode?: MarginMode
  /** The venue's maintenance margin model (sizing's liquidation estimate; default a flat 0.5 % rate). */
  readonly maintenance?: MaintenanceSpec
  /** How the venue computes maintenance margin (Binance: at the liquidation price; Bybit: at the entry price). */
  readonly maintenanceBasis?: MaintenanceBasis
  /** The strategy's backtest win rate (0..1), which risk's account-builder win-rate gate needs while few trades are closed. */
  readonly backtestWinRate?: number
  /** Stop distance (fraction of price) for entries whose intent has no stop. */
  readonly defaultStopPct: number
  /**
   * `next-open` (default with a driver): decided on the close, sent at the next bar's opening price. `on-close`:
   * sent at once (the only timing of a live session, where the next opening print is now).
   */
  readonly timing?: ExecutionTiming
  /** Bars before this index are fed to the strategy with `warmingUp: true` and their intents ignored. */
  readonly warmupBars?: number
  readonly onEvent?: (event: EngineEvent) => void
  /** Progress: bars done and the feed's total (`Infinity` for a live feed). */
  readonly onProgress?: (done: number, total: number) => void
  /**
   * Called before each bar, and before each tick when `tickMs` is set (paper mode paces the replay in real time
   * here). `timestampMs` is the virtual time about to be reached.
   */
  readonly pace?: (args: { readonly index: number; readonly openTimeMs: number; readonly timestampMs: number }) => Promise<void>
  /**
   * A recorded trade tape merged by time with the bars (needs a driver): within a bar that has trades the market is
   * moved by the trades (the finer price path) instead of the candle, and `strategy.onTrade` sees each one; orders
   * decided on a trade meet the market at the next trade.
   */
  readonly trades?: TradeColumns
  /** Paper: advance the virtual clock in steps of `tickMs` inside each bar (a 1 s tick loop) so timers run as live (needs a driver). */
  readonly tickMs?: number
  /** Keep OHLC bars in the result for charts (default true). */
  readonly recordBars?: boolean
  /** Stop after this many bars. */
  readonly maxBars?: number
  /** Venue latency reported to the emergency checks (the simulator's configured latency; default 0). */
  readonly venueLatencyMs?: number
  /** Forward OMS and risk events as `oms` / `risk` engine events (default false: they are many). */
  readonly forwardLibraryEvents?: boolean
}

const isReplay = (feed: MarketDataFeed): feed is ReplayFeed => typeof (feed as Partial<ReplayFeed>).pump === 'function'

/**
 * Run a strategy over a market-data feed through the venue port and the OMS, bar by bar, and collect the result.
 * This is the one loop of every mode: a backtest is a {@link ReplayFeed} with a simulated venue, a virtual clock and a
 * {@link MarketDriver}; paper adds `pace`; a live session is a live feed, a connected venue client and the system
 * clock with no driver (see {@link runLive}).
 *
 * @param options - see {@link RunSessionOptions}.
 * @returns the run result (equity curve, trades, HALT periods, metrics, bars).
 * @throws InvalidInputError for an empty recording, or options that need a driver without one; PerpkitError from the
 * OMS start (reconciliation) or the venue.
 * @example
 * ```ts
 * import { type MarketDriver, runSession, type RunSessionOptions } from '@perpkit/engine'
 * declare const { meta, symbol, instrument, strategy, exchange, clock, feed, oms, risk }: RunSessionOptions
 * declare const driver: MarketDriver
 * const result = await runSession({ meta, symbol, instrument, timeframe: '5m', strategy, exchange, clock, feed, driver, oms, risk,
 *   sizing: { mode: 'fixed-qty', qty: 1 }, leverage: 1, defaultStopPct: 0.5 })
 * console.log(result.metrics.totalReturn)
 * ```
 */
export async function runSession(options: RunSessionOptions): Promise<RunResult> {
  const { symbol, instrument: ins, strategy, exchange, clock, feed, driver, oms, risk } = options
  const replay = isReplay(feed) ? feed : undefined
  const maxBars = options.maxBars ?? Number.POSITIVE_INFINITY
  const total = replay !== undefined ? Math.min(replay.length - replay.position(), maxBars) : maxBars
  if (total === 0) throw new InvalidInputError('no candles to run on', { path: 'candles' })
  const timing = options.timing ?? (driver !== undefined ? 'next-open' : 'on-close')
  if (driver === undefined) {
    if (timing !== 'on-close') throw new InvalidInputError('next-open timing needs a market driver (a live session sends at once: on-close)', { path: 'timing' })
    if (options.trades !== undefined) throw new InvalidInputError('a recorded trade tape needs a market driver', { path: 'trades' })
    if (options.tickMs !== undefined) throw new InvalidInputError('tickMs needs a market driver', { path: 'tickMs' })
  }
  const tfMs = timeframeMs(options.timeframe)
  const emit = options.onEvent ?? (() => {})
  const linear = ins.kind === 'linear'
  const ledger = createTradeLedger({ contractSize: ins.contractSize, kind: ins.kind })
  const recordBars = options.recordBars ?? true
  const warmup = options.warmupBars ?? 0

  const account = createAccountView(ins)
  const attribution = createFillAttribution()
  // the reference price before the first bar: the recording's first open, or the venue's mark price live
  let lastPrice = replay !== undefined ? (replay.candles.open[replay.position()] as number) : (await exchange.fetchMarkPrice(symbol)).markPrice
  const unsubs: (() => void)[] = []
  try {
    return await loop()
  } finally {
    for (const u of unsubs) u()
  }

  async function loop(): Promise<RunResult> {
    const booking = createFillBooking({
      symbol,
      instrument: ins,
      account,
      ledger,
      risk,
      // fills start once the loop runs, after the tracker below exists (it needs the equity after the OMS start)
      daily: () => dailyTracker,
      attribution,
      emit,
    })
    unsubs.push(exchange.subscribeUserStream(booking.onEvent))
    // HALT transitions from any cause, with a snapshot of the account and the OMS
    unsubs.push(
      risk.onHalt((tr) =>
        emit({ type: 'halt', timestampMs: tr.timestampMs, transition: { ...tr, context: { ...tr.context, position: account.view(), equity: account.equityAt(lastPrice), omsStatus: oms.status() } } }),
      ),
    )
    if (options.forwardLibraryEvents === true) {
      unsubs.push(oms.subscribe((event) => emit({ type: 'oms', timestampMs: clock.now(), event })))
      unsubs.push(risk.subscribe((event) => emit({ type: 'risk', timestampMs: clock.now(), event })))
    }

    for (const b of await exchange.fetchBalances()) if (b.asset === ins.settle) account.setBalance(b.total)
    const initialBalance = account.balance
    // the guard needs an equity before the first decision (a trade-driven strategy may decide before any bar closes)
    risk.updateEquity(linear ? initialBalance : initialBalance * lastPrice)
    await exchange.setLeverage({ symbol, leverage: options.leverage })
    const startReport = await oms.start()
    if (!startReport.ok) throw new InvalidInputError('the OMS could not reconcile with the venue at start-up', { path: 'oms' })
    // a position a previous process opened (the OMS recovered it from its journal and reconciled it with the venue):
    // the books start from it, so the strategy sees it from its first bar and its trade closes in this run's results
    const recovered = recoveredPosition({ state: oms.snapshot(), symbol, nowMs: clock.now(), markPrice: lastPrice })
    if (recovered !== null || account.position !== null || ledger.openQty(symbol) !== 0) {
      startBooksFrom({ position: recovered, symbol, account, ledger })
      risk.updateEquity(account.equityUsd(lastPrice))
      if (recovered !== null) emit({ type: 'position-recovered', timestampMs: clock.now(), position: recovered })
    }

    const drain = (): Promise<void> => settleOms(oms)
    const execute = createExecutor({
      symbol,
      oms,
      clock,
      ...(driver !== undefined ? { fireDueTimers: () => driver.advanceTo(clock.now()) } : {}),
      attribution,
      risk,
      setLeverage: (leverage) => exchange.setLeverage({ symbol, leverage }),
      leverage: options.leverage,
      lastPrice: () => lastPrice,
      emit,
    })
    // the account-builder volatility gate's input: the trailing 24 h true range of the base bars
    const dayRange = risk.enabled && risk.engine.config.profile === 'account-builder' ? createDayRange() : undefined
    const pipeline = createIntentPipeline({
      symbol,
      strategyId: strategy.id,
      instrument: ins,
      timeframeMs: tfMs,
      timing,
      risk,
      account,
      sizing: options.sizing,
      leverage: options.leverage,
      marginMode: options.marginMode ?? 'isolated',
      maintenance: options.maintenance ?? { maintenanceMarginRate: 0.005 },
      maintenanceBasis: options.maintenanceBasis ?? 'liquidation-price',
      defaultStopPct: options.defaultStopPct,
      ...(options.backtestWinRate !== undefined ? { backtestWinRate: options.backtestWinRate } : {}),
      atrPct24h: () => dayRange?.pct(),
      lastPrice: () => lastPrice,
      execute,
      emit,
    })
    const runPending = async (): Promise<void> => {
      for (const p of pipeline.takePending()) await execute(p)
    }

    // the equity curve, sized once for a recording (no growing arrays on the bar path); a live feed's grows
    const sized = replay !== undefined
    const curveT: number[] = sized ? new Array<number>(total) : []
    const curveE: number[] = sized ? new Array<number>(total) : []
    const bars = { openTimeMs: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] }
    const dailyTracker = createDailyRollup({ startEquity: account.equityAt(lastPrice), emit: (rollup, timestampMs) => emit({ type: 'daily', timestampMs, rollup }) })

    // multi-timeframe: higher timeframes are built from the base candles exactly as the venue does (strategy's aggregator)
    const wanted = strategy.requirements?.timeframes ?? [options.timeframe]
    const aggregator = wanted.some((tf) => tf !== options.timeframe)
      ? createCandleAggregator({ baseTimeframe: options.timeframe, timeframes: [...new Set([options.timeframe, ...wanted])], emitForming: strategy.requirements?.formingBars ?? false })
      : undefined
    const baseTimeframe = options.timeframe
    /** The strategy's intents on one closed base candle (through the aggregator when it wants higher timeframes). */
    const strategyOn = (candle: Candle, closeT: number, barCount: number, warmingUp: boolean): readonly EngineIntent[] => {
      const ctx = { symbol, nowMs: closeT, position: account.view(), warmingUp }
      if (aggregator === undefined) return strategy.onCandle(ctx, { timeframe: baseTimeframe, candle, closed: true, baseBarCount: barCount })
      const all: EngineIntent[] = []
      for (const ev of aggregator.push(candle)) all.push(...strategy.onCandle(ctx, ev))
      return all
    }
    // a live session's warm-up history: the strategy only (risk, the venue and the books never see it)
    const history = options.history ?? []
    for (let h = 0; h < history.length; h++) {
      const c = history[h] as Candle
      strategyOn(c, c.openTimeMs + tfMs, h + 1, true)
    }
    const barOffset = history.length

    let tradeIdx = 0
    const wantsTrades = strategy.onTrade !== undefined && strategy.requirements?.trades !== false
    const k1 = tfMs === 60_000 ? 1 : 0
    const k5 = tfMs <= 300_000 && 300_000 % tfMs === 0 ? 300_000 / tfMs : 0
    // the last max(k1, k5) + 1 closes, in a ring (the emergency checks look back at most that far)
    const ring = new Float64Array(Math.max(k1, k5) + 1)
    let closesSeen = 0
    /** Percent change of the last close over `k` bars (null when not computable). */
    const changePct = (k: number, close: number): number | null => {
      if (!(k > 0 && closesSeen > k)) return null
      const prev = ring[(closesSeen - 1 - k) % ring.length] as number
      return ((close - prev) / prev) * 100
    }
    const pace = options.pace
    const tape = options.trades
    const tickMs = options.tickMs !== undefined && options.tickMs > 0 ? options.tickMs : 0
    const latencyMs = options.venueLatencyMs ?? 0
    const onProgress = options.onProgress
    /** Advance a simulated market's clock (live, time moves by itself). */
    const advanceTo = (timeMs: number): void => {
      if (driver !== undefined && clock.now() < timeMs) driver.advanceTo(timeMs)
    }

    const equityNow = (): number => account.equityAt(lastPrice)

    /** One closed base bar, the `i`-th of the session. */
    const onBar = async (candle: Candle, i: number): Promise<void> => {
      const t = candle.openTimeMs
      if (pace !== undefined) await pace({ index: i, openTimeMs: t, timestampMs: t })
      advanceTo(t)
      dailyTracker.onBar(t, equityNow)
      // 1. orders decided on the previous close meet the market at this bar's opening print (next-open timing)
      if (driver !== undefined && pipeline.hasPending()) {
        driver.trade({ tradeId: `open-${t}`, timestampMs: t, price: candle.open, qty: candle.volume > 0 ? candle.volume : 1, side: 'buy' })
        lastPrice = candle.open
        oms.onMarkPrice({ symbol, markPrice: candle.open, timestampMs: t })
        await runPending()
      }
      // 2. a simulated market walks the bar (fills, triggers, funding, liquidation) — or the trade tape
      booking.resetActivity()
      const closeT = t + tfMs
      if (driver !== undefined) {
        while (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < t) tradeIdx++
        if (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT) {
          for (; tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT; tradeIdx++) {
            const trade = tradeAt(tape, tradeIdx)
            advanceTo(trade.timestampMs)
            driver.trade(trade)
            lastPrice = trade.price
            if (pipeline.hasPending()) {
              oms.onMarkPrice({ symbol, markPrice: trade.price, timestampMs: trade.timestampMs })
              await runPending()
            } else if (booking.activity() || oms.inFlight() > 0) await drain()
            if (wantsTrades && i >= warmup) {
              oms.onMarkPrice({ symbol, markPrice: trade.price, timestampMs: trade.timestampMs })
              const out = strategy.onTrade?.({ symbol, nowMs: trade.timestampMs, position: account.view(), warmingUp: false }, trade) ?? []
              for (const intent of out) await pipeline.handle(intent, trade.price, trade.timestampMs, i)
            }
          }
        } else driver.bar(candle)
        if (tickMs > 0 && i >= warmup) {
          for (let ts = t + tickMs; ts < closeT; ts += tickMs) {
            if (pace !== undefined) await pace({ index: i, openTimeMs: t, timestampMs: ts })
            driver.advanceTo(ts)
            if (oms.inFlight() > 0) await drain()
          }
        }
        advanceTo(closeT)
      }
      lastPrice = candle.close
      oms.onMarkPrice({ symbol, markPrice: candle.close, timestampMs: closeT })
      // 3. emergency checks first
      ring[closesSeen++ % ring.length] = candle.close
      const eqUsd = account.equityUsd(candle.close)
      // every risk call before the next bar's close happens earlier than it: risk may defer guard updates (a hint
      // only a recording can give; live, the guard is updated at once)
      const nextObservationMs = replay !== undefined && i + 1 < total && replay.position() < replay.length ? (replay.candles.openTimeMs[replay.position()] as number) + tfMs : null
      risk.observe({ timestampMs: closeT, change1mPct: changePct(k1, candle.close), change5mPct: changePct(k5, candle.close), equityUsd: eqUsd, latencyMs, nextObservationMs })
      dayRange?.push(t, closeT, candle.high, candle.low, candle.close)
      // 4. venue events (OMS reactions: protective stops, cancels)
      if (booking.activity() || oms.inFlight() > 0) await drain()
      // 5. strategy → decision → sizing → OMS
      const warmingUp = i < warmup
      const intents = strategyOn(candle, closeT, barOffset + i + 1, warmingUp)
      if (!warmingUp && intents.length > 0) {
        for (const intent of intents) await pipeline.handle(intent, candle.close, closeT, i)
      }
      if (sized) {
        curveT[i] = closeT
        curveE[i] = account.equityAt(candle.close)
      } else {
        curveT.push(closeT)
        curveE.push(account.equityAt(candle.close))
      }
      if (recordBars) {
        bars.openTimeMs.push(t)
        bars.open.push(candle.open)
        bars.high.push(candle.high)
        bars.low.push(candle.low)
        bars.close.push(candle.close)
      }
      if (onProgress !== undefined && (i % 2048 === 0 || i === total - 1)) onProgress(i + 1, total)
    }

    // the feed's closed base candles, in order; a recording is pulled, a live feed is waited for
    // the queue's slots are reused (never shrunk): a recording delivers one bar per pump without allocating
    const queue: Candle[] = []
    let head = 0
    let tail = 0
    let wake: (() => void) | undefined
    const notify = (): void => {
      const w = wake
      wake = undefined
      w?.()
    }
    const onFeed = (ev: MarketDataEvent): void => {
      if (ev.type === 'candle') {
        if (ev.closed && ev.symbol === symbol && ev.timeframe === baseTimeframe) queue[tail++] = ev.candle
      } else if (ev.type === 'gap' || ev.type === 'connection') emit({ type: 'feed', timestampMs: ev.type === 'gap' ? ev.toMs : ev.timestampMs, event: ev })
      notify()
    }
    const signal = options.signal
    signal?.addEventListener('abort', notify)
    const unsubFeed = feed.subscribe({ channel: 'candles', symbol, timeframe: baseTimeframe }, onFeed)
    let done = 0
    let last: Candle | undefined
    // bars already seen (the history's, then each one run) are not run again: a feed may redeliver after a reconnect
    let seenOpenMs = history.length > 0 ? (history[history.length - 1] as Candle).openTimeMs : Number.NEGATIVE_INFINITY
    try {
      while (done < total && signal?.aborted !== true) {
        if (head === tail) {
          head = 0
          tail = 0
          if (replay !== undefined) {
            if (!replay.pump()) break
          } else await new Promise<void>((resolve) => (wake = resolve))
          continue
        }
        const candle = queue[head++] as Candle
        if (candle.openTimeMs <= seenOpenMs) continue
        seenOpenMs = candle.openTimeMs
        await onBar(candle, done++)
        last = candle
      }
    } finally {
      unsubFeed()
      signal?.removeEventListener('abort', notify)
    }

    if (sized && done < total) {
      curveT.length = done
      curveE.length = done
    }
    const lastClose = last?.close ?? lastPrice
    const endMs = last !== undefined ? last.openTimeMs + tfMs : clock.now()
    dailyTracker.finish(endMs, account.equityAt(lastClose))
    const openTrade = ledger.markOpenAtEnd({ symbol, price: lastClose, timestampMs: endMs })
    if (openTrade !== null) emit({ type: 'trade', timestampMs: endMs, trade: openTrade })
    await oms.stop()
    // a live session stopped before its first bar closed: its curve is the equity at the stop
    if (curveT.length === 0) {
      curveT.push(endMs)
      curveE.push(account.equityAt(lastClose))
    }
    const trades = ledger.trades()
    const halts = risk.halts()
    const curve = { timestampMs: curveT, equity: curveE }
    return {
      meta: { ...options.meta, bars: done },
      metrics: computeMetrics({ curve, trades, halts, initialEquity: initialBalance }),
      curve,
      trades,
      halts,
      ...(recordBars ? { bars } : {}),
    }
  }
}
