/**
 * Order entry and account settings: create / amend / cancel validation with the profile's venue errors
 * (client-id rules, duplicates, reduce-only, would-trigger-immediately, post-only, margin), latency before
 * an order reaches the book, and leverage / margin-mode / position-mode changes.
 * @module
 */
import {
  type AmendRequest,
  InvalidInputError,
  isConditionalOrderType,
  isOnStep,
  type MarginMode,
  type Order,
  type OrderRef,
  type OrderRequest,
  PerpkitError,
  type PositionMode,
  validateOrderRequest,
} from '@perpkit/core'
import { fee, initialMargin } from '@perpkit/sizing'
import { balanceOf, openingQty, recomputeLiq } from './account.js'
import { isMarketable, takeLiquidity } from './fills.js'
import { activate } from './matching.js'
import { bookOrder, closeAndEmit, emitOrder, findOpen, newOrder, toOrder } from './order-book.js'
import { orderKey, refPrice, symbolState, TERMINAL, type VenueContext, venueError } from './sim-state.js'
import { triggerDirection } from './triggers.js'

/** Validate and accept a new order; it reaches the book now or after the configured latency. */
export function createOrder(ctx: VenueContext, request: OrderRequest): Order {
  const { profile } = ctx
  const raw = request as unknown as Record<string, unknown>
  const st = symbolState(ctx, raw.symbol)
  if (ctx.positionMode === 'hedge') throw venueError(ctx, 'position-mode-mismatch')
  const cid = raw.clientOrderId
  if (typeof cid !== 'string' || !profile.clientOrderIdPattern.test(cid)) throw venueError(ctx, 'invalid-client-order-id', { ...(typeof cid === 'string' ? { clientOrderId: cid } : {}) })
  const req = validateOrderRequest({ request, instrument: st.ins, ...(st.lastPrice === undefined ? {} : { referencePrice: st.lastPrice }) })
  if (ctx.openByKey.has(orderKey(req.symbol, req.clientOrderId))) throw venueError(ctx, 'duplicate-client-order-id', { clientOrderId: req.clientOrderId })
  const conditional = isConditionalOrderType(req.type)
  const p = st.position
  if (!conditional && req.reduceOnly === true) {
    const reduces = p !== null && (p.side === 'long') !== (req.side === 'buy')
    if (!reduces) throw venueError(ctx, 'reduce-only-rejected', { clientOrderId: req.clientOrderId })
  }
  if (conditional) {
    const ref = refPrice(st, req.triggerPriceType)
    const dir = triggerDirection(req)
    const trailing = req.type === 'trailing-stop'
    const lvl = trailing ? req.trailing?.activationPrice : req.triggerPrice
    // a trigger fires in `dir`; a trailing activation is reached from the other side (sell: price rises to it)
    const reached = ref !== undefined && lvl !== undefined && ((dir === 'rising') !== trailing ? ref >= lvl : ref <= lvl)
    if (ref !== undefined && lvl !== undefined && reached) {
      // trailing activation "already reached" only rejects on Binance; Bybit activates at once
      if (req.type !== 'trailing-stop' || profile.id === 'binance-usdm') {
        throw venueError(ctx, (dir === 'rising') !== trailing ? 'would-trigger-rising' : 'would-trigger-falling', {
          triggerPrice: lvl,
          currentPrice: ref,
          triggerBy: req.triggerPriceType ?? 'last',
          clientOrderId: req.clientOrderId,
        })
      }
    }
  }
  if (req.type === 'market' && st.lastPrice === undefined) throw new PerpkitError('invalid-state', `no market price for ${req.symbol} yet: feed market data before a market order`)
  if (req.timeInForce === 'post-only' && profile.postOnlyCross === 'reject' && st.lastPrice !== undefined && ctx.latencyMs === 0) {
    const px = req.price as number
    if (req.side === 'buy' ? px >= st.lastPrice : px <= st.lastPrice) throw venueError(ctx, 'post-only-rejected', { clientOrderId: req.clientOrderId })
  }
  if (!conditional && req.reduceOnly !== true) {
    const open = openingQty(st, req.side, req.qty)
    const px = req.price ?? st.lastPrice
    if (open > 0 && px !== undefined) {
      const need = initialMargin({ contract: st.ins, qty: open, price: px, leverage: st.leverage }) + fee({ contract: st.ins, qty: open, price: px, feeRate: Math.max(0, st.ins.takerFeeRate) })
      if (need > balanceOf(ctx, st.ins.settle).available + 1e-12) throw venueError(ctx, 'insufficient-margin', { clientOrderId: req.clientOrderId })
    }
  }
  const o = newOrder(ctx, st, req)
  bookOrder(ctx, st, o)
  emitOrder(ctx, o)
  if (ctx.latencyMs > 0) {
    ctx.clock.setTimer(ctx.latencyMs, () => {
      if (!TERMINAL.has(o.status)) activate(ctx, st, o)
    })
  } else activate(ctx, st, o)
  return toOrder(o)
}

/** Cancel an open order (`unknown-order-cancel` when it is not open). */
export function cancelOrder(ctx: VenueContext, ref: OrderRef): Order {
  const { st, o } = findOpen(ctx, ref)
  if (o === undefined) throw venueError(ctx, 'unknown-order-cancel', { clientOrderId: ref.clientOrderId })
  closeAndEmit(ctx, st, o, 'canceled')
  return toOrder(o)
}

/** Cancel every open order of `symbol` (regular and conditional alike), in book order. */
export function cancelAllOrders(ctx: VenueContext, symbol: string): Order[] {
  const st = symbolState(ctx, symbol)
  const canceled: Order[] = []
  for (const o of [...st.orders]) {
    closeAndEmit(ctx, st, o, 'canceled')
    canceled.push(toOrder(o))
  }
  return canceled
}

/** Amend qty / price / trigger price of an open order; a limit amended through the market takes liquidity. */
export function amendOrder(ctx: VenueContext, request: AmendRequest): Order {
  const { profile } = ctx
  const { st, o } = findOpen(ctx, request)
  const ins = st.ins
  for (const f of ['qty', 'price', 'triggerPrice'] as const) {
    const v = request[f]
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new InvalidInputError('must be a finite number > 0', { path: f })
  }
  if (request.qty === undefined && request.price === undefined && request.triggerPrice === undefined) throw new InvalidInputError('an amend must change qty, price or triggerPrice', { path: 'qty' })
  if (o === undefined) throw venueError(ctx, 'unknown-order-amend', { clientOrderId: request.clientOrderId })
  if (o.untriggered && !profile.capabilities.amendConditionalOrder) {
    throw new PerpkitError('not-supported', `${profile.id} cannot amend conditional orders; cancel and replace`, { details: { clientOrderId: o.clientOrderId } })
  }
  if (request.triggerPrice !== undefined && (o.triggerPrice === undefined || !o.untriggered)) throw new InvalidInputError('only an untriggered stop / take-profit order has a trigger price to amend', { path: 'triggerPrice' })
  if (request.price !== undefined && o.price === undefined) throw new InvalidInputError(`a ${o.type} order has no price`, { path: 'price' })
  if (request.price !== undefined && !isOnStep({ value: request.price, step: ins.tickSize })) throw new InvalidInputError(`price ${request.price} is not a multiple of tick ${ins.tickSize}`, { path: 'price' })
  if (request.triggerPrice !== undefined && !isOnStep({ value: request.triggerPrice, step: ins.tickSize })) throw new InvalidInputError(`triggerPrice ${request.triggerPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'triggerPrice' })
  if (request.qty !== undefined) {
    if (!isOnStep({ value: request.qty, step: ins.lotStep })) throw new InvalidInputError(`qty ${request.qty} is not a multiple of lot step ${ins.lotStep}`, { path: 'qty' })
    if (request.qty <= o.filledQty + 1e-12) throw venueError(ctx, 'amend-qty-not-above-filled', { clientOrderId: o.clientOrderId })
  }
  if (request.triggerPrice !== undefined) {
    const ref = refPrice(st, o.triggerPriceType)
    const dir = triggerDirection(o)
    if (ref !== undefined && (dir === 'rising' ? ref >= request.triggerPrice : ref <= request.triggerPrice)) {
      throw venueError(ctx, dir === 'rising' ? 'would-trigger-rising' : 'would-trigger-falling', { triggerPrice: request.triggerPrice, currentPrice: ref, triggerBy: o.triggerPriceType ?? 'last' })
    }
  }
  const newPrice = request.price ?? o.price
  if (o.timeInForce === 'post-only' && newPrice !== undefined && st.lastPrice !== undefined && (o.side === 'buy' ? newPrice >= st.lastPrice : newPrice <= st.lastPrice)) {
    throw venueError(ctx, 'post-only-rejected', { clientOrderId: o.clientOrderId })
  }
  if (request.qty !== undefined) o.qty = request.qty
  if (request.price !== undefined) o.price = request.price
  if (request.triggerPrice !== undefined) o.triggerPrice = request.triggerPrice
  o.updatedAtMs = ctx.clock.now()
  emitOrder(ctx, o)
  if (o.active && !o.untriggered && o.price !== undefined && st.lastPrice !== undefined && isMarketable(o, st.lastPrice)) takeLiquidity(ctx, st, o, st.lastPrice)
  return toOrder(o)
}

/** Set a symbol's leverage (the profile's step and the instrument maximum apply). */
export function setLeverage(ctx: VenueContext, args: { readonly symbol: string; readonly leverage: number }): void {
  const st = symbolState(ctx, args.symbol)
  const lev = args.leverage
  if (typeof lev !== 'number' || !Number.isFinite(lev) || lev <= 0) throw new InvalidInputError('must be a finite number > 0', { path: 'leverage' })
  if (lev < 1 || lev > st.ins.maxLeverage || !isOnStep({ value: lev, step: ctx.profile.leverageStep })) throw venueError(ctx, 'invalid-leverage', { leverage: lev })
  st.leverage = lev
  if (st.position !== null) recomputeLiq(ctx, st.ins.settle)
}

/** Set a symbol's margin mode (refused while a position is open). */
export function setMarginMode(ctx: VenueContext, args: { readonly symbol: string; readonly marginMode: MarginMode }): void {
  const st = symbolState(ctx, args.symbol)
  if (args.marginMode !== 'isolated' && args.marginMode !== 'cross') throw new InvalidInputError("must be 'isolated' or 'cross'", { path: 'marginMode' })
  if (args.marginMode === st.marginMode) return
  if (st.position !== null) throw venueError(ctx, 'margin-mode-with-position')
  st.marginMode = args.marginMode
}

/** Switch the account's position mode (refused while any position or order exists). */
export function setPositionMode(ctx: VenueContext, mode: PositionMode): void {
  if (mode !== 'one-way' && mode !== 'hedge') throw new InvalidInputError("must be 'one-way' or 'hedge'", { path: 'mode' })
  if (mode === ctx.positionMode) return
  for (const st of ctx.symbols.values()) {
    if (st.position !== null || st.orders.length > 0) throw venueError(ctx, 'position-mode-with-position')
  }
  ctx.positionMode = mode
}
