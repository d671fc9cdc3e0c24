/**
 * Composition root: turns a validated config into a strategy, an instrument, candles and engine options, and
 * runs the engine with JSONL logs, a progress bar and all-or-nothing report output.
 * @module
 */
import { basename, resolve } from 'node:path'
import { InvalidInputError, parsePerpSymbol, timeframeMs } from '@perpkit/core'
import {
  type CandleColumns,
  type EngineEvent,
  type EngineStrategy,
  loadCandles,
  parseFunding,
  parseTradeCsv,
  readDataText,
  runBacktest,
  type RunResult,
  sliceCandleColumns,
  type TradeColumns,
  tradesToCandles,
  validateCandles,
  writeReportFiles,
} from '@perpkit/engine'
import { createMlSignalDefinition, type ModelEvent } from '@perpkit/ml'
import { writeHtmlReport } from '@perpkit/report'
import type { TradeStore } from '@perpkit/store'
import { buildStrategy, createBuiltinRegistry, loadStrategy, parseStrategyConfig } from '@perpkit/strategy'
import { stringify as toYaml } from 'yaml'
import type { LoadedConfig } from './config.js'
import { checkDataSymbol, checkOrderValue } from './data-checks.js'
import { instrumentFor } from './instruments.js'
import { createJsonlWriter } from './jsonl.js'
import { describeModelEvent } from './ml/model-events.js'
import { createSizingLog } from './sizing-log.js'
import { InterruptedError, type InterruptSource, type StopSignal } from './interrupt.js'
import { prepareOutput, runName } from './output.js'
import { createStoreSink } from './store-sink.js'

/** Where a `strategy.module` path of the config is resolved from: the config file's folder (the cwd for the embedded default). */
export const strategyBaseDir = (loaded: LoadedConfig): string => (loaded.file.endsWith('(embedded default)') ? resolve('.') : resolve(loaded.file, '..'))

/**
 * Build the configured strategy (built-in class, `MlSignal` from `@perpkit/ml` with its registry resolved next to the
 * config file, or a `strategy.module` plugin resolved next to the config file).
 */
export async function strategyFromConfig(loaded: LoadedConfig, baseDir: string, onModelEvent?: (e: ModelEvent) => void): Promise<EngineStrategy> {
  const { config } = loaded
  const object = {
    strategy: { id: config.strategy.id, name: config.strategy.name ?? config.strategy.id, class: config.strategy.class, ...(config.strategy.module !== undefined ? { module: config.strategy.module } : {}) },
    market: { exchange: config.venue, symbol: loaded.symbols[0] as string, primary_timeframe: config.data.timeframe },
    parameters: config.strategy.parameters,
  }
  const registry = createBuiltinRegistry()
  registry.register(createMlSignalDefinition({ baseDir, ...(onModelEvent !== undefined ? { onEvent: onModelEvent } : {}) }))
  try {
    if (config.strategy.module !== undefined) return await loadStrategy({ yaml: toYaml(object), registry, baseDir })
    return buildStrategy({ config: parseStrategyConfig({ object }), registry })
  } catch (e) {
    if (e instanceof InvalidInputError) throw new InvalidInputError(`${loaded.file}: ${e.path !== undefined ? `${e.path}: ` : ''}${e.message}`, { cause: e, ...(e.path !== undefined ? { path: e.path } : {}) })
    throw e
  }
}

/** Options of {@link runConfigured}. */
export interface RunConfiguredOptions {
  readonly loaded: LoadedConfig
  readonly mode: 'backtest' | 'paper'
  readonly outRoot?: string
  readonly log: (line: string) => void
  readonly progress?: (done: number, total: number) => void
  readonly pace?: (args: { readonly index: number; readonly openTimeMs: number; readonly timestampMs: number }) => Promise<void>
  /** Paper: 1 s tick loop inside each bar. */
  readonly tickMs?: number
  /** Paper: run only the last `bars` bars after `warmupBars` of history. */
  readonly window?: { readonly bars: number; readonly warmupBars: number }
  readonly nowMs: number
  /** Stop signals: the run stops at the next bar, removes its unfinished output and throws {@link InterruptedError}. */
  readonly interrupt?: InterruptSource
  /**
   * Also write the run (decisions, order events, fills, trades, equity) into this trade store; `nowMs` stamps its
   * end, `target` is how the store is named in the summary.
   */
  readonly store?: { readonly store: TradeStore; readonly nowMs: () => number; readonly target: string }
}

/** What {@link runConfigured} produced. */
export interface RunOutput {
  readonly result: RunResult
  readonly dir: string
  readonly files: Record<string, string>
  readonly logs: Record<string, number>
  /** One line when sizing cut or refused entries (also warned on the log as it happened). */
  readonly sizingSummary?: string
  /** Where the run was written in a trade store (its id is the run folder's name), when it was. */
  readonly store?: { readonly runId: string; readonly target: string }
}

/** The inputs of a configured run, loaded once (a sweep runs many parameter sets over them). */
export interface RunInputs {
  readonly strategy: EngineStrategy
  readonly instrument: NonNullable<ReturnType<typeof instrumentFor>>
  readonly candles: CandleColumns
  readonly warmupBars: number
  readonly funding: ReturnType<typeof parseFunding> | undefined
  readonly trades: TradeColumns | undefined
}

/**
 * Check candles as every run does: valid bars, the config's timeframe; gaps are a warning on the log.
 *
 * @throws InvalidInputError for bad candles or another timeframe than `data.timeframe`.
 */
export function checkCandles(args: { readonly loaded: LoadedConfig; readonly columns: CandleColumns; readonly log: (line: string) => void }): void {
  const { loaded } = args
  const report = validateCandles({ columns: args.columns, maxJumpFactor: loaded.config.data.maxJumpFactor })
  if (!report.ok) {
    const first = report.issues[0]
    throw new InvalidInputError(`${first?.message ?? 'invalid candles'} (${report.issues.length} problem(s) in ${loaded.candlesPath})`, { path: 'data.candles' })
  }
  if (report.timeframeMs !== 0 && report.timeframeMs !== timeframeMs(loaded.config.data.timeframe)) {
    throw new InvalidInputError(`${loaded.file}: data.timeframe: is ${loaded.config.data.timeframe} but ${loaded.candlesPath} has ${report.timeframeMs / 60_000}-minute bars`, { path: 'data.timeframe' })
  }
  if (report.gaps.length > 0) args.log(`warning: ${report.gaps.length} gap(s) in the candles, first after line ${report.gaps[0]?.line}`)
}

/**
 * Load and check what a configured run needs: instrument, strategy, candles (or trades aggregated to candles), funding.
 *
 * @throws InvalidInputError for bad config or data.
 */
export async function prepareRunInputs(args: { readonly loaded: LoadedConfig; readonly log: (line: string) => void; readonly window?: RunConfiguredOptions['window'] }): Promise<RunInputs> {
  const { loaded } = args
  const { config } = loaded
  if (loaded.symbols.length !== 1) throw new InvalidInputError(`${loaded.file}: symbols: backtest and paper run one symbol at a time (got ${loaded.symbols.length})`, { path: 'symbols' })
  const symbol = loaded.symbols[0] as string
  const base = parsePerpSymbol(symbol).base
  const instrument = instrumentFor({ config, base, settle: loaded.settle, symbol })
  if (instrument === undefined) throw new InvalidInputError(`${loaded.file}: symbols: no instrument spec for ${base} on ${config.venue}`, { path: 'symbols[0]' })
  checkDataSymbol({ configFile: loaded.file, base, files: [config.data.candles !== undefined || loaded.tradesPath === undefined ? loaded.candlesPath : undefined, loaded.tradesPath, loaded.fundingPath] })
  const strategy = await strategyFromConfig(loaded, strategyBaseDir(loaded), (e) => args.log(describeModelEvent(e)))

  const trades = loaded.tradesPath !== undefined ? parseTradeCsv({ text: readDataText(loaded.tradesPath), source: loaded.tradesPath }) : undefined
  const all: CandleColumns =
    trades !== undefined && config.data.candles === undefined
      ? tradesToCandles({ trades, timeframeMs: timeframeMs(config.data.timeframe) })
      : loadCandles({ path: loaded.candlesPath, cacheDir: config.data.cache ? resolve('.perpkit-cache') : false }).columns
  checkCandles({ loaded, columns: all, log: args.log })
  if (all.length > 0) checkOrderValue({ configFile: loaded.file, ...(config.sizing.mode === 'fixed-qty' && config.sizing.qty !== undefined ? { qty: config.sizing.qty } : {}), kind: instrument.kind, contractSize: instrument.contractSize, price: all.close[0] as number })
  let candles: CandleColumns = all
  let warmupBars = 0
  if (args.window !== undefined) {
    const from = Math.max(0, all.length - args.window.bars - args.window.warmupBars)
    candles = sliceCandleColumns({ columns: all, from, to: all.length })
    warmupBars = Math.min(args.window.warmupBars, candles.length)
  }
  const funding = loaded.fundingPath !== undefined ? parseFunding({ text: readDataText(loaded.fundingPath), source: loaded.fundingPath, symbol }) : undefined
  return { strategy, instrument, candles, warmupBars, funding, trades }
}

/**
 * Run the configured strategy in backtest or paper mode and write the report + JSONL logs atomically.
 *
 * @throws InvalidInputError / PerpkitError for bad config or data; the partial output directory is removed.
 */
export async function runConfigured(options: RunConfiguredOptions): Promise<RunOutput> {
  // from here on a stop signal stops the run at its first or next bar instead of exiting on the spot
  const release = options.interrupt?.hold()
  try {
    return await runHeld(options)
  } finally {
    release?.()
  }
}

async function runHeld(options: RunConfiguredOptions): Promise<RunOutput> {
  const { loaded } = options
  const { config } = loaded
  const { strategy, instrument, candles, warmupBars, funding, trades } = await prepareRunInputs({
    loaded,
    log: options.log,
    ...(options.window !== undefined ? { window: options.window } : {}),
  })

  const out = prepareOutput({ root: resolve(config.output.dir), name: runName({ mode: options.mode, strategyId: config.strategy.id, startedAtMs: options.nowMs }) })
  if (out.removedStale.length > 0) options.log(`removed ${out.removedStale.length} unfinished run folder(s) left by runs that died: ${out.removedStale.join(', ')}`)
  try {
    const tradesLog = createJsonlWriter(`${out.tempDir}/trades.jsonl`)
    const decisions = createJsonlWriter(`${out.tempDir}/decisions.jsonl`)
    const halts = createJsonlWriter(`${out.tempDir}/halts.jsonl`)
    const daily = createJsonlWriter(`${out.tempDir}/daily.jsonl`)
    const sizingLog = createSizingLog(options.log)
    const runId = basename(out.finalDir)
    const sink =
      options.store === undefined
        ? undefined
        : await createStoreSink(options.store.store, { id: runId, mode: options.mode, strategy: config.strategy.id, venue: config.venue, symbol: instrument.symbol, config, startedAtMs: options.nowMs })
    const onEvent = (e: EngineEvent): void => {
      sink?.onEvent(e)
      switch (e.type) {
        case 'trade':
          tradesLog.write({ time: new Date(e.timestampMs).toISOString(), ...e.trade })
          break
        case 'decision':
          decisions.write({
            time: new Date(e.timestampMs).toISOString(),
            sizedQty: e.sizedQty,
            ...(e.sizeRefusal !== undefined ? { sizeRefusal: e.sizeRefusal } : {}),
            decision: e.decision,
          })
          sizingLog.onDecision(e)
          break
        case 'halt':
          halts.write({ time: new Date(e.timestampMs).toISOString(), ...e.transition })
          options.log(`${e.transition.type === 'halt-entered' ? 'HALT' : 'HALT lifted'} at ${new Date(e.timestampMs).toISOString()}: ${e.transition.reason}`)
          break
        case 'daily':
          daily.write(e.rollup)
          break
        default:
          break
      }
    }
    const pace = interruptible(options, candles)
    const result = await runBacktestFor({
      loaded,
      strategy,
      instrument,
      candles,
      warmupBars,
      onEvent,
      options: pace !== undefined ? { ...options, pace } : options,
      funding,
      trades,
      // the store keeps every order event (sent, state changes, rejections), which the engine forwards on request
      ...(sink !== undefined ? { forwardLibraryEvents: true } : {}),
    })
    for (const w of [tradesLog, decisions, halts, daily]) w.flush()
    if (sink !== undefined && options.store !== undefined) await sink.finish(result, options.store.nowMs())
    writeReportFiles({ result, dir: out.tempDir })
    writeHtmlReport({ result, dir: out.tempDir })
    const dir = out.commit()
    return {
      result,
      dir,
      files: { html: `${dir}/report.html`, json: `${dir}/result.json`, trades: `${dir}/trades.csv`, equity: `${dir}/equity.csv` },
      logs: { trades: tradesLog.count, decisions: decisions.count, halts: halts.count, daily: daily.count },
      ...(sizingLog.summary() !== undefined ? { sizingSummary: sizingLog.summary() as string } : {}),
      ...(options.store !== undefined ? { store: { runId, target: options.store.target } } : {}),
    }
  } catch (e) {
    out.discard()
    throw e
  }
}

/** Bars between two yields to the event loop, so a signal handler can run during a backtest (which never waits). */
const YIELD_EVERY_BARS = 512

/** The run's `pace` wrapped to stop at the next bar once a stop signal arrived (undefined without signals). */
function interruptible(options: RunConfiguredOptions, candles: CandleColumns): RunConfiguredOptions['pace'] {
  const interrupt = options.interrupt
  if (interrupt === undefined) return options.pace
  const inner = options.pace
  let sinceYield = 0
  const check = (index: number, timestampMs: number): void => {
    if (!interrupt.signal.aborted) return
    const at = new Date(timestampMs).toISOString().slice(0, 16).replace('T', ' ')
    throw new InterruptedError(interrupt.signal.reason as StopSignal, `bar ${(index + 1).toLocaleString('en-US')} of ${candles.length.toLocaleString('en-US')} (${at} UTC)`)
  }
  return async (a) => {
    check(a.index, a.timestampMs)
    if (inner !== undefined) await inner(a)
    if (++sinceYield >= YIELD_EVERY_BARS) {
      sinceYield = 0
      await new Promise<void>((r) => setImmediate(r))
    }
    check(a.index, a.timestampMs)
  }
}

/** Run the engine over prepared inputs with the config's account, sizing, costs and risk settings. */
export async function runBacktestFor(args: {
  readonly loaded: LoadedConfig
  readonly strategy: EngineStrategy
  readonly instrument: NonNullable<ReturnType<typeof instrumentFor>>
  readonly candles: CandleColumns
  readonly warmupBars: number
  readonly onEvent: (e: EngineEvent) => void
  readonly options: Pick<RunConfiguredOptions, 'mode' | 'progress' | 'pace' | 'tickMs'>
  readonly funding: ReturnType<typeof parseFunding> | undefined
  readonly trades: TradeColumns | undefined
  /** Seed of the simulated venue (default 1). */
  readonly seed?: number
  /** Keep OHLC bars in the result (default true; a sweep does not need them). */
  readonly recordBars?: boolean
  /** Also emit the OMS's and risk's own events (order lifecycle) through `onEvent`. */
  readonly forwardLibraryEvents?: boolean
}): Promise<RunResult> {
  const { config } = args.loaded
  const s = config.sizing
  const sizing =
    s.mode === 'fixed-qty' ? { mode: 'fixed-qty' as const, qty: s.qty as number } : s.mode === 'fixed-notional' ? { mode: 'fixed-notional' as const, notional: s.notional as number } : { mode: 'risk-fraction' as const, riskFraction: s.riskFraction }
  if (config.account.leverage > args.instrument.maxLeverage) {
    throw new InvalidInputError(`${args.loaded.file}: account.leverage: ${config.account.leverage} exceeds the maximum ${args.instrument.maxLeverage} of ${args.instrument.symbol}`, { path: 'account.leverage' })
  }
  return runBacktest({
    symbol: args.instrument.symbol,
    instrument: args.instrument,
    timeframe: config.data.timeframe,
    candles: args.candles,
    strategy: args.strategy,
    initialBalance: config.account.initialBalance,
    venueProfile: config.venue,
    leverage: config.account.leverage,
    marginMode: config.account.marginMode,
    sizing,
    defaultStopPct: s.stopDistancePct,
    slippage: { fixedBps: config.slippage.fixedBps, impactCoefficient: config.slippage.impactCoefficient },
    ...(args.funding !== undefined ? { funding: { rates: args.funding } } : config.funding.fixedRate !== undefined ? { funding: { fixedRate: config.funding.fixedRate } } : {}),
    risk: { enabled: config.risk.enabled, config: config.risk.settings, ...(config.risk.backtestWinRate !== undefined ? { backtestWinRate: config.risk.backtestWinRate } : {}) },
    mode: args.options.mode,
    warmupBars: args.warmupBars,
    meta: {
      strategy: { id: config.strategy.id, className: config.strategy.class, parameters: config.strategy.parameters },
      dataSource: ((args.trades !== undefined && config.data.candles === undefined ? args.loaded.tradesPath : args.loaded.candlesPath) ?? '').split('/').slice(-1)[0] as string,
    },
    onEvent: args.onEvent,
    ...(args.options.progress !== undefined ? { onProgress: args.options.progress } : {}),
    ...(args.options.pace !== undefined ? { pace: args.options.pace } : {}),
    ...(args.options.tickMs !== undefined ? { tickMs: args.options.tickMs } : {}),
    ...(args.trades !== undefined ? { trades: args.trades } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.recordBars !== undefined ? { recordBars: args.recordBars } : {}),
    ...(args.forwardLibraryEvents !== undefined ? { forwardLibraryEvents: args.forwardLibraryEvents } : {}),
  })
}
