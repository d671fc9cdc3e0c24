/**
 * The order manager: idempotent entries, unknown-outcome resolution, protective stops, reconciliation and a
 * journal that lets a restart continue exactly. It sees the venue only through core's `ExchangeClient` port and
 * time only through a `Clock`.
 * @module
 */
import {
  type Clock,
  type ExchangeClient,
  fail,
  type Fill,
  InvalidInputError,
  type Instrument,
  isDefiniteRejection,
  isFatalError,
  isPerpkitError,
  type Journal,
  ok,
  type Order,
  type OrderRequest,
  PerpkitError,
  type Position,
  type Result,
  roundQty,
  roundToStep,
  type Unsubscribe,
  type UserStreamEvent,
} from '@perpkit/core'
import { createRequestBudget, type RequestPriority } from './budget.js'
import { deriveClientOrderId, type OrderRole, parseClientOrderId, tradeKeyOf } from './client-order-id.js'
import { type OmsConfig, resolveOmsConfig } from './config.js'
import { type OmsEvent, summarizeError } from './events.js'
import { isTerminalOrderState, nextOrderState, type OrderEvent, type OrderState } from './order-state.js'
import { nextPositionPhase, type PositionEvent } from './position-state.js'
import { applyJournalEntry, compactOmsState, emptyOmsState } from './state.js'
import { clonePlain } from './clone.js'
import type {
  EntryIntent,
  EntryRefusal,
  MakerTimeoutContext,
  MakerTimeoutDecision,
  ManagedOrder,
  OmsJournalEntry,
  OmsState,
  StopStatus,
  SymbolRecord,
  TradeRecord,
  TradingMode,
} from './types.js'
import { assertStopSide, instrumentOf, validateEntryIntent } from './validation.js'
import { createVenueGateway, type VenueGateway } from './venue-gateway.js'

/** Options of {@link createOrderManager}. */
export interface OrderManagerOptions {
  /** The venue port (a ccxt adapter live, the simulator in tests and backtests). */
  readonly venue: ExchangeClient
  /** Time source; all waits and timers go through it. */
  readonly clock: Clock
  /** Durable journal (file journal live, memory journal in tests/backtests). */
  readonly journal: Journal<OmsState, OmsJournalEntry>
  /** Tradable instruments. */
  readonly instruments: readonly Instrument[]
  /** Overrides of {@link defaultOmsConfig}. */
  readonly config?: Partial<OmsConfig>
  /** Account-wide trading mode from risk (default: always `normal`). */
  readonly tradingState?: () => TradingMode
  /** Risk's maker-fallback gate, asked after a post-only entry timed out with nothing filled (default: abandon). */
  readonly onMakerTimeout?: (context: MakerTimeoutContext) => MakerTimeoutDecision | Promise<MakerTimeoutDecision>
}

/** What a reconciliation found. */
export interface ReconcileReport {
  readonly ok: boolean
  readonly mismatches: number
  readonly orphans: number
  readonly fillsApplied: number
}

/** Outcome of an accepted entry call. */
export interface SubmitOutcome {
  readonly clientOrderId: string
  readonly state: OrderState
}

/**
 * Why {@link OrderManager.reduce} sent nothing (a value, never thrown):
 * - `no-position`: the symbol is flat;
 * - `below-min-qty`: the requested qty, floored to the lot step, is 0 or below the instrument's `minQty`;
 * - `exit-pending`: an exit or flatten of the symbol is in flight (or the symbol is exiting);
 * - `reduce-pending`: an earlier partial close of the symbol has not finished yet;
 * - `fatal`: the OMS stopped trading after a fatal venue error.
 */
export type ReduceRefusal = 'no-position' | 'below-min-qty' | 'exit-pending' | 'reduce-pending' | 'fatal'

/** Arguments of {@link OrderManager.reduce}: exactly one of `fraction` or `qty`. */
export interface ReduceArgs {
  readonly symbol: string
  /** Fraction of the CURRENT position to close, in (0, 1]; 1 closes it all (same as `exit`). */
  readonly fraction?: number
  /** Contracts to close, > 0; the whole position or more closes it all (same as `exit`). */
  readonly qty?: number
  /** Free text for events and the caller's records. */
  readonly reason?: string
}

/** A read-only status view. */
export interface OmsStatus {
  readonly started: boolean
  readonly reconciled: boolean
  readonly degraded: boolean
  readonly fatal: boolean
  readonly symbols: readonly { readonly symbol: string; readonly phase: SymbolRecord['phase']; readonly qty: number; readonly stopStatus: StopStatus }[]
}

/** The order manager (see {@link createOrderManager}). */
export interface OrderManager {
  /** Recover the journal, subscribe to the user stream and reconcile with the venue; entries are refused before. */
  start(): Promise<ReconcileReport>
  /** Unsubscribe and stop every timer (in-flight requests finish). */
  stop(): Promise<void>
  /** Journal and send an entry (idempotent per `{signalId, direction}`). */
  submitEntry(intent: EntryIntent): Promise<Result<SubmitOutcome, EntryRefusal>>
  /** Close the position of `symbol` with a reduce-only market order (cancels the entry remainder first). */
  exit(args: { readonly symbol: string; readonly reason?: string }): Promise<Result<SubmitOutcome, 'fatal' | 'exit-pending'>>
  /**
   * Close part of the position of `symbol` with a reduce-only market order of `fraction × |position|` or `qty`
   * contracts, floored to the lot step. Journaled before it is sent, like every order; an unknown outcome is
   * resolved by querying its client id (never a blind second create). It is exposure-reducing, so it is allowed
   * while the account is REDUCING and while the symbol is HALTED (exactly like `exit`). Working entries are left
   * alone. Once it fills, protection resizes the stop to the remaining position (plus any unfilled entry) and the
   * take-profit to the remaining position.
   *
   * A `fraction` ≥ 1, a `qty` ≥ the position, or a remainder that would fall below `minQty` closes the whole
   * position through {@link OrderManager.exit} instead.
   *
   * @param args - see {@link ReduceArgs}
   * @returns the order's client id and state, or a {@link ReduceRefusal} (nothing was sent)
   * @throws InvalidInputError (with `path`) when `fraction`/`qty` is not exactly one finite number in range
   * @throws PerpkitError `unknown-symbol` for a symbol not in `instruments`
   * @example
   * ```ts
   * const r = await oms.reduce({ symbol: 'BTC/USDT:USDT', fraction: 0.33, reason: 'tp1' })
   * if (!r.ok) console.log('nothing sent:', r.reason) // e.g. 'below-min-qty'
   * await oms.reduce({ symbol: 'BTC/USDT:USDT', qty: 0.002 })
   * ```
   */
  reduce(args: ReduceArgs): Promise<Result<SubmitOutcome, ReduceRefusal>>
  /** Move the protective stop (debounced: ≥ `stopMoveMinChange` of the stop distance, ≥ `stopUpdateMinIntervalMs` apart). */
  moveStop(args: { readonly symbol: string; readonly stopPrice: number }): Promise<Result<{ readonly scheduled: boolean }, 'debounced'>>
  /** Feed the mark price (used to validate stops). */
  onMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs?: number }): void
  /** Reconcile now. */
  reconcile(): Promise<ReconcileReport>
  /** Halt a symbol (no entries; protection continues). */
  halt(args: { readonly symbol: string; readonly reason: string }): void
  /** Lift a HALT of a flat symbol (manual recovery). */
  resume(args: { readonly symbol: string }): void
  /** Deep copy of the persistent state. */
  snapshot(): OmsState
  /** Replace the state before `start()` (used when the journal is empty). */
  restore(state: OmsState): void
  /** Listen to events; returns the unsubscribe function. */
  subscribe(listener: (event: OmsEvent) => void): Unsubscribe
  /** Status view. */
  status(): OmsStatus
  /** One managed order by client id. */
  order(clientOrderId: string): ManagedOrder | undefined
  /** Background tasks still running (0 when quiescent apart from timers). */
  inFlight(): number
}

const LIVE_STOP_STATES: readonly OrderState[] = ['open', 'triggered', 'partially-filled']
const AMBIGUOUS: readonly OrderState[] = ['intent', 'submitting', 'unknown']
/** Reads an order's state without TypeScript narrowing (state changes inside awaited calls). */
const st = (o: ManagedOrder): OrderState => o.state

/**
 * Create an order manager.
 *
 * @param options - see {@link OrderManagerOptions}
 * @returns the manager; call `start()` before trading
 * @throws InvalidInputError on a bad config
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createMemoryJournal, createOrderManager } from '@perpkit/oms'
 * const clock = createTestClock(1_700_000_000_000)
 * const oms = createOrderManager({ venue, clock, journal: createMemoryJournal(), instruments })
 * await oms.start()
 * const r = await oms.submitEntry({ signalId: 's1', symbol: 'BTC/USDT:USDT', direction: 'long', qty: 0.01, price: 65000, stopPrice: 64000 })
 * if (!r.ok) console.log('refused:', r.reason)
 * ```
 */
export function createOrderManager(options: OrderManagerOptions): OrderManager {
  const { venue, clock, journal } = options
  const config = resolveOmsConfig(venue.venue, options.config ?? {})
  const instruments = new Map(options.instruments.map((i) => [i.symbol, i]))
  const listeners = new Set<(event: OmsEvent) => void>()
  const budget = createRequestBudget({ clock, config: config.budget, protectiveReserve: config.protectiveReserve })
  let state: OmsState = emptyOmsState()
  let restored: OmsState | undefined
  let started = false
  let stopped = false
  let reconciled = false
  let reconciling: Promise<ReconcileReport> | undefined
  let degraded = false
  let degradedSinceMs = 0
  let streamUp = true
  let fatal = false
  let unsubscribeStream: Unsubscribe | undefined
  let lastSeq = 0
  let recordsSinceSnapshot = 0
  let snapshotting = false
  const timers = new Set<() => void>()
  const tasks = new Set<Promise<unknown>>()
  const marks = new Map<string, number>()
  const protecting = new Set<string>()
  const protectDirty = new Set<string>()
  const resolving = new Set<string>()
  const uncoveredSince = new Map<string, number>()
  const mismatchCount = new Map<string, number>()
  const lastMismatchAction = new Map<string, number>()
  const pendingStopMove = new Map<string, boolean>()
  let orphanCount = 0
  const cancelling = new Set<string>()
  const flattenFailures = new Map<string, number>()
  /** No new stop attempt before this time (set by rejections, so a rejecting venue never spins the loop). */
  const stopBackoffUntil = new Map<string, number>()

  const emit = (event: OmsEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch {
        // a listener's failure must not break order management
      }
    }
  }
  const now = (): number => clock.now()

  const gw: VenueGateway = createVenueGateway({
    venue,
    clock,
    budget,
    retry: config.retry,
    onRetry: (info) => emit({ type: 'request-retry', atMs: now(), method: info.method, attempt: info.attempt, delayMs: info.delayMs, error: summarizeError(info.error) }),
    onFatal: (error) => enterFatal(error),
  })

  function enterFatal(error: unknown): void {
    if (fatal) return
    fatal = true
    emit({ type: 'fatal', atMs: now(), error: summarizeError(error) })
    emit({ type: 'breaker-trip', atMs: now(), reason: `fatal: ${summarizeError(error).code}` })
  }

  // ---------------------------------------------------------------- timers and background tasks
  function later(delayMs: number, fn: () => void): void {
    if (stopped) return
    let cancel: (() => void) | undefined = undefined
    const wrapped = (): void => {
      if (cancel !== undefined) timers.delete(cancel)
      if (!stopped) fn()
    }
    cancel = clock.setTimer(delayMs, wrapped)
    timers.add(cancel)
  }
  function spawn(where: string, fn: () => Promise<unknown>): void {
    if (stopped) return
    const p: Promise<unknown> = (async () => {
      try {
        await fn()
      } catch (error) {
        if (!stopped) emit({ type: 'internal-error', atMs: now(), where, error: summarizeError(error) })
      }
    })()
    tasks.add(p)
    void p.finally(() => tasks.delete(p))
  }

  // ---------------------------------------------------------------- journal
  let journalChain: Promise<unknown> = Promise.resolve()
  function persist(entry: OmsJournalEntry): Promise<void> {
    const p = journalChain.then(async () => {
      const rec = await journal.append(entry, now())
      lastSeq = rec.seq
      recordsSinceSnapshot++
      if (recordsSinceSnapshot >= config.snapshotEveryRecords && !snapshotting) {
        snapshotting = true
        recordsSinceSnapshot = 0
        try {
          const cutoffMs = now() - config.retainTerminalMs
          const compacted = compactOmsState(state, cutoffMs)
          await journal.writeSnapshot(lastSeq, compacted)
          emit({ type: 'journal-snapshot', atMs: now(), seq: lastSeq, orders: Object.keys(compacted.orders).length })
          if (config.pruneCompactedOrders === true) pruneCompacted(compacted, cutoffMs)
        } finally {
          snapshotting = false
        }
      }
    })
    journalChain = p.catch(() => undefined)
    return p.catch((error: unknown) => {
      enterFatal(new PerpkitError('internal', 'journal append failed', { cause: error }))
      throw error
    })
  }
  /** Client ids of orders dropped from memory by {@link pruneCompacted} (kept for duplicate-intent refusal). */
  const prunedIds = new Set<string>()
  /** Applied trade ids moved out of `state.tradeIds` by {@link pruneCompacted} (still refused as duplicates). */
  const prunedTradeIds = new Set<string>()
  /**
   * `pruneCompactedOrders`: drop from memory the orders a written snapshot dropped. Conditions are re-checked now
   * (the state may have moved while the snapshot was written): only terminal orders last updated before the
   * cutoff, not of a symbol's current trade, not indexed (no unapplied venue fills), with no cancel or
   * resolution in progress.
   */
  function pruneCompacted(compacted: OmsState, cutoffMs: number): void {
    const liveTrades = new Set<string>()
    for (const s of Object.values(state.symbols)) if (s.trade !== undefined) liveTrades.add(s.trade.tradeKey)
    for (const [id, o] of Object.entries(state.orders)) {
      if (compacted.orders[id] !== undefined) continue
      if (!isTerminalOrderState(o.state) || o.updatedAtMs >= cutoffMs || liveTrades.has(o.tradeKey)) continue
      if (liveIndex.get(o.symbol)?.has(o) === true || cancelling.has(id) || resolving.has(id)) continue
      prunedIds.add(id)
      delete state.orders[id]
    }
    for (const [key, ts] of Object.entries(state.tradeIds)) {
      if (compacted.tradeIds[key] !== undefined || ts >= cutoffMs) continue
      prunedTradeIds.add(key)
      delete state.tradeIds[key]
    }
  }
  function persistLater(entry: OmsJournalEntry): void {
    persist(entry).catch(() => undefined)
  }
  const orderEntry = (...orders: ManagedOrder[]): OmsJournalEntry => ({ orders: orders.map((o) => ({ ...o, request: { ...o.request } })) })
  const symEntry = (s: SymbolRecord): SymbolRecord => clonePlain(s)

  // ---------------------------------------------------------------- symbols and transitions
  function sym(symbol: string): SymbolRecord {
    let s = state.symbols[symbol]
    if (s === undefined) {
      s = { symbol, phase: 'FLAT', qty: 0, avgEntryPrice: 0, stopStatus: 'NONE', stopFailures: 0, lastStopUpdateMs: 0, lastFillMs: 0 }
      state.symbols[symbol] = s
    }
    return s
  }
  function movePhase(s: SymbolRecord, event: PositionEvent): boolean {
    const to = nextPositionPhase(s.phase, event)
    if (to === undefined) return false
    const from = s.phase
    if (to === from && event !== 'halt') return true
    s.phase = to
    emit({ type: 'position-phase', atMs: now(), symbol: s.symbol, from, event, to })
    if (to === 'COOLDOWN') {
      later(config.cooldownMs, () => {
        if (s.phase === 'COOLDOWN' && s.qty === 0) {
          movePhase(s, 'cooldown-elapsed')
          clearTradeIfDone(s)
          persistLater({ symbols: [symEntry(s)] })
        }
      })
    }
    return true
  }
  function moveOrder(o: ManagedOrder, event: OrderEvent): boolean {
    const to = nextOrderState(o.state, event)
    if (to === undefined) return false
    const from = o.state
    o.state = to
    o.updatedAtMs = now()
    if (isTerminalOrderState(to) !== isTerminalOrderState(from)) indexOrder(o)
    emit({ type: 'order-state', atMs: now(), clientOrderId: o.clientOrderId, symbol: o.symbol, role: o.role, from, event, to })
    if (to !== 'unknown' && to !== 'intent') {
      delete o.unknownSinceMs
      delete o.maybeSent
      o.absentChecks = 0
    }
    return true
  }
  function setStopStatus(s: SymbolRecord, status: StopStatus): void {
    if (s.stopStatus !== status) {
      s.stopStatus = status
      emit({ type: 'stop-status', atMs: now(), symbol: s.symbol, status, failures: s.stopFailures })
    }
    if (status === 'ACTIVE' || status === 'NONE' || s.qty === 0) {
      uncoveredSince.delete(s.symbol)
      return
    }
    if (!uncoveredSince.has(s.symbol)) {
      const since = now()
      uncoveredSince.set(s.symbol, since)
      later(config.flattenAfterUncoveredMs, () => {
        if (uncoveredSince.get(s.symbol) === since && s.qty !== 0 && s.stopStatus !== 'ACTIVE') {
          spawn('flatten-watchdog', () => flatten(s, 'stop not active in time'))
        }
      })
    }
  }
  function haltSymbol(s: SymbolRecord, reason: string): void {
    if (s.phase === 'HALT') return
    movePhase(s, 'halt')
    s.haltReason = reason
    emit({ type: 'halted', atMs: now(), symbol: s.symbol, reason })
    persistLater({ symbols: [symEntry(s)] })
  }
  // index of non-terminal orders per symbol (kept in creation order), so the hot path never scans history
  const liveIndex = new Map<string, Set<ManagedOrder>>()
  function indexOrder(o: ManagedOrder): void {
    let set = liveIndex.get(o.symbol)
    if (set === undefined) {
      set = new Set()
      liveIndex.set(o.symbol, set)
    }
    // terminal orders stay indexed while the venue reports fills we have not applied yet (still exposure)
    if (isTerminalOrderState(o.state) && !((o.venueFilledQty ?? 0) > o.filledQty + 1e-12)) set.delete(o)
    else set.add(o)
  }
  function rebuildIndex(): void {
    liveIndex.clear()
    for (const o of Object.values(state.orders)) indexOrder(o)
  }
  function liveOrders(symbol: string, role?: OrderRole): ManagedOrder[] {
    const out: ManagedOrder[] = []
    for (const o of liveIndex.get(symbol) ?? []) if ((role === undefined || o.role === role) && !isTerminalOrderState(o.state)) out.push(o)
    return out
  }
  function clearTradeIfDone(s: SymbolRecord): void {
    if (s.qty === 0 && s.trade !== undefined && liveOrders(s.symbol).length === 0 && (s.phase === 'FLAT' || s.phase === 'HALT')) delete s.trade
  }
  function tradingMode(): TradingMode {
    return options.tradingState?.() ?? 'normal'
  }
  /** Whether an order may be sent now: HALTED → only protective / reduce-only; REDUCING → only reduce-only. */
  function sendAllowed(o: ManagedOrder): boolean {
    if (fatal || stopped) return false
    if (o.request.reduceOnly === true) return true
    if (o.role === 'entry' && (degraded || !reconciled)) return false // DEGRADED / unreconciled: no entries
    const mode = tradingMode()
    if (mode !== 'normal') return false
    return sym(o.symbol).phase !== 'HALT'
  }

  // ---------------------------------------------------------------- orders: creation and sending
  function newOrder(args: { symbol: string; role: OrderRole; tradeKey: string; request: OrderRequest }): ManagedOrder {
    const o: ManagedOrder = {
      clientOrderId: args.request.clientOrderId,
      symbol: args.symbol,
      role: args.role,
      tradeKey: args.tradeKey,
      request: args.request,
      state: 'intent',
      filledQty: 0,
      avgFillPrice: 0,
      createdAtMs: now(),
      updatedAtMs: now(),
      sends: 0,
      absentChecks: 0,
    }
    state.orders[o.clientOrderId] = o
    indexOrder(o)
    return o
  }
  const priorityOf = (o: ManagedOrder): RequestPriority => (o.role === 'entry' ? 'normal' : 'protective')

  /** Send a create for an order in `intent` (already journaled). Never retried at the HTTP level. */
  async function send(o: ManagedOrder): Promise<void> {
    if (o.state !== 'intent') return
    if (!sendAllowed(o)) {
      moveOrder(o, 'abandon')
      o.reason = fatal ? 'fatal' : 'not-allowed'
      persistLater(orderEntry(o))
      onOrderTerminal(o)
      return
    }
    moveOrder(o, 'submit')
    o.sends++
    persistLater(orderEntry(o))
    emit({ type: 'order-sent', atMs: now(), clientOrderId: o.clientOrderId, role: o.role, request: o.request, attempt: o.sends })
    let venueOrder: Order
    try {
      venueOrder = await gw.create(o.request, priorityOf(o), () => sendAllowed(o))
    } catch (error) {
      if (isPerpkitError(error, 'invalid-state') && error.details?.notSent === true) {
        moveOrder(o, 'reject') // provably never sent
        o.reason = 'not-allowed'
        persistLater(orderEntry(o))
        onOrderTerminal(o)
        return
      }
      onCreateError(o, error)
      return
    }
    syncOrder(o, venueOrder)
  }

  function onCreateError(o: ManagedOrder, error: unknown): void {
    if (isPerpkitError(error) && error.code === 'duplicate-client-order-id') {
      // the venue already holds this client id: resolve by query, never by a second create
      toUnknown(o, error)
      return
    }
    if (isDefiniteRejection(error)) {
      if (o.state === 'submitting' || o.state === 'unknown') {
        moveOrder(o, 'reject')
        o.reason = summarizeError(error).code
        emit({ type: 'order-rejected', atMs: now(), clientOrderId: o.clientOrderId, error: summarizeError(error) })
        persistLater(orderEntry(o))
        onOrderTerminal(o, error)
      }
      return
    }
    if (isFatalError(error)) enterFatal(error)
    toUnknown(o, error)
  }

  function toUnknown(o: ManagedOrder, error: unknown): void {
    if (o.state === 'submitting') moveOrder(o, 'outcome-unknown')
    if (o.state !== 'unknown') return
    o.unknownSinceMs = now()
    o.absentChecks = 0
    emit({ type: 'order-unknown', atMs: now(), clientOrderId: o.clientOrderId, error: summarizeError(error) })
    persistLater(orderEntry(o))
    if (o.role === 'stop') setStopStatus(sym(o.symbol), 'PENDING')
    const retryAfter = isPerpkitError(error) && error.retryAfterMs !== undefined ? error.retryAfterMs : 0
    scheduleResolve(o, Math.max(config.unknownQueryIntervalMs, retryAfter))
  }

  function scheduleResolve(o: ManagedOrder, delayMs: number): void {
    later(delayMs, () => spawn('resolve-unknown', () => resolve(o)))
  }

  /** Resolve an ambiguous order by querying its client id; re-send only after repeated absence over the grace period. */
  async function resolve(o: ManagedOrder): Promise<void> {
    if (resolving.has(o.clientOrderId)) return
    const ambiguous = o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)
    if (!ambiguous || fatal) return
    resolving.add(o.clientOrderId)
    try {
      let found: Order | null
      try {
        found = await gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priorityOf(o))
      } catch {
        scheduleResolve(o, config.unknownQueryIntervalMs)
        return
      }
      if (!(o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true))) return
      if (found !== null) {
        if (o.state === 'intent') moveOrder(o, 'submit')
        syncOrder(o, found)
        if (st(o) === 'submitting') moveOrder(o, 'accept')
        persistLater(orderEntry(o))
        afterOrderChange(o)
        return
      }
      o.absentChecks++
      const since = o.unknownSinceMs ?? now()
      if (o.absentChecks < config.absentChecksRequired || now() - since < config.unknownGraceMs) {
        persistLater(orderEntry(o))
        scheduleResolve(o, config.unknownQueryIntervalMs)
        return
      }
      // proven absent: the venue never took it
      if (o.state === 'unknown') moveOrder(o, 'absent')
      delete o.maybeSent
      delete o.unknownSinceMs
      o.absentChecks = 0
      const resend = shouldResend(o)
      emit({ type: 'order-absent', atMs: now(), clientOrderId: o.clientOrderId, checks: config.absentChecksRequired, resend })
      if (resend && o.role === 'entry' && config.protectWorkingEntries) {
        o.awaitingProtection = true // re-sent only once the stop covering it is on the book
        await persist(orderEntry(o))
        requestProtect(o.symbol)
      } else if (resend) {
        await persist(orderEntry(o))
        await send(o)
      } else {
        moveOrder(o, 'abandon')
        o.reason = 'absent'
        persistLater(orderEntry(o))
        onOrderTerminal(o)
      }
    } finally {
      resolving.delete(o.clientOrderId)
    }
  }

  function shouldResend(o: ManagedOrder): boolean {
    if (!sendAllowed(o)) return false
    const s = sym(o.symbol)
    switch (o.role) {
      case 'entry':
        return now() - o.createdAtMs <= config.entryIntentTtlMs && s.trade?.tradeKey === o.tradeKey && (s.phase === 'ENTRY_PENDING' || s.phase === 'IN_POSITION')
      case 'exit':
      case 'flatten':
        return s.qty !== 0 && Math.abs(s.qty) >= o.request.qty - 1e-12
      case 'reduce':
        // proven absent: re-send with the same id unless a full close took over or the position shrank meanwhile
        return s.qty !== 0 && Math.abs(s.qty) > o.request.qty + 1e-12 && s.phase !== 'EXIT_PENDING' && liveOrders(o.symbol, 'exit').length + liveOrders(o.symbol, 'flatten').length === 0
      case 'stop':
      case 'take-profit':
        // a fresh generation is placed by protection instead (its qty / trigger may have changed)
        return false
    }
  }

  // ---------------------------------------------------------------- venue → local
  /** Move a local order toward the venue's view; only legal, forward transitions are applied. */
  function syncOrder(o: ManagedOrder, v: Order): void {
    if (v.venueOrderId.length > 0) o.venueOrderId = v.venueOrderId
    const before = o.state
    const step = (event: OrderEvent): void => {
      if (nextOrderState(o.state, event) !== undefined) moveOrder(o, event)
    }
    switch (v.status) {
      case 'open':
      case 'untriggered':
        if (o.state === 'submitting' || o.state === 'unknown') step('accept')
        break
      case 'triggered':
        if (o.state === 'submitting' || o.state === 'unknown') step('accept')
        if (o.state === 'open') step('trigger')
        break
      case 'partially-filled':
        if (o.state === 'submitting' || o.state === 'unknown' || o.state === 'open' || o.state === 'triggered') step('partial-fill')
        break
      case 'filled':
        if (o.state !== 'filled') step('fill')
        break
      case 'canceled':
        if (!isTerminalOrderState(o.state)) step('cancel-confirmed')
        break
      case 'expired':
        if (!isTerminalOrderState(o.state)) step('expire')
        break
      case 'rejected':
        if (o.state === 'submitting' || o.state === 'unknown') step('reject')
        else if (!isTerminalOrderState(o.state)) step('expire')
        break
    }
    if (o.state === before && o.state !== venueStateOf(v.status)) {
      emit({ type: 'stale-update', atMs: now(), clientOrderId: o.clientOrderId, state: o.state, venueStatus: v.status })
    }
    if (v.filledQty > (o.venueFilledQty ?? 0)) {
      o.venueFilledQty = v.filledQty
      indexOrder(o)
    }
    if (v.filledQty > o.filledQty + 1e-12) needFills.add(o.symbol)
    if (o.state !== before) {
      persistLater(orderEntry(o))
      afterOrderChange(o)
    }
  }
  function venueStateOf(status: Order['status']): OrderState {
    return status === 'untriggered' ? 'open' : status
  }

  const needFills = new Set<string>()

  function afterOrderChange(o: ManagedOrder): void {
    if (isTerminalOrderState(o.state)) onOrderTerminal(o)
    else requestProtect(o.symbol)
    if (needFills.size > 0) scheduleFillCatchUp()
  }

  let fillCatchUpQueued = false
  function scheduleFillCatchUp(): void {
    if (fillCatchUpQueued) return
    fillCatchUpQueued = true
    later(0, () =>
      spawn('fill-catch-up', async () => {
        fillCatchUpQueued = false
        const symbols = [...needFills]
        needFills.clear()
        for (const symbol of symbols) {
          try {
            await catchUpFills(symbol, 'protective')
          } catch (error) {
            needFills.add(symbol) // try again shortly; until then the stop keeps covering the reported fills
            emit({ type: 'internal-error', atMs: now(), where: 'fill-catch-up', error: summarizeError(error) })
            later(config.degradedReconcileIntervalMs, () => scheduleFillCatchUp())
          }
        }
      }),
    )
  }

  async function catchUpFills(symbol: string, priority: RequestPriority): Promise<number> {
    const s = sym(symbol)
    let oldest = s.lastFillMs
    for (const o of liveOrders(symbol)) oldest = Math.min(oldest === 0 ? o.createdAtMs : oldest, o.createdAtMs)
    const sinceMs = Math.max(0, oldest - config.fillLookbackMs)
    const fills = await gw.fetchFills({ symbol, sinceMs }, priority)
    let applied = 0
    for (const f of fills) if (applyFill(f)) applied++
    return applied
  }

  /** Apply one execution, once per trade id, never beyond the order's qty. */
  function applyFill(f: Fill): boolean {
    const key = `${f.symbol}|${f.tradeId}`
    if (state.tradeIds[key] !== undefined || prunedTradeIds.has(key)) {
      emit({ type: 'fill-ignored', atMs: now(), tradeId: f.tradeId, reason: 'duplicate' })
      return false
    }
    const ins = instruments.get(f.symbol)
    const o = state.orders[f.clientOrderId]
    const s = sym(f.symbol)
    const step = ins?.lotStep ?? 1e-12
    if (o !== undefined) {
      if (o.filledQty + f.qty > o.request.qty + step * 1e-6) {
        emit({ type: 'fill-ignored', atMs: now(), tradeId: f.tradeId, reason: 'overfill' })
        return false
      }
      const filled = roundToStep({ value: o.filledQty + f.qty, step })
      o.avgFillPrice = (o.avgFillPrice * o.filledQty + f.price * f.qty) / filled
      o.filledQty = filled
      indexOrder(o)
      o.updatedAtMs = now()
      if (o.state === 'intent') moveOrder(o, 'submit')
      const complete = filled >= o.request.qty - step * 1e-6
      const ev: OrderEvent = complete ? 'fill' : 'partial-fill'
      if (nextOrderState(o.state, ev) !== undefined && !(o.state === 'partially-filled' && ev === 'partial-fill')) moveOrder(o, ev)
    } else {
      // an execution of an order we never sent (manual trade, liquidation, ADL): the position is real but not ours
      orphanCount++
      emit({ type: 'fill-ignored', atMs: now(), tradeId: f.tradeId, reason: 'foreign' })
      emit({ type: 'orphan', atMs: now(), symbol: f.symbol, kind: 'position', clientOrderId: f.clientOrderId, qty: f.qty })
      emit({ type: 'breaker-trip', atMs: now(), reason: 'orphan position', symbol: f.symbol })
      haltSymbol(s, 'fill of an order the OMS does not know')
    }
    state.tradeIds[key] = f.timestampMs
    const prev = s.qty
    const signed = f.side === 'buy' ? f.qty : -f.qty
    const next = roundToStep({ value: prev + signed, step })
    if (prev === 0 || Math.sign(next) !== Math.sign(prev)) s.avgEntryPrice = next === 0 ? 0 : f.price
    else if (Math.abs(next) > Math.abs(prev)) s.avgEntryPrice = (s.avgEntryPrice * Math.abs(prev) + f.price * f.qty) / Math.abs(next)
    s.qty = next === 0 ? 0 : next
    if (s.qty === 0) s.avgEntryPrice = 0
    s.lastFillMs = Math.max(s.lastFillMs, f.timestampMs)
    if (s.trade !== undefined && o?.role === 'entry') s.trade.entryWorking = !isTerminalOrderState(o.state)
    emit({ type: 'fill-applied', atMs: now(), fill: f, positionQty: s.qty })
    if (prev === 0 && s.qty !== 0) movePhase(s, 'position-opened')
    else if (prev !== 0 && s.qty === 0) {
      movePhase(s, 'position-closed')
      flattenFailures.delete(s.symbol)
      // the trade is over (stop, take-profit or exit): a still-working entry must not reopen it unprotected
      for (const e of liveOrders(s.symbol, 'entry')) if (o?.role !== 'entry') spawn('cancel-entry-after-close', () => cancelOrder(e, 'protective'))
    }
    persistLater({ ...(o === undefined ? {} : orderEntry(o)), symbols: [symEntry(s)], tradeIds: [[key, f.timestampMs]] })
    if (o !== undefined && isTerminalOrderState(o.state)) onOrderTerminal(o)
    requestProtect(f.symbol)
    if (o?.role === 'entry') scheduleStopVerify(f.symbol)
    return true
  }

  /**
   * After an entry fill, confirm with the venue that the stop we believe is on the book really is (a dropped
   * stream event may hide that it fired or was canceled); one query, protective priority.
   */
  const verifyQueued = new Set<string>()
  function scheduleStopVerify(symbol: string): void {
    if (verifyQueued.has(symbol)) return
    verifyQueued.add(symbol)
    later(config.unknownQueryIntervalMs, () =>
      spawn('verify-stop', async () => {
        verifyQueued.delete(symbol)
        for (const stop of liveOrders(symbol, 'stop')) {
          if (stop.state !== 'open') continue
          const v = await gw.fetchOrder({ symbol, clientOrderId: stop.clientOrderId }, 'protective')
          if (v === null) {
            if (nextOrderState(stop.state, 'cancel-confirmed') !== undefined) {
              stop.reason = 'not on venue'
              moveOrder(stop, 'cancel-confirmed')
              persistLater(orderEntry(stop))
              onOrderTerminal(stop)
            }
          } else syncOrder(stop, v)
        }
        requestProtect(symbol)
      }),
    )
  }

  function onStreamEvent(ev: UserStreamEvent): void {
    if (stopped) return
    switch (ev.type) {
      case 'order': {
        const o = state.orders[ev.order.clientOrderId]
        // an unknown open order seen on the stream is judged by reconciliation (3 consecutive checks)
        if (o !== undefined) syncOrder(o, ev.order)
        break
      }
      case 'fill':
        applyFill(ev.fill)
        break
      case 'connection':
        if (ev.state === 'open') {
          streamUp = true
          if (degraded || !reconciled) {
            reconciled = false
            spawn('reconcile-after-reconnect', () => reconcile('reconnect'))
          }
        } else if (!degraded) {
          streamUp = false
          degraded = true
          degradedSinceMs = now()
          reconciled = false
          emit({ type: 'degraded', atMs: now(), on: true, reason: `stream ${ev.state}` })
          degradedTick(degradedSinceMs)
        }
        break
      case 'liquidation':
        emit({ type: 'breaker-trip', atMs: now(), reason: 'liquidation', symbol: ev.symbol })
        haltSymbol(sym(ev.symbol), 'liquidation')
        needFills.add(ev.symbol)
        scheduleFillCatchUp()
        break
      default:
        break
    }
  }

  function degradedTick(since: number): void {
    later(config.degradedReconcileIntervalMs, () => {
      if (!degraded || degradedSinceMs !== since) return
      if (now() - since >= config.degradedHaltAfterMs) {
        for (const s of Object.values(state.symbols)) haltSymbol(s, 'degraded too long')
        for (const symbol of instruments.keys()) haltSymbol(sym(symbol), 'degraded too long')
      }
      const inPosition = Object.values(state.symbols).some((s) => s.qty !== 0 || liveOrders(s.symbol).length > 0)
      if (inPosition) spawn('degraded-reconcile', () => reconcile('degraded'))
      degradedTick(since)
    })
  }

  function noteOrphanOrder(v: Order, authoritative: boolean): void {
    const key = `order|${v.clientOrderId}`
    const count = (mismatchCount.get(key) ?? 0) + 1
    mismatchCount.set(key, count)
    const cooled = now() - (lastMismatchAction.get(key) ?? Number.NEGATIVE_INFINITY) >= config.mismatchCooldownMs
    if (!authoritative && (count < config.mismatchChecksRequired || !cooled)) return
    lastMismatchAction.set(key, now())
    mismatchCount.delete(key)
    orphanCount++
    emit({ type: 'orphan', atMs: now(), symbol: v.symbol, kind: 'order', clientOrderId: v.clientOrderId, qty: v.qty })
    emit({ type: 'breaker-trip', atMs: now(), reason: 'orphan order', symbol: v.symbol })
    haltSymbol(sym(v.symbol), `orphan order ${parseClientOrderId(v.clientOrderId) === null ? '(foreign)' : '(perpkit id not in journal)'}`)
  }

  // ---------------------------------------------------------------- terminal orders
  function onOrderTerminal(o: ManagedOrder, error?: unknown): void {
    const s = sym(o.symbol)
    switch (o.role) {
      case 'entry': {
        requestProtect(o.symbol) // the working-entry part of the stop shrinks
        if (s.trade?.tradeKey !== o.tradeKey) break
        s.trade.entryWorking = false
        const anyFill = o.filledQty > 0 || (o.venueFilledQty ?? 0) > 0 || o.state === 'filled'
        if (s.qty === 0 && !anyFill && liveOrders(o.symbol, 'entry').length === 0) {
          const makerMiss = o.reason === 'maker-timeout' || (isPerpkitError(error) && error.code === 'post-only-rejected') || (o.state === 'expired' && o.request.timeInForce === 'post-only')
          if (makerMiss && s.phase === 'ENTRY_PENDING') spawn('maker-timeout', () => onMakerMiss(s, o))
          else endEntryFlat(s)
        }
        break
      }
      case 'stop':
        if (o.state === 'rejected' || (o.state === 'expired' && o.reason === 'absent')) {
          stopBackoffUntil.set(o.symbol, now() + config.stopRetryDelayMs)
          if (isPerpkitError(error) && error.code === 'would-immediately-trigger') {
            spawn('stop-would-trigger', () => stopWouldTrigger(s))
          } else if (s.qty === 0 && isPerpkitError(error) && error.code === 'reduce-only-rejected' && s.trade !== undefined) {
            s.trade.preProtectRejected = true // the venue refuses reduce-only stops without a position: protect on fill
          } else if (o.reason !== 'not-allowed') stopFailed(s)
        }
        requestProtect(o.symbol)
        break
      case 'take-profit':
        if (o.state === 'rejected' || (o.state === 'expired' && o.reason === 'absent')) {
          stopBackoffUntil.set(`tp|${o.symbol}`, now() + config.stopRetryDelayMs * 4)
          later(config.stopRetryDelayMs * 4, () => requestProtect(o.symbol))
          // the take-profit level is already crossed: take the profit now, as the order would have
          if (isPerpkitError(error, 'would-immediately-trigger') && s.qty !== 0) spawn('tp-crossed', () => flatten(s, 'take-profit level already crossed'))
        } else requestProtect(o.symbol)
        break
      case 'exit':
      case 'flatten':
        if (s.qty !== 0 && s.phase === 'EXIT_PENDING' && liveOrders(o.symbol, 'exit').length + liveOrders(o.symbol, 'flatten').length === 0) {
          if (o.state === 'filled' || o.state === 'canceled' || o.state === 'expired' || o.reason === 'absent') {
            spawn('re-exit', () => flatten(s, 'exit left a remainder'))
          } else if (isPerpkitError(error, 'reduce-only-rejected')) {
            // the venue has nothing to reduce: our position view is stale; catch up instead of retrying
            needFills.add(o.symbol)
            scheduleFillCatchUp()
            spawn('reconcile-after-reduce-only-reject', () => reconcile('manual'))
          } else if (o.role === 'flatten') {
            const n = (flattenFailures.get(o.symbol) ?? 0) + 1
            flattenFailures.set(o.symbol, n)
            if (n >= 5) {
              emit({ type: 'breaker-trip', atMs: now(), reason: 'flatten keeps failing', symbol: o.symbol })
              haltSymbol(s, 'flatten keeps failing')
              spawn('reconcile-after-flatten-failures', () => reconcile('manual'))
            } else later(config.stopRetryDelayMs * n, () => spawn('flatten-retry', () => flatten(s, 'flatten rejected, retrying')))
          } else movePhase(s, 'exit-aborted')
        }
        requestProtect(o.symbol)
        break
      case 'reduce':
        // not retried (the caller decides); a reduce-only rejection means our position view is stale
        if (isPerpkitError(error, 'reduce-only-rejected')) {
          needFills.add(o.symbol)
          scheduleFillCatchUp()
        }
        requestProtect(o.symbol) // the stop and take-profit follow the remaining position
        break
    }
    clearTradeIfDone(s)
  }

  function endEntryFlat(s: SymbolRecord): void {
    if (s.phase === 'ENTRY_PENDING' || s.phase === 'EXIT_PENDING') movePhase(s, 'entry-ended-flat')
    clearTradeIfDone(s)
    persistLater({ symbols: [symEntry(s)] })
  }

  async function onMakerMiss(s: SymbolRecord, o: ManagedOrder): Promise<void> {
    const trade = s.trade
    if (trade === undefined) return endEntryFlat(s)
    trade.makerTimeouts++
    const context: MakerTimeoutContext = {
      signalId: trade.signalId,
      symbol: s.symbol,
      direction: trade.direction,
      qty: o.request.qty,
      consecutiveTimeouts: trade.makerTimeouts,
      atMs: now(),
    }
    let decision: MakerTimeoutDecision = { action: 'abandon' }
    try {
      if (options.onMakerTimeout !== undefined) decision = await options.onMakerTimeout(context)
    } catch (error) {
      emit({ type: 'internal-error', atMs: now(), where: 'onMakerTimeout', error: summarizeError(error) })
    }
    emit({ type: 'maker-timeout', atMs: now(), symbol: s.symbol, signalId: trade.signalId, decision })
    if (decision.action === 'abandon' || s.phase !== 'ENTRY_PENDING' || s.qty !== 0 || tradingMode() !== 'normal' || fatal) return endEntryFlat(s)
    const ins = instrumentOf(instruments, s.symbol)
    trade.entryGen++
    const clientOrderId = deriveClientOrderId({ signalId: trade.signalId, direction: trade.direction, role: 'entry', generation: trade.entryGen })
    const side = trade.direction === 'long' ? 'buy' : 'sell'
    let request: OrderRequest
    if (decision.action === 'retry-maker') {
      if (!(decision.price > 0) || !Number.isFinite(decision.price)) return endEntryFlat(s)
      const price = roundToStep({ value: decision.price, step: ins.tickSize })
      request = { symbol: s.symbol, clientOrderId, side, type: 'limit', qty: o.request.qty, price, timeInForce: 'post-only' }
    } else {
      request = { symbol: s.symbol, clientOrderId, side, type: 'market', qty: o.request.qty }
    }
    const next = newOrder({ symbol: s.symbol, role: 'entry', tradeKey: trade.tradeKey, request })
    await submitHeldEntry(s, next)
  }

  function armMakerTimeout(o: ManagedOrder): void {
    if (o.request.timeInForce !== 'post-only') return
    later(config.makerTimeoutMs, () => {
      if (o.filledQty > 0 || isTerminalOrderState(o.state)) {
        if (!isTerminalOrderState(o.state) && o.filledQty > 0) spawn('cancel-entry-remainder', () => cancelOrder(o, 'normal'))
        return
      }
      o.reason = 'maker-timeout'
      spawn('maker-timeout-cancel', () => cancelOrder(o, 'normal'))
    })
  }

  // ---------------------------------------------------------------- cancel
  async function cancelOrder(o: ManagedOrder, priority: RequestPriority): Promise<void> {
    if (isTerminalOrderState(o.state) || o.state === 'cancel-pending') return
    if (o.state === 'intent' && o.maybeSent !== true) {
      delete o.awaitingProtection
      moveOrder(o, 'abandon')
      persistLater(orderEntry(o))
      onOrderTerminal(o)
      return
    }
    if (o.state === 'submitting' || o.state === 'intent') return // resolved first; protection re-runs after
    if (!moveOrder(o, 'request-cancel')) return
    persistLater(orderEntry(o))
    cancelling.add(o.clientOrderId)
    try {
      const v = await gw.cancel({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priority)
      syncOrder(o, v)
      if (st(o) === 'cancel-pending') {
        moveOrder(o, 'cancel-confirmed')
        persistLater(orderEntry(o))
        onOrderTerminal(o)
      }
    } catch (error) {
      if (st(o) !== 'cancel-pending') return
      moveOrder(o, 'cancel-failed')
      persistLater(orderEntry(o))
      // not found / unknown: ask the venue what happened to it
      try {
        const v = await gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priority)
        if (v !== null) syncOrder(o, v)
        else if (isPerpkitError(error, 'order-not-found')) {
          moveOrder(o, 'cancel-confirmed')
          persistLater(orderEntry(o))
          onOrderTerminal(o)
        }
      } catch {
        // the next protection pass or reconciliation retries
      }
      if (!isTerminalOrderState(o.state)) later(config.stopRetryDelayMs, () => requestProtect(o.symbol))
    } finally {
      cancelling.delete(o.clientOrderId)
    }
  }

  // ---------------------------------------------------------------- protection
  function requestProtect(symbol: string): void {
    if (stopped) return
    if (protecting.has(symbol)) {
      protectDirty.add(symbol)
      return
    }
    spawn('protect', () => protect(symbol))
  }
  async function protect(symbol: string): Promise<void> {
    if (protecting.has(symbol)) {
      protectDirty.add(symbol)
      return
    }
    protecting.add(symbol)
    try {
      do {
        protectDirty.delete(symbol)
        await protectOnce(sym(symbol))
        await releaseEntries(sym(symbol))
      } while (protectDirty.has(symbol) && !stopped)
    } finally {
      protecting.delete(symbol)
    }
  }

  /** Journal an entry that will be sent once its protective stop is on the book, and run protection. */
  async function submitHeldEntry(s: SymbolRecord, o: ManagedOrder): Promise<void> {
    if (config.protectWorkingEntries && s.trade?.preProtectRejected !== true) o.awaitingProtection = true
    await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
    if (o.awaitingProtection === true) await protect(s.symbol)
    else {
      await send(o)
      armMakerTimeout(o)
    }
  }

  /** Send held entries whose stop is on the book (or abandon them when sending is no longer allowed). */
  async function releaseEntries(s: SymbolRecord): Promise<void> {
    const held = liveOrders(s.symbol, 'entry').filter((o) => o.state === 'intent' && o.awaitingProtection === true && o.maybeSent !== true)
    if (held.length === 0) return
    const ready = !config.protectWorkingEntries || s.trade?.preProtectRejected === true || s.stopStatus === 'ACTIVE'
    for (const o of held) {
      if (!sendAllowed(o) || s.trade?.tradeKey !== o.tradeKey) {
        await cancelOrder(o, 'normal')
        continue
      }
      if (!ready) continue
      delete o.awaitingProtection
      await send(o)
      armMakerTimeout(o)
    }
  }

  function stopFailed(s: SymbolRecord): void {
    if (s.qty === 0 && workingEntryQty(s) === 0) return
    s.stopFailures++
    setStopStatus(s, 'ERROR')
    emit({ type: 'stop-status', atMs: now(), symbol: s.symbol, status: 'ERROR', failures: s.stopFailures })
    persistLater({ symbols: [symEntry(s)] })
    if (s.stopFailures >= config.maxStopAttempts) {
      spawn('flatten', async () => {
        for (const e of liveOrders(s.symbol, 'entry')) await cancelOrder(e, 'protective')
        await flatten(s, `${s.stopFailures} failed stop attempts`)
      })
    }
    else later(config.stopRetryDelayMs, () => requestProtect(s.symbol))
  }

  /** Unfilled qty of every live entry order of the symbol's trade (covered by the stop before it can fill). */
  function workingEntryQty(s: SymbolRecord): number {
    if (!config.protectWorkingEntries || s.trade === undefined || s.trade.preProtectRejected === true) return 0
    let q = 0
    for (const o of liveIndex.get(s.symbol) ?? []) {
      if (o.role !== 'entry' || o.tradeKey !== s.trade.tradeKey) continue
      // live: everything not yet applied may still fill; terminal: fills the venue reported but we have not applied
      q += isTerminalOrderState(o.state) ? Math.max(0, (o.venueFilledQty ?? 0) - o.filledQty) : Math.max(0, o.request.qty - o.filledQty)
    }
    return q === 0 ? 0 : roundToStep({ value: q, step: instruments.get(s.symbol)?.lotStep ?? 1e-12 })
  }

  async function protectOnce(s: SymbolRecord): Promise<void> {
    const posQty = Math.abs(s.qty)
    const stops = liveOrders(s.symbol, 'stop')
    const tps = liveOrders(s.symbol, 'take-profit')
    const working = workingEntryQty(s)
    const coverQty = working === 0 ? posQty : roundToStep({ value: posQty + working, step: instruments.get(s.symbol)?.lotStep ?? 1e-12 })
    if (coverQty === 0) {
      for (const o of [...stops, ...tps]) await cancelOrder(o, 'protective')
      if (s.stopStatus !== 'NONE') setStopStatus(s, 'NONE')
      s.stopFailures = 0
      clearTradeIfDone(s)
      return
    }
    if (posQty === 0) for (const o of tps) await cancelOrder(o, 'normal')
    const trade = s.trade
    if (trade === undefined) {
      setStopStatus(s, 'MISSING')
      return
    }
    // protective orders of an earlier trade are never reused: cancel them, judge only this trade's
    for (const o of [...stops, ...tps]) if (o.tradeKey !== trade.tradeKey) await cancelOrder(o, 'protective')
    for (const list of [stops, tps]) {
      for (let i = list.length - 1; i >= 0; i--) if ((list[i] as ManagedOrder).tradeKey !== trade.tradeKey) list.splice(i, 1)
    }
    if (fatal) return
    if (stops.some((o) => AMBIGUOUS.includes(o.state) || o.state === 'cancel-pending')) {
      setStopStatus(s, 'PENDING')
      return
    }
    const live = stops.filter((o) => LIVE_STOP_STATES.includes(o.state))
    if (live.some((o) => o.state !== 'open')) {
      setStopStatus(s, 'PENDING') // a stop fired: the position is being closed
      return
    }
    const side = trade.direction === 'long' ? 'sell' : 'buy'
    const primary = live[live.length - 1]
    const matches = (o: ManagedOrder): boolean => Math.abs(o.request.qty - coverQty) < 1e-12 && o.request.triggerPrice === trade.stopPrice
    if (primary !== undefined && matches(primary)) {
      for (const extra of live.slice(0, -1)) await cancelOrder(extra, 'protective')
      if (s.stopFailures !== 0) s.stopFailures = 0
      setStopStatus(s, 'ACTIVE')
      if (posQty > 0) await protectTakeProfit(s, trade, tps, posQty, side)
      return
    }
    if (primary !== undefined) {
      const wait = s.lastStopUpdateMs + config.stopQtyUpdateMinIntervalMs - now()
      if (wait > 0 && primary.request.triggerPrice === trade.stopPrice && Math.abs(primary.request.qty - coverQty) / coverQty < config.stopMoveMinChange) {
        setStopStatus(s, primary.request.qty >= posQty ? 'ACTIVE' : 'PENDING')
        later(wait, () => requestProtect(s.symbol))
        return
      }
    }
    const backoff = (stopBackoffUntil.get(s.symbol) ?? 0) - now()
    if (backoff > 0) {
      setStopStatus(s, primary !== undefined && primary.request.qty >= posQty ? 'ACTIVE' : s.stopStatus === 'ERROR' ? 'ERROR' : 'PENDING')
      later(backoff, () => requestProtect(s.symbol))
      return
    }
    s.lastStopUpdateMs = now()
    if (primary !== undefined && venue.capabilities.amendConditionalOrder) {
      try {
        const v = await gw.amend({ symbol: s.symbol, clientOrderId: primary.clientOrderId, qty: coverQty, triggerPrice: trade.stopPrice }, 'protective')
        primary.request = { ...primary.request, qty: coverQty, triggerPrice: trade.stopPrice }
        persistLater(orderEntry(primary))
        syncOrder(primary, v)
        emit({ type: 'stop-updated', atMs: now(), symbol: s.symbol, method: 'amend', qty: coverQty, triggerPrice: trade.stopPrice })
        protectDirty.add(s.symbol)
      } catch (error) {
        if (isPerpkitError(error, 'order-not-found')) {
          await cancelOrder(primary, 'protective')
          protectDirty.add(s.symbol)
        } else {
          stopBackoffUntil.set(s.symbol, now() + config.stopRetryDelayMs)
          if (isPerpkitError(error, 'would-immediately-trigger')) await stopWouldTrigger(s)
          else stopFailed(s)
        }
      }
      return
    }
    // place the new stop first; the old one is canceled only once the new one is accepted
    trade.stopGen++
    const request: OrderRequest = {
      symbol: s.symbol,
      clientOrderId: deriveClientOrderId({ signalId: trade.signalId, direction: trade.direction, role: 'stop', generation: trade.stopGen }),
      side,
      type: 'stop-market',
      qty: coverQty,
      triggerPrice: trade.stopPrice,
      triggerPriceType: config.triggerPriceType,
      reduceOnly: true,
    }
    const o = newOrder({ symbol: s.symbol, role: 'stop', tradeKey: trade.tradeKey, request })
    setStopStatus(s, 'PENDING')
    await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
    await send(o)
    if (o.state === 'open') {
      emit({ type: 'stop-updated', atMs: now(), symbol: s.symbol, method: primary === undefined ? 'place' : 'replace', qty: coverQty, triggerPrice: trade.stopPrice })
      for (const old of live) await cancelOrder(old, 'protective')
      protectDirty.add(s.symbol)
    }
  }

  async function protectTakeProfit(s: SymbolRecord, trade: TradeRecord, tps: ManagedOrder[], posQty: number, side: 'buy' | 'sell'): Promise<void> {
    if (trade.takeProfitPrice === undefined) return
    if ((stopBackoffUntil.get(`tp|${s.symbol}`) ?? 0) > now()) return
    if (liveOrders(s.symbol, 'flatten').length + liveOrders(s.symbol, 'exit').length > 0) return
    if (tps.some((o) => o.state !== 'open')) return
    const primary = tps[tps.length - 1]
    if (primary !== undefined && Math.abs(primary.request.qty - posQty) < 1e-12) return
    if (primary !== undefined && venue.capabilities.amendConditionalOrder) {
      try {
        const v = await gw.amend({ symbol: s.symbol, clientOrderId: primary.clientOrderId, qty: posQty }, 'normal')
        primary.request = { ...primary.request, qty: posQty }
        persistLater(orderEntry(primary))
        syncOrder(primary, v)
        return
      } catch {
        // fall through to replace
      }
    }
    trade.tpGen++
    const clientOrderId = deriveClientOrderId({ signalId: trade.signalId, direction: trade.direction, role: 'take-profit', generation: trade.tpGen })
    const tp = trade.takeProfitPrice
    const request: OrderRequest =
      config.takeProfitStyle === 'limit'
        ? { symbol: s.symbol, clientOrderId, side, type: 'take-profit-limit', qty: posQty, price: tp, triggerPrice: tp, triggerPriceType: config.triggerPriceType, reduceOnly: true }
        : { symbol: s.symbol, clientOrderId, side, type: 'take-profit-market', qty: posQty, triggerPrice: tp, triggerPriceType: config.triggerPriceType, reduceOnly: true }
    for (const old of tps) await cancelOrder(old, 'normal')
    const o = newOrder({ symbol: s.symbol, role: 'take-profit', tradeKey: trade.tradeKey, request })
    await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
    await send(o)
  }

  /** The stop level is already crossed: flatten the position, and cancel working entries (their setup is void). */
  async function stopWouldTrigger(s: SymbolRecord): Promise<void> {
    for (const e of liveOrders(s.symbol, 'entry')) await cancelOrder(e, 'protective')
    if (s.qty !== 0) await flatten(s, 'stop would trigger immediately')
  }

  /** Close the whole position with a reduce-only market order. */
  async function flatten(s: SymbolRecord, reason: string): Promise<ManagedOrder | undefined> {
    if (s.qty === 0 || fatal) return undefined
    const pending = [...liveOrders(s.symbol, 'flatten'), ...liveOrders(s.symbol, 'exit')]
    if (pending.length > 0) return pending[0]
    const trade = s.trade
    const qty = Math.abs(s.qty)
    const direction = s.qty > 0 ? 'long' : 'short'
    const signalId = trade?.signalId ?? `orphan-${s.symbol}`
    const gen = trade === undefined ? 0 : ++trade.flattenGen
    const request: OrderRequest = {
      symbol: s.symbol,
      clientOrderId: deriveClientOrderId({ signalId, direction: trade?.direction ?? direction, role: 'flatten', generation: gen }),
      side: s.qty > 0 ? 'sell' : 'buy',
      type: 'market',
      qty,
      reduceOnly: true,
    }
    if (state.orders[request.clientOrderId] !== undefined || prunedIds.has(request.clientOrderId)) return undefined
    const o = newOrder({ symbol: s.symbol, role: 'flatten', tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }), request })
    if (s.phase === 'IN_POSITION' || s.phase === 'ENTRY_PENDING') movePhase(s, 'exit-submitted')
    emit({ type: 'flatten', atMs: now(), symbol: s.symbol, qty, reason })
    await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
    for (const e of liveOrders(s.symbol, 'entry')) await cancelOrder(e, 'protective')
    await send(o)
    return o
  }

  // ---------------------------------------------------------------- reconciliation
  function reconcile(reason: 'startup' | 'periodic' | 'reconnect' | 'degraded' | 'manual'): Promise<ReconcileReport> {
    if (reconciling !== undefined) return reconciling
    const p = doReconcile(reason).finally(() => {
      reconciling = undefined
    })
    reconciling = p
    return p
  }

  async function doReconcile(reason: 'startup' | 'periodic' | 'reconnect' | 'degraded' | 'manual'): Promise<ReconcileReport> {
    emit({ type: 'reconcile', atMs: now(), phase: 'started', reason })
    const authoritative = reason === 'startup'
    let mismatches = 0
    const orphansBefore = orphanCount
    let fillsApplied = 0
    try {
      const symbols = new Set<string>(instruments.keys())
      const openOrders: Order[] = []
      for (const symbol of symbols) openOrders.push(...(await gw.fetchOpenOrders(symbol, 'normal')))
      const positions = await gw.fetchPositions('normal')
      for (const symbol of symbols) {
        const s = state.symbols[symbol]
        const venuePos = positions.find((p) => p.symbol === symbol)
        if (s === undefined && venuePos === undefined && !openOrders.some((o) => o.symbol === symbol)) continue
        fillsApplied += await catchUpFills(symbol, 'normal')
      }
      // orders
      const seen = new Set<string>()
      for (const v of openOrders) {
        seen.add(v.clientOrderId)
        const o = state.orders[v.clientOrderId]
        if (o === undefined) {
          noteOrphanOrder(v, authoritative)
          continue
        }
        mismatchCount.delete(`order|${v.clientOrderId}`)
        if (o.state === 'intent') moveOrder(o, 'submit')
        syncOrder(o, v)
        if (st(o) === 'cancel-pending' && !cancelling.has(o.clientOrderId) && (v.status === 'open' || v.status === 'untriggered' || v.status === 'partially-filled')) {
          moveOrder(o, 'cancel-failed') // the cancel never took effect (e.g. lost in a crash): decide again
          persistLater(orderEntry(o))
          requestProtect(o.symbol)
        }
      }
      // only non-terminal orders can need a venue check: walk the live index, not every order ever placed
      const live: ManagedOrder[] = []
      for (const set of liveIndex.values()) for (const o of set) live.push(o)
      for (const o of live) {
        if (isTerminalOrderState(o.state) || seen.has(o.clientOrderId) || !instruments.has(o.symbol)) continue
        if (o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)) {
          scheduleResolve(o, 0)
          continue
        }
        if (o.state === 'intent' || o.state === 'submitting') continue
        const v = await gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, 'normal')
        if (v !== null) syncOrder(o, v)
        else if (nextOrderState(o.state, 'cancel-confirmed') !== undefined) {
          o.reason = 'not on venue'
          moveOrder(o, 'cancel-confirmed')
          persistLater(orderEntry(o))
          onOrderTerminal(o)
        }
      }
      // positions
      for (const symbol of symbols) {
        const s = sym(symbol)
        const venuePos = positions.find((p) => p.symbol === symbol)
        const venueQty = signedQty(venuePos)
        const key = `position|${symbol}`
        if (Math.abs(venueQty - s.qty) < 1e-12) {
          mismatchCount.delete(key)
          continue
        }
        mismatches++
        const count = (mismatchCount.get(key) ?? 0) + 1
        mismatchCount.set(key, count)
        const cooled = now() - (lastMismatchAction.get(symbol) ?? Number.NEGATIVE_INFINITY) >= config.mismatchCooldownMs
        const act = authoritative || (count >= config.mismatchChecksRequired && cooled)
        emit({ type: 'mismatch', atMs: now(), symbol, kind: 'position', localQty: s.qty, venueQty, consecutive: count, acted: act })
        if (!act) continue
        lastMismatchAction.set(symbol, now())
        mismatchCount.delete(key)
        const wasFlat = s.qty === 0
        adoptPosition(s, venuePos)
        if (wasFlat && s.trade === undefined) {
          orphanCount++
          emit({ type: 'orphan', atMs: now(), symbol, kind: 'position', qty: venueQty })
          emit({ type: 'breaker-trip', atMs: now(), reason: 'orphan position', symbol })
          haltSymbol(s, 'orphan position')
        }
        requestProtect(symbol)
      }
      for (const symbol of symbols) if (state.symbols[symbol] !== undefined) requestProtect(symbol)
      reconciled = true
      if (degraded && streamUp) {
        degraded = false
        emit({ type: 'degraded', atMs: now(), on: false, reason: 'reconciled' })
      }
      emit({ type: 'reconcile', atMs: now(), phase: 'finished', reason })
      return { ok: true, mismatches, orphans: orphanCount - orphansBefore, fillsApplied }
    } catch (error) {
      emit({ type: 'reconcile', atMs: now(), phase: 'failed', reason, error: summarizeError(error) })
      if (!reconciled && !stopped && !fatal) later(config.degradedReconcileIntervalMs, () => spawn('reconcile-retry', () => reconcile(reason)))
      return { ok: false, mismatches, orphans: orphanCount - orphansBefore, fillsApplied }
    }
  }

  function signedQty(p: Position | undefined): number {
    if (p === undefined) return 0
    return p.side === 'long' ? p.qty : -p.qty
  }
  function adoptPosition(s: SymbolRecord, p: Position | undefined): void {
    const prev = s.qty
    s.qty = signedQty(p)
    s.avgEntryPrice = p?.entryPrice ?? 0
    if (prev === 0 && s.qty !== 0) movePhase(s, 'position-opened')
    else if (prev !== 0 && s.qty === 0) movePhase(s, 'position-closed')
    persistLater({ symbols: [symEntry(s)] })
  }

  function schedulePeriodic(): void {
    later(config.reconcileIntervalMs, () => {
      if (!degraded) spawn('periodic-reconcile', () => reconcile('periodic'))
      schedulePeriodic()
    })
  }

  // ---------------------------------------------------------------- public API
  /** `reduce` of everything: the full-close path of `exit` (its refusals are a subset of {@link ReduceRefusal}). */
  async function closeAll(args: ReduceArgs): Promise<Result<SubmitOutcome, ReduceRefusal>> {
    return manager.exit({ symbol: args.symbol, ...(args.reason === undefined ? {} : { reason: args.reason }) })
  }

  const manager: OrderManager = {
    async start() {
      if (started) throw new PerpkitError('invalid-state', 'order manager already started')
      started = true
      const recovery = await journal.recover()
      if (recovery.snapshot !== null || recovery.records.length > 0) {
        state = recovery.snapshot === null ? emptyOmsState() : (structuredClone(recovery.snapshot.state) as OmsState)
        for (const r of recovery.records) applyJournalEntry(state, r.payload)
        lastSeq = recovery.records[recovery.records.length - 1]?.seq ?? recovery.snapshot?.seq ?? 0
      } else if (restored !== undefined) {
        state = restored
      }
      rebuildIndex()
      emit({ type: 'recovered', atMs: now(), records: recovery.records.length, truncatedTail: recovery.truncatedTail, fromSnapshotSeq: recovery.snapshot?.seq ?? null })
      for (const o of Object.values(state.orders)) {
        if (o.state === 'intent') {
          o.maybeSent = true
          o.unknownSinceMs = now()
          o.absentChecks = 0
        } else if (o.state === 'submitting') {
          moveOrder(o, 'outcome-unknown')
          o.unknownSinceMs = now()
          o.absentChecks = 0
        }
      }
      unsubscribeStream = venue.subscribeUserStream(onStreamEvent)
      const report = await reconcile('startup')
      for (const o of Object.values(state.orders)) if (o.role === 'entry' && !isTerminalOrderState(o.state) && o.state !== 'intent') armMakerTimeout(o)
      schedulePeriodic()
      return report
    },
    async stop() {
      stopped = true
      unsubscribeStream?.()
      for (const cancel of timers) cancel()
      timers.clear()
      await journalChain
    },
    async submitEntry(intent) {
      const ins = validateEntryIntent({ intent, instruments, ...(marks.has(intent.symbol) ? { markPrice: marks.get(intent.symbol) as number } : {}) })
      if (fatal) return fail('fatal', { symbol: intent.symbol })
      if (degraded) return fail('degraded', { symbol: intent.symbol })
      if (!started || !reconciled) return fail('not-reconciled', { symbol: intent.symbol })
      const mode = tradingMode()
      if (mode === 'halted') return fail('halted', { symbol: intent.symbol })
      if (mode === 'reducing') return fail('reducing', { symbol: intent.symbol })
      const s = sym(intent.symbol)
      if (s.phase === 'HALT') return fail('halted', { symbol: intent.symbol, reason: s.haltReason ?? 'halted' })
      const clientOrderId = intent.clientOrderId ?? deriveClientOrderId({ signalId: intent.signalId, direction: intent.direction, role: 'entry' })
      if (state.orders[clientOrderId] !== undefined || prunedIds.has(clientOrderId)) return fail('duplicate-intent', { clientOrderId })
      if (s.phase !== 'FLAT' || s.qty !== 0 || liveOrders(s.symbol).length > 0) return fail('symbol-busy', { symbol: intent.symbol, phase: s.phase })
      const tradeKey = tradeKeyOf(intent)
      const makerOnly = config.makerOnly && (intent.type ?? 'limit') === 'limit'
      const request: OrderRequest =
        (intent.type ?? 'limit') === 'market'
          ? { symbol: ins.symbol, clientOrderId, side: intent.direction === 'long' ? 'buy' : 'sell', type: 'market', qty: intent.qty }
          : {
              symbol: ins.symbol,
              clientOrderId,
              side: intent.direction === 'long' ? 'buy' : 'sell',
              type: 'limit',
              qty: intent.qty,
              price: intent.price as number,
              timeInForce: makerOnly ? 'post-only' : 'GTC',
            }
      s.trade = {
        tradeKey,
        signalId: intent.signalId,
        direction: intent.direction,
        entryQty: intent.qty,
        stopPrice: intent.stopPrice,
        ...(intent.takeProfitPrice === undefined ? {} : { takeProfitPrice: intent.takeProfitPrice }),
        entryGen: 0,
        stopGen: 0,
        tpGen: 0,
        exitGen: 0,
        flattenGen: 0,
        makerTimeouts: 0,
        openedAtMs: now(),
        entryWorking: true,
      }
      s.stopFailures = 0
      delete s.haltReason
      movePhase(s, 'entry-submitted')
      const o = newOrder({ symbol: ins.symbol, role: 'entry', tradeKey, request })
      try {
        await submitHeldEntry(s, o)
      } catch {
        return fail('journal-failed', { clientOrderId })
      }
      return ok({ clientOrderId, state: o.state })
    },
    async exit(args) {
      const s = state.symbols[args.symbol]
      instrumentOf(instruments, args.symbol)
      if (s === undefined || (s.qty === 0 && liveOrders(args.symbol, 'entry').length === 0)) {
        throw new PerpkitError('invalid-state', `no position on ${args.symbol} to exit (a reduce-only order needs a position)`, { details: { symbol: args.symbol } })
      }
      if (fatal) return fail('fatal', { symbol: args.symbol })
      for (const e of liveOrders(args.symbol, 'entry')) await cancelOrder(e, 'protective')
      if (s.qty === 0) {
        return ok({ clientOrderId: '', state: 'canceled' })
      }
      const pending = [...liveOrders(args.symbol, 'exit'), ...liveOrders(args.symbol, 'flatten')]
      if (pending.length > 0) return fail('exit-pending', { clientOrderId: (pending[0] as ManagedOrder).clientOrderId })
      const trade = s.trade
      const direction = s.qty > 0 ? 'long' : 'short'
      const signalId = trade?.signalId ?? `orphan-${s.symbol}`
      const gen = trade === undefined ? 0 : ++trade.exitGen
      const request: OrderRequest = {
        symbol: s.symbol,
        clientOrderId: deriveClientOrderId({ signalId, direction: trade?.direction ?? direction, role: 'exit', generation: gen }),
        side: s.qty > 0 ? 'sell' : 'buy',
        type: 'market',
        qty: Math.abs(s.qty),
        reduceOnly: true,
      }
      const o = newOrder({ symbol: s.symbol, role: 'exit', tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }), request })
      movePhase(s, 'exit-submitted')
      await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
      await send(o)
      return ok({ clientOrderId: o.clientOrderId, state: o.state })
    },
    async reduce(args) {
      const ins = instrumentOf(instruments, args.symbol)
      const hasFraction = args.fraction !== undefined
      const hasQty = args.qty !== undefined
      if (hasFraction === hasQty) throw new InvalidInputError('give exactly one of fraction or qty', { path: hasFraction ? 'qty' : 'fraction' })
      const amount = (hasFraction ? args.fraction : args.qty) as number
      const path = hasFraction ? 'fraction' : 'qty'
      if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new InvalidInputError(`${path} must be a finite number`, { path })
      if (amount <= 0) throw new InvalidInputError(`${path} must be > 0`, { path })
      if (hasFraction && amount > 1) throw new InvalidInputError('fraction must be in (0, 1]', { path })
      if (fatal) return fail('fatal', { symbol: args.symbol })
      const s = state.symbols[args.symbol]
      if (s === undefined || s.qty === 0) return fail('no-position', { symbol: args.symbol })
      const pending = [...liveOrders(args.symbol, 'exit'), ...liveOrders(args.symbol, 'flatten')]
      if (pending.length > 0 || s.phase === 'EXIT_PENDING') return fail('exit-pending', { symbol: args.symbol, clientOrderId: pending[0]?.clientOrderId ?? '' })
      const reducing = liveOrders(args.symbol, 'reduce')
      if (reducing.length > 0) return fail('reduce-pending', { symbol: args.symbol, clientOrderId: (reducing[0] as ManagedOrder).clientOrderId })
      const posQty = Math.abs(s.qty)
      const wanted = hasFraction ? posQty * amount : amount
      const qty = roundQty({ qty: Math.min(wanted, posQty), lotStep: ins.lotStep })
      const remainder = roundToStep({ value: posQty - qty, step: ins.lotStep })
      if (amount >= 1 && hasFraction) return closeAll(args)
      if (!hasFraction && wanted >= posQty - ins.lotStep * 1e-6) return closeAll(args)
      if (qty <= 0 || qty < ins.minQty) return fail('below-min-qty', { symbol: args.symbol, qty, minQty: ins.minQty })
      // a remainder below minQty could never be closed on its own: take it all now
      if (remainder <= 0 || remainder < ins.minQty) return closeAll(args)
      const trade = s.trade
      const direction = s.qty > 0 ? 'long' : 'short'
      const signalId = trade?.signalId ?? `orphan-${s.symbol}`
      // a fresh generation per partial close (ids stay unique; an orphan position has no trade counter)
      const idOf = (generation: number): string => deriveClientOrderId({ signalId, direction: trade?.direction ?? direction, role: 'reduce', generation })
      let gen = trade === undefined ? 0 : (trade.reduceGen ?? 0) + 1
      while (state.orders[idOf(gen)] !== undefined || prunedIds.has(idOf(gen))) gen++
      if (trade !== undefined) trade.reduceGen = gen
      const request: OrderRequest = {
        symbol: s.symbol,
        clientOrderId: idOf(gen),
        side: s.qty > 0 ? 'sell' : 'buy',
        type: 'market',
        qty,
        reduceOnly: true,
      }
      const o = newOrder({ symbol: s.symbol, role: 'reduce', tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }), request })
      await persist({ ...orderEntry(o), symbols: [symEntry(s)] })
      await send(o)
      return ok({ clientOrderId: o.clientOrderId, state: o.state })
    },
    async moveStop(args) {
      const ins = instrumentOf(instruments, args.symbol)
      const s = state.symbols[args.symbol]
      if (s === undefined || s.trade === undefined || s.qty === 0) {
        throw new PerpkitError('invalid-state', `no position on ${args.symbol} to move a stop for`, { details: { symbol: args.symbol } })
      }
      if (typeof args.stopPrice !== 'number' || !Number.isFinite(args.stopPrice) || args.stopPrice <= 0) {
        throw new PerpkitError('invalid-input', 'stopPrice must be a finite number > 0', { path: 'stopPrice' })
      }
      if (roundToStep({ value: args.stopPrice, step: ins.tickSize }) !== args.stopPrice) {
        throw new PerpkitError('invalid-input', `stopPrice ${args.stopPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'stopPrice' })
      }
      const trade = s.trade
      const mark = marks.get(args.symbol)
      assertStopSide({ direction: trade.direction, stopPrice: args.stopPrice, referencePrice: mark ?? (s.avgEntryPrice > 0 ? s.avgEntryPrice : Number.NaN) })
      const distance = Math.abs(trade.stopPrice - (s.avgEntryPrice > 0 ? s.avgEntryPrice : trade.stopPrice))
      const change = Math.abs(args.stopPrice - trade.stopPrice)
      if (distance > 0 && change / distance < config.stopMoveMinChange) return fail('debounced', { change, distance })
      const wait = s.lastStopUpdateMs + config.stopUpdateMinIntervalMs - now()
      trade.stopPrice = args.stopPrice
      persistLater({ symbols: [symEntry(s)] })
      if (wait > 0) {
        if (!pendingStopMove.get(s.symbol)) {
          pendingStopMove.set(s.symbol, true)
          later(wait, () => {
            pendingStopMove.delete(s.symbol)
            requestProtect(s.symbol)
          })
        }
        return ok({ scheduled: true })
      }
      requestProtect(s.symbol) // never awaits the clock: safe to await from a virtual-clock loop
      return ok({ scheduled: false })
    },
    onMarkPrice(args) {
      if (typeof args.markPrice !== 'number' || !Number.isFinite(args.markPrice) || args.markPrice <= 0) {
        throw new PerpkitError('invalid-input', 'markPrice must be a finite number > 0', { path: 'markPrice' })
      }
      instrumentOf(instruments, args.symbol)
      marks.set(args.symbol, args.markPrice)
    },
    reconcile: () => reconcile('manual'),
    halt(args) {
      haltSymbol(sym(instrumentOf(instruments, args.symbol).symbol), args.reason)
    },
    resume(args) {
      const s = sym(instrumentOf(instruments, args.symbol).symbol)
      if (s.phase !== 'HALT') return
      if (s.qty !== 0 || liveOrders(s.symbol).length > 0) {
        throw new PerpkitError('invalid-state', `cannot resume ${args.symbol}: position or orders still open`, { details: { symbol: args.symbol } })
      }
      movePhase(s, 'resume')
      delete s.haltReason
      clearTradeIfDone(s)
      persistLater({ symbols: [symEntry(s)] })
    },
    snapshot: () => structuredClone(state),
    restore(next) {
      if (started) throw new PerpkitError('invalid-state', 'restore() must be called before start()')
      if (next?.version !== 1) throw new PerpkitError('corrupt-data', 'unsupported OMS state version')
      restored = structuredClone(next)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    status: () => ({
      started,
      reconciled,
      degraded,
      fatal,
      symbols: Object.values(state.symbols).map((s) => ({ symbol: s.symbol, phase: s.phase, qty: s.qty, stopStatus: s.stopStatus })),
    }),
    order: (id) => {
      const o = state.orders[id]
      return o === undefined ? undefined : structuredClone(o)
    },
    inFlight: () => tasks.size,
  }
  return manager
}
