/**
 * `reduce()`: close part of a position with a reduce-only market order floored to the lot step; a close of (nearly)
 * everything goes through `exit()`. Refusals are values; bad arguments throw.
 * @module
 */
import { fail, InvalidInputError, ok, type OrderRequest, type Result, roundQty, roundToStep } from '@perpkit/core'
import { deriveClientOrderId, tradeKeyOf } from '../../client-order-id.js'
import type { ReduceArgs, ReduceRefusal, SubmitOutcome } from '../../order-manager.js'
import type { ManagedOrder } from '../../types.js'
import { instrumentOf } from '../../validation.js'
import { orderEntry, persist, symEntry } from '../journaling.js'
import { clientIdUsed, liveOrders, newOrder } from '../records.js'
import type { Runtime } from '../runtime.js'
import { send } from '../submission.js'
import { exitPosition } from './exit.js'

/** `reduce` of everything: the full-close path of `exit` (its refusals are a subset of {@link ReduceRefusal}). */
function closeAll(rt: Runtime, args: ReduceArgs): Promise<Result<SubmitOutcome, ReduceRefusal>> {
  return exitPosition(rt, { symbol: args.symbol, ...(args.reason === undefined ? {} : { reason: args.reason }) })
}

/** Close part of the position of `args.symbol`. */
export async function reduce(rt: Runtime, args: ReduceArgs): Promise<Result<SubmitOutcome, ReduceRefusal>> {
  const { state } = rt
  const ins = instrumentOf(rt.instruments, args.symbol)
  const hasFraction = args.fraction !== undefined
  const hasQty = args.qty !== undefined
  if (hasFraction === hasQty) throw new InvalidInputError('give exactly one of fraction or qty', { path: hasFraction ? 'qty' : 'fraction' })
  const amount = (hasFraction ? args.fraction : args.qty) as number
  const path = hasFraction ? 'fraction' : 'qty'
  if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new InvalidInputError(`${path} must be a finite number`, { path })
  if (amount <= 0) throw new InvalidInputError(`${path} must be > 0`, { path })
  if (hasFraction && amount > 1) throw new InvalidInputError('fraction must be in (0, 1]', { path })
  if (rt.fatal) return fail('fatal', { symbol: args.symbol })
  const s = state.symbols[args.symbol]
  if (s === undefined || s.qty === 0) return fail('no-position', { symbol: args.symbol })
  const pending = [...liveOrders(rt, args.symbol, 'exit'), ...liveOrders(rt, args.symbol, 'flatten')]
  if (pending.length > 0 || s.phase === 'EXIT_PENDING') return fail('exit-pending', { symbol: args.symbol, clientOrderId: pending[0]?.clientOrderId ?? '' })
  const reducing = liveOrders(rt, args.symbol, 'reduce')
  if (reducing.length > 0) return fail('reduce-pending', { symbol: args.symbol, clientOrderId: (reducing[0] as ManagedOrder).clientOrderId })
  const posQty = Math.abs(s.qty)
  const wanted = hasFraction ? posQty * amount : amount
  const qty = roundQty({ qty: Math.min(wanted, posQty), lotStep: ins.lotStep })
  const remainder = roundToStep({ value: posQty - qty, step: ins.lotStep })
  if (amount >= 1 && hasFraction) return closeAll(rt, args)
  if (!hasFraction && wanted >= posQty - ins.lotStep * 1e-6) return closeAll(rt, args)
  if (qty <= 0 || qty < ins.minQty) return fail('below-min-qty', { symbol: args.symbol, qty, minQty: ins.minQty })
  // a remainder below minQty could never be closed on its own: take it all now
  if (remainder <= 0 || remainder < ins.minQty) return closeAll(rt, args)
  const trade = s.trade
  const direction = s.qty > 0 ? 'long' : 'short'
  const signalId = trade?.signalId ?? `orphan-${s.symbol}`
  // a fresh generation per partial close (ids stay unique; an orphan position has no trade counter)
  const idOf = (generation: number): string => deriveClientOrderId({ signalId, direction: trade?.direction ?? direction, role: 'reduce', generation })
  let gen = trade === undefined ? 0 : (trade.reduceGen ?? 0) + 1
  while (clientIdUsed(rt, idOf(gen))) gen++
  if (trade !== undefined) trade.reduceGen = gen
  const request: OrderRequest = {
    symbol: s.symbol,
    clientOrderId: idOf(gen),
    side: s.qty > 0 ? 'sell' : 'buy',
    type: 'market',
    qty,
    reduceOnly: true,
  }
  const o = newOrder(rt, { symbol: s.symbol, role: 'reduce', tradeKey: trade?.tradeKey ?? tradeKeyOf({ signalId, direction }), request })
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  await send(rt, o)
  return ok({ clientOrderId: o.clientOrderId, state: o.state })
}
