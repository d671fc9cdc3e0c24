/**
 * What Bybit says about an order that the simulated venue does not keep: the Bybit `orderId`, whether the
 * client named it (`orderLinkId`), the conditional parameters as sent (`triggerDirection`, `triggerBy`,
 * `closeOnTrigger`), the last price at creation, whether it has triggered, and running execution totals.
 * @module
 */
import type { Fill, Order } from '@perpkit/core'
import type { BybitDerivativeCategory } from './books.js'
import { bybitOrderId } from './ids.js'

/** Bybit-side facts of one order. */
export interface BybitOrderMeta {
  readonly category: BybitDerivativeCategory
  readonly orderId: string
  /** The simulator's client order id (the client's `orderLinkId`, or one the server generated). */
  readonly clientOrderId: string
  /** `orderLinkId` as Bybit reports it: `""` when the client sent none. */
  readonly orderLinkId: string
  readonly triggerDirection: 0 | 1 | 2
  readonly triggerBy: 'LastPrice' | 'MarkPrice' | 'IndexPrice' | 'UNKNOWN'
  readonly closeOnTrigger: boolean
  readonly lastPriceOnCreated: number | undefined
  /** How the order came to be (`CreateByUser`, or `CreateByLiq` for the venue's liquidation orders). */
  readonly createType: 'CreateByUser' | 'CreateByLiq'
  triggered: boolean
  cumExecQty: number
  cumExecFee: number
  cumRealisedPnl: number
}

/**
 * Registry of {@link BybitOrderMeta}, by Bybit order id and by the simulator's client id.
 * @example
 * ```ts
 * const registry = createOrderRegistry()
 * const meta = registry.register({ category: 'linear', order, orderLinkId: 'my-1', triggerDirection: 0, triggerBy: 'UNKNOWN', closeOnTrigger: false, lastPriceOnCreated: 100 })
 * ```
 */
export interface OrderRegistry {
  /** Record an order the client created (call right after the venue accepted it). */
  register(args: {
    readonly category: BybitDerivativeCategory
    readonly order: Order
    readonly orderLinkId: string
    readonly triggerDirection: 0 | 1 | 2
    readonly triggerBy: BybitOrderMeta['triggerBy']
    readonly closeOnTrigger: boolean
    readonly lastPriceOnCreated: number | undefined
  }): BybitOrderMeta
  /** The meta of an order seen in the venue's events (an order or a fill); orders nobody registered (liquidations) are added. */
  ensure(category: BybitDerivativeCategory, order: Pick<Order, 'clientOrderId' | 'venueOrderId'> & Partial<Order>): BybitOrderMeta
  byOrderId(orderId: string): BybitOrderMeta | undefined
  byClientOrderId(category: BybitDerivativeCategory, clientOrderId: string): BybitOrderMeta | undefined
  /** A fresh client id for an order sent without `orderLinkId` (never one in use). */
  generateClientOrderId(category: BybitDerivativeCategory): string
  /** Account a fill to its order's running totals. */
  applyFill(category: BybitDerivativeCategory, fill: Fill): BybitOrderMeta | undefined
}

const GENERATED_PREFIX = 'srv-'

/**
 * Create an empty {@link OrderRegistry}.
 * @example
 * ```ts
 * const registry = createOrderRegistry()
 * ```
 */
export function createOrderRegistry(): OrderRegistry {
  const byId = new Map<string, BybitOrderMeta>()
  const byCid = new Map<string, BybitOrderMeta>()
  let generated = 0
  const key = (category: BybitDerivativeCategory, cid: string): string => `${category}:${cid}`
  const add = (meta: BybitOrderMeta): BybitOrderMeta => {
    byId.set(meta.orderId, meta)
    byCid.set(key(meta.category, meta.clientOrderId), meta)
    return meta
  }
  return {
    register: (a) =>
      add({
        category: a.category,
        orderId: bybitOrderId(a.category, a.order.venueOrderId),
        clientOrderId: a.order.clientOrderId,
        orderLinkId: a.orderLinkId,
        triggerDirection: a.triggerDirection,
        triggerBy: a.triggerBy,
        closeOnTrigger: a.closeOnTrigger,
        lastPriceOnCreated: a.lastPriceOnCreated,
        createType: 'CreateByUser',
        triggered: false,
        cumExecQty: 0,
        cumExecFee: 0,
        cumRealisedPnl: 0,
      }),
    ensure: (category, order) => {
      const known = byCid.get(key(category, order.clientOrderId))
      if (known !== undefined) return known
      const conditional = order.triggerPrice !== undefined
      const byVenue = order.clientOrderId.startsWith('liquidation-')
      const serverNamed = order.clientOrderId.startsWith(GENERATED_PREFIX)
      const rising = (order.type === 'stop-market' || order.type === 'stop-limit') === (order.side === 'buy')
      return add({
        category,
        orderId: bybitOrderId(category, order.venueOrderId),
        clientOrderId: order.clientOrderId,
        orderLinkId: byVenue || serverNamed ? '' : order.clientOrderId,
        triggerDirection: conditional ? (rising ? 1 : 2) : 0,
        triggerBy: conditional ? (order.triggerPriceType === 'mark' ? 'MarkPrice' : 'LastPrice') : 'UNKNOWN',
        closeOnTrigger: order.closePosition ?? false,
        lastPriceOnCreated: undefined,
        createType: byVenue ? 'CreateByLiq' : 'CreateByUser',
        triggered: false,
        cumExecQty: 0,
        cumExecFee: 0,
        cumRealisedPnl: 0,
      })
    },
    byOrderId: (orderId) => byId.get(orderId),
    byClientOrderId: (category, cid) => byCid.get(key(category, cid)),
    generateClientOrderId: (category) => {
      let cid: string
      do cid = `${GENERATED_PREFIX}${category}-${String(++generated)}`
      while (byCid.has(key(category, cid)))
      return cid
    },
    applyFill: (category, fill) => {
      const meta = byCid.get(key(category, fill.clientOrderId))
      if (meta === undefined) return undefined
      meta.cumExecQty += fill.qty
      meta.cumExecFee += fill.feeAmount
      meta.cumRealisedPnl += fill.realizedPnl ?? 0
      return meta
    },
  }
}
