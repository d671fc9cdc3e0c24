/**
 * Composition helper for a live session: the OMS and the risk session around a connected venue client, a live
 * market-data feed and the system clock, run by the same {@link runSession} loop as a backtest.
 * @module
 */
import { type Clock, type ExchangeClient, type Instrument, type Journal, type MarginMode, type MarketDataFeed, type Timeframe, timeframeMs } from '@perpkit/core'
import type { BudgetLedger, OmsConfig, OmsJournalEntry, OmsState, OrderManager } from '@perpkit/oms'
import type { MaintenanceBasis, MaintenanceSpec } from '@perpkit/sizing'
import type { RunMeta, RunResult } from '../results/types.js'
import type { SizingPolicy } from './entry-size.js'
import type { RiskSession } from './risk-session.js'
import { runSession } from './run.js'
import { createSessionOms, createSessionRisk, type SessionRiskOptions, venueMaintenanceBasis } from './services.js'
import type { EngineEvent, EngineStrategy } from './types.js'

/**
 * The order manager and risk session a live session runs on, handed to {@link LiveOptions.onServices} before the
 * loop starts: what an operator's controls act through (a HALT is `risk.engine.halt`, lifted by
 * `risk.engine.lift({ id: 'manual' })`; a close is `oms.exit`, allowed in a HALT).
 *
 * @example
 * ```ts
 * import type { LiveServices } from '@perpkit/engine'
 * declare const services: LiveServices // from LiveOptions.onServices
 * services.risk.engine.halt({ reason: 'operator: news at 14:30' }) // entries refused, protective stops kept
 * if (services.oms.status().reconciled) await services.oms.exit({ symbol: 'BTC/USDT:USDT', reason: 'operator close' })
 * ```
 */
export interface LiveServices {
  readonly oms: OrderManager
  readonly risk: RiskSession
}

/** Options of {@link runLive}. */
export interface LiveOptions {
  readonly symbol: string
  readonly instrument: Instrument
  readonly timeframe: Timeframe
  readonly strategy: EngineStrategy
  /** A venue client, already connected (`connect()` resolved); the caller owns its lifecycle and closes it. */
  readonly exchange: ExchangeClient
  /** Closed candles of `symbol` at `timeframe` as they happen (e.g. the exchange package's Binance or Bybit feed). */
  readonly feed: MarketDataFeed
  /** The wall clock (`systemClock` from `@perpkit/core`). */
  readonly clock: Clock
  /**
   * The OMS's durable journal (e.g. a file journal): a live OMS recovers its orders from it after a restart, and
   * journals every state change before it acts on it.
   */
  readonly journal: Journal<OmsState, OmsJournalEntry>
  readonly leverage: number
  readonly marginMode?: MarginMode
  readonly sizing: SizingPolicy
  /** Protective stop distance (fraction of price) when the strategy gives none. */
  readonly defaultStopPct: number
  /** The venue's maintenance margin model, for sizing's liquidation estimate (default a flat 0.5 %). */
  readonly maintenance?: MaintenanceSpec
  /** How the venue computes maintenance margin (Binance: at the liquidation price, the default; Bybit: at the entry price). */
  readonly maintenanceBasis?: MaintenanceBasis
  readonly risk?: SessionRiskOptions
  /** OMS overrides of its (live) defaults. */
  readonly oms?: Partial<OmsConfig>
  /**
   * Durable record of the OMS's venue requests (e.g. `createFileBudgetLedger` from `@perpkit/oms` next to the
   * journal): a process restarted after a crash counts the requests its predecessor sent in the venue's window, so a
   * crash loop cannot exceed the venue's rate limit and get the key or IP banned. Without it the budget starts empty.
   */
  readonly budgetLedger?: BudgetLedger
  /**
   * Closed bars fetched from the feed before the session starts and fed to the strategy only (`warmingUp: true`),
   * so its indicators are ready at the first live bar. Default 0.
   */
  readonly warmupBars?: number
  /** `live` (default) or `paper` (a live feed against a simulated or test venue). */
  readonly mode?: Extract<RunMeta['mode'], 'live' | 'paper'>
  readonly meta?: Partial<Pick<RunMeta, 'strategy' | 'dataSource' | 'settings'>>
  /** Every engine event (decisions, fills, trades, HALTs, daily roll-ups, feed gaps): the app's sink (logs, store, alerts). */
  readonly onEvent?: (event: EngineEvent) => void
  /** Ends the session after the bar in progress; the result covers the bars run. */
  readonly signal?: AbortSignal
  /** Keep OHLC bars in the result for charts (default true). */
  readonly recordBars?: boolean
  /** Stop after this many bars. */
  readonly maxBars?: number
  readonly forwardLibraryEvents?: boolean
  /**
   * Called once, before the warm-up and the loop, with the session's order manager and risk session (an operator's
   * HALT / resume / close act through them). The OMS is not started yet: wait for its start-up reconciliation
   * (`oms.status().reconciled`) before sending through it. A HALT placed here holds from the first bar, but its
   * `halt` event is not reported (the loop subscribes to HALT transitions when it starts); its lift is.
   */
  readonly onServices?: (services: LiveServices) => void
}

/**
 * Run a strategy live: the session loop over a live feed, a connected venue client and the wall clock. Orders are
 * sent when a bar closes (`on-close`: the next opening print is now); risk, sizing, the OMS and the books work as
 * in a backtest. Resolves when `signal` aborts (after the bar in progress), after `maxBars`, or rejects on a
 * venue or OMS error (the OMS's journal keeps its state for the restart).
 *
 * @param options - see {@link LiveOptions}.
 * @returns the result of the bars run (equity curve, trades, HALT periods, metrics).
 * @throws InvalidInputError on bad options or when the OMS cannot reconcile with the venue at start-up; PerpkitError from the venue.
 * @example
 * ```ts
 * import { runLive, type LiveOptions } from '@perpkit/engine'
 * import { systemClock } from '@perpkit/core'
 * declare const { symbol, instrument, strategy, exchange, feed, journal }: LiveOptions
 * const stop = new AbortController()
 * process.once('SIGTERM', () => stop.abort())
 * const result = await runLive({ symbol, instrument, timeframe: '5m', strategy, exchange, feed, clock: systemClock, journal,
 *   leverage: 3, sizing: { mode: 'risk-fraction', riskFraction: 0.01 }, defaultStopPct: 0.03, warmupBars: 200,
 *   onEvent: (e) => console.log(e.type), signal: stop.signal })
 * console.log(result.trades.length)
 * ```
 */
export async function runLive(options: LiveOptions): Promise<RunResult> {
  const { symbol, instrument, timeframe, clock, exchange, feed } = options
  const { risk, config: riskConfig, enabled: riskEnabled } = createSessionRisk(options.risk, clock)
  const oms = createSessionOms({ exchange, clock, journal: options.journal, instrument, risk, config: options.oms ?? {}, ...(options.budgetLedger === undefined ? {} : { budgetLedger: options.budgetLedger }) })
  options.onServices?.({ oms, risk })
  const warmup = options.warmupBars ?? 0
  const tfMs = timeframeMs(timeframe)
  const nowMs = clock.now()
  // the last `warmup` closed bars before now (the bar in progress is not closed)
  const lastOpen = Math.floor(nowMs / tfMs) * tfMs
  const history = warmup > 0 ? await feed.fetchCandles({ symbol, timeframe, fromMs: lastOpen - warmup * tfMs, toMs: lastOpen }) : []
  return runSession({
    meta: {
      mode: options.mode ?? 'live',
      venue: exchange.venue,
      symbol,
      settle: instrument.settle,
      timeframe,
      strategy: options.meta?.strategy ?? { id: options.strategy.id, className: options.strategy.className, parameters: {} },
      dataSource: options.meta?.dataSource ?? `${exchange.venue} live feed`,
      settings: {
        leverage: options.leverage,
        sizing: options.sizing,
        defaultStopPct: options.defaultStopPct,
        fees: { makerRate: instrument.makerFeeRate, takerRate: instrument.takerFeeRate },
        risk: { enabled: riskEnabled, profile: riskConfig.profile },
        timing: 'on-close',
        ...(options.meta?.settings ?? {}),
      },
    },
    symbol,
    instrument,
    timeframe,
    strategy: options.strategy,
    exchange,
    clock,
    feed,
    history,
    oms,
    risk,
    sizing: options.sizing,
    leverage: options.leverage,
    marginMode: options.marginMode ?? 'cross',
    ...(options.maintenance !== undefined ? { maintenance: options.maintenance } : {}),
    maintenanceBasis: options.maintenanceBasis ?? venueMaintenanceBasis(exchange.venue),
    ...(options.risk?.backtestWinRate !== undefined ? { backtestWinRate: options.risk.backtestWinRate } : {}),
    defaultStopPct: options.defaultStopPct,
    timing: 'on-close',
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.maxBars !== undefined ? { maxBars: options.maxBars } : {}),
    ...(options.recordBars !== undefined ? { recordBars: options.recordBars } : {}),
    ...(options.forwardLibraryEvents !== undefined ? { forwardLibraryEvents: options.forwardLibraryEvents } : {}),
  })
}
