/**
 * What a live session tells its owner: every engine event (with the OMS's and risk's own events forwarded) becomes
 * a structured log line, the JSONL trade / decision / halt / daily files in the state directory (appended, so a
 * restart continues them), the Prometheus metrics and the heartbeat's status.
 * @module
 */
import { join } from 'node:path'
import type { EngineEvent } from '@perpkit/engine'
import type { BotMetrics, Heartbeat, Logger } from '@perpkit/ops'
import { createJsonlWriter } from '../jsonl.js'

/** Options of {@link createLiveTelemetry}. */
export interface LiveTelemetryOptions {
  readonly symbol: string
  /** The account's settle currency (metric label). */
  readonly currency: string
  /** The account label of the lock and the state directory (metric label). */
  readonly account: string
  /** The state directory: `trades.jsonl`, `decisions.jsonl`, `halts.jsonl`, `daily.jsonl` are appended there. */
  readonly dir: string
  readonly logger: Logger
  readonly heartbeat: Heartbeat
  readonly metrics?: BotMetrics
}

/** The session's event sink. */
export interface LiveTelemetry {
  /** The engine's `onEvent`. */
  onEvent(event: EngineEvent): void
  /** The account equity now (logged and exported). */
  equity(equity: number): void
  /** Whether the OMS finished its start-up reconciliation with the venue (trading allowed from then on). */
  reconciled(): boolean
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Create the sink. */
export function createLiveTelemetry(options: LiveTelemetryOptions): LiveTelemetry {
  const { symbol, logger, heartbeat, metrics } = options
  const log = {
    engine: logger.child({ component: 'engine' }),
    oms: logger.child({ component: 'oms' }),
    risk: logger.child({ component: 'risk' }),
    feed: logger.child({ component: 'feed' }),
  }
  const files = {
    trades: createJsonlWriter(join(options.dir, 'trades.jsonl'), { append: true }),
    decisions: createJsonlWriter(join(options.dir, 'decisions.jsonl'), { append: true }),
    halts: createJsonlWriter(join(options.dir, 'halts.jsonl'), { append: true }),
    daily: createJsonlWriter(join(options.dir, 'daily.jsonl'), { append: true }),
  }
  let startupDone = false
  let halted = false

  const onOms = (e: Extract<EngineEvent, { type: 'oms' }>['event']): void => {
    switch (e.type) {
      case 'reconcile':
        if (e.phase === 'failed') log.oms.error({ reason: e.reason, error: e.error }, 'reconciliation with the venue failed')
        else log.oms.info({ reason: e.reason, phase: e.phase }, `reconciliation ${e.phase}`)
        if (e.phase === 'finished' && e.reason === 'startup') {
          startupDone = true
          if (!halted) heartbeat.setStatus('trading')
        }
        return
      case 'recovered':
        log.oms.info({ records: e.records, truncatedTail: e.truncatedTail, fromSnapshotSeq: e.fromSnapshotSeq }, 'journal recovered')
        return
      case 'order-sent':
        log.oms.info({ clientOrderId: e.clientOrderId, role: e.role, request: e.request, attempt: e.attempt }, 'order sent')
        return
      case 'order-state':
        log.oms.debug(e, 'order state')
        return
      case 'fill-applied':
        log.oms.info({ fill: e.fill, positionQty: e.positionQty }, 'fill applied')
        metrics?.setPosition({ symbol, qtyContracts: e.positionQty })
        return
      case 'stop-status':
        log.oms[e.status === 'MISSING' || e.status === 'ERROR' ? 'warn' : 'info']({ symbol: e.symbol, status: e.status, failures: e.failures }, `stop ${e.status}`)
        metrics?.setStopStatus({ symbol: e.symbol, status: e.status })
        return
      case 'stop-updated':
        log.oms.info({ symbol: e.symbol, method: e.method, qty: e.qty, triggerPrice: e.triggerPrice }, 'stop on the venue')
        return
      case 'order-rejected':
      case 'order-unknown':
      case 'mismatch':
      case 'orphan':
      case 'degraded':
      case 'halted':
      case 'flatten':
      case 'breaker-trip':
        log.oms.warn(e, e.type)
        return
      case 'fatal':
      case 'internal-error':
      case 'invalid-transition':
        log.oms.error(e, e.type)
        return
      default:
        log.oms.debug(e, e.type)
    }
  }

  return {
    onEvent(event) {
      switch (event.type) {
        case 'decision': {
          const d = event.decision
          files.decisions.write({ time: iso(event.timestampMs), sizedQty: event.sizedQty, ...(event.sizeRefusal !== undefined ? { sizeRefusal: event.sizeRefusal } : {}), decision: d })
          log.engine.info({ action: d.action, kind: d.proposal.kind, side: d.proposal.side, signalId: d.proposal.signalId, sizedQty: event.sizedQty, sizeRefusal: event.sizeRefusal }, `decision ${d.action}`)
          return
        }
        case 'trade':
          files.trades.write({ time: iso(event.timestampMs), ...event.trade })
          log.engine.info({ trade: event.trade }, 'trade closed')
          return
        case 'fill':
          log.engine.info({ fill: event.fill }, 'fill')
          return
        case 'position-recovered':
          // a restart mid-position: the books and the strategy start from the position the order manager recovered
          log.engine.warn({ position: event.position }, 'position recovered')
          return
        case 'halt': {
          const t = event.transition
          files.halts.write({ time: iso(event.timestampMs), ...t })
          const entered = t.type === 'halt-entered'
          halted = entered
          // the heartbeat says so before the log line does: whoever reads the line finds the file already halted
          heartbeat.setStatus(entered ? 'halted' : startupDone ? 'trading' : 'starting')
          log.risk.warn({ reason: t.reason }, entered ? 'HALT' : 'HALT lifted')
          if (entered) metrics?.recordHalt({ scope: 'account', reason: t.reason })
          else metrics?.recordResume({ scope: 'account' })
          return
        }
        case 'daily':
          files.daily.write(event.rollup)
          log.engine.info({ rollup: event.rollup }, 'daily summary')
          metrics?.setEquity({ account: options.account, currency: options.currency, equity: event.rollup.equityEnd })
          return
        case 'risk':
          log.risk.debug(event.event, event.event.type)
          return
        case 'oms':
          onOms(event.event)
          return
        case 'feed':
          log.feed[event.event.type === 'gap' ? 'warn' : 'info'](event.event, `market data ${event.event.type}`)
          return
        case 'execution-refused':
          log.engine.warn({ action: event.action, reason: event.reason }, 'the order manager refused')
          return
      }
    },
    equity(equity) {
      metrics?.setEquity({ account: options.account, currency: options.currency, equity })
    },
    reconciled: () => startupDone,
  }
}
