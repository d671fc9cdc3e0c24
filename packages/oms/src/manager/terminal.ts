/**
 * What happens when an order ends (filled, canceled, rejected, expired, abandoned), by role: a flat entry ends the
 * trade (or asks risk about a maker fallback), a rejected stop backs off and counts a failure, an exit that left
 * a remainder flattens, a rejected reduce-only order means our position view is stale.
 * @module
 */
import { isPerpkitError } from '@perpkit/core'
import type { ManagedOrder, SymbolRecord } from '../types.js'
import { catchUpFills, scheduleFillCatchUp } from './fills.js'
import { flatten, stopWouldTrigger } from './flatten.js'
import { persistLater, symEntry } from './journaling.js'
import { onMakerMiss } from './maker-timeout.js'
import { requestProtect, stopFailed } from './protection.js'
import { reconcile } from './reconciliation.js'
import { clearTradeIfDone, haltSymbol, liveOrders, movePhase, sym } from './records.js'
import { elapsedNow, emit, later, now, type Runtime, spawn } from './runtime.js'

/** React to an order that reached a terminal state (`error`: the venue's rejection, when there was one). */
export function onOrderTerminal(rt: Runtime, o: ManagedOrder, error?: unknown): void {
  const { config } = rt
  const s = sym(rt, o.symbol)
  switch (o.role) {
    case 'entry': {
      requestProtect(rt, o.symbol) // the working-entry part of the stop shrinks
      if (s.trade?.tradeKey !== o.tradeKey) break
      s.trade.entryWorking = false
      const anyFill = o.filledQty > 0 || (o.venueFilledQty ?? 0) > 0 || o.state === 'filled'
      if (s.qty === 0 && !anyFill && liveOrders(rt, o.symbol, 'entry').length === 0) {
        const makerMiss = o.reason === 'maker-timeout' || (isPerpkitError(error) && error.code === 'post-only-rejected') || (o.state === 'expired' && o.request.timeInForce === 'post-only')
        if (makerMiss && s.phase === 'ENTRY_PENDING') spawn(rt, 'maker-timeout', () => onMakerMiss(rt, s, o))
        else endEntryFlat(rt, s)
      }
      break
    }
    case 'stop':
      if (o.state === 'rejected' || (o.state === 'expired' && o.reason === 'absent')) {
        rt.stopBackoffUntil.set(o.symbol, elapsedNow(rt) + config.stopRetryDelayMs)
        if (isPerpkitError(error) && error.code === 'would-immediately-trigger') {
          spawn(rt, 'stop-would-trigger', () => stopWouldTrigger(rt, s))
        } else if (s.qty === 0 && isPerpkitError(error) && error.code === 'reduce-only-rejected' && s.trade !== undefined) {
          s.trade.preProtectRejected = true // the venue refuses reduce-only stops without a position: protect on fill
        } else if (o.reason !== 'not-allowed' && !(o.reason === 'absent' && liveOrders(rt, o.symbol, 'stop').some((x) => x.state === 'open'))) {
          stopFailed(rt, s) // a stop proven absent while another one is open was only a replaced attempt
        }
      }
      requestProtect(rt, o.symbol)
      break
    case 'take-profit':
      if (o.state === 'rejected' || (o.state === 'expired' && o.reason === 'absent')) {
        rt.stopBackoffUntil.set(`tp|${o.symbol}`, elapsedNow(rt) + config.stopRetryDelayMs * 4)
        later(rt, config.stopRetryDelayMs * 4, () => requestProtect(rt, o.symbol))
        // the take-profit level is already crossed: take the profit now, as the order would have
        if (isPerpkitError(error, 'would-immediately-trigger') && s.qty !== 0) spawn(rt, 'tp-crossed', () => flatten(rt, s, 'take-profit level already crossed'))
      } else requestProtect(rt, o.symbol)
      break
    case 'exit':
    case 'flatten':
      if (s.qty !== 0 && s.phase === 'EXIT_PENDING' && liveOrders(rt, o.symbol, 'exit').length + liveOrders(rt, o.symbol, 'flatten').length === 0) {
        if (o.state === 'filled' || o.state === 'canceled' || o.state === 'expired' || o.reason === 'absent') {
          // a close the venue reports filled before its fills reached us leaves no remainder: fetch them first
          if (unappliedFillQty(rt, o) > 0) awaitCloseFills(rt, s, o, elapsedNow(rt) + config.flattenAfterUncoveredMs)
          else spawn(rt, 're-exit', () => flatten(rt, s, 'exit left a remainder'))
        } else if (isPerpkitError(error, 'reduce-only-rejected')) {
          // the venue has nothing to reduce: our position view is stale; catch up instead of retrying
          rt.needFills.add(o.symbol)
          scheduleFillCatchUp(rt)
          spawn(rt, 'reconcile-after-reduce-only-reject', () => reconcile(rt, 'manual'))
        } else if (o.role === 'flatten') {
          const n = (rt.flattenFailures.get(o.symbol) ?? 0) + 1
          rt.flattenFailures.set(o.symbol, n)
          if (n >= 5) {
            emit(rt, { type: 'breaker-trip', timestampMs: now(rt), reason: 'flatten keeps failing', symbol: o.symbol })
            haltSymbol(rt, s, 'flatten keeps failing')
            spawn(rt, 'reconcile-after-flatten-failures', () => reconcile(rt, 'manual'))
          } else later(rt, config.stopRetryDelayMs * n, () => spawn(rt, 'flatten-retry', () => flatten(rt, s, 'flatten rejected, retrying')))
        } else movePhase(rt, s, 'exit-aborted')
      }
      requestProtect(rt, o.symbol)
      break
    case 'reduce':
      // not retried (the caller decides); a reduce-only rejection means our position view is stale
      if (isPerpkitError(error, 'reduce-only-rejected')) {
        rt.needFills.add(o.symbol)
        scheduleFillCatchUp(rt)
      }
      requestProtect(rt, o.symbol) // the stop and take-profit follow the remaining position
      break
  }
  clearTradeIfDone(rt, s)
}

/** The entry ended with nothing filled: the trade is over. */
export function endEntryFlat(rt: Runtime, s: SymbolRecord): void {
  if (s.phase === 'ENTRY_PENDING' || s.phase === 'EXIT_PENDING') movePhase(rt, s, 'entry-ended-flat')
  clearTradeIfDone(rt, s)
  persistLater(rt, { symbols: [symEntry(s)] })
}

/**
 * Qty the venue reported filled on `o` (its last report, or the whole order once it is `filled`) beyond the fills
 * applied: fills on their way to us.
 */
function unappliedFillQty(rt: Runtime, o: ManagedOrder): number {
  const reported = Math.max(o.venueFilledQty ?? 0, o.state === 'filled' ? o.request.qty : 0)
  const step = rt.instruments.get(o.symbol)?.lotStep ?? 1e-12
  return reported - o.filledQty > step * 1e-6 ? reported - o.filledQty : 0
}

/**
 * A close ended with fills the venue reported but we have not applied (the order's REST report overtook its
 * stream fills): fetch them from the fill history. Applying the last one re-runs {@link onOrderTerminal}, which
 * flattens a real remainder then. If they cannot be had before `deadlineMs` (elapsed time), flatten anyway: the
 * close is reduce-only, so a venue already flat refuses it and the refusal triggers a reconcile.
 */
function awaitCloseFills(rt: Runtime, s: SymbolRecord, o: ManagedOrder, deadlineMs: number): void {
  if (rt.closeFillWaits.has(o.clientOrderId)) return
  rt.closeFillWaits.add(o.clientOrderId)
  spawn(rt, 'close-fills', async () => {
    try {
      await catchUpFills(rt, o.symbol, 'protective')
    } catch {
      // the fill stream may still deliver them; retried below until the deadline
    } finally {
      rt.closeFillWaits.delete(o.clientOrderId)
    }
    if (unappliedFillQty(rt, o) === 0) return // applied: onOrderTerminal already decided on the remainder
    if (s.qty === 0 || s.phase !== 'EXIT_PENDING' || rt.stopped) return
    if (elapsedNow(rt) >= deadlineMs) await flatten(rt, s, 'exit left a remainder')
    else later(rt, rt.config.stopRetryDelayMs, () => awaitCloseFills(rt, s, o, deadlineMs))
  })
}
