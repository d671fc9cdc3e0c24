/**
 * Composition helper: builds the simulated venue, its market driver, the replay feed, the OMS and the risk session
 * around a strategy and runs {@link runSession} over recorded candles. Backtest = virtual clock as fast as possible;
 * paper = the same with `pace`.
 * @module
 */
import { createTestClock, type Instrument, type MarginMode, type Timeframe } from '@perpkit/core'
import type { OmsConfig, OmsJournalEntry, OmsState } from '@perpkit/oms'
import { createSimVenue, type SimFundingPoint, type VenueProfileId } from '@perpkit/sim'
import type { MaintenanceSpec } from '@perpkit/sizing'
import type { CandleColumns } from '../data/candles.js'
import type { TradeColumns } from '../data/trades.js'
import { createReplayFeed } from '../feed/replay-feed.js'
import type { RunMeta, RunResult } from '../results/types.js'
import { createBacktestJournal } from './backtest-journal.js'
import type { SizingPolicy } from './entry-size.js'
import { createSimMarketDriver } from './market-driver.js'
import { type ExecutionTiming, runSession } from './run.js'
import { createSessionOms, createSessionRisk, type SessionRiskOptions, venueMaintenanceBasis } from './services.js'
import type { EngineEvent, EngineStrategy } from './types.js'

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  readonly symbol: string
  readonly instrument: Instrument
  readonly timeframe: Timeframe
  readonly candles: CandleColumns
  readonly strategy: EngineStrategy
  /** Starting balance in the instrument's settle asset. */
  readonly initialBalance: number
  readonly venueProfile: VenueProfileId
  readonly leverage: number
  readonly marginMode?: MarginMode
  readonly sizing: SizingPolicy
  /** Protective stop distance (fraction of price) when the strategy gives none. */
  readonly defaultStopPct: number
  readonly slippage?: { readonly fixedBps?: number; readonly impactCoefficient?: number; readonly liquidityUsd?: number }
  readonly funding?: { readonly rates?: readonly SimFundingPoint[]; readonly fixedRate?: number }
  /** Seed of the simulated venue's random draws (scripted faults, randomised latency); default 1. Same seed, same run. */
  readonly seed?: number
  /**
   * `@perpkit/risk`'s configuration. A backtest uses the `general` profile unless `config.profile` says
   * `account-builder` (stages, their gates and the win-rate gates need inputs a generic strategy does not give: a
   * take-profit for the EV gate, `backtestWinRate`). `enabled: false` permits every proposal (decisions are still
   * made and signed).
   */
  readonly risk?: SessionRiskOptions
  /** The venue's maintenance margin model, for the simulator and sizing's liquidation estimate (default a flat 0.5 %). */
  readonly maintenance?: MaintenanceSpec
  /**
   * OMS overrides; defaults here: reconciliation every 6 h (the simulator cannot drift), a snapshot every 1,000
   * records, terminal orders kept 1 h and pruned from memory after each snapshot (`pruneCompactedOrders`) — see README.
   */
  readonly oms?: Partial<OmsConfig>
  readonly timing?: ExecutionTiming
  readonly warmupBars?: number
  readonly mode?: RunMeta['mode']
  readonly meta?: Partial<Pick<RunMeta, 'strategy' | 'dataSource' | 'settings'>>
  readonly onEvent?: (event: EngineEvent) => void
  readonly onProgress?: (done: number, total: number) => void
  readonly pace?: (args: { readonly index: number; readonly openTimeMs: number; readonly timestampMs: number }) => Promise<void>
  /** A trade tape merged with the candles (see {@link runSession}). */
  readonly trades?: TradeColumns
  /** Paper: virtual clock steps inside each bar (e.g. 1000 for a 1 s tick loop). */
  readonly tickMs?: number
  readonly maxBars?: number
  readonly recordBars?: boolean
  readonly forwardLibraryEvents?: boolean
}

/**
 * Run a backtest (or, with `pace`, a paper session) of one strategy on one symbol.
 *
 * @param options - see {@link BacktestOptions}.
 * @returns the run result.
 * @throws InvalidInputError on bad options (no candles, bad risk config, …); venue/OMS errors propagate.
 * @example
 * ```ts
 * import { type CandleColumns, runBacktest } from '@perpkit/engine'
 * import { type MarketConfig, SmaCrossover } from '@perpkit/strategy'
 * import type { Instrument } from '@perpkit/core'
 * declare const symbol: string, instrument: Instrument, candles: CandleColumns, market: MarketConfig
 * const strategy = SmaCrossover.create({ id: 'sma', name: 'sma', market, params: { fastPeriod: 20, slowPeriod: 50, mode: 'long-only' } })
 * const result = await runBacktest({ symbol, instrument, timeframe: '5m', candles, strategy, initialBalance: 10_000,
 *   venueProfile: 'binance-usdm', leverage: 3, sizing: { mode: 'risk-fraction', riskFraction: 0.01 }, defaultStopPct: 0.03 })
 * ```
 */
export async function runBacktest(options: BacktestOptions): Promise<RunResult> {
  const { instrument } = options
  const start = options.candles.length > 0 ? (options.candles.openTimeMs[0] as number) : 0
  const clock = createTestClock(start)
  const venue = createSimVenue({
    profile: options.venueProfile,
    instruments: [instrument],
    balances: { [instrument.settle]: options.initialBalance },
    clock,
    defaultLeverage: options.leverage,
    ...(options.marginMode !== undefined ? { marginMode: options.marginMode } : {}),
    ...(options.slippage !== undefined ? { slippage: options.slippage } : {}),
    ...(options.funding !== undefined ? { funding: options.funding } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.maintenance !== undefined ? { maintenance: options.maintenance } : {}),
  })
  const { risk, config: riskConfig, enabled: riskEnabled } = createSessionRisk(options.risk, clock)
  const oms = createSessionOms({
    exchange: venue,
    clock,
    // a backtest never recovers: its journal numbers records and keeps none (no per-record JSON serialisation)
    journal: createBacktestJournal<OmsState, OmsJournalEntry>(),
    instrument,
    risk,
    // terminal orders leave memory once a snapshot dropped them: a long backtest stays linear in its trades.
    // A snapshot every 1,000 records: each one copies the OMS's ids of every retired trade, so their cost grows
    // with the square of the trades (at 100 it was ≈ 30 % of the bench's CPU); memory stays bounded by 1,000 records' orders.
    // No stream-staleness watchdog: the in-process simulated venue delivers its user stream inside the very call
    // that caused each event (there is no socket that could go half-open), and bars minutes apart are not silence.
    config: { reconcileIntervalMs: 6 * 3_600_000, retainTerminalMs: 3_600_000, snapshotEveryRecords: 1_000, pruneCompactedOrders: true, streamStaleAfterMs: 0, ...(options.oms ?? {}) },
  })
  return runSession({
    meta: {
      mode: options.mode ?? 'backtest',
      venue: options.venueProfile,
      symbol: options.symbol,
      settle: instrument.settle,
      timeframe: options.timeframe,
      strategy: options.meta?.strategy ?? { id: options.strategy.id, className: options.strategy.className, parameters: {} },
      dataSource: options.meta?.dataSource ?? options.candles.source,
      settings: {
        initialBalance: options.initialBalance,
        leverage: options.leverage,
        sizing: options.sizing,
        defaultStopPct: options.defaultStopPct,
        fees: { makerRate: instrument.makerFeeRate, takerRate: instrument.takerFeeRate },
        slippage: options.slippage ?? {},
        funding: options.funding?.fixedRate !== undefined ? { fixedRate: options.funding.fixedRate } : options.funding?.rates !== undefined ? { rates: options.funding.rates.length } : {},
        risk: { enabled: riskEnabled, profile: riskConfig.profile },
        timing: options.timing ?? 'next-open',
        ...(options.meta?.settings ?? {}),
      },
    },
    symbol: options.symbol,
    instrument,
    timeframe: options.timeframe,
    strategy: options.strategy,
    exchange: venue,
    clock,
    feed: createReplayFeed({ symbol: options.symbol, timeframe: options.timeframe, candles: options.candles }),
    driver: createSimMarketDriver({ venue, clock, symbol: options.symbol }),
    oms,
    risk,
    sizing: options.sizing,
    leverage: options.leverage,
    marginMode: options.marginMode ?? 'cross',
    ...(options.maintenance !== undefined ? { maintenance: options.maintenance } : {}),
    maintenanceBasis: venueMaintenanceBasis(options.venueProfile),
    ...(options.risk?.backtestWinRate !== undefined ? { backtestWinRate: options.risk.backtestWinRate } : {}),
    defaultStopPct: options.defaultStopPct,
    ...(options.timing !== undefined ? { timing: options.timing } : {}),
    ...(options.warmupBars !== undefined ? { warmupBars: options.warmupBars } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    ...(options.pace !== undefined ? { pace: options.pace } : {}),
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    ...(options.trades !== undefined ? { trades: options.trades } : {}),
    ...(options.maxBars !== undefined ? { maxBars: options.maxBars } : {}),
    ...(options.recordBars !== undefined ? { recordBars: options.recordBars } : {}),
    ...(options.forwardLibraryEvents !== undefined ? { forwardLibraryEvents: options.forwardLibraryEvents } : {}),
  })
}
