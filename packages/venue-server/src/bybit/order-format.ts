/**
 * The simulator's orders and fills in Bybit's words: the order object of `order/realtime`, `order/history` and
 * the `order` topic, and the execution object of `execution/list` and the `execution` topic.
 * @module
 */
import type { Fill, Instrument, Order, OrderStatus } from '@perpkit/core'
import type { BybitDerivativeCategory } from './books.js'
import { money, onStep, rate } from './decimals.js'
import { bybitExecId } from './ids.js'
import type { BybitOrderMeta } from './order-registry.js'

/** A Bybit order status. */
export type BybitOrderStatus = 'New' | 'PartiallyFilled' | 'Untriggered' | 'Rejected' | 'Filled' | 'Cancelled' | 'Triggered' | 'Deactivated'

const CONDITIONAL = new Set(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'])

/**
 * Bybit's status of an order. A conditional order cancelled or expired before it triggered is `Deactivated`.
 * @example
 * ```ts
 * bybitOrderStatus('untriggered', false, true) // 'Untriggered'
 * ```
 */
export function bybitOrderStatus(status: OrderStatus, triggered: boolean, conditional: boolean): BybitOrderStatus {
  switch (status) {
    case 'open':
      return 'New'
    case 'untriggered':
      return 'Untriggered'
    case 'triggered':
      return 'Triggered'
    case 'partially-filled':
      return 'PartiallyFilled'
    case 'filled':
      return 'Filled'
    case 'rejected':
      return 'Rejected'
    case 'canceled':
    case 'expired':
      return conditional && !triggered ? 'Deactivated' : 'Cancelled'
  }
}

/** Value of `qty` contracts at `price` in the settle asset: quote for linear, coin for inverse. */
function valueOf(ins: Instrument, qty: number, price: number): number {
  if (price <= 0 || qty <= 0) return 0
  return ins.kind === 'inverse' ? (qty * ins.contractSize) / price : qty * ins.contractSize * price
}

/**
 * The order object shared by REST and the WebSocket `order` topic (`ws: true` adds `category`, `closedPnl`,
 * `feeCurrency` and leaves out `isLeverage`, as the docs' examples do).
 * @example
 * ```ts
 * const json = bybitOrderJson({ order, meta, instrument, ws: false })
 * ```
 */
export function bybitOrderJson(args: { readonly order: Order; readonly meta: BybitOrderMeta; readonly instrument: Instrument; readonly ws: boolean }): Record<string, unknown> {
  const { order: o, meta, instrument: ins } = args
  const conditional = CONDITIONAL.has(o.type)
  const status = bybitOrderStatus(o.status, meta.triggered || o.status === 'triggered', conditional)
  const open = status === 'New' || status === 'PartiallyFilled' || status === 'Untriggered' || status === 'Triggered'
  const leaves = open ? Math.max(0, o.qty - o.filledQty) : 0
  const isLimit = o.price !== undefined
  const refPrice = o.price ?? meta.lastPriceOnCreated ?? o.avgFillPrice
  const fee = meta.cumExecFee
  const common: Record<string, unknown> = {
    orderId: meta.orderId,
    orderLinkId: meta.orderLinkId,
    blockTradeId: '',
    symbol: ins.venueSymbol,
    price: refPrice > 0 ? onStep(refPrice, ins.tickSize) : '0',
    qty: onStep(o.qty, ins.lotStep),
    side: o.side === 'buy' ? 'Buy' : 'Sell',
    ...(args.ws ? {} : { isLeverage: '' }),
    positionIdx: 0,
    orderStatus: status,
    cancelType: status === 'Cancelled' || status === 'Deactivated' ? (o.status === 'expired' ? 'UNKNOWN' : 'CancelByUser') : 'UNKNOWN',
    rejectReason: o.rejectReason ?? 'EC_NoError',
    avgPrice: o.filledQty > 0 ? money(o.avgFillPrice) : '0',
    leavesQty: onStep(leaves, ins.lotStep),
    leavesValue: money(valueOf(ins, leaves, refPrice)),
    cumExecQty: onStep(o.filledQty, ins.lotStep),
    cumExecValue: money(valueOf(ins, o.filledQty, o.avgFillPrice)),
    cumExecFee: money(fee),
    timeInForce: !isLimit ? 'IOC' : o.timeInForce === 'post-only' ? 'PostOnly' : o.timeInForce,
    orderType: isLimit ? 'Limit' : 'Market',
    stopOrderType: conditional ? (o.type === 'trailing-stop' ? 'TrailingStop' : 'Stop') : args.ws ? '' : 'UNKNOWN',
    orderIv: '',
    triggerPrice: onStep(o.triggerPrice ?? 0, ins.tickSize),
    takeProfit: onStep(0, ins.tickSize),
    stopLoss: onStep(0, ins.tickSize),
    tpTriggerBy: 'UNKNOWN',
    slTriggerBy: 'UNKNOWN',
    triggerDirection: meta.triggerDirection,
    triggerBy: meta.triggerBy,
    lastPriceOnCreated: meta.lastPriceOnCreated === undefined ? '' : onStep(meta.lastPriceOnCreated, ins.tickSize),
    reduceOnly: o.reduceOnly,
    closeOnTrigger: meta.closeOnTrigger,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    placeType: '',
    createdTime: String(o.createdAtMs),
    updatedTime: String(o.updatedAtMs),
    ...(fee !== 0 ? { cumFeeDetail: { [ins.settle]: money(fee) } } : {}),
  }
  if (!args.ws) return common
  return { ...common, category: meta.category, closedPnl: money(meta.cumRealisedPnl), feeCurrency: '', createType: meta.createType }
}

/**
 * The execution object of `execution/list` and (with `ws: true`, adding `category` and `execPnl`) the
 * `execution` topic. `leavesQty` is what the order had left after this fill; `seq` orders executions.
 * @example
 * ```ts
 * const json = bybitExecutionJson({ category: 'inverse', fill, order, meta, instrument, markPrice: 8000, leavesQty: 0, seq: 1, ws: false })
 * ```
 */
export function bybitExecutionJson(args: {
  readonly category: BybitDerivativeCategory
  readonly fill: Fill
  readonly order: Order | undefined
  readonly meta: BybitOrderMeta
  readonly instrument: Instrument
  readonly markPrice: number | undefined
  readonly leavesQty: number
  readonly seq: number
  readonly ws: boolean
}): Record<string, unknown> {
  const { fill: f, instrument: ins, order: o } = args
  const value = valueOf(ins, f.qty, f.price)
  const closing = f.realizedPnl !== undefined
  const json: Record<string, unknown> = {
    symbol: ins.venueSymbol,
    orderId: args.meta.orderId,
    orderLinkId: args.meta.orderLinkId,
    side: f.side === 'buy' ? 'Buy' : 'Sell',
    orderPrice: onStep(o?.price ?? args.meta.lastPriceOnCreated ?? f.price, ins.tickSize),
    orderQty: onStep(o?.qty ?? f.qty, ins.lotStep),
    leavesQty: onStep(Math.max(0, args.leavesQty), ins.lotStep),
    orderType: o === undefined || o.price === undefined ? 'Market' : 'Limit',
    stopOrderType: o !== undefined && CONDITIONAL.has(o.type) ? 'Stop' : 'UNKNOWN',
    execFee: money(f.feeAmount),
    execId: bybitExecId(args.category, f.tradeId),
    execPrice: onStep(f.price, ins.tickSize),
    execQty: onStep(f.qty, ins.lotStep),
    execType: f.origin === 'liquidation' || (f.origin === undefined && args.meta.createType === 'CreateByLiq') ? 'BustTrade' : f.origin === 'adl' ? 'AdlTrade' : 'Trade',
    execValue: money(value),
    execTime: String(f.timestampMs),
    feeRate: value > 0 ? rate(f.feeAmount / value) : '0',
    isMaker: f.liquidity === 'maker',
    markPrice: onStep(args.markPrice ?? f.price, ins.tickSize),
    closedSize: closing ? onStep(f.qty, ins.lotStep) : '0',
    seq: args.seq,
  }
  if (!args.ws) return json
  return { ...json, category: args.category, execPnl: money(f.realizedPnl ?? 0), createType: args.meta.createType, feeCurrency: ins.settle }
}
