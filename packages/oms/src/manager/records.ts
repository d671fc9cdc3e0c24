/**
 * The records the manager keeps and their legal moves: symbol records and their position phase, managed orders
 * and their state, the stop status, the index of live orders per symbol, and whether an order may be sent now.
 * Every transition goes through the state machines of `order-state` / `position-state` and emits an event.
 * @module
 */
import type { OrderRequest } from '@perpkit/core'
import type { RequestPriority } from '../budget.js'
import { type OrderRole, parseClientOrderId } from '../client-order-id.js'
import { isTerminalOrderState, nextOrderState, type OrderEvent, type OrderState } from '../order-state.js'
import { nextPositionPhase, type PositionEvent } from '../position-state.js'
import type { ManagedOrder, StopStatus, SymbolRecord } from '../types.js'
import { flatten } from './flatten.js'
import { persistLater, symEntry } from './journaling.js'
import { elapsedNow, emit, later, now, type Runtime, spawn, tradingMode } from './runtime.js'

/** Reads an order's state without TypeScript narrowing (state changes inside awaited calls). */
export const st = (o: ManagedOrder): OrderState => o.state

/** The record of `symbol`, created FLAT on first use. */
export function sym(rt: Runtime, symbol: string): SymbolRecord {
  let s = rt.state.symbols[symbol]
  if (s === undefined) {
    s = { symbol, phase: 'FLAT', qty: 0, avgEntryPrice: 0, stopStatus: 'NONE', stopFailures: 0, lastStopUpdateMs: 0, lastFillMs: 0 }
    rt.state.symbols[symbol] = s
  }
  return s
}

/** Apply a position event if legal (COOLDOWN arms its timer); returns whether it was legal. */
export function movePhase(rt: Runtime, s: SymbolRecord, event: PositionEvent): boolean {
  const to = nextPositionPhase(s.phase, event)
  if (to === undefined) return false
  const from = s.phase
  if (to === from && event !== 'halt') return true
  s.phase = to
  emit(rt, { type: 'position-phase', timestampMs: now(rt), symbol: s.symbol, from, event, to })
  if (to === 'COOLDOWN') {
    later(rt, rt.config.cooldownMs, () => {
      if (s.phase === 'COOLDOWN' && s.qty === 0) {
        movePhase(rt, s, 'cooldown-elapsed')
        clearTradeIfDone(rt, s)
        persistLater(rt, { symbols: [symEntry(s)] })
      }
    })
  }
  return true
}

/** Apply an order event if legal (keeps the live index and the ambiguity fields in step); returns whether it was legal. */
export function moveOrder(rt: Runtime, o: ManagedOrder, event: OrderEvent): boolean {
  const to = nextOrderState(o.state, event)
  if (to === undefined) return false
  const from = o.state
  o.state = to
  o.updatedAtMs = now(rt)
  if (isTerminalOrderState(to) !== isTerminalOrderState(from)) indexOrder(rt, o)
  emit(rt, { type: 'order-state', timestampMs: now(rt), clientOrderId: o.clientOrderId, symbol: o.symbol, role: o.role, from, event, to })
  if (to !== 'unknown' && to !== 'intent') {
    delete o.unknownSinceMs
    rt.ambiguousSince.delete(o.clientOrderId)
    delete o.maybeSent
    o.absentChecks = 0
  }
  return true
}

/**
 * Set the stop status; while a position is not covered by an ACTIVE stop a watchdog runs, and the position is
 * flattened when it stays uncovered for `flattenAfterUncoveredMs`.
 */
export function setStopStatus(rt: Runtime, s: SymbolRecord, status: StopStatus): void {
  if (s.stopStatus !== status) {
    s.stopStatus = status
    emit(rt, { type: 'stop-status', timestampMs: now(rt), symbol: s.symbol, status, failures: s.stopFailures })
  }
  if (status === 'ACTIVE' || status === 'NONE' || s.qty === 0) {
    rt.uncoveredSince.delete(s.symbol)
    return
  }
  if (!rt.uncoveredSince.has(s.symbol)) {
    const since = now(rt)
    rt.uncoveredSince.set(s.symbol, since)
    later(rt, rt.config.flattenAfterUncoveredMs, () => {
      if (rt.uncoveredSince.get(s.symbol) === since && s.qty !== 0 && s.stopStatus !== 'ACTIVE') {
        spawn(rt, 'flatten-watchdog', () => flatten(rt, s, 'stop not active in time'))
      }
    })
  }
}

/** HALT a symbol: no entries, protection continues. */
export function haltSymbol(rt: Runtime, s: SymbolRecord, reason: string): void {
  if (s.phase === 'HALT') return
  movePhase(rt, s, 'halt')
  s.haltReason = reason
  emit(rt, { type: 'halted', timestampMs: now(rt), symbol: s.symbol, reason })
  persistLater(rt, { symbols: [symEntry(s)] })
}

/** Add or remove an order in the live index of its symbol. */
export function indexOrder(rt: Runtime, o: ManagedOrder): void {
  let set = rt.liveIndex.get(o.symbol)
  if (set === undefined) {
    set = new Set()
    rt.liveIndex.set(o.symbol, set)
  }
  // terminal orders stay indexed while the venue reports fills we have not applied yet (still exposure)
  if (isTerminalOrderState(o.state) && !((o.venueFilledQty ?? 0) > o.filledQty + 1e-12)) set.delete(o)
  else set.add(o)
}

/**
 * Rebuild the live index, the trade-key set and the creation times on the monotonic clock from the state (after
 * recovery): an order journaled by an earlier process gets its wall-clock age (never negative), converted once.
 */
export function rebuildIndex(rt: Runtime): void {
  rt.liveIndex.clear()
  rt.tradeKeys.clear()
  rt.createdElapsed.clear()
  for (const o of Object.values(rt.state.orders)) {
    indexOrder(rt, o)
    rt.tradeKeys.add(o.tradeKey)
    rt.createdElapsed.set(o.clientOrderId, elapsedNow(rt) - Math.max(0, now(rt) - o.createdAtMs))
  }
}

/** Elapsed time since the order was created (monotonic clock; see `Runtime.createdElapsed`). */
export function orderAgeMs(rt: Runtime, o: ManagedOrder): number {
  const born = rt.createdElapsed.get(o.clientOrderId)
  return born === undefined ? Math.max(0, now(rt) - o.createdAtMs) : elapsedNow(rt) - born
}

/** Non-terminal orders of `symbol` (of one role), in creation order. */
export function liveOrders(rt: Runtime, symbol: string, role?: OrderRole): ManagedOrder[] {
  const out: ManagedOrder[] = []
  for (const o of rt.liveIndex.get(symbol) ?? []) if ((role === undefined || o.role === role) && !isTerminalOrderState(o.state)) out.push(o)
  return out
}

/** Forget the trade of a flat symbol with no live order left. */
export function clearTradeIfDone(rt: Runtime, s: SymbolRecord): void {
  if (s.qty === 0 && s.trade !== undefined && liveOrders(rt, s.symbol).length === 0 && (s.phase === 'FLAT' || s.phase === 'HALT')) delete s.trade
}

/** Whether an order may be sent now: HALTED → only protective / reduce-only; REDUCING → only reduce-only. */
export function sendAllowed(rt: Runtime, o: ManagedOrder): boolean {
  if (rt.fatal || rt.stopped) return false
  if (o.request.reduceOnly === true) return true
  if (o.role === 'entry' && (rt.degraded || !rt.reconciled)) return false // DEGRADED / unreconciled: no entries
  const mode = tradingMode(rt)
  if (mode !== 'normal') return false
  return sym(rt, o.symbol).phase !== 'HALT'
}

/** Create a managed order in `intent` (not journaled yet) and index it. */
export function newOrder(rt: Runtime, args: { symbol: string; role: OrderRole; tradeKey: string; request: OrderRequest }): ManagedOrder {
  const o: ManagedOrder = {
    clientOrderId: args.request.clientOrderId,
    symbol: args.symbol,
    role: args.role,
    tradeKey: args.tradeKey,
    request: args.request,
    state: 'intent',
    filledQty: 0,
    avgFillPrice: 0,
    createdAtMs: now(rt),
    updatedAtMs: now(rt),
    sends: 0,
    absentChecks: 0,
  }
  // every order of a trade carries its signal's time: it bounds how long the trade's ids are remembered
  const trade = rt.state.symbols[args.symbol]?.trade
  if (trade?.tradeKey === args.tradeKey && trade.signalTimeMs !== undefined) o.signalTimeMs = trade.signalTimeMs
  rt.state.orders[o.clientOrderId] = o
  rt.createdElapsed.set(o.clientOrderId, elapsedNow(rt))
  rt.tradeKeys.add(o.tradeKey)
  indexOrder(rt, o)
  return o
}

/**
 * Whether a trade key was ever used: by an order still in the state, or by orders that left the retained window
 * (`state.retired`, durable through snapshots and restarts).
 */
export function tradeKeyUsed(rt: Runtime, tradeKey: string): boolean {
  return rt.state.retired?.[tradeKey] !== undefined || rt.tradeKeys.has(tradeKey)
}

/**
 * Whether a client id was ever used: in the state, retired itself, or (for a derived id) part of a retired trade.
 * Generations of a live trade are checked here; a new trade's key is checked with {@link tradeKeyUsed}.
 */
export function clientIdUsed(rt: Runtime, clientOrderId: string): boolean {
  if (rt.state.orders[clientOrderId] !== undefined) return true
  const retired = rt.state.retired
  if (retired === undefined) return false
  return retired[clientOrderId] !== undefined || retired[parseClientOrderId(clientOrderId)?.tradeKey ?? ''] !== undefined
}

/** Request priority of an order: entries are normal, everything else protects a position. */
export const priorityOf = (o: ManagedOrder): RequestPriority => (o.role === 'entry' ? 'normal' : 'protective')
