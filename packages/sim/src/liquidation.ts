/**
 * Forced liquidation: where the mark crosses a position's liquidation price on a price leg, and the
 * venue's close-out (cancel every order of the symbol, `liquidation` event, reduce-only market fill); and
 * auto-deleveraging (the venue closes part or all of a profitable position against a liquidated counterparty).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { executeFill } from './fills.js'
import { closeAndEmit, newOrder } from './order-book.js'
import { orderKey, type SymbolState, type VenueContext } from './sim-state.js'

/**
 * Where the mark leg `cur` → `to` reaches the liquidation price of `st`'s position: `cur` when already
 * beyond it, the liquidation price when crossed, NaN otherwise (or without a finite positive price).
 */
export function liquidationHitLevel(st: SymbolState, cur: number, to: number): number {
  const p = st.position
  const liq = st.liqPrice
  if (p === null || !(liq > 0 && Number.isFinite(liq))) return Number.NaN
  const long = p.side === 'long'
  if (long ? cur <= liq : cur >= liq) return cur
  if (long ? to <= liq : to >= liq) return liq
  return Number.NaN
}

/** Liquidate the whole position of `st` at `price`. */
export function liquidate(ctx: VenueContext, st: SymbolState, price: number): void {
  const p = st.position
  if (p === null) return
  const now = ctx.clock.now()
  for (const o of [...st.orders]) closeAndEmit(ctx, st, o, 'canceled', 'canceled before liquidation')
  ctx.emit({ type: 'liquidation', timestampMs: now, symbol: st.ins.symbol, side: p.side, qty: p.qty, price })
  const o = newOrder(ctx, st, {
    clientOrderId: `${ctx.profile.liquidationClientIdPrefix}${now}-${ctx.orderSeq + 1}`,
    side: p.side === 'long' ? 'sell' : 'buy',
    type: 'market',
    qty: p.qty,
    reduceOnly: true,
  })
  o.active = true
  o.origin = 'liquidation'
  ctx.openByKey.set(orderKey(o.symbol, o.clientOrderId), o)
  executeFill(ctx, st, o, p.qty, price, 'taker')
}

/**
 * Auto-deleverage `qty` (default: all) of `st`'s position at `price` (default: the mark, else the last price):
 * a venue-generated reduce-only market order and its fill, with no request from the account. The account's own
 * orders stay as they are (a stop may now exceed the position).
 */
export function autoDeleverage(ctx: VenueContext, st: SymbolState, args: { readonly qty?: number; readonly price?: number }): void {
  const p = st.position
  if (p === null) throw new InvalidInputError('no position to deleverage', { path: 'symbol' })
  const qty = args.qty ?? p.qty
  if (!(Number.isFinite(qty) && qty > 0 && qty <= p.qty)) throw new InvalidInputError(`must be in (0, ${p.qty}]`, { path: 'qty' })
  const price = args.price ?? st.markPrice ?? st.lastPrice
  if (!(price !== undefined && Number.isFinite(price) && price > 0)) throw new InvalidInputError('must be a price > 0', { path: 'price' })
  const now = ctx.clock.now()
  const o = newOrder(ctx, st, {
    clientOrderId: `${ctx.profile.adlClientIdPrefix}${now}-${ctx.orderSeq + 1}`,
    side: p.side === 'long' ? 'sell' : 'buy',
    type: 'market',
    qty,
    reduceOnly: true,
  })
  o.active = true
  o.origin = 'adl'
  ctx.openByKey.set(orderKey(o.symbol, o.clientOrderId), o)
  executeFill(ctx, st, o, qty, price, 'taker')
}
