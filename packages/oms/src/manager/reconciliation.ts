/**
 * Reconciliation: compare the local view with the venue (open orders, positions, fill history) and converge. At
 * start-up the venue is authoritative; afterwards a difference must be seen `mismatchChecksRequired` times in a
 * row (and not within `mismatchCooldownMs` of the last action) before it is acted on. Orders and positions the
 * OMS does not know are orphans: the symbol is halted. A successful pass ends DEGRADED.
 * @module
 */
import { type Order, PerpkitError, type Position, roundToStep } from '@perpkit/core'
import { parseClientOrderId } from '../client-order-id.js'
import { type ReconcileReason, summarizeError } from '../events.js'
import type { ReconcileReport } from '../order-manager.js'
import { isTerminalOrderState, nextOrderState } from '../order-state.js'
import type { ManagedOrder, SymbolRecord } from '../types.js'
import { catchUpFills, scheduleFillCatchUp } from './fills.js'
import { orderEntry, persistLater, symEntry } from './journaling.js'
import { syncOrder } from './order-sync.js'
import { requestProtect } from './protection.js'
import { haltSymbol, moveOrder, movePhase, st, sym } from './records.js'
import { elapsedNow, emit, later, now, type Runtime, spawn } from './runtime.js'
import { onOrderTerminal } from './terminal.js'
import { scheduleResolve } from './unknown-outcome.js'


/** Reconcile now (joins a reconciliation already running). */
export function reconcile(rt: Runtime, reason: ReconcileReason): Promise<ReconcileReport> {
  if (rt.reconciling !== undefined) return rt.reconciling
  const p = doReconcile(rt, reason).finally(() => {
    rt.reconciling = undefined
  })
  rt.reconciling = p
  return p
}

async function doReconcile(rt: Runtime, reason: ReconcileReason): Promise<ReconcileReport> {
  const { config, instruments, gw } = rt
  emit(rt, { type: 'reconcile', timestampMs: now(rt), phase: 'started', reason })
  const authoritative = reason === 'startup'
  let mismatches = 0
  const orphansBefore = rt.orphanCount
  let fillsApplied = 0
  try {
    const symbols = new Set<string>(instruments.keys())
    const openOrders: Order[] = []
    for (const symbol of symbols) openOrders.push(...(await gw.fetchOpenOrders(symbol, 'normal')))
    const positionsEpoch = rt.fillEpoch
    const positions = await gw.fetchPositions('normal')
    for (const symbol of symbols) {
      const s = rt.state.symbols[symbol]
      const venuePos = positions.find((p) => p.symbol === symbol)
      if (s === undefined && venuePos === undefined && !openOrders.some((o) => o.symbol === symbol)) continue
      fillsApplied += await catchUpFills(rt, symbol, 'normal')
    }
    // orders
    const seen = new Set<string>()
    for (const v of openOrders) {
      seen.add(v.clientOrderId)
      const o = rt.state.orders[v.clientOrderId]
      if (o === undefined) {
        noteOrphanOrder(rt, v, authoritative)
        continue
      }
      rt.mismatchCount.delete(`order|${v.clientOrderId}`)
      if (o.state === 'intent') moveOrder(rt, o, 'submit')
      syncOrder(rt, o, v)
      if (st(o) === 'cancel-pending' && !rt.cancelling.has(o.clientOrderId) && (v.status === 'open' || v.status === 'untriggered' || v.status === 'partially-filled')) {
        moveOrder(rt, o, 'cancel-failed') // the cancel never took effect (e.g. lost in a crash): decide again
        persistLater(rt, orderEntry(o))
        requestProtect(rt, o.symbol)
      }
    }
    // only non-terminal orders can need a venue check: walk the live index, not every order ever placed
    const live: ManagedOrder[] = []
    for (const set of rt.liveIndex.values()) for (const o of set) live.push(o)
    for (const o of live) {
      if (isTerminalOrderState(o.state) || seen.has(o.clientOrderId) || !instruments.has(o.symbol)) continue
      if (o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)) {
        scheduleResolve(rt, o, 0)
        continue
      }
      if (o.state === 'intent' || o.state === 'submitting') continue
      const v = await gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, 'normal')
      if (v !== null) syncOrder(rt, o, v)
      else if (nextOrderState(o.state, 'cancel-confirmed') !== undefined) {
        o.reason = 'not on venue'
        moveOrder(rt, o, 'cancel-confirmed')
        persistLater(rt, orderEntry(o))
        onOrderTerminal(rt, o)
      }
    }
    // positions: a snapshot is only compared once no fill landed while it was in flight (else it may predate a
    // fill we already applied, and adopting it would undo that fill)
    const orderedPositions = rt.fillEpoch === positionsEpoch ? positions : await positionsAfterFills(rt)
    for (const symbol of symbols) {
      const s = sym(rt, symbol)
      const venuePos = orderedPositions.find((p) => p.symbol === symbol)
      const venueQty = signedQty(venuePos)
      const key = `position|${symbol}`
      // the venue's position already holds the fills it reported on our orders that have not reached us yet
      const inFlight = unappliedVenueFills(rt, symbol)
      if (Math.abs(venueQty - (s.qty + inFlight)) < 1e-12) {
        rt.mismatchCount.delete(key)
        if (inFlight !== 0) rt.needFills.add(symbol)
        continue
      }
      mismatches++
      const count = (rt.mismatchCount.get(key) ?? 0) + 1
      rt.mismatchCount.set(key, count)
      const cooled = elapsedNow(rt) - (rt.lastMismatchAction.get(symbol) ?? Number.NEGATIVE_INFINITY) >= config.mismatchCooldownMs
      const act = authoritative || (count >= config.mismatchChecksRequired && cooled)
      emit(rt, { type: 'mismatch', timestampMs: now(rt), symbol, kind: 'position', localQty: s.qty, venueQty, consecutive: count, acted: act })
      if (!act) continue
      rt.lastMismatchAction.set(symbol, elapsedNow(rt))
      rt.mismatchCount.delete(key)
      const wasFlat = s.qty === 0
      adoptPosition(rt, s, venuePos, inFlight)
      if (wasFlat && s.trade === undefined) {
        rt.orphanCount++
        emit(rt, { type: 'orphan', timestampMs: now(rt), symbol, kind: 'position', qty: venueQty })
        emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'orphan position', symbol })
        haltSymbol(rt, s, 'orphan position')
      }
      requestProtect(rt, symbol)
    }
    for (const symbol of symbols) if (rt.state.symbols[symbol] !== undefined) requestProtect(rt, symbol)
    if (rt.needFills.size > 0) scheduleFillCatchUp(rt)
    rt.reconciled = true
    if (rt.degraded && rt.streamUp) {
      rt.degraded = false
      emit(rt, { type: 'degraded', timestampMs: now(rt), on: false, reason: 'reconciled' })
    }
    emit(rt, { type: 'reconcile', timestampMs: now(rt), phase: 'finished', reason })
    return { ok: true, mismatches, orphans: rt.orphanCount - orphansBefore, fillsApplied }
  } catch (error) {
    emit(rt, { type: 'reconcile', timestampMs: now(rt), phase: 'failed', reason, error: summarizeError(error) })
    if (!rt.reconciled && !rt.stopped && !rt.fatal) later(rt, config.degradedReconcileIntervalMs, () => spawn(rt, 'reconcile-retry', () => reconcile(rt, reason)))
    return { ok: false, mismatches, orphans: rt.orphanCount - orphansBefore, fillsApplied }
  }
}

/** Attempts at a position snapshot with no fill landing while it was in flight, before the reconcile fails. */
const ORDERED_SNAPSHOT_ATTEMPTS = 3

/**
 * Fetch positions so that the snapshot is ordered after every fill already applied: a fill handled while the
 * request was in flight means the answer may predate it, so it is fetched again; still unordered after a few
 * attempts, the whole reconcile fails (nothing is adopted from a snapshot that may be stale).
 */
async function positionsAfterFills(rt: Runtime): Promise<readonly Position[]> {
  for (let attempt = 0; attempt < ORDERED_SNAPSHOT_ATTEMPTS; attempt++) {
    const epoch = rt.fillEpoch
    const positions = await rt.gw.fetchPositions('normal')
    if (rt.fillEpoch === epoch) return positions
  }
  throw new PerpkitError('invalid-state', 'position snapshots keep racing stream fills; reconcile again later', { retryable: true })
}

/** An open order the journal does not know: halt its symbol once confirmed (at once at start-up). */
function noteOrphanOrder(rt: Runtime, v: Order, authoritative: boolean): void {
  const key = `order|${v.clientOrderId}`
  const count = (rt.mismatchCount.get(key) ?? 0) + 1
  rt.mismatchCount.set(key, count)
  const cooled = elapsedNow(rt) - (rt.lastMismatchAction.get(key) ?? Number.NEGATIVE_INFINITY) >= rt.config.mismatchCooldownMs
  if (!authoritative && (count < rt.config.mismatchChecksRequired || !cooled)) return
  rt.lastMismatchAction.set(key, elapsedNow(rt))
  rt.mismatchCount.delete(key)
  rt.orphanCount++
  emit(rt, { type: 'orphan', timestampMs: now(rt), symbol: v.symbol, kind: 'order', clientOrderId: v.clientOrderId, qty: v.qty })
  emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'orphan order', symbol: v.symbol })
  haltSymbol(rt, sym(rt, v.symbol), `orphan order ${parseClientOrderId(v.clientOrderId) === null ? '(foreign)' : '(perpkit id not in journal)'}`)
}

/**
 * Signed qty the venue reported filled on the symbol's orders (live, or finished) beyond the fills applied so far:
 * fills on their way to us, already part of the venue's position.
 */
function unappliedVenueFills(rt: Runtime, symbol: string): number {
  let q = 0
  for (const o of rt.liveIndex.get(symbol) ?? []) {
    const missing = Math.max(0, (o.venueFilledQty ?? 0) - o.filledQty)
    q += o.request.side === 'buy' ? missing : -missing
  }
  return roundToStep({ value: q, step: rt.instruments.get(symbol)?.lotStep ?? 1e-12 })
}

function signedQty(p: Position | undefined): number {
  if (p === undefined) return 0
  return p.side === 'long' ? p.qty : -p.qty
}

/**
 * Take the venue's position as ours (qty, entry price, phase), less the fills it holds that are still on their way
 * to us (`inFlight`): applied when they arrive, they complete it instead of counting twice.
 */
function adoptPosition(rt: Runtime, s: SymbolRecord, p: Position | undefined, inFlight: number): void {
  const prev = s.qty
  const qty = roundToStep({ value: signedQty(p) - inFlight, step: rt.instruments.get(s.symbol)?.lotStep ?? 1e-12 })
  s.qty = qty === 0 ? 0 : qty
  s.avgEntryPrice = p?.entryPrice ?? 0
  if (prev === 0 && s.qty !== 0) movePhase(rt, s, 'position-opened')
  else if (prev !== 0 && s.qty === 0) movePhase(rt, s, 'position-closed')
  persistLater(rt, { symbols: [symEntry(s)] })
}

/** Reconcile every `reconcileIntervalMs` (skipped while DEGRADED, which reconciles on its own timer). */
export function schedulePeriodic(rt: Runtime): void {
  later(rt, rt.config.reconcileIntervalMs, () => {
    if (!rt.degraded) spawn(rt, 'periodic-reconcile', () => reconcile(rt, 'periodic'))
    schedulePeriodic(rt)
  })
}
