/**
 * Account bookkeeping derived from wallets and positions: unrealized PnL, margin in use, balances,
 * position views, liquidation prices (isolated and cross), and the `position` / `balance` stream events.
 * @module
 */
import type { Balance, Position, Side } from '@perpkit/core'
import { initialMargin, liquidationPrice, maintenanceMargin, pnl } from '@perpkit/sizing'
import type { SimPosition } from './position-math.js'
import type { SymbolState, VenueContext } from './sim-state.js'

/** Unrealized PnL of the position of `st` at the mark (or last) price; 0 when flat or unpriced. */
export function unrealized(st: SymbolState): number {
  const p = st.position
  const mark = st.markPrice ?? st.lastPrice
  if (p === null || mark === undefined) return 0
  return pnl({ contract: st.ins, side: p.side, qty: p.qty, entryPrice: p.entryPrice, exitPrice: mark })
}

/** Core's `Position` view of `st` (null when flat). */
export function toPosition(st: SymbolState): Position | null {
  const p = st.position
  if (p === null) return null
  const mark = st.markPrice ?? st.lastPrice
  const liq = st.liqPrice
  return {
    symbol: st.ins.symbol,
    side: p.side,
    qty: p.qty,
    entryPrice: p.entryPrice,
    ...(mark === undefined ? {} : { markPrice: mark }),
    unrealizedPnl: unrealized(st),
    liquidationPrice: Number.isFinite(liq) && liq > 0 ? liq : null,
    leverage: st.leverage,
    marginMode: st.marginMode,
    ...(st.marginMode === 'isolated' ? { isolatedMargin: p.isolatedMargin } : {}),
    updatedAtMs: st.positionUpdatedAtMs,
  }
}

/** The part of an order of `qty` on `side` that would open (not reduce) the position of `st`. */
export function openingQty(st: SymbolState, side: Side, qty: number): number {
  const p = st.position
  if (p === null) return qty
  const same = (p.side === 'long') === (side === 'buy')
  return same ? qty : Math.max(0, qty - p.qty)
}

/** Margin in use for an asset: positions (isolated margin or IM at entry) + open non-conditional orders' opening part. */
function usedMargin(ctx: VenueContext, asset: string): { used: number; upnlCross: number } {
  let used = 0
  let upnlCross = 0
  for (const st of ctx.symbols.values()) {
    if (st.ins.settle !== asset) continue
    const p = st.position
    if (p !== null) {
      if (st.marginMode === 'isolated') used += p.isolatedMargin
      else {
        used += initialMargin({ contract: st.ins, qty: p.qty, price: p.entryPrice, leverage: st.leverage })
        upnlCross += unrealized(st)
      }
    }
    for (const o of st.orders) {
      if (o.untriggered || o.reduceOnly || o.closePosition) continue
      const open = openingQty(st, o.side, o.qty - o.filledQty)
      const px = o.price ?? st.lastPrice
      if (open > 0 && px !== undefined) used += initialMargin({ contract: st.ins, qty: open, price: px, leverage: st.leverage })
    }
  }
  return { used, upnlCross }
}

/** Balance of `asset` now: wallet total, available (after margin in use, with cross uPnL) and uPnL. */
export function balanceOf(ctx: VenueContext, asset: string): Balance {
  const total = ctx.wallets.get(asset) ?? 0
  const { used, upnlCross } = usedMargin(ctx, asset)
  let upnl = 0
  for (const st of ctx.symbols.values()) if (st.ins.settle === asset) upnl += unrealized(st)
  return { asset, total, available: total + upnlCross - used, unrealizedPnl: upnl, updatedAtMs: ctx.clock.now() }
}

/** Non-empty balances, sorted by asset. */
export function balancesList(ctx: VenueContext): Balance[] {
  const out: Balance[] = []
  for (const asset of [...ctx.wallets.keys()].sort()) {
    const b = balanceOf(ctx, asset)
    if (b.total !== 0 || b.unrealizedPnl !== 0) out.push(b)
  }
  return out
}

/** Open positions (all symbols, or those in `filter`). */
export function positionsList(ctx: VenueContext, filter?: readonly string[]): Position[] {
  const out: Position[] = []
  for (const st of ctx.symbols.values()) {
    if (filter !== undefined && !filter.includes(st.ins.symbol)) continue
    const p = toPosition(st)
    if (p !== null) out.push(p)
  }
  return out
}

/** Recompute the liquidation price of every position settled in `asset` (cross positions share the wallet). */
export function recomputeLiq(ctx: VenueContext, asset: string): void {
  const maintenanceBasis = ctx.maintenanceBasis
  const cross: SymbolState[] = []
  for (const st of ctx.symbols.values()) {
    if (st.ins.settle !== asset) continue
    if (st.position === null) {
      st.liqPrice = Number.NaN
      continue
    }
    if (st.marginMode === 'isolated') {
      const p = st.position
      st.liqPrice = liquidationPrice({
        contract: st.ins,
        side: p.side,
        qty: p.qty,
        entryPrice: p.entryPrice,
        margin: { mode: 'isolated', positionMargin: p.isolatedMargin },
        maintenance: st.maintenance,
        maintenanceBasis,
      })
    } else cross.push(st)
  }
  if (cross.length === 0) return
  let isolatedLocked = 0
  for (const st of ctx.symbols.values()) if (st.ins.settle === asset && st.position !== null && st.marginMode === 'isolated') isolatedLocked += st.position.isolatedMargin
  const wallet = Math.max(0, (ctx.wallets.get(asset) ?? 0) - isolatedLocked)
  for (const st of cross) {
    const p = st.position as SimPosition
    let otherMm = 0
    let otherUpnl = 0
    for (const o of cross) {
      if (o === st || o.position === null) continue
      const mark = o.markPrice ?? o.lastPrice ?? o.position.entryPrice
      otherMm += maintenanceMargin({ contract: o.ins, qty: o.position.qty, price: mark, maintenance: o.maintenance }).amount
      otherUpnl += unrealized(o)
    }
    st.liqPrice = liquidationPrice({
      contract: st.ins,
      side: p.side,
      qty: p.qty,
      entryPrice: p.entryPrice,
      margin: { mode: 'cross', walletBalance: wallet, otherMaintenanceMargin: otherMm, otherUnrealizedPnl: otherUpnl },
      maintenance: st.maintenance,
      maintenanceBasis,
    })
  }
}

/** After prices moved: cross liquidation prices depend on the other positions' marks when more than one is open. */
export function afterPrices(ctx: VenueContext, st: SymbolState): void {
  const asset = st.ins.settle
  let n = 0
  for (const s of ctx.symbols.values()) if (s.ins.settle === asset && s.position !== null && s.marginMode === 'cross') n++
  if (n > 1) recomputeLiq(ctx, asset)
}

/** Emit the `position` event of `st` and the `balance` event of its settle asset. */
export function emitAccount(ctx: VenueContext, st: SymbolState): void {
  const now = ctx.clock.now()
  ctx.emit({ type: 'position', timestampMs: now, symbol: st.ins.symbol, position: toPosition(st) })
  ctx.emit({ type: 'balance', timestampMs: now, balance: balanceOf(ctx, st.ins.settle) })
}
