/**
 * Unknown-outcome resolution: an order whose create may or may not have reached the venue is queried by client id
 * until it is found (then synced) or proven absent. "Not found" a few times is not proof: a create that timed out
 * may still be in flight and execute seconds later. Proof is the venue's own guarantee — a request arriving after
 * its validity window (`requestExpiryMs` since it was sent, measured as elapsed time by a timer) is refused — so
 * only "not found" answers to queries sent after that window closed count, `absentChecksRequired` of them in a row
 * over at least `unknownGraceMs` of elapsed time.
 * Only then may it be re-sent, under the same client id, and only when still wanted.
 * @module
 */
import type { Order } from '@perpkit/core'
import type { ManagedOrder } from '../types.js'
import { orderEntry, persist, persistLater } from './journaling.js'
import { afterOrderChange, syncOrder } from './order-sync.js'
import { requestProtect } from './protection.js'
import { liveOrders, moveOrder, orderAgeMs, priorityOf, sendAllowed, st, sym } from './records.js'
import { elapsedNow, emit, later, now, type Runtime, spawn } from './runtime.js'
import { send } from './submission.js'
import { onOrderTerminal } from './terminal.js'

/**
 * Open the validity window of a create whose outcome is unknown: for `requestExpiryMs` of elapsed time (a timer, so
 * wall-clock steps cannot shorten it) the venue may still execute it. When the window closes the order is queried
 * again; "not found" from then on is proof of absence.
 */
export function openRequestWindow(rt: Runtime, o: ManagedOrder): void {
  const id = o.clientOrderId
  rt.ambiguousSince.set(id, elapsedNow(rt))
  rt.requestWindows.set(id, (rt.requestWindows.get(id) ?? 0) + 1)
  later(rt, rt.config.requestExpiryMs, () => {
    const n = (rt.requestWindows.get(id) ?? 1) - 1
    if (n > 0) rt.requestWindows.set(id, n)
    else rt.requestWindows.delete(id)
    if (n <= 0 && (o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true))) scheduleResolve(rt, o, 0)
  })
}

/** Whether a create under this client id may still execute on the venue. */
export function requestWindowOpen(rt: Runtime, clientOrderId: string): boolean {
  return rt.requestWindows.has(clientOrderId)
}

/**
 * Whether a full close (exit / flatten) of `symbol` replaced under a new id may still meet its late original: until
 * the original's window closes, no entry may start a new trade there (the original would reduce it).
 */
export function lateCloseMayLand(rt: Runtime, symbol: string): boolean {
  for (const id of rt.requestWindows.keys()) {
    const o = rt.state.orders[id]
    if (o !== undefined && o.symbol === symbol && (o.role === 'exit' || o.role === 'flatten')) return true
  }
  return false
}

/** Query the order's client id after `delayMs`. */
export function scheduleResolve(rt: Runtime, o: ManagedOrder, delayMs: number): void {
  later(rt, delayMs, () => spawn(rt, 'resolve-unknown', () => resolve(rt, o)))
}

/** Resolve an ambiguous order by querying its client id; re-send only after repeated absence over the grace period. */
async function resolve(rt: Runtime, o: ManagedOrder): Promise<void> {
  const { config } = rt
  if (rt.resolving.has(o.clientOrderId)) return
  const ambiguous = o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)
  if (!ambiguous || rt.fatal) return
  rt.resolving.add(o.clientOrderId)
  try {
    let found: Order | null
    const queriedAtMs = elapsedNow(rt)
    const windowOpenAtQuery = requestWindowOpen(rt, o.clientOrderId)
    try {
      found = await rt.gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priorityOf(o))
    } catch {
      scheduleResolve(rt, o, config.unknownQueryIntervalMs)
      return
    }
    if (!(o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true))) return
    if (found !== null) {
      if (o.state === 'intent') moveOrder(rt, o, 'submit')
      syncOrder(rt, o, found)
      if (st(o) === 'submitting') moveOrder(rt, o, 'accept')
      persistLater(rt, orderEntry(o))
      afterOrderChange(rt, o)
      return
    }
    const since = rt.ambiguousSince.get(o.clientOrderId) ?? queriedAtMs
    // a full close (exit / flatten) is protective and cannot open exposure, so it need not wait for the window:
    // after the quick check it is replaced under a new id (never re-sent under its own: the late original would
    // make two venue orders of one id), and entries on its symbol wait until the window closes (a late original
    // must not reduce a new trade)
    const fullClose = o.role === 'exit' || o.role === 'flatten'
    // the request can no longer execute: its window had closed before this query was sent
    const provable = !windowOpenAtQuery
    const expired = fullClose || provable
    if (expired) o.absentChecks++
    if (!expired || o.absentChecks < config.absentChecksRequired || elapsedNow(rt) - since < config.unknownGraceMs) {
      persistLater(rt, orderEntry(o))
      // inside the window the next query waits for it to close (the window's timer queries again)
      if (expired) scheduleResolve(rt, o, config.unknownQueryIntervalMs)
      return
    }
    // proven absent: the venue never took it (or, for a reduce-only close, cannot take it before the window closes;
    // entries on the symbol wait for that, see lateCloseMayLand)
    if (o.state === 'unknown') moveOrder(rt, o, 'absent')
    delete o.maybeSent
    delete o.unknownSinceMs
    rt.ambiguousSince.delete(o.clientOrderId)
    o.absentChecks = 0
    const resend = provable && shouldResend(rt, o)
    emit(rt, { type: 'order-absent', timestampMs: now(rt), clientOrderId: o.clientOrderId, checks: config.absentChecksRequired, resend })
    if (resend && o.role === 'entry' && config.protectWorkingEntries) {
      o.awaitingProtection = true // re-sent only once the stop covering it is on the book
      await persist(rt, orderEntry(o))
      requestProtect(rt, o.symbol)
    } else if (resend) {
      await persist(rt, orderEntry(o))
      await send(rt, o)
    } else {
      moveOrder(rt, o, 'abandon')
      o.reason = 'absent'
      persistLater(rt, orderEntry(o))
      onOrderTerminal(rt, o)
    }
  } finally {
    rt.resolving.delete(o.clientOrderId)
  }
}

/**
 * Whether an order proven absent is still wanted (then it is re-sent under the same client id). An entry's age is
 * elapsed time since it was created, never a wall-clock difference.
 */
function shouldResend(rt: Runtime, o: ManagedOrder): boolean {
  if (o.cancelWanted === true || !sendAllowed(rt, o)) return false
  const s = sym(rt, o.symbol)
  switch (o.role) {
    case 'entry':
      return orderAgeMs(rt, o) <= rt.config.entryIntentTtlMs && s.trade?.tradeKey === o.tradeKey && (s.phase === 'ENTRY_PENDING' || s.phase === 'IN_POSITION')
    case 'exit':
    case 'flatten':
      return s.qty !== 0 && Math.abs(s.qty) >= o.request.qty - 1e-12
    case 'reduce':
      // proven absent: re-send with the same id unless a full close took over or the position shrank meanwhile
      return s.qty !== 0 && Math.abs(s.qty) > o.request.qty + 1e-12 && s.phase !== 'EXIT_PENDING' && liveOrders(rt, o.symbol, 'exit').length + liveOrders(rt, o.symbol, 'flatten').length === 0
    case 'stop':
    case 'take-profit':
      // a fresh generation is placed by protection instead (its qty / trigger may have changed)
      return false
  }
}
