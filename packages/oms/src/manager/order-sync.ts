/**
 * Venue → local order sync: move a managed order toward the venue's view of it (stream event, query answer,
 * cancel/amend answer). Only legal, forward transitions are applied; a view older than ours is reported as stale.
 * @module
 */
import { isNewerOrSameOrderView, type Order } from '@perpkit/core'
import { isTerminalOrderState, nextOrderState, type OrderEvent, type OrderState } from '../order-state.js'
import type { ManagedOrder } from '../types.js'
import { cancelOrder } from './cancel.js'
import { scheduleFillCatchUp } from './fills.js'
import { orderEntry, persistLater } from './journaling.js'
import { requestProtect } from './protection.js'
import { indexOrder, moveOrder } from './records.js'
import { emit, now, type Runtime, spawn } from './runtime.js'
import { onOrderTerminal } from './terminal.js'

/** Move a local order toward the venue's view; only legal, forward transitions are applied. */
export function syncOrder(rt: Runtime, o: ManagedOrder, v: Order): void {
  if (v.venueOrderId.length > 0) o.venueOrderId = v.venueOrderId
  const firstReport = o.venueCreatedAtMs === undefined
  if (firstReport) o.venueCreatedAtMs = v.createdAtMs
  const newer = isNewerOrSameOrderView({ previous: { updateId: o.venueUpdateId }, next: v })
  if (newer && v.updateId !== undefined) o.venueUpdateId = v.updateId
  const resized = newer && adoptVenueTerms(o, v)
  const before = o.state
  const step = (event: OrderEvent): void => {
    if (nextOrderState(o.state, event) !== undefined) moveOrder(rt, o, event)
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
    emit(rt, { type: 'stale-update', timestampMs: now(rt), clientOrderId: o.clientOrderId, state: o.state, venueStatus: v.status })
    if (isTerminalOrderState(o.state) && LIVE_ON_VENUE.has(v.status)) cancelResurrected(rt, o)
  }
  const moreFilled = v.filledQty > (o.venueFilledQty ?? 0)
  if (moreFilled) {
    o.venueFilledQty = v.filledQty
    indexOrder(rt, o)
    rt.fillEpoch++ // a position snapshot fetched before this report may not hold these fills yet
  }
  if (v.filledQty > o.filledQty + 1e-12) rt.needFills.add(o.symbol)
  if (o.state !== before || resized) {
    persistLater(rt, orderEntry(o))
    afterOrderChange(rt, o)
  } else if (moreFilled || firstReport) {
    persistLater(rt, orderEntry(o)) // the venue's clock and filled qty are what a later fill catch-up starts from
    if (rt.needFills.size > 0) scheduleFillCatchUp(rt)
  }
  // canceled while its create was still in doubt, and now live: the cancel it was meant to get
  if (o.cancelWanted === true && !isTerminalOrderState(o.state) && o.state !== 'cancel-pending' && LIVE_ON_VENUE.has(v.status)) {
    spawn(rt, 'cancel-late-create', () => cancelOrder(rt, o, 'protective'))
  }
}

/**
 * A live protective order whose qty or trigger on the venue differs from what we asked for last: an amend that
 * timed out landed after a later one (or after we gave up on it). The venue's terms are what protects the
 * position, so they become ours; protection then compares them with what the position needs and amends again.
 * Returns whether anything changed.
 */
function adoptVenueTerms(o: ManagedOrder, v: Order): boolean {
  if ((o.role !== 'stop' && o.role !== 'take-profit') || !LIVE_ON_VENUE.has(v.status) || isTerminalOrderState(o.state)) return false
  const qtyMoved = Math.abs(v.qty - o.request.qty) > 1e-12
  const triggerMoved = v.triggerPrice !== undefined && o.request.triggerPrice !== undefined && v.triggerPrice !== o.request.triggerPrice
  if (!qtyMoved && !triggerMoved) return false
  o.request = { ...o.request, qty: v.qty, ...(triggerMoved ? { triggerPrice: v.triggerPrice } : {}) }
  return true
}

const LIVE_ON_VENUE: ReadonlySet<Order['status']> = new Set(['open', 'untriggered', 'triggered', 'partially-filled'])

/**
 * The venue reports live an order we consider finished: a create that arrived late (after we gave up on it, or
 * after a cancel answered "unknown order" while it was still in flight). Nobody wants it: cancel it on the venue,
 * so it can never act on a later position.
 */
function cancelResurrected(rt: Runtime, o: ManagedOrder): void {
  if (rt.cancelling.has(o.clientOrderId) || rt.fatal || rt.stopped) return
  rt.cancelling.add(o.clientOrderId)
  spawn(rt, 'cancel-resurrected', async () => {
    try {
      await rt.gw.cancel({ symbol: o.symbol, clientOrderId: o.clientOrderId }, 'protective')
    } catch {
      // the next venue report of it (stream or reconcile) tries again
    } finally {
      rt.cancelling.delete(o.clientOrderId)
    }
  })
}

function venueStateOf(status: Order['status']): OrderState {
  return status === 'untriggered' ? 'open' : status
}

/** After an order moved: handle its end, or re-run protection; fetch fills the venue reported but we lack. */
export function afterOrderChange(rt: Runtime, o: ManagedOrder): void {
  if (isTerminalOrderState(o.state)) onOrderTerminal(rt, o)
  else requestProtect(rt, o.symbol)
  if (rt.needFills.size > 0) scheduleFillCatchUp(rt)
}
