/**
 * Forced liquidation: where the mark crosses a position's liquidation price on a price leg, and the
 * venue's close-out (cancel every order of the symbol, `liquidation` event, reduce-only market fill).
 * @module
 */
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
  ctx.openByKey.set(orderKey(o.symbol, o.clientOrderId), o)
  executeFill(ctx, st, o, p.qty, price, 'taker')
}
