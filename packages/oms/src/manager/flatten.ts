/**
 * Flatten: close the whole position with a reduce-only market order when protection cannot be trusted (stop
 * failed too often, stop level already crossed, uncovered too long, an exit left a remainder). Working entries
 * are canceled alongside (never before the close is sent): their setup is void.
 * @module
 */
import type { OrderRequest } from '@perpkit/core'
import { deriveClientOrderId, tradeKeyOf } from '../client-order-id.js'
import type { ManagedOrder, SymbolRecord } from '../types.js'
import { cancelOrder } from './cancel.js'
import { orderEntry, persist, symEntry } from './journaling.js'
import { liveOrders, movePhase, newOrder, tradeKeyUsed } from './records.js'
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
  const { request, tradeKey } = fullCloseOrder(rt, s, 'flatten')
  const o = newOrder(rt, { symbol: s.symbol, role: 'flatten', tradeKey, request })
  if (s.phase === 'IN_POSITION' || s.phase === 'ENTRY_PENDING') movePhase(rt, s, 'exit-submitted')
  emit(rt, { type: 'flatten', timestampMs: now(rt), symbol: s.symbol, qty, reason })
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  // the close goes out at once; working entries are canceled alongside, never ahead of it (a cancel that needs
  // retries must not hold an unprotected position open)
  const entries = liveOrders(rt, s.symbol, 'entry')
  await Promise.all([send(rt, o), ...entries.map((e) => cancelOrder(rt, e, 'protective'))])
  return o
}

/**
 * The reduce-only market order closing the whole position of `s`: the next unused `exit`/`flatten` generation of
 * its trade. A position without a trade is an orphan: each of its closes is a trade of its own, keyed by the
 * symbol and the symbol's durable orphan generation (`orphan-<symbol>-<n>`), so an orphan that comes back after
 * the first one was closed never meets an id already used. Mutates the generation counters; the caller journals
 * `s` with the order.
 */
export function fullCloseOrder(rt: Runtime, s: SymbolRecord, role: 'exit' | 'flatten'): { readonly request: OrderRequest; readonly tradeKey: string } {
  const trade = s.trade
  const direction = s.qty > 0 ? 'long' : 'short'
  let signalId: string
  let clientOrderId: string
  if (trade === undefined) {
    do {
      s.orphanGen = (s.orphanGen ?? 0) + 1
      signalId = `orphan-${s.symbol}-${s.orphanGen}`
    } while (tradeKeyUsed(rt, tradeKeyOf({ signalId, direction })))
    clientOrderId = deriveClientOrderId({ signalId, direction, role, generation: 0 })
  } else {
    signalId = trade.signalId
    do clientOrderId = deriveClientOrderId({ signalId, direction: trade.direction, role, generation: role === 'exit' ? ++trade.exitGen : ++trade.flattenGen })
    while (rt.state.orders[clientOrderId] !== undefined)
  }
  const request: OrderRequest = {
    symbol: s.symbol,
    clientOrderId,
    side: s.qty > 0 ? 'sell' : 'buy',
    type: 'market',
    qty: Math.abs(s.qty),
    reduceOnly: true,
  }
  return { request, tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }) }
}
