/**
 * A live session of the reference bot, after the venue's start-up checks passed: the single-instance lock, the
 * heartbeat file, the metrics server (when asked for), the OMS's durable journal in the state directory, then the
 * engine's live loop (`runLive`), whose order manager reconciles with the venue before it accepts any entry.
 *
 * It ends on a stop signal (SIGINT/SIGTERM) or when the loop fails. Shutdown runs in order: no new entries (the
 * loop ends after the bar in progress; the order manager stops and its journal is flushed), venue connections
 * closed, heartbeat stopped, metrics server closed, lock released. Protective stops are never cancelled: a bot
 * that stops leaves its position protected on the venue, and the next start finds it in the journal. An error
 * nobody caught halts the same way (the process hook of `@perpkit/ops`).
 * @module
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock, Instrument, MarketDataFeed } from '@perpkit/core'
import { runLive } from '@perpkit/engine'
import {
  acquireInstanceLock,
  componentLogger,
  createBotMetrics,
  createHeartbeat,
  createLifecycle,
  type Logger,
  type MetricsServer,
  type ProcessEvents,
  serveMetrics,
  type ShutdownReason,
  type ShutdownStep,
} from '@perpkit/ops'
import { EXIT } from '../commands/command.js'
import { strategyBaseDir, strategyFromConfig } from '../compose.js'
import { describeModelEvent } from '../ml/model-events.js'
import type { LoadedConfig } from '../config.js'
import type { StopSignal } from '../interrupt.js'
import type { VenueConnection } from './connect.js'
import { createOperatorControl } from './operator-control.js'
import { createSessionWatchdog } from './session-watchdog.js'
import { omsPersistence } from './places.js'
import { createLiveTelemetry } from './telemetry.js'

/** Options of {@link runLiveSession}. */
export interface LiveSessionOptions {
  readonly loaded: LoadedConfig
  /** The venue connection; its client is connected (start-up checks passed). Closed by the session. */
  readonly connection: VenueConnection
  /** The traded instrument as the venue lists it. */
  readonly instrument: Instrument
  /** Account label (lock, metrics). */
  readonly account: string
  /** Journal, heartbeat and JSONL logs. */
  readonly stateDir: string
  /** Where the single-instance lock lives. */
  readonly lockDir: string
  /** Serve `/metrics` on 127.0.0.1 at this port (0: any free port). */
  readonly metricsPort?: number
  readonly heartbeatIntervalMs?: number
  /** A market-data stream silent this long halts trading (the watchdog). */
  readonly streamSilenceMs: number
  /** An event-loop lag above this halts trading (the watchdog). */
  readonly maxLoopLagMs: number
  readonly logger: Logger
  readonly clock: Clock
  /** Aborted with the signal's name on SIGINT/SIGTERM. */
  readonly stop: AbortSignal
}

/** How a session ended. */
export interface LiveSessionEnd {
  /** The process exit code: 0 after a clean stop, 1 when the loop failed or a shutdown step did, 70 after an uncaught error. */
  readonly exitCode: number
  /** The loop's error, when it failed. */
  readonly error?: unknown
}

/** The feed as the loop sees it, with each closed bar logged as it arrives and every event shown to the watchdog. */
function observed(feed: MarketDataFeed, log: Logger, activity: () => void): MarketDataFeed {
  return {
    subscribe: (sub, listener) =>
      feed.subscribe(sub, (event) => {
        activity()
        if (event.type === 'candle' && event.closed) log.info({ symbol: event.symbol, timeframe: event.timeframe, openTime: new Date(event.candle.openTimeMs).toISOString(), close: event.candle.close, backfill: event.backfill === true }, 'bar closed')
        listener(event)
      }),
    fetchCandles: (query) => feed.fetchCandles(query),
  }
}

/** Only the process-error events of `process`: stop signals reach the session through `stop`. */
const processErrors: ProcessEvents = {
  on(event: string | symbol, listener: (...args: unknown[]) => void) {
    if (event === 'uncaughtException' || event === 'unhandledRejection') process.on(event, listener)
    return this
  },
  removeListener(event: string | symbol, listener: (...args: unknown[]) => void) {
    process.removeListener(event, listener)
    return this
  },
} as ProcessEvents

/**
 * Run the bot live until a stop signal. Throws `InstanceLockedError` (nothing started) when another bot holds the
 * account and symbol.
 */
export async function runLiveSession(options: LiveSessionOptions): Promise<LiveSessionEnd> {
  const { loaded, connection, instrument, clock, logger } = options
  const { config } = loaded
  const { client, feed } = connection
  const log = componentLogger(logger, 'live')
  const symbol = instrument.symbol

  let lock: ReturnType<typeof acquireInstanceLock>
  try {
    lock = acquireInstanceLock({ dir: options.lockDir, account: options.account, symbol, clock })
  } catch (e) {
    feed.close()
    await client.close()
    throw e
  }
  if (lock.tookOverFrom !== undefined) log.warn({ previous: lock.tookOverFrom }, 'took over the lock of a bot that is gone')
  mkdirSync(options.stateDir, { recursive: true })
  const heartbeat = createHeartbeat({ path: join(options.stateDir, 'heartbeat.json'), clock, ...(options.heartbeatIntervalMs !== undefined ? { intervalMs: options.heartbeatIntervalMs } : {}) })
  heartbeat.start()
  heartbeat.setStatus('starting')
  let metricsServer: MetricsServer | undefined
  const metrics = options.metricsPort !== undefined ? createBotMetrics({ defaultLabels: { bot: config.strategy.id } }) : undefined
  const session = new AbortController()
  let sessionDone: Promise<unknown> = Promise.resolve()
  const control = createOperatorControl({ stateDir: options.stateDir, symbol, clock, log: componentLogger(logger, 'operator') })
  const watchdog = createSessionWatchdog({ clock, log: componentLogger(logger, 'watchdog'), streamSilenceMs: options.streamSilenceMs, maxLoopLagMs: options.maxLoopLagMs })

  const steps: ShutdownStep[] = [
    {
      name: 'stop new entries and flush the journal',
      run: async () => {
        heartbeat.setStatus('stopping')
        watchdog.stop()
        session.abort()
        await control.stop()
        await sessionDone.catch(() => {})
      },
    },
    {
      name: 'close venue connections',
      run: async () => {
        feed.close()
        await client.close()
      },
    },
    { name: 'stop the heartbeat', run: () => heartbeat.stop() },
    { name: 'close the metrics server', run: async () => metricsServer?.close() },
    { name: 'release the lock', run: () => lock.release() },
  ]
  let exitCode: number | undefined
  const lifecycle = createLifecycle({
    clock,
    steps,
    fatalAction: 'halt',
    halt: () => session.abort(),
    flatten: () => session.abort(),
    exit: (code) => (exitCode = code),
    fatalExitCode: EXIT.uncaught,
    process: processErrors,
    onEvent: (e) => {
      if (e.type === 'step-finished') log[e.step.outcome === 'done' ? 'info' : 'error'](e.step, `shutdown: ${e.step.name}: ${e.step.outcome}`)
      else if (e.type === 'fatal-error') log.fatal({ source: e.source, message: e.message }, 'uncaught error: halting (protective orders stay on the venue)')
      else if (e.type === 'shutdown-started') log.info({ reason: e.reason.type === 'signal' ? e.reason.signal : e.reason.type }, 'shutting down')
    },
  })
  lifecycle.install()
  try {
    if (metrics !== undefined && options.metricsPort !== undefined) {
      metricsServer = await serveMetrics({ registry: metrics.registry, port: options.metricsPort })
      log.info({ url: metricsServer.url }, 'metrics served')
    }
    // every venue request of the OMS is stamped in the ledger before it is sent: after a crash the restarted bot counts
    // what its predecessor spent in the venue's window, so a crash loop stays under the venue's rate limit
    const { journal, budgetLedger } = omsPersistence(options.stateDir, client)
    // MlSignal model swaps are logged; a rollback (live metric under the floor) is an error-level alert
    const strategy = await strategyFromConfig(loaded, strategyBaseDir(loaded), (e) => {
      if (e.type === 'model-rolled-back') log.error(e, describeModelEvent(e))
      else if (e.type === 'model-load-failed') log.warn(e, describeModelEvent(e))
      else log.info(e, describeModelEvent(e))
    })
    const telemetry = createLiveTelemetry({ symbol, currency: instrument.settle, account: options.account, dir: options.stateDir, logger, heartbeat, ...(metrics !== undefined ? { metrics } : {}) })
    const balance = (await client.fetchBalances()).find((b) => b.asset === instrument.settle)
    if (balance !== undefined) telemetry.equity(balance.total)
    // the margin mode is set while flat; with a position open (a restart) venues refuse to switch, and it stays as it is
    const open = await client.fetchPositions([symbol])
    if (open.length === 0) await client.setMarginMode({ symbol, marginMode: config.account.marginMode })
    else log.info({ positions: open.map((p) => ({ side: p.side, qty: p.qty })) }, `a position is open: margin mode left as the venue has it (config: ${config.account.marginMode})`)
    const s = config.sizing
    const sizing =
      s.mode === 'fixed-qty' ? { mode: 'fixed-qty' as const, qty: s.qty as number } : s.mode === 'fixed-notional' ? { mode: 'fixed-notional' as const, notional: s.notional as number } : { mode: 'risk-fraction' as const, riskFraction: s.riskFraction }
    const timeframe = config.data.timeframe
    const stop = (): void => session.abort()
    if (options.stop.aborted) stop()
    options.stop.addEventListener('abort', stop)
    log.info({ symbol, timeframe, strategy: config.strategy.id, stateDir: options.stateDir, lock: lock.path }, 'starting the live loop (trading waits for the reconciliation with the venue)')
    const run = runLive({
      symbol,
      instrument,
      timeframe,
      strategy,
      exchange: client,
      feed: observed(feed, componentLogger(logger, 'feed'), () => watchdog.activity()),
      clock,
      journal,
      budgetLedger,
      leverage: config.account.leverage,
      marginMode: config.account.marginMode,
      sizing,
      defaultStopPct: s.stopDistancePct,
      risk: { enabled: config.risk.enabled, config: config.risk.settings, ...(config.risk.backtestWinRate !== undefined ? { backtestWinRate: config.risk.backtestWinRate } : {}) },
      warmupBars: strategy.requirements?.warmupBars?.[timeframe] ?? 0,
      meta: { strategy: { id: config.strategy.id, className: config.strategy.class, parameters: config.strategy.parameters } },
      onEvent: telemetry.onEvent,
      signal: session.signal,
      recordBars: false,
      forwardLibraryEvents: true,
      // operator requests (perpkit halt / resume / close / flatten) act through the session's risk and OMS
      // a stalled event loop or a silent market stream trips risk's breaker (HALT until `perpkit resume`)
      onServices: (services) => {
        control.attach(services)
        watchdog.attach(services)
      },
    })
    sessionDone = run
    let error: unknown
    try {
      const result = await run
      log.info({ bars: result.meta.bars, trades: result.trades.length }, 'live loop ended')
    } catch (e) {
      error = e
      log.error({ err: e }, 'live loop failed')
    } finally {
      options.stop.removeEventListener('abort', stop)
    }
    const reason: ShutdownReason = options.stop.aborted ? { type: 'signal', signal: options.stop.reason as StopSignal } : { type: 'requested', note: error !== undefined ? 'the live loop failed' : 'the live loop ended' }
    const report = await lifecycle.shutdown(reason)
    return error !== undefined ? { exitCode: Math.max(1, report.exitCode), error } : { exitCode: exitCode ?? report.exitCode }
  } catch (e) {
    // failed before the loop ran: undo what was set up
    await lifecycle.shutdown({ type: 'requested', note: 'start-up failed' })
    throw e
  } finally {
    lifecycle.uninstall()
  }
}
