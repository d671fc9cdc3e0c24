/**
 * The persistent state of the order manager and how journal entries rebuild it.
 * @module
 */
import type { ManagedOrder, OmsJournalEntry, OmsState, SymbolRecord } from './types.js'
import { clonePlain } from './clone.js'
import { parseClientOrderId } from './client-order-id.js'
import { isTerminalOrderState } from './order-state.js'

/**
 * An empty state.
 * @returns a fresh state
 * @example
 * ```ts
 * import { emptyOmsState } from '@perpkit/oms'
 * emptyOmsState().orders // {}
 * ```
 */
export function emptyOmsState(): OmsState {
  return { version: 1, orders: {}, symbols: {}, tradeIds: {} }
}

/**
 * Apply one journal entry (an atomic upsert) to a state, in place. Replaying every entry of a journal after its
 * snapshot rebuilds the state exactly.
 * @param state - state to update
 * @param entry - the journal entry
 * @example
 * ```ts
 * import { applyJournalEntry, emptyOmsState } from './state.js' // applyJournalEntry is internal
 * const s = emptyOmsState()
 * applyJournalEntry(s, { tradeIds: [['t1', 5]] }) // s.tradeIds.t1 === 5
 * ```
 */
export function applyJournalEntry(state: OmsState, entry: OmsJournalEntry): void {
  for (const o of entry.orders ?? []) state.orders[o.clientOrderId] = structuredClone(o) as ManagedOrder
  for (const s of entry.symbols ?? []) state.symbols[s.symbol] = structuredClone(s) as SymbolRecord
  for (const [id, ts] of entry.tradeIds ?? []) state.tradeIds[id] = ts
}

/**
 * Mark the ids of an order leaving the retained window as used: its trade key, and its client id when the caller
 * chose it (derived ids embed the trade key), stamped with the time of their signal. An order journaled without a
 * signal time is stamped with its creation or last update, whichever is later: never earlier than its signal, which
 * came before it.
 * @param retired - the retired set to extend
 * @param order - the order being dropped
 */
export function retireOrder(retired: Record<string, number>, order: ManagedOrder): void {
  const stamp = order.signalTimeMs ?? Math.max(order.createdAtMs, order.updatedAtMs)
  retired[order.tradeKey] = Math.max(retired[order.tradeKey] ?? Number.NEGATIVE_INFINITY, stamp)
  if (parseClientOrderId(order.clientOrderId) === null) retired[order.clientOrderId] = Math.max(retired[order.clientOrderId] ?? Number.NEGATIVE_INFINITY, stamp)
}

/**
 * Drop the retired ids whose signal is older than `beforeMs` and raise `state.retiredBeforeMs` to it, in place: a
 * signal that old is refused by its age ({@link signalFloorMs}), so its ids need no record.
 * @param state - state whose retired set to prune
 * @param beforeMs - drop ids stamped before this time
 */
export function pruneRetired(state: OmsState, beforeMs: number): void {
  const retired = state.retired
  if (retired !== undefined) {
    for (const [id, ts] of Object.entries(retired)) if (ts < beforeMs) delete retired[id]
    if (Object.keys(retired).length === 0) delete state.retired
  }
  if (state.retiredBeforeMs === undefined || beforeMs > state.retiredBeforeMs) state.retiredBeforeMs = beforeMs
}

/**
 * The oldest signal time an entry may carry now: `nowMs − horizonMs`, or the oldest time the retired set still
 * covers when that is later (the wall clock was stepped back after ids were dropped).
 * @param state - the state (its `retiredBeforeMs`)
 * @param nowMs - current wall time
 * @param horizonMs - `signalHorizonMs`
 * @returns signals stamped before this are refused
 */
export function signalFloorMs(state: OmsState, nowMs: number, horizonMs: number): number {
  return Math.max(nowMs - horizonMs, state.retiredBeforeMs ?? Number.NEGATIVE_INFINITY)
}

/**
 * A copy of `state` without terminal orders and trade ids older than `cutoffMs` (what a snapshot keeps).
 * Orders of a symbol's current trade are always kept; the ids of dropped orders join `retired`, which keeps the
 * ids of signals from `retiredBeforeMs` on.
 * @param state - full state
 * @param cutoffMs - drop terminal orders last updated before this time
 * @param retiredBeforeMs - drop retired ids whose signal is older than this (default: keep all)
 * @returns the compacted copy
 * @example
 * ```ts
 * import { compactOmsState, emptyOmsState } from './state.js' // compactOmsState is internal
 * compactOmsState(emptyOmsState(), 0)
 * ```
 */
export function compactOmsState(state: OmsState, cutoffMs: number, retiredBeforeMs?: number): OmsState {
  const out = emptyOmsState()
  const liveTrades = new Set<string>()
  for (const s of Object.values(state.symbols)) if (s.trade !== undefined) liveTrades.add(s.trade.tradeKey)
  const retired: Record<string, number> = { ...state.retired }
  for (const [id, o] of Object.entries(state.orders)) {
    if (isTerminalOrderState(o.state) && o.updatedAtMs < cutoffMs && !liveTrades.has(o.tradeKey)) {
      retireOrder(retired, o)
      continue
    }
    out.orders[id] = clonePlain(o)
  }
  if (Object.keys(retired).length > 0) out.retired = retired
  if (state.retiredBeforeMs !== undefined) out.retiredBeforeMs = state.retiredBeforeMs
  if (retiredBeforeMs !== undefined) pruneRetired(out, retiredBeforeMs)
  for (const [sym, s] of Object.entries(state.symbols)) out.symbols[sym] = clonePlain(s)
  for (const [id, ts] of Object.entries(state.tradeIds)) if (ts >= cutoffMs) out.tradeIds[id] = ts
  return out
}
