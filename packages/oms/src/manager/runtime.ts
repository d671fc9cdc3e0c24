/**
 * The order manager's runtime: everything one manager instance holds (ports, config, the persistent state, the
 * in-memory bookkeeping next to it) plus the few primitives every other module uses — events, time, timers and
 * background tasks. Every module of `manager/` takes this object as its first argument; nothing else is shared.
 * @module
 */
import type { Clock, ExchangeClient, Instrument, Journal, Unsubscribe } from '@perpkit/core'
import { createRequestBudget, type RequestBudget } from '../budget.js'
import { type OmsConfig, resolveOmsConfig } from '../config.js'
import { type OmsEvent, summarizeError } from '../events.js'
import type { OrderManagerOptions, ReconcileReport } from '../order-manager.js'
import { emptyOmsState } from '../state.js'
import type { MakerTimeoutContext, MakerTimeoutDecision, ManagedOrder, OmsJournalEntry, OmsState, TradingMode } from '../types.js'
import { createVenueGateway, type VenueGateway } from '../venue-gateway.js'

/** One order manager's ports, configuration and mutable state. */
export interface Runtime {
  readonly venue: ExchangeClient
  readonly clock: Clock
  readonly journal: Journal<OmsState, OmsJournalEntry>
  readonly config: OmsConfig
  readonly instruments: ReadonlyMap<string, Instrument>
  readonly tradingState: (() => TradingMode) | undefined
  readonly onMakerTimeout: ((context: MakerTimeoutContext) => MakerTimeoutDecision | Promise<MakerTimeoutDecision>) | undefined
  readonly listeners: Set<(event: OmsEvent) => void>
  readonly budget: RequestBudget
  /** The only path to the venue (budget, retries, fatal stop). */
  readonly gw: VenueGateway

  /** The persistent state (journaled; replaced once by `start()`). */
  state: OmsState
  /** State handed to `restore()` before `start()`, used when the journal is empty. */
  restored: OmsState | undefined
  started: boolean
  stopped: boolean
  reconciled: boolean
  reconciling: Promise<ReconcileReport> | undefined
  degraded: boolean
  /** When DEGRADED began, on the monotonic clock (its length is elapsed time). */
  degradedSinceMs: number
  streamUp: boolean
  /**
   * Client ids whose last create may still execute on the venue (its validity window has not elapsed yet), with
   * the number of windows open. Measured by timers (elapsed time), never by wall-clock differences: a wall clock
   * stepped forward must not close a window early.
   */
  readonly requestWindows: Map<string, number>
  /**
   * Client ids whose create outcome became ambiguous in this process → when, on the monotonic clock: the grace before
   * "not found" counts as absence is elapsed time, never a wall-clock difference (a step back would stretch it and
   * keep the resolver querying, a step forward would cut it short).
   */
  readonly ambiguousSince: Map<string, number>
  /**
   * Client id → when the order was created, on the monotonic clock, so an order's age is elapsed time (a wall clock
   * stepped back must not make a stale entry look young enough to re-send). Orders recovered from the journal were
   * created in an earlier process: their wall-clock age is converted once, at recovery.
   */
  readonly createdElapsed: Map<string, number>
  /**
   * Incremented by every fill handled (stream or catch-up) and every venue report of more filled qty on an order:
   * orders position snapshots against what we know of fills.
   */
  fillEpoch: number
  /** Time of the last user-stream event of any kind (heartbeats included), on the monotonic clock. */
  lastStreamEventMs: number
  fatal: boolean
  unsubscribeStream: Unsubscribe | undefined

  // journal bookkeeping
  lastSeq: number
  recordsSinceSnapshot: number
  snapshotting: boolean
  /** Appends are chained so records reach the journal in the order they were produced. */
  journalChain: Promise<unknown>
  /** Applied trade ids moved out of `state.tradeIds` after a snapshot (still refused as duplicates). */
  readonly prunedTradeIds: Set<string>

  // timers and background tasks
  readonly timers: Set<() => void>
  readonly tasks: Set<Promise<unknown>>

  /** Non-terminal orders per symbol, in creation order, so the hot path never scans history. */
  readonly liveIndex: Map<string, Set<ManagedOrder>>
  /**
   * Trade keys of every order in the state, so a new entry's key is checked without scanning history. Only grows:
   * an order leaves the state only by pruning, which moves its key to `state.retired`.
   */
  readonly tradeKeys: Set<string>
  /** Last mark price per symbol (validates stops). */
  readonly marks: Map<string, number>

  // protection
  readonly protecting: Set<string>
  readonly protectDirty: Set<string>
  readonly uncoveredSince: Map<string, number>
  readonly pendingStopMove: Map<string, boolean>
  /** No new stop attempt before this time on the monotonic clock (set by rejections, so a rejecting venue never spins the loop). */
  readonly stopBackoffUntil: Map<string, number>
  readonly flattenFailures: Map<string, number>
  readonly verifyQueued: Set<string>

  // orders in flight
  readonly resolving: Set<string>
  readonly cancelling: Set<string>

  // fills
  readonly needFills: Set<string>
  fillCatchUpQueued: boolean
  /** Client ids of closes reported filled whose fills are being fetched before a remainder is judged. */
  readonly closeFillWaits: Set<string>

  // reconciliation
  readonly mismatchCount: Map<string, number>
  /** Symbol → when the last mismatch action ran, on the monotonic clock (the cooldown is elapsed time). */
  readonly lastMismatchAction: Map<string, number>
  orphanCount: number
}

/**
 * Build the runtime of a new manager (config resolved, budget and gateway created, state empty).
 * @param options - the manager's options
 * @returns the runtime
 * @throws InvalidInputError on a bad config
 */
export function createRuntime(options: OrderManagerOptions): Runtime {
  const { venue, clock, journal } = options
  const config = resolveOmsConfig(venue.requestLimits, options.config ?? {}, venue.capabilities)
  const budget = createRequestBudget({
    clock,
    config: config.budget,
    protectiveReserve: config.protectiveReserve,
    ...(options.budgetLedger === undefined ? {} : { ledger: options.budgetLedger }),
  })
  const rt: Runtime = {
    venue,
    clock,
    journal,
    config,
    instruments: new Map(options.instruments.map((i) => [i.symbol, i])),
    tradingState: options.tradingState,
    onMakerTimeout: options.onMakerTimeout,
    listeners: new Set(),
    budget,
    gw: createVenueGateway({
      venue,
      clock,
      budget,
      retry: config.retry,
      onRetry: (info) => emit(rt, { type: 'request-retry', timestampMs: now(rt), method: info.method, attempt: info.attempt, delayMs: info.delayMs, error: summarizeError(info.error) }),
      onFatal: (error) => enterFatal(rt, error),
    }),
    state: emptyOmsState(),
    restored: undefined,
    started: false,
    stopped: false,
    reconciled: false,
    reconciling: undefined,
    degraded: false,
    degradedSinceMs: 0,
    streamUp: true,
    lastStreamEventMs: 0,
    fillEpoch: 0,
    requestWindows: new Map(),
    ambiguousSince: new Map(),
    createdElapsed: new Map(),
    fatal: false,
    unsubscribeStream: undefined,
    lastSeq: 0,
    recordsSinceSnapshot: 0,
    snapshotting: false,
    journalChain: Promise.resolve(),
    prunedTradeIds: new Set(),
    timers: new Set(),
    tasks: new Set(),
    liveIndex: new Map(),
    tradeKeys: new Set(),
    marks: new Map(),
    protecting: new Set(),
    protectDirty: new Set(),
    uncoveredSince: new Map(),
    pendingStopMove: new Map(),
    stopBackoffUntil: new Map(),
    flattenFailures: new Map(),
    verifyQueued: new Set(),
    resolving: new Set(),
    cancelling: new Set(),
    needFills: new Set(),
    closeFillWaits: new Set(),
    fillCatchUpQueued: false,
    mismatchCount: new Map(),
    lastMismatchAction: new Map(),
    orphanCount: 0,
  }
  return rt
}

/** Deliver an event to every listener; a listener's failure never breaks order management. */
export function emit(rt: Runtime, event: OmsEvent): void {
  for (const l of rt.listeners) {
    try {
      l(event)
    } catch {
      // a listener's failure must not break order management
    }
  }
}

/** Current time from the clock port. */
export function now(rt: Runtime): number {
  return rt.clock.now()
}

/** Elapsed time: the clock's monotonic reading (never stepped), for durations; the wall reading where it has none. */
export function elapsedNow(rt: Runtime): number {
  return rt.clock.monotonicMs?.() ?? rt.clock.now()
}

/** Stop trading after a fatal venue or journal error (once). */
export function enterFatal(rt: Runtime, error: unknown): void {
  if (rt.fatal) return
  rt.fatal = true
  emit(rt, { type: 'fatal', timestampMs: now(rt), error: summarizeError(error) })
  emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'fatal', code: summarizeError(error).code })
}

/** Run `fn` after `delayMs` on the clock, unless the manager stopped meanwhile. */
export function later(rt: Runtime, delayMs: number, fn: () => void): void {
  if (rt.stopped) return
  let cancel: (() => void) | undefined = undefined
  const wrapped = (): void => {
    if (cancel !== undefined) rt.timers.delete(cancel)
    if (!rt.stopped) fn()
  }
  cancel = rt.clock.setTimer(delayMs, wrapped)
  rt.timers.add(cancel)
}

/** Run `fn` as a tracked background task; its failure becomes an `internal-error` event, never a rejection. */
export function spawn(rt: Runtime, where: string, fn: () => Promise<unknown>): void {
  if (rt.stopped) return
  const p: Promise<unknown> = (async () => {
    try {
      await fn()
    } catch (error) {
      if (!rt.stopped) emit(rt, { type: 'internal-error', timestampMs: now(rt), where, error: summarizeError(error) })
    }
  })()
  rt.tasks.add(p)
  void p.finally(() => rt.tasks.delete(p))
}

/** Account-wide trading mode from risk (`normal` when no source was given). */
export function tradingMode(rt: Runtime): TradingMode {
  return rt.tradingState?.() ?? 'normal'
}
