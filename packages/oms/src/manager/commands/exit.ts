/**
 * `exit()`: close the position of a symbol with a reduce-only market order, after canceling the unfilled part of
 * its entry. Journaled before it is sent.
 * @module
 */
import { fail, ok, type Result } from '@perpkit/core'
import type { ExitRefusal, SubmitOutcome } from '../../order-manager.js'
import type { ManagedOrder } from '../../types.js'
import { instrumentOf } from '../../validation.js'
import { cancelOrder } from '../cancel.js'
import { fullCloseOrder } from '../flatten.js'
import { orderEntry, persist, symEntry } from '../journaling.js'
import { liveOrders, movePhase, newOrder } from '../records.js'
import type { Runtime } from '../runtime.js'
import { send } from '../submission.js'

/** Close the whole position of `args.symbol`. */
export async function exitPosition(rt: Runtime, args: { readonly symbol: string; readonly reason?: string }): Promise<Result<SubmitOutcome, ExitRefusal>> {
  const s = rt.state.symbols[args.symbol]
  instrumentOf(rt.instruments, args.symbol)
  if (s === undefined || (s.qty === 0 && liveOrders(rt, args.symbol, 'entry').length === 0)) return fail('no-position', { symbol: args.symbol })
  if (rt.fatal) return fail('fatal', { symbol: args.symbol })
  for (const e of liveOrders(rt, args.symbol, 'entry')) await cancelOrder(rt, e, 'protective')
  if (s.qty === 0) {
    return ok({ clientOrderId: '', state: 'canceled' })
  }
  const pending = [...liveOrders(rt, args.symbol, 'exit'), ...liveOrders(rt, args.symbol, 'flatten')]
  if (pending.length > 0) return fail('exit-pending', { clientOrderId: (pending[0] as ManagedOrder).clientOrderId })
  const { request, tradeKey } = fullCloseOrder(rt, s, 'exit')
  const o = newOrder(rt, { symbol: s.symbol, role: 'exit', tradeKey, request })
  movePhase(rt, s, 'exit-submitted')
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  await send(rt, o)
  return ok({ clientOrderId: o.clientOrderId, state: o.state })
}
