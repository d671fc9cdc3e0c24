/**
 * The user stream: order updates and fills are applied as they arrive; a disconnect turns the manager DEGRADED
 * (no entries; reconcile on a timer while there is exposure; HALT every symbol when it lasts too long) until a
 * reconnect is followed by a successful reconciliation. A liquidation halts the symbol and fetches its fills.
 * @module
 */
import type { UserStreamEvent } from '@perpkit/core'
import { applyFill, scheduleFillCatchUp } from './fills.js'
import { syncOrder } from './order-sync.js'
import { reconcile } from './reconciliation.js'
import { haltSymbol, liveOrders, sym } from './records.js'
import { elapsedNow, emit, later, now, type Runtime, spawn } from './runtime.js'

/** Handle one user-stream event. */
export function onStreamEvent(rt: Runtime, ev: UserStreamEvent): void {
  if (rt.stopped) return
  rt.lastStreamEventMs = elapsedNow(rt)
  switch (ev.type) {
    case 'order': {
      const o = rt.state.orders[ev.order.clientOrderId]
      // an unknown open order seen on the stream is judged by reconciliation (3 consecutive checks)
      if (o !== undefined) syncOrder(rt, o, ev.order)
      break
    }
    case 'fill':
      applyFill(rt, ev.fill)
      break
    case 'connection':
      if (ev.state === 'open') {
        rt.streamUp = true
        if (rt.degraded || !rt.reconciled) {
          rt.reconciled = false
          spawn(rt, 'reconcile-after-reconnect', () => reconcile(rt, 'reconnect'))
        }
      } else if (!rt.degraded) {
        rt.streamUp = false
        rt.degraded = true
        rt.degradedSinceMs = elapsedNow(rt)
        rt.reconciled = false
        emit(rt, { type: 'degraded', timestampMs: now(rt), on: true, reason: `stream ${ev.state}` as const })
        degradedTick(rt, rt.degradedSinceMs)
      }
      break
    case 'liquidation':
      emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'liquidation', symbol: ev.symbol })
      haltSymbol(rt, sym(rt, ev.symbol), 'liquidation')
      rt.needFills.add(ev.symbol)
      scheduleFillCatchUp(rt)
      break
    default:
      break
  }
}

function degradedTick(rt: Runtime, since: number): void {
  later(rt, rt.config.degradedReconcileIntervalMs, () => {
    if (!rt.degraded || rt.degradedSinceMs !== since) return
    if (elapsedNow(rt) - since >= rt.config.degradedHaltAfterMs) {
      for (const s of Object.values(rt.state.symbols)) haltSymbol(rt, s, 'degraded too long')
      for (const symbol of rt.instruments.keys()) haltSymbol(rt, sym(rt, symbol), 'degraded too long')
    }
    const inPosition = Object.values(rt.state.symbols).some((s) => s.qty !== 0 || liveOrders(rt, s.symbol).length > 0)
    if (inPosition) spawn(rt, 'degraded-reconcile', () => reconcile(rt, 'degraded'))
    degradedTick(rt, since)
  })
}

/**
 * Stream staleness watchdog: a half-open socket delivers nothing and never reports a disconnect. While orders are
 * working or a position is open, no event for `streamStaleAfterMs` (a pong the adapter reports as a repeated
 * `connection: open` counts as one) turns the manager DEGRADED (no entries) and
 * reconciles at once; the reconcile catches up missed fills (so protection follows) and ends DEGRADED. The check
 * repeats every interval for as long as the stream stays silent.
 */
export function scheduleStaleCheck(rt: Runtime): void {
  const staleAfterMs = rt.config.streamStaleAfterMs
  if (staleAfterMs <= 0) return
  rt.lastStreamEventMs = elapsedNow(rt)
  const check = (): void => {
    if (rt.stopped) return
    const exposed = Object.values(rt.state.symbols).some((s) => s.qty !== 0 || liveOrders(rt, s.symbol).length > 0)
    const silentMs = elapsedNow(rt) - rt.lastStreamEventMs
    if (!exposed) rt.lastStreamEventMs = elapsedNow(rt) // a quiet stream is normal while nothing can change
    else if (silentMs >= staleAfterMs && !rt.degraded) {
      rt.lastStreamEventMs = elapsedNow(rt) // the next verdict comes one full interval later
      rt.degraded = true
      rt.degradedSinceMs = elapsedNow(rt)
      emit(rt, { type: 'degraded', timestampMs: now(rt), on: true, reason: 'stream stale', silentMs })
      spawn(rt, 'stale-reconcile', () => reconcile(rt, 'degraded'))
      degradedTick(rt, rt.degradedSinceMs)
    }
    later(rt, Math.max(1, Math.floor(staleAfterMs / 4)), check)
  }
  later(rt, Math.max(1, Math.floor(staleAfterMs / 4)), check)
}
