/**
 * Matching: an order reaching the book (immediate or post-only / IOC / FOK handling), trigger firing, and
 * the sweep that walks one price leg, processing the nearest trigger, resting-limit fill (maker, limited
 * by the participation budget and queue model) or liquidation first.
 * @module
 */
import { roundQty } from '@perpkit/core'
import { executeFill, isMarketable, takeLiquidity } from './fills.js'
import { liquidate, liquidationHitLevel } from './liquidation.js'
import { closeAndEmit, emitOrder } from './order-book.js'
import { refPrice, type SimOrder, type SymbolState, TERMINAL, type VenueContext } from './sim-state.js'
import { trackExtreme, triggerHitLevel, triggerSatisfied } from './triggers.js'

/** Which price streams a leg moves. */
export interface PriceSource {
  readonly last: boolean
  readonly mark: boolean
}

/** Remaining quantity resting limit orders may fill in this update (participation budget). */
export interface FillBudget {
  qty: number
}

interface Candidate {
  readonly level: number
  readonly kind: 0 | 1 | 2 // trigger, limit fill, liquidation (processing priority at equal levels)
  readonly order: SimOrder | undefined
}

const srcMatches = (o: SimOrder, src: PriceSource): boolean => (o.watchesLast ? src.last : src.mark)

/** A triggered conditional order: `triggered` event, then market (or marketable limit) execution at `execBase`. */
export function fireTrigger(ctx: VenueContext, st: SymbolState, o: SimOrder, execBase: number): void {
  o.untriggered = false
  o.status = 'triggered'
  o.updatedAtMs = ctx.clock.now()
  emitOrder(ctx, o)
  if (o.price === undefined) return takeLiquidity(ctx, st, o, execBase)
  if (isMarketable(o, execBase)) takeLiquidity(ctx, st, o, execBase)
}

/** Order reaches the book (immediately, or after latency). */
export function activate(ctx: VenueContext, st: SymbolState, o: SimOrder): void {
  o.active = true
  if (TERMINAL.has(o.status)) return
  const last = st.lastPrice
  if (o.untriggered) {
    const ref = refPrice(st, o.triggerPriceType)
    if (o.type === 'trailing-stop') o.extreme = ref ?? o.extreme
    else if (ref !== undefined && triggerSatisfied(o, ref) && last !== undefined) fireTrigger(ctx, st, o, last)
    return
  }
  if (last === undefined) {
    if (o.type === 'market') closeAndEmit(ctx, st, o, 'expired', 'no market price')
    return
  }
  if (o.type === 'market') return takeLiquidity(ctx, st, o, last)
  const marketable = isMarketable(o, last)
  if (o.timeInForce === 'post-only' && marketable) {
    closeAndEmit(ctx, st, o, ctx.profile.postOnlyCross === 'reject' ? 'expired' : 'canceled', 'EC_PostOnlyWillTakeLiquidity')
    return
  }
  if (marketable) takeLiquidity(ctx, st, o, last)
  else if (o.timeInForce === 'IOC' || o.timeInForce === 'FOK') closeAndEmit(ctx, st, o, 'expired')
}

/**
 * Move a price stream of `st` from its current value to `to`. `continuous` = every level in between trades
 * (intrabar path); otherwise a jump (gap, trade tick, mark update).
 */
export function sweep(ctx: VenueContext, st: SymbolState, to: number, src: PriceSource, continuous: boolean, budget: FillBudget): void {
  const from = src.last ? st.lastPrice : st.markPrice
  if (src.last) st.lastPrice = to
  if (src.mark) st.markPrice = to
  if (from === undefined) {
    for (const o of st.orders) if (o.type === 'trailing-stop' && o.active && Number.isNaN(o.extreme)) o.extreme = to
    return
  }
  if (st.orders.length === 0 && (st.position === null || !src.mark)) return
  const id = ++ctx.sweepId
  // trailing extremes move in the favourable direction (a trailing order cannot fire in that same leg)
  for (const o of st.orders) {
    if (o.type !== 'trailing-stop' || !o.untriggered || !o.active || !srcMatches(o, src)) continue
    trackExtreme(o, from, to)
  }
  let cur = from
  for (let guard = 0; guard < 10_000; guard++) {
    const c = nextEvent(ctx, st, cur, to, src, id, budget)
    if (c === undefined) return
    cur = c.level
    const execBase = continuous ? c.level : (st.lastPrice ?? to)
    if (c.kind === 2) {
      liquidate(ctx, st, st.liqPrice)
      continue
    }
    const o = c.order as SimOrder
    if (c.kind === 0) {
      fireTrigger(ctx, st, o, o.price === undefined ? execBase : continuous ? c.level : execBase)
      continue
    }
    // resting limit fill (maker) at its price, limited by participation budget
    const remaining = o.qty - o.filledQty
    const q = Math.min(remaining, budget.qty)
    const step = st.ins.lotStep
    const lots = q === remaining ? q : roundQty({ qty: q, lotStep: step, mode: 'floor' })
    if (lots <= 0) {
      o.exhaustedIn = id
      continue
    }
    const filled = executeFill(ctx, st, o, lots, o.price as number, 'maker')
    budget.qty -= filled
    if (!TERMINAL.has(o.status) && budget.qty < step) o.exhaustedIn = id
  }
}

// Hot path (called per price leg): no closures, no allocation unless an event is found.
function nextEvent(ctx: VenueContext, st: SymbolState, cur: number, to: number, src: PriceSource, id: number, budget: FillBudget): Candidate | undefined {
  const up = to >= cur
  const touch = ctx.queue === 'touch'
  const tickSize = st.ins.tickSize
  let bestLevel = Number.NaN
  let bestDist = Number.POSITIVE_INFINITY
  let bestKind: 0 | 1 | 2 = 0
  let bestOrder: SimOrder | undefined
  const orders = st.orders
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i] as SimOrder
    if (!o.active) continue
    let level: number
    let kind: 0 | 1 = 0
    if (o.untriggered) {
      if (!srcMatches(o, src)) continue
      level = triggerHitLevel(o, tickSize, cur, to, up)
      if (Number.isNaN(level)) continue
    } else {
      if (!src.last || o.price === undefined || o.exhaustedIn === id || budget.qty <= 0) continue
      const px = o.price
      const buy = o.side === 'buy'
      const hit = touch ? (buy ? to <= px : to >= px) : buy ? to < px : to > px
      if (!hit) continue
      if (buy ? cur <= px : cur >= px) level = cur
      else if (buy !== up) level = px
      else continue
      kind = 1
    }
    const d = Math.abs(level - cur)
    if (d < bestDist || (d === bestDist && (kind < bestKind || (kind === bestKind && bestOrder !== undefined && o.seq < bestOrder.seq)))) {
      bestDist = d
      bestLevel = level
      bestKind = kind
      bestOrder = o
    }
  }
  if (src.mark && st.position !== null) {
    const level = liquidationHitLevel(st, cur, to)
    if (!Number.isNaN(level) && Math.abs(level - cur) < bestDist) return { level, kind: 2, order: undefined }
  }
  return Number.isNaN(bestLevel) ? undefined : { level: bestLevel, kind: bestKind, order: bestOrder }
}
