/**
 * The loop of the one event flow, shared by backtest and paper: market data → emergency checks → venue events →
 * strategy intents → intent pipeline (risk decision, sizing) → executor (OMS → venue port). The books (account
 * view, trade ledger, daily roll-up) are kept from the venue's user stream by the fill booking.
 * @module
 */
import { type Instrument, InvalidInputError, type TestClock, type Timeframe, timeframeMs } from '@perpkit/core'
import type { OrderManager } from '@perpkit/oms'
import type { SimVenue } from '@perpkit/sim'
import { createCandleAggregator } from '@perpkit/strategy'
import { candleAt, type CandleColumns } from '../data/candles.js'
import { tradeAt, type TradeColumns } from '../data/trades.js'
import { computeMetrics } from '../results/metrics.js'
import type { RunMeta, RunResult } from '../results/types.js'
import { createAccountView } from './account-view.js'
import { createDailyRollup } from './daily-rollup.js'
import { createExecutor, createFillAttribution, settleOms } from './executor.js'
import { createFillBooking } from './fill-booking.js'
import { createIntentPipeline, type ExecutionTiming } from './intent-pipeline.js'
import { createTradeLedger } from './ledger.js'
import type { RiskChamber } from './risk-chamber.js'
import type { SizingPolicy } from './sizing.js'
import type { EngineEvent, EngineIntent, EngineStrategy } from './types.js'

export type { ExecutionTiming } from './intent-pipeline.js'

/** Options of {@link runSession}. */
export interface RunSessionOptions {
  readonly meta: Omit<RunMeta, 'bars'>
  readonly symbol: string
  readonly instrument: Instrument
  readonly timeframe: Timeframe
  readonly candles: CandleColumns
  readonly strategy: EngineStrategy
  /** A simulated venue (backtest / paper). */
  readonly venue: SimVenue
  /** The virtual clock the venue and OMS were created with. */
  readonly clock: TestClock
  /** An order manager over `venue` (created with `tradingState` reading `risk`). */
  readonly oms: OrderManager
  readonly risk: RiskChamber
  readonly sizing: SizingPolicy
  readonly leverage: number
  /** Stop distance (fraction of price) for entries whose intent has no stop. */
  readonly defaultStopPct: number
  /** `next-open` (default): decided on the close, sent at the next bar's opening price. `on-close`: sent at once. */
  readonly timing?: ExecutionTiming
  /** Bars before this index are fed to the strategy with `warmingUp: true` and their intents ignored. */
  readonly warmupBars?: number
  readonly onEvent?: (event: EngineEvent) => void
  readonly onProgress?: (done: number, total: number) => void
  /**
   * Called before each bar, and before each tick when `tickMs` is set (paper mode paces the replay in real time
   * here). `timeMs` is the virtual time about to be reached.
   */
  readonly pace?: (args: { readonly index: number; readonly openTimeMs: number; readonly timeMs: number }) => Promise<void>
  /**
   * A trade tape merged by time with the candles: within a bar that has trades the venue is fed the trades (the
   * finer price path) instead of the candle, and `strategy.onTrade` sees each one; orders decided on a trade meet
   * the market at the next trade.
   */
  readonly trades?: TradeColumns
  /** Paper: advance the virtual clock in steps of `tickMs` inside each bar (001's 1 s tick loop) so timers run as live. */
  readonly tickMs?: number
  /** Keep OHLC bars in the result for charts (default true). */
  readonly recordBars?: boolean
  /** Stop after this many bars (paper sessions). */
  readonly maxBars?: number
  /** Venue latency reported to the emergency checks (the simulator's configured latency; default 0). */
  readonly venueLatencyMs?: number
  /** Forward OMS and risk events as `oms` / `risk` engine events (default false: they are many). */
  readonly forwardLibraryEvents?: boolean
}

/**
 * Run a strategy over candles through the simulated venue and the OMS, bar by bar, and collect the result.
 * The same code path serves backtests (clock advanced as fast as possible) and paper sessions (`pace`).
 *
 * @param options - see {@link RunSessionOptions}.
 * @returns the run result (equity curve, trades, HALT periods, metrics, bars).
 * @throws InvalidInputError for empty data; PerpkitError from the OMS start (reconciliation) or the venue.
 * @example
 * ```ts
 * import { runSession, type RunSessionOptions } from '@perpkit/engine'
 * declare const { meta, symbol, instrument, candles, strategy, venue, clock, oms, risk }: RunSessionOptions
 * const result = await runSession({ meta, symbol, instrument, timeframe: '5m', candles, strategy, venue, clock, oms, risk,
 *   sizing: { mode: 'fixed-qty', qty: 1 }, leverage: 1, defaultStopPct: 0.5 })
 * console.log(result.metrics.totalReturn)
 * ```
 */
export async function runSession(options: RunSessionOptions): Promise<RunResult> {
  const { symbol, instrument: ins, candles: cols, strategy, venue, clock, oms, risk } = options
  const total = options.maxBars === undefined ? cols.length : Math.min(cols.length, options.maxBars)
  if (total === 0) throw new InvalidInputError('no candles to run on', { path: 'candles' })
  const tfMs = timeframeMs(options.timeframe)
  const emit = options.onEvent ?? (() => {})
  const linear = ins.kind === 'linear'
  const ledger = createTradeLedger({ contractSize: ins.contractSize, kind: ins.kind })
  const recordBars = options.recordBars ?? true
  const warmup = options.warmupBars ?? 0

  const account = createAccountView(ins)
  const attribution = createFillAttribution()
  let lastPrice = cols.open[0] as number
  const booking = createFillBooking({
    symbol,
    settle: ins.settle,
    account,
    ledger,
    risk,
    // fills start once the loop runs, after the tracker below exists (it needs the equity after the OMS start)
    daily: () => dailyTracker,
    attribution,
    oms,
    emit,
  })
  const unsubs: (() => void)[] = [venue.subscribeUserStream(booking.onEvent)]
  if (options.forwardLibraryEvents === true) {
    unsubs.push(oms.subscribe((event) => emit({ type: 'oms', timeMs: clock.now(), event })))
    unsubs.push(risk.subscribe((event) => emit({ type: 'risk', timeMs: clock.now(), event })))
  }
  for (const b of await venue.fetchBalances()) if (b.asset === ins.settle) account.setBalance(b.total)
  const initialBalance = account.balance
  // the guard needs an equity before the first decision (a trade-driven strategy may decide before any bar closes)
  risk.updateEquity(linear ? initialBalance : initialBalance * (cols.open[0] as number))
  await venue.setLeverage({ symbol, leverage: options.leverage })
  const startReport = await oms.start()
  if (!startReport.ok) throw new InvalidInputError('the OMS could not reconcile with the venue at start-up', { path: 'oms' })

  const drain = (): Promise<void> => settleOms(oms)
  const execute = createExecutor({ symbol, oms, clock, attribution, lastPrice: () => lastPrice, emit })
  const pipeline = createIntentPipeline({
    symbol,
    strategyId: strategy.id,
    instrument: ins,
    timeframeMs: tfMs,
    timing: options.timing ?? 'next-open',
    risk,
    account,
    sizing: options.sizing,
    leverage: options.leverage,
    defaultStopPct: options.defaultStopPct,
    execute,
    emit,
  })
  const runPending = async (): Promise<void> => {
    for (const p of pipeline.takePending()) await execute(p)
  }

  const curveT: number[] = []
  const curveE: number[] = []
  const bars = { timeMs: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] }
  const dailyTracker = createDailyRollup({ startEquity: account.equityAt(lastPrice), emit: (rollup, timeMs) => emit({ type: 'daily', timeMs, rollup }) })

  // multi-timeframe: higher timeframes are built from the base candles exactly as the venue does (strategy's aggregator)
  const wanted = strategy.requirements?.timeframes ?? [options.timeframe]
  const aggregator = wanted.some((tf) => tf !== options.timeframe)
    ? createCandleAggregator({ baseTimeframe: options.timeframe, timeframes: [...new Set([options.timeframe, ...wanted])], emitForming: strategy.requirements?.formingBars ?? false })
    : undefined
  let tradeIdx = 0
  const wantsTrades = strategy.onTrade !== undefined && strategy.requirements?.trades !== false
  const closes: number[] = []
  const k1 = tfMs === 60_000 ? 1 : 0
  const k5 = tfMs <= 300_000 && 300_000 % tfMs === 0 ? 300_000 / tfMs : 0
  /** Percent change of the last close over `k` bars (null when not computable). */
  const changePct = (k: number, close: number): number | null => {
    const n = closes.length
    if (!(k > 0 && n > k)) return null
    const prev = closes[n - 1 - k] as number
    return ((close - prev) / prev) * 100
  }
  const pace = options.pace
  const tape = options.trades
  const tickMs = options.tickMs !== undefined && options.tickMs > 0 ? options.tickMs : 0
  const latencyMs = options.venueLatencyMs ?? 0
  const onProgress = options.onProgress
  const baseTimeframe = options.timeframe

  try {
    for (let i = 0; i < total; i++) {
      const candle = candleAt(cols, i)
      const t = candle.openTimeMs
      if (pace !== undefined) await pace({ index: i, openTimeMs: t, timeMs: t })
      if (clock.now() < t) clock.advanceTo(t)
      dailyTracker.onBar(t, () => account.equityAt(lastPrice))
      // 1. orders decided on the previous close meet the market at this bar's opening print
      if (pipeline.hasPending()) {
        venue.applyTrade({ symbol, trade: { tradeId: `open-${t}`, timestampMs: t, price: candle.open, qty: candle.volume > 0 ? candle.volume : 1, side: 'buy' } })
        lastPrice = candle.open
        oms.onMarkPrice({ symbol, markPrice: candle.open, timestampMs: t })
        await runPending()
      }
      // 2. market data: the venue walks the intrabar path (fills, triggers, funding, liquidation) — or the trade tape
      booking.resetActivity()
      const closeT = t + tfMs
      while (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < t) tradeIdx++
      if (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT) {
        for (; tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT; tradeIdx++) {
          const trade = tradeAt(tape, tradeIdx)
          if (clock.now() < trade.timestampMs) clock.advanceTo(trade.timestampMs)
          venue.applyTrade({ symbol, trade })
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
      } else venue.applyCandle({ symbol, candle })
      if (tickMs > 0 && i >= warmup) {
        for (let ts = t + tickMs; ts < closeT; ts += tickMs) {
          if (pace !== undefined) await pace({ index: i, openTimeMs: t, timeMs: ts })
          clock.advanceTo(ts)
          if (oms.inFlight() > 0) await drain()
        }
      }
      clock.advanceTo(closeT)
      lastPrice = candle.close
      oms.onMarkPrice({ symbol, markPrice: candle.close, timestampMs: closeT })
      // 3. emergency checks first
      closes.push(candle.close)
      const eqUsd = account.equityUsd(candle.close)
      // every chamber call before the next bar's close happens earlier than it: the chamber may defer guard updates
      const nextObservationMs = i + 1 < total ? (cols.openTimeMs[i + 1] as number) + tfMs : null
      const transitions = risk.observe({ timeMs: closeT, change1mPct: changePct(k1, candle.close), change5mPct: changePct(k5, candle.close), equityUsd: eqUsd, latencyMs, nextObservationMs })
      for (const tr of transitions) {
        emit({ type: 'halt', timeMs: closeT, transition: { ...tr, context: { ...tr.context, position: account.view(), equity: account.equityAt(candle.close), omsStatus: oms.status() } } })
      }
      // 4. venue events (OMS reactions: protective stops, cancels)
      if (booking.activity() || oms.inFlight() > 0) await drain()
      // 5. strategy → decision → sizing → OMS
      const warmingUp = i < warmup
      const ctx = { symbol, nowMs: closeT, position: account.view(), warmingUp }
      let intents: readonly EngineIntent[]
      if (aggregator === undefined) intents = strategy.onCandle(ctx, { timeframe: baseTimeframe, candle, closed: true, baseBarCount: i + 1 })
      else {
        const all: EngineIntent[] = []
        for (const ev of aggregator.push(candle)) all.push(...strategy.onCandle(ctx, ev))
        intents = all
      }
      if (!warmingUp && intents.length > 0) {
        for (const intent of intents) await pipeline.handle(intent, candle.close, closeT, i)
      }
      curveT.push(closeT)
      curveE.push(account.equityAt(candle.close))
      if (recordBars) {
        bars.timeMs.push(t)
        bars.open.push(candle.open)
        bars.high.push(candle.high)
        bars.low.push(candle.low)
        bars.close.push(candle.close)
      }
      if (onProgress !== undefined && (i % 2048 === 0 || i === total - 1)) onProgress(i + 1, total)
    }
  } finally {
    for (const u of unsubs) u()
  }
  const lastClose = cols.close[total - 1] as number
  const endMs = (cols.openTimeMs[total - 1] as number) + tfMs
  dailyTracker.finish(endMs, account.equityAt(lastClose))
  const openTrade = ledger.markOpenAtEnd({ symbol, price: lastClose, timeMs: endMs })
  if (openTrade !== null) emit({ type: 'trade', timeMs: endMs, trade: openTrade })
  await oms.stop()
  const trades = ledger.trades()
  const halts = risk.halts()
  const curve = { timeMs: curveT, equity: curveE }
  return {
    meta: { ...options.meta, bars: total },
    metrics: computeMetrics({ curve, trades, halts, initialEquity: initialBalance }),
    curve,
    trades,
    halts,
    ...(recordBars ? { bars } : {}),
  }
}
