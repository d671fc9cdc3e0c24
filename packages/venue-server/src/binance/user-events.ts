/**
 * Translate the simulated venue's user stream into Binance USDⓈ-M user-data events:
 * - `ORDER_TRADE_UPDATE` per order change, with execution type `NEW`, `TRADE` (one per fill, carrying its
 *   price, quantity, fee, trade id, maker flag and realized profit), `CANCELED`, `EXPIRED` or `CALCULATED`
 *   (liquidation);
 * - `ALGO_UPDATE` per algo-order change (`NEW`, `CANCELED`, `TRIGGERED` with the actual order id, `FINISHED`,
 *   `EXPIRED`); once triggered, the actual order's own `ORDER_TRADE_UPDATE`s follow;
 * - `ACCOUNT_UPDATE` after each balance change, with reason `ORDER` or `FUNDING_FEE`, the changed balance and
 *   the positions changed since the previous one.
 * @module
 */
import type { Fill, Order, Position, UserStreamEvent } from '@perpkit/core'
import { binanceOrderStatus, binanceOrderType, binanceTimeInForce, money, px, qty, signedAmount } from './format.js'
import type { IndexedOrder } from './order-index.js'
import type { BinanceSession } from './session.js'

/**
 * The translator: feed it simulated events, it calls `emit` with Binance event objects.
 * @example
 * ```ts
 * const translate = createUserEventTranslator({ session, emit: (frame) => fanOut(frame) })
 * session.sim().subscribeUserStream(translate)
 * ```
 */
export type UserEventTranslator = (event: UserStreamEvent) => void

/**
 * Create the translator.
 * @param args.session - dialect session (index, instruments)
 * @param args.emit - receives each Binance event object in venue order
 * @returns the translator
 * @throws never
 * @example
 * ```ts
 * const translate = createUserEventTranslator({ session, emit: console.log })
 * ```
 */
export function createUserEventTranslator(args: { readonly session: BinanceSession; readonly emit: (frame: Record<string, unknown>) => void }): UserEventTranslator {
  const { session, emit } = args
  const pendingFills = new Map<string, Fill[]>()
  const changedPositions = new Map<string, Position | null>()
  let reason: 'ORDER' | 'FUNDING_FEE' = 'ORDER'
  const seen = new Set<string>()

  const orderUpdate = (entry: IndexedOrder, order: Order, fill: Fill | undefined, timestampMs: number): void => {
    const ins = session.ctx.venue.instrument(order.symbol)
    const triggered = entry.kind === 'algo' && entry.actualOrderId !== undefined
    const liquidation = order.clientOrderId.startsWith('autoclose-')
    const limit = order.type === 'limit' || order.type === 'stop-limit' || order.type === 'take-profit-limit'
    const execution = fill !== undefined ? (liquidation ? 'CALCULATED' : 'TRADE') : order.status === 'canceled' ? 'CANCELED' : order.status === 'expired' ? 'EXPIRED' : 'NEW'
    emit({
      e: 'ORDER_TRADE_UPDATE',
      E: timestampMs,
      T: timestampMs,
      o: {
        s: ins.venueSymbol,
        c: order.clientOrderId,
        S: order.side === 'buy' ? 'BUY' : 'SELL',
        o: liquidation ? 'LIQUIDATION' : triggered ? (limit ? 'LIMIT' : 'MARKET') : binanceOrderType(order.type),
        f: binanceTimeInForce(order.timeInForce),
        q: qty(ins, order.qty),
        p: px(ins, order.price ?? 0),
        ap: px(ins, order.avgFillPrice),
        sp: px(ins, triggered ? 0 : (order.triggerPrice ?? 0)),
        x: execution,
        X: binanceOrderStatus(order.status),
        i: triggered ? entry.actualOrderId : entry.orderId,
        l: qty(ins, fill?.qty ?? 0),
        z: qty(ins, order.filledQty),
        L: px(ins, fill?.price ?? 0),
        N: fill?.feeAsset ?? ins.settle,
        n: money(fill?.feeAmount ?? 0),
        T: fill?.timestampMs ?? timestampMs,
        t: fill === undefined ? 0 : Number(fill.tradeId),
        b: '0',
        a: '0',
        m: fill?.liquidity === 'maker',
        R: order.reduceOnly,
        wt: order.triggerPriceType === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
        ot: binanceOrderType(order.type),
        ps: 'BOTH',
        cp: order.closePosition,
        rp: money(fill?.realizedPnl ?? 0),
        pP: false,
        si: 0,
        ss: 0,
        V: 'EXPIRE_MAKER',
        pm: 'NONE',
        gtd: 0,
      },
    })
  }

  const algoUpdate = (entry: IndexedOrder, order: Order, timestampMs: number): void => {
    const ins = session.ctx.venue.instrument(order.symbol)
    emit({
      e: 'ALGO_UPDATE',
      T: timestampMs,
      E: timestampMs,
      o: {
        caid: order.clientOrderId,
        aid: entry.orderId,
        at: 'CONDITIONAL',
        o: binanceOrderType(order.type),
        s: ins.venueSymbol,
        S: order.side === 'buy' ? 'BUY' : 'SELL',
        ps: 'BOTH',
        f: binanceTimeInForce(order.timeInForce),
        q: qty(ins, order.closePosition ? 0 : order.qty),
        X: session.algoStatus(entry, order),
        ai: entry.actualOrderId === undefined ? '' : String(entry.actualOrderId),
        ap: px(ins, order.avgFillPrice),
        aq: qty(ins, order.filledQty),
        act: '0',
        tp: px(ins, order.triggerPrice ?? 0),
        p: px(ins, order.price ?? 0),
        V: 'EXPIRE_MAKER',
        wt: order.triggerPriceType === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
        pm: 'NONE',
        cp: order.closePosition,
        pP: false,
        R: order.reduceOnly,
        tt: entry.triggeredAtMs ?? 0,
        gtd: 0,
        ...(order.rejectReason === undefined ? {} : { rm: order.rejectReason }),
      },
    })
  }

  const onOrder = (order: Order, timestampMs: number): void => {
    const entry = session.index.resolve(order)
    const fills = pendingFills.get(order.venueOrderId) ?? []
    pendingFills.delete(order.venueOrderId)
    if (entry.kind === 'algo') {
      const firstSight = !seen.has(order.venueOrderId)
      seen.add(order.venueOrderId)
      if (order.status === 'untriggered' || (firstSight && order.status === 'open')) {
        algoUpdate(entry, order, timestampMs)
        return
      }
      if (entry.actualOrderId === undefined && (order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected') && order.filledQty === 0) {
        algoUpdate(entry, order, timestampMs)
        return
      }
      if (entry.actualOrderId === undefined) {
        session.index.markTriggered(entry, timestampMs)
        algoUpdate(entry, { ...order, status: 'triggered' }, timestampMs)
        orderUpdate(entry, { ...order, status: 'open', filledQty: 0, avgFillPrice: 0 }, undefined, timestampMs)
      }
      if (order.status === 'triggered') return
      if (fills.length === 0) orderUpdate(entry, order, undefined, timestampMs)
      for (const f of fills) orderUpdate(entry, order, f, timestampMs)
      if (order.status === 'filled' || order.status === 'canceled' || order.status === 'expired') algoUpdate(entry, order, timestampMs)
      return
    }
    seen.add(order.venueOrderId)
    if (fills.length === 0) orderUpdate(entry, order, undefined, timestampMs)
    for (const f of fills) orderUpdate(entry, order, f, timestampMs)
  }

  return (event) => {
    switch (event.type) {
      case 'fill': {
        const list = pendingFills.get(event.fill.venueOrderId) ?? []
        list.push(event.fill)
        pendingFills.set(event.fill.venueOrderId, list)
        reason = 'ORDER'
        return
      }
      case 'order':
        onOrder(event.order, event.timestampMs)
        return
      case 'position':
        changedPositions.set(event.symbol, event.position)
        return
      case 'funding':
        reason = 'FUNDING_FEE'
        return
      case 'balance': {
        const b = event.balance
        const positions = [...changedPositions.entries()].map(([symbol, p]) => {
          const ins = session.ctx.venue.instrument(symbol)
          return {
            s: ins.venueSymbol,
            pa: qty(ins, signedAmount(p)),
            ep: px(ins, p?.entryPrice ?? 0),
            bep: px(ins, p?.entryPrice ?? 0),
            cr: money(0),
            up: money(p?.unrealizedPnl ?? 0),
            mt: (p?.marginMode ?? session.marginMode(symbol)) === 'isolated' ? 'isolated' : 'cross',
            iw: money(p?.isolatedMargin ?? 0),
            ps: 'BOTH',
          }
        })
        changedPositions.clear()
        emit({ e: 'ACCOUNT_UPDATE', E: event.timestampMs, T: event.timestampMs, a: { m: reason, B: [{ a: b.asset, wb: money(b.total), cw: money(b.total), bc: money(0) }], P: positions } })
        reason = 'ORDER'
        return
      }
      default:
        return
    }
  }
}
