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
 * Mark the ids of an order leaving the retained window as used forever: its trade key, and its client id when the
 * caller chose it (derived ids embed the trade key).
 * @param retired - the retired set to extend
 * @param order - the order being dropped
 */
export function retireOrder(retired: Record<string, number>, order: ManagedOrder): void {
  retired[order.tradeKey] = Math.max(retired[order.tradeKey] ?? 0, order.updatedAtMs)
  if (parseClientOrderId(order.clientOrderId) === null) retired[order.clientOrderId] = order.updatedAtMs
}

/**
 * A copy of `state` without terminal orders and trade ids older than `cutoffMs` (what a snapshot keeps).
 * Orders of a symbol's current trade are always kept; the ids of dropped orders join `retired`, which is kept.
 * @param state - full state
 * @param cutoffMs - drop terminal orders last updated before this time
 * @returns the compacted copy
 * @example
 * ```ts
 * import { compactOmsState, emptyOmsState } from './state.js' // compactOmsState is internal
 * compactOmsState(emptyOmsState(), 0)
 * ```
 */
export function compactOmsState(state: OmsState, cutoffMs: number): OmsState {
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
  for (const [sym, s] of Object.entries(state.symbols)) out.symbols[sym] = clonePlain(s)
  for (const [id, ts] of Object.entries(state.tradeIds)) if (ts >= cutoffMs) out.tradeIds[id] = ts
  return out
}
