/**
 * Cancel: an order never sent is abandoned locally; a sent one is canceled at the venue and the answer synced;
 * a failed cancel asks the venue what happened to the order instead of assuming.
 * @module
 */
import { isPerpkitError } from '@perpkit/core'
import type { RequestPriority } from '../budget.js'
import { isTerminalOrderState } from '../order-state.js'
import type { ManagedOrder } from '../types.js'
import { orderEntry, persistLater } from './journaling.js'
import { syncOrder } from './order-sync.js'
import { requestProtect } from './protection.js'
import { moveOrder, st } from './records.js'
import { later, type Runtime } from './runtime.js'
import { requestWindowOpen } from './unknown-outcome.js'
import { onOrderTerminal } from './terminal.js'

/** Cancel one order (no-op when it is terminal, already being canceled, or its create is still unresolved). */
export async function cancelOrder(rt: Runtime, o: ManagedOrder, priority: RequestPriority): Promise<void> {
  if (isTerminalOrderState(o.state) || o.state === 'cancel-pending') return
  if (o.state === 'intent' && o.maybeSent !== true) {
    delete o.awaitingProtection
    moveOrder(rt, o, 'abandon')
    persistLater(rt, orderEntry(o))
    onOrderTerminal(rt, o)
    return
  }
  if ((o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)) && requestWindowOpen(rt, o.clientOrderId)) {
    await cancelInsideWindow(rt, o, priority)
    return
  }
  if (o.state === 'submitting' || o.state === 'intent') return // resolved first; protection re-runs after
  if (!moveOrder(rt, o, 'request-cancel')) return
  persistLater(rt, orderEntry(o))
  rt.cancelling.add(o.clientOrderId)
  try {
    const v = await rt.gw.cancel({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priority)
    syncOrder(rt, o, v)
    if (st(o) === 'cancel-pending') {
      moveOrder(rt, o, 'cancel-confirmed')
      persistLater(rt, orderEntry(o))
      onOrderTerminal(rt, o)
    }
  } catch (error) {
    if (st(o) !== 'cancel-pending') return
    moveOrder(rt, o, 'cancel-failed')
    persistLater(rt, orderEntry(o))
    // not found / unknown: ask the venue what happened to it
    try {
      const v = await rt.gw.fetchOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priority)
      if (v !== null) syncOrder(rt, o, v)
      else if (isPerpkitError(error, 'order-not-found')) {
        moveOrder(rt, o, 'cancel-confirmed')
        persistLater(rt, orderEntry(o))
        onOrderTerminal(rt, o)
      }
    } catch {
      // the next protection pass or reconciliation retries
    }
    if (!isTerminalOrderState(o.state)) later(rt, rt.config.stopRetryDelayMs, () => requestProtect(rt, o.symbol))
  } finally {
    rt.cancelling.delete(o.clientOrderId)
  }
}

/**
 * Cancel an order whose create outcome is unknown while that create may still execute (its validity window is
 * open). A cancel answered "unknown order" now is not proof of absence: the create may land a moment later. So the
 * order stays ambiguous and is marked unwanted: the venue is asked to cancel it now; if it turns up live later it is
 * canceled (order sync), and once the window has closed "not found" proves it absent and it is never re-sent.
 */
async function cancelInsideWindow(rt: Runtime, o: ManagedOrder, priority: RequestPriority): Promise<void> {
  if (o.cancelWanted === true) return
  o.cancelWanted = true
  persistLater(rt, orderEntry(o))
  try {
    const v = await rt.gw.cancel({ symbol: o.symbol, clientOrderId: o.clientOrderId }, priority)
    if (o.state === 'intent') moveOrder(rt, o, 'submit')
    syncOrder(rt, o, v)
  } catch {
    // "unknown order" inside the window proves nothing; the window's end decides (see unknown-outcome)
  }
}
