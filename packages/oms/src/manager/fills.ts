/**
 * Fill application: each execution is applied once per trade id and never beyond its order's qty; it moves the
 * order, the position (qty, average entry price, phase) and re-runs protection. Fills the stream did not deliver
 * are caught up from the venue's fill history. Averages (order fill price, position entry price) follow core's
 * `nextAveragePrice`: arithmetic in price for linear contracts, harmonic for inverse ones.
 * @module
 */
import { type Fill, nextAveragePrice, roundToStep } from '@perpkit/core'
import type { RequestPriority } from '../budget.js'
import { summarizeError } from '../events.js'
import { isTerminalOrderState, nextOrderState, type OrderEvent } from '../order-state.js'
import { cancelOrder } from './cancel.js'
import { orderEntry, persistLater, symEntry } from './journaling.js'
import { requestProtect, scheduleStopVerify } from './protection.js'
import { haltSymbol, indexOrder, liveOrders, moveOrder, movePhase, sym } from './records.js'
import { emit, later, now, type Runtime, spawn } from './runtime.js'
import { onOrderTerminal } from './terminal.js'

/** Fetch the missing fills of every symbol in `needFills` (once per turn; retried while it fails). */
export function scheduleFillCatchUp(rt: Runtime): void {
  if (rt.fillCatchUpQueued) return
  rt.fillCatchUpQueued = true
  later(rt, 0, () =>
    spawn(rt, 'fill-catch-up', async () => {
      rt.fillCatchUpQueued = false
      const symbols = [...rt.needFills]
      rt.needFills.clear()
      for (const symbol of symbols) {
        try {
          await catchUpFills(rt, symbol, 'protective')
        } catch (error) {
          rt.needFills.add(symbol) // try again shortly; until then the stop keeps covering the reported fills
          emit(rt, { type: 'internal-error', timestampMs: now(rt), where: 'fill-catch-up', error: summarizeError(error) })
          later(rt, rt.config.degradedReconcileIntervalMs, () => scheduleFillCatchUp(rt))
        }
      }
    }),
  )
}

/** Apply the venue's fills of `symbol` from {@link fillWindowStartMs} on; returns how many were new. */
export async function catchUpFills(rt: Runtime, symbol: string, priority: RequestPriority): Promise<number> {
  const fills = await rt.gw.fetchFills({ symbol, sinceMs: fillWindowStartMs(rt, symbol) }, priority)
  let applied = 0
  for (const f of fills) if (applyFill(rt, f)) applied++
  return applied
}

/**
 * Where a fill-history query of `symbol` starts, on the venue's clock: the venue stamps fills with its own time,
 * and our wall clock may be far from it (skew, NTP steps), so the window is built from venue times — the time of
 * the last applied fill and the creation time the venue reported for every indexed order (live, or finished with
 * reported fills we have not applied yet) — minus `fillLookbackMs`. Only an order the venue has never reported
 * (whose fills, if any, we have not been told of either) falls back to our own creation time.
 */
function fillWindowStartMs(rt: Runtime, symbol: string): number {
  const { lastFillMs } = sym(rt, symbol)
  let oldest = lastFillMs === 0 ? Number.POSITIVE_INFINITY : lastFillMs
  for (const o of rt.liveIndex.get(symbol) ?? []) oldest = Math.min(oldest, o.venueCreatedAtMs ?? o.createdAtMs)
  return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, oldest - rt.config.fillLookbackMs)
}

/** Apply one execution, once per trade id, never beyond the order's qty. */
export function applyFill(rt: Runtime, f: Fill): boolean {
  const { state } = rt
  const key = `${f.symbol}|${f.tradeId}`
  if (state.tradeIds[key] !== undefined || rt.prunedTradeIds.has(key)) {
    emit(rt, { type: 'fill-ignored', timestampMs: now(rt), tradeId: f.tradeId, reason: 'duplicate' })
    return false
  }
  rt.fillEpoch++ // a position snapshot fetched before this point may predate it
  const ins = rt.instruments.get(f.symbol)
  const o = state.orders[f.clientOrderId]
  const s = sym(rt, f.symbol)
  const step = ins?.lotStep ?? 1e-12
  const kind = ins?.kind ?? 'linear'
  if (o !== undefined) {
    if (o.filledQty + f.qty > o.request.qty + step * 1e-6) {
      emit(rt, { type: 'fill-ignored', timestampMs: now(rt), tradeId: f.tradeId, reason: 'overfill' })
      return false
    }
    const filled = roundToStep({ value: o.filledQty + f.qty, step })
    o.avgFillPrice = nextAveragePrice({ kind, qty: o.filledQty, averagePrice: o.avgFillPrice, fillQty: f.qty, fillPrice: f.price })
    o.filledQty = filled
    indexOrder(rt, o)
    o.updatedAtMs = now(rt)
    if (o.state === 'intent') moveOrder(rt, o, 'submit')
    const complete = filled >= o.request.qty - step * 1e-6
    const ev: OrderEvent = complete ? 'fill' : 'partial-fill'
    if (nextOrderState(o.state, ev) !== undefined && !(o.state === 'partially-filled' && ev === 'partial-fill')) moveOrder(rt, o, ev)
  } else {
    // an execution of an order we never sent (manual trade, liquidation, ADL): the position is real but not ours
    rt.orphanCount++
    emit(rt, { type: 'fill-ignored', timestampMs: now(rt), tradeId: f.tradeId, reason: 'foreign' })
    emit(rt, { type: 'orphan', timestampMs: now(rt), symbol: f.symbol, kind: 'position', clientOrderId: f.clientOrderId, qty: f.qty })
    emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'orphan position', symbol: f.symbol })
    haltSymbol(rt, s, 'fill of an order the OMS does not know')
  }
  state.tradeIds[key] = f.timestampMs
  const prev = s.qty
  const signed = f.side === 'buy' ? f.qty : -f.qty
  const next = roundToStep({ value: prev + signed, step })
  if (prev === 0 || Math.sign(next) !== Math.sign(prev)) s.avgEntryPrice = next === 0 ? 0 : f.price
  else if (Math.abs(next) > Math.abs(prev)) s.avgEntryPrice = nextAveragePrice({ kind, qty: Math.abs(prev), averagePrice: s.avgEntryPrice, fillQty: f.qty, fillPrice: f.price })
  s.qty = next === 0 ? 0 : next
  if (s.qty === 0) s.avgEntryPrice = 0
  s.lastFillMs = Math.max(s.lastFillMs, f.timestampMs)
  if (s.trade !== undefined && o?.role === 'entry') s.trade.entryWorking = !isTerminalOrderState(o.state)
  emit(rt, { type: 'fill-applied', timestampMs: now(rt), fill: f, positionQty: s.qty })
  if (prev === 0 && s.qty !== 0) movePhase(rt, s, 'position-opened')
  else if (prev !== 0 && s.qty === 0) {
    movePhase(rt, s, 'position-closed')
    rt.flattenFailures.delete(s.symbol)
    // the trade is over (stop, take-profit or exit): a still-working entry must not reopen it unprotected
    for (const e of liveOrders(rt, s.symbol, 'entry')) if (o?.role !== 'entry') spawn(rt, 'cancel-entry-after-close', () => cancelOrder(rt, e, 'protective'))
  }
  persistLater(rt, { ...(o === undefined ? {} : orderEntry(o)), symbols: [symEntry(s)], tradeIds: [[key, f.timestampMs]] })
  if (o !== undefined && isTerminalOrderState(o.state)) onOrderTerminal(rt, o)
  requestProtect(rt, f.symbol)
  // after an entry fill, the stop must really be on the book; after a stop's fill, how it ended must be known
  if (o?.role === 'entry' || o?.role === 'stop') scheduleStopVerify(rt, f.symbol)
  return true
}
