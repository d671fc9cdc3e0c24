/**
 * Order records: creation, conversion to core's `Order`, closing (open → closed with bounded retention),
 * lookup by client order id, and the `order` stream event.
 * @module
 */
import { InvalidInputError, isConditionalOrderType, type Order, type OrderBook, type OrderRef, type OrderRequest, type OrderStatus } from '@perpkit/core'
import { orderKey, type SimOrder, type SymbolState, symbolState, type VenueContext } from './sim-state.js'
import { triggerDirection } from './triggers.js'

/** The fields of an order request a new record is built from. */
export type NewOrderFields = Pick<OrderRequest, 'clientOrderId' | 'side' | 'type' | 'qty'> &
  Partial<Pick<OrderRequest, 'price' | 'triggerPrice' | 'triggerPriceType' | 'timeInForce' | 'reduceOnly' | 'closePosition' | 'trailing'>>

/** A new (inactive, not yet booked) order record with the next sequence number and venue order id. */
export function newOrder(ctx: VenueContext, st: SymbolState, r: NewOrderFields): SimOrder {
  const now = ctx.clock.now()
  const seq = ++ctx.orderSeq
  const conditional = isConditionalOrderType(r.type)
  return {
    seq,
    symbol: st.ins.symbol,
    clientOrderId: r.clientOrderId,
    venueOrderId: String(1_000_000 + seq),
    kind: st.ins.kind,
    contractSize: st.ins.contractSize,
    side: r.side,
    type: r.type,
    status: conditional ? 'untriggered' : 'open',
    qty: r.qty,
    filledQty: 0,
    avgFillPrice: 0,
    price: r.price,
    triggerPrice: r.triggerPrice,
    triggerPriceType: conditional ? (r.triggerPriceType ?? 'last') : undefined,
    dir: triggerDirection(r),
    watchesLast: (r.triggerPriceType ?? 'last') === 'last',
    timeInForce: r.timeInForce ?? 'GTC',
    reduceOnly: r.reduceOnly ?? false,
    closePosition: r.closePosition ?? false,
    trailing: r.trailing,
    createdAtMs: now,
    updatedAtMs: now,
    rejectReason: undefined,
    untriggered: conditional,
    active: false,
    extreme: Number.NaN,
    exhaustedIn: 0,
    origin: 'user',
    updateId: ++ctx.updateSeq,
  }
}

/** Core's `Order` view of a record (average fill price from the accumulated fill value). */
export function toOrder(o: SimOrder): Order {
  const avg = o.filledQty > 0 ? o.avgFillPrice : 0
  return {
    symbol: o.symbol,
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    side: o.side,
    type: o.type,
    status: o.status,
    qty: o.qty,
    filledQty: o.filledQty,
    avgFillPrice: avg,
    ...(o.price === undefined ? {} : { price: o.price }),
    ...(o.triggerPrice === undefined ? {} : { triggerPrice: o.triggerPrice }),
    ...(o.triggerPriceType === undefined ? {} : { triggerPriceType: o.triggerPriceType }),
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    ...(o.trailing === undefined ? {} : { trailing: o.trailing }),
    createdAtMs: o.createdAtMs,
    updatedAtMs: o.updatedAtMs,
    ...(o.rejectReason === undefined ? {} : { rejectReason: o.rejectReason }),
    book: bookOf(o),
    updateId: o.updateId,
  }
}

/** The simulator keeps a conditional order in the conditional book for its whole life (it executes in place). */
function bookOf(o: SimOrder): OrderBook {
  return isConditionalOrderType(o.type) ? 'conditional' : 'regular'
}

/** Emit the `order` stream event for the record's current state. */
export function emitOrder(ctx: VenueContext, o: SimOrder): void {
  o.updateId = ++ctx.updateSeq
  ctx.emit({ type: 'order', timestampMs: ctx.clock.now(), order: toOrder(o) })
}

/** Put `o` on the book of `st` and index it as open. */
export function bookOrder(ctx: VenueContext, st: SymbolState, o: SimOrder): void {
  ctx.openByKey.set(orderKey(o.symbol, o.clientOrderId), o)
  st.orders.push(o)
}

/** Move `o` to a terminal `status`: off the book, into the closed index (oldest forgotten beyond retention). */
export function closeOrder(ctx: VenueContext, st: SymbolState, o: SimOrder, status: OrderStatus, reason?: string): void {
  o.status = status
  o.updatedAtMs = ctx.clock.now()
  if (reason !== undefined) o.rejectReason = reason
  const i = st.orders.indexOf(o)
  if (i >= 0) st.orders.splice(i, 1)
  const k = orderKey(o.symbol, o.clientOrderId)
  if (ctx.openByKey.get(k) === o) ctx.openByKey.delete(k)
  const closed = ctx.closed
  closed.delete(k)
  closed.set(k, o)
  if (closed.size > ctx.retention) {
    const oldest = closed.keys().next().value
    if (oldest !== undefined) closed.delete(oldest)
  }
}

/** Close `o` and emit its `order` event. */
export function closeAndEmit(ctx: VenueContext, st: SymbolState, o: SimOrder, status: OrderStatus, reason?: string): void {
  closeOrder(ctx, st, o, status, reason)
  emitOrder(ctx, o)
}

/** Validate an order reference and find the open order it names (undefined when not open). */
export function findOpen(ctx: VenueContext, ref: OrderRef): { st: SymbolState; o: SimOrder | undefined } {
  const raw = ref as unknown as Record<string, unknown>
  const st = symbolState(ctx, raw.symbol)
  if (typeof raw.clientOrderId !== 'string' || raw.clientOrderId.length === 0) throw new InvalidInputError('must be a non-empty string', { path: 'clientOrderId' })
  return { st, o: ctx.openByKey.get(orderKey(st.ins.symbol, raw.clientOrderId)) }
}

/** Open orders (all symbols, or one), in book order. */
export function openOrdersList(ctx: VenueContext, symbol?: string): Order[] {
  const out: Order[] = []
  for (const st of ctx.symbols.values()) {
    if (symbol !== undefined && st.ins.symbol !== symbol) continue
    for (const o of st.orders) out.push(toOrder(o))
  }
  return out
}
