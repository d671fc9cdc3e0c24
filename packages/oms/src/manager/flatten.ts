/**
 * Flatten: close the whole position with a reduce-only market order when protection cannot be trusted (stop
 * failed too often, stop level already crossed, uncovered too long, an exit left a remainder). Working entries
 * are canceled: their setup is void.
 * @module
 */
import type { OrderRequest } from '@perpkit/core'
import { deriveClientOrderId, tradeKeyOf } from '../client-order-id.js'
import type { ManagedOrder, SymbolRecord } from '../types.js'
import { cancelOrder } from './cancel.js'
import { orderEntry, persist, symEntry } from './journaling.js'
import { liveOrders, movePhase, newOrder } from './records.js'
import { emit, now, type Runtime } from './runtime.js'
import { send } from './submission.js'

/** The stop level is already crossed: flatten the position, and cancel working entries (their setup is void). */
export async function stopWouldTrigger(rt: Runtime, s: SymbolRecord): Promise<void> {
  for (const e of liveOrders(rt, s.symbol, 'entry')) await cancelOrder(rt, e, 'protective')
  if (s.qty !== 0) await flatten(rt, s, 'stop would trigger immediately')
}

/** Close the whole position with a reduce-only market order (returns the pending exit/flatten when there is one). */
export async function flatten(rt: Runtime, s: SymbolRecord, reason: string): Promise<ManagedOrder | undefined> {
  if (s.qty === 0 || rt.fatal) return undefined
  const pending = [...liveOrders(rt, s.symbol, 'flatten'), ...liveOrders(rt, s.symbol, 'exit')]
  if (pending.length > 0) return pending[0]
  const qty = Math.abs(s.qty)
  const { request, tradeKey } = fullCloseOrder(s, 'flatten')
  if (rt.state.orders[request.clientOrderId] !== undefined || rt.prunedIds.has(request.clientOrderId)) return undefined
  const o = newOrder(rt, { symbol: s.symbol, role: 'flatten', tradeKey, request })
  if (s.phase === 'IN_POSITION' || s.phase === 'ENTRY_PENDING') movePhase(rt, s, 'exit-submitted')
  emit(rt, { type: 'flatten', atMs: now(rt), symbol: s.symbol, qty, reason })
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  for (const e of liveOrders(rt, s.symbol, 'entry')) await cancelOrder(rt, e, 'protective')
  await send(rt, o)
  return o
}

/**
 * The reduce-only market order closing the whole position of `s` (next `exit`/`flatten` generation of its trade;
 * a position without a trade is an orphan and gets generation 0 of an `orphan-<symbol>` signal).
 */
export function fullCloseOrder(s: SymbolRecord, role: 'exit' | 'flatten'): { readonly request: OrderRequest; readonly tradeKey: string } {
  const trade = s.trade
  const direction = s.qty > 0 ? 'long' : 'short'
  const signalId = trade?.signalId ?? `orphan-${s.symbol}`
  const gen = trade === undefined ? 0 : role === 'exit' ? ++trade.exitGen : ++trade.flattenGen
  const request: OrderRequest = {
    symbol: s.symbol,
    clientOrderId: deriveClientOrderId({ signalId, direction: trade?.direction ?? direction, role, generation: gen }),
    side: s.qty > 0 ? 'sell' : 'buy',
    type: 'market',
    qty: Math.abs(s.qty),
    reduceOnly: true,
  }
  return { request, tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }) }
}
