/**
 * Executions: taker slippage, the fill itself (reduce-only capping, position update, fees, realized PnL,
 * wallet, fill record and events), taking liquidity at the current price, and the fill history query.
 * @module
 */
import { type Fill, type FillQuery, type Liquidity, nextAveragePrice, roundPrice, type Side } from '@perpkit/core'
import { fee } from '@perpkit/sizing'
import { emitAccount, recomputeLiq } from './account.js'
import { closeAndEmit, closeOrder, toOrder } from './order-book.js'
import { applyFill } from './position-math.js'
import { type SimOrder, type SymbolState, TERMINAL, type VenueContext } from './sim-state.js'

/** Taker execution price from `base`: fixed + impact slippage against the taker, rounded outward, capped at a limit. */
export function takerPrice(ctx: VenueContext, st: SymbolState, side: Side, base: number, qty: number, limit?: number): number {
  const notionalUsd = st.ins.kind === 'linear' ? qty * st.ins.contractSize * base : qty * st.ins.contractSize
  const slip = ctx.fixedBps / 10_000 + (notionalUsd / ctx.liquidityUsd) * ctx.impactCoefficient
  let px = base
  if (slip > 0) {
    px = side === 'buy' ? base * (1 + slip) : base * (1 - slip)
    px = roundPrice({ price: px, tickSize: st.ins.tickSize, mode: side === 'buy' ? 'ceil' : 'floor' })
    if (px <= 0) px = st.ins.tickSize
  }
  if (limit !== undefined) px = side === 'buy' ? Math.min(px, limit) : Math.max(px, limit)
  return px
}

/** Execute `wantQty` of order `o` at `price`. Handles reduce-only capping, fees, PnL, events. Returns the qty filled. */
export function executeFill(ctx: VenueContext, st: SymbolState, o: SimOrder, wantQty: number, price: number, liquidity: Liquidity): number {
  let qty = wantQty
  const p = st.position
  if (o.reduceOnly || o.closePosition) {
    const reduces = p !== null && (p.side === 'long') !== (o.side === 'buy')
    if (!reduces) {
      closeAndEmit(ctx, st, o, 'expired', 'reduce-only order would not reduce the position')
      return 0
    }
    qty = Math.min(qty, p.qty)
  }
  if (qty <= 0) return 0
  const now = ctx.clock.now()
  const out = applyFill({ contract: st.ins, position: p, side: o.side, qty, price, leverage: st.leverage, marginMode: st.marginMode })
  const feeRate = liquidity === 'maker' ? st.ins.makerFeeRate : st.ins.takerFeeRate
  const feeAmount = fee({ contract: st.ins, qty, price, feeRate })
  const asset = st.ins.settle
  ctx.wallets.set(asset, (ctx.wallets.get(asset) ?? 0) + out.realizedPnl - feeAmount)
  st.position = out.position
  st.positionUpdatedAtMs = now
  o.avgFillPrice = nextAveragePrice({ kind: st.ins.kind, qty: o.filledQty, averagePrice: o.avgFillPrice, fillQty: qty, fillPrice: price })
  o.filledQty += qty
  o.updatedAtMs = now
  const fill: Fill = {
    symbol: st.ins.symbol,
    tradeId: String(++ctx.tradeSeq),
    venueOrderId: o.venueOrderId,
    clientOrderId: o.clientOrderId,
    side: o.side,
    price,
    qty,
    feeAmount,
    feeAsset: asset,
    liquidity,
    timestampMs: now,
    ...(out.closedQty > 0 ? { realizedPnl: out.realizedPnl } : {}),
    ...(o.origin !== 'user' ? { origin: o.origin } : {}),
  }
  st.fills.push(fill)
  const done = o.closePosition ? true : o.filledQty >= o.qty - 1e-9 * o.qty
  if (done) closeOrder(ctx, st, o, 'filled')
  else o.status = 'partially-filled'
  recomputeLiq(ctx, asset)
  ctx.emit({ type: 'fill', timestampMs: now, fill })
  ctx.emit({ type: 'order', timestampMs: now, order: toOrder(o) })
  emitAccount(ctx, st)
  // once flat, resting (non-conditional) reduce-only orders can never reduce: the venue expires them
  if (st.position === null) {
    for (const r of [...st.orders]) {
      if ((r.reduceOnly || r.closePosition) && !r.untriggered && !TERMINAL.has(r.status)) closeAndEmit(ctx, st, r, 'expired', 'position closed')
    }
  }
  return qty
}

/** A (triggered or new) order takes liquidity at `base` (current traded price), with slippage. */
export function takeLiquidity(ctx: VenueContext, st: SymbolState, o: SimOrder, base: number): void {
  const remaining = o.closePosition ? (st.position?.qty ?? 0) : o.qty - o.filledQty
  if (o.closePosition && remaining <= 0) {
    closeAndEmit(ctx, st, o, 'expired', 'no position to close')
    return
  }
  const isLimit = o.price !== undefined
  const px = takerPrice(ctx, st, o.side, base, remaining, isLimit ? o.price : undefined)
  executeFill(ctx, st, o, remaining, px, 'taker')
}

/** Fills of `st` matching `query`: from `sinceMs` (binary search) up to `limit`, or the last `limit`. */
export function queryFills(st: SymbolState, query: FillQuery): Fill[] {
  const fills = st.fills
  const since = query.sinceMs
  let from = 0
  if (since !== undefined) {
    let lo = 0
    let hi = fills.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((fills[mid] as Fill).timestampMs < since) lo = mid + 1
      else hi = mid
    }
    from = lo
  }
  const limit = query.limit
  if (limit === undefined) return fills.slice(from)
  return since === undefined ? fills.slice(Math.max(0, fills.length - limit)) : fills.slice(from, from + limit)
}

/** Whether limit order `o` would take liquidity at price `px`. */
export function isMarketable(o: SimOrder, px: number): boolean {
  return o.side === 'buy' ? (o.price as number) >= px : (o.price as number) <= px
}

