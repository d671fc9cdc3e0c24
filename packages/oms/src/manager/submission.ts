/**
 * Submission: send the create of a journaled order exactly once, and classify what came back — accepted (synced),
 * provably not sent, definitely rejected, or an unknown outcome that is resolved by querying the client id
 * (never by a blind second create).
 * @module
 */
import { isDefiniteRejection, isFatalError, isPerpkitError, type Order } from '@perpkit/core'
import { summarizeError } from '../events.js'
import type { ManagedOrder } from '../types.js'
import { orderEntry, persistLater } from './journaling.js'
import { syncOrder } from './order-sync.js'
import { stopFailed } from './protection.js'
import { moveOrder, priorityOf, sendAllowed, sym } from './records.js'
import { emit, enterFatal, now, type Runtime } from './runtime.js'
import { onOrderTerminal } from './terminal.js'
import { openRequestWindow, scheduleResolve } from './unknown-outcome.js'

/** Send a create for an order in `intent` (already journaled). Never retried at the HTTP level. */
export async function send(rt: Runtime, o: ManagedOrder): Promise<void> {
  if (o.state !== 'intent') return
  if (!sendAllowed(rt, o)) {
    moveOrder(rt, o, 'abandon')
    o.reason = rt.fatal ? 'fatal' : 'not-allowed'
    persistLater(rt, orderEntry(o))
    onOrderTerminal(rt, o)
    return
  }
  moveOrder(rt, o, 'submit')
  o.sends++
  persistLater(rt, orderEntry(o))
  emit(rt, { type: 'order-sent', timestampMs: now(rt), clientOrderId: o.clientOrderId, role: o.role, request: o.request, attempt: o.sends })
  let venueOrder: Order
  try {
    venueOrder = await rt.gw.create(o.request, priorityOf(o), () => sendAllowed(rt, o))
  } catch (error) {
    if (isPerpkitError(error, 'invalid-state') && error.details?.notSent === true) {
      moveOrder(rt, o, 'reject') // provably never sent
      o.reason = 'not-allowed'
      persistLater(rt, orderEntry(o))
      onOrderTerminal(rt, o)
      return
    }
    onCreateError(rt, o, error)
    return
  }
  syncOrder(rt, o, venueOrder)
}

function onCreateError(rt: Runtime, o: ManagedOrder, error: unknown): void {
  if (isPerpkitError(error) && error.code === 'duplicate-client-order-id') {
    // the venue already holds this client id: resolve by query, never by a second create
    toUnknown(rt, o, error)
    return
  }
  if (isDefiniteRejection(error)) {
    if (o.state === 'submitting' || o.state === 'unknown') {
      moveOrder(rt, o, 'reject')
      o.reason = summarizeError(error).code
      emit(rt, { type: 'order-rejected', timestampMs: now(rt), clientOrderId: o.clientOrderId, error: summarizeError(error) })
      persistLater(rt, orderEntry(o))
      onOrderTerminal(rt, o, error)
    }
    return
  }
  if (isFatalError(error)) enterFatal(rt, error)
  toUnknown(rt, o, error)
}

/** The create's outcome is unknown: journal that and schedule resolution by query. */
function toUnknown(rt: Runtime, o: ManagedOrder, error: unknown): void {
  if (o.state === 'submitting') moveOrder(rt, o, 'outcome-unknown')
  if (o.state !== 'unknown') return
  o.unknownSinceMs = now(rt)
  o.absentChecks = 0
  openRequestWindow(rt, o)
  emit(rt, { type: 'order-unknown', timestampMs: now(rt), clientOrderId: o.clientOrderId, error: summarizeError(error) })
  persistLater(rt, orderEntry(o))
  // a stop of unknown outcome protects nothing we can rely on: it counts as a failed attempt (the next generation
  // follows after the retry delay; too many in a row flatten the position)
  if (o.role === 'stop') stopFailed(rt, sym(rt, o.symbol))
  const retryAfter = isPerpkitError(error) && error.retryAfterMs !== undefined ? error.retryAfterMs : 0
  scheduleResolve(rt, o, Math.max(rt.config.unknownQueryIntervalMs, retryAfter))
}
