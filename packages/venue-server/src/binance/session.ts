/**
 * Per-server state of the Binance dialect: the id index, per-symbol leverage / margin-type settings as last
 * set through the API, id generation and the rendering of simulated orders as Binance regular or algo orders.
 * Orders, positions and balances themselves always come from the simulated venue.
 * @module
 */
import { type Instrument, isPerpkitError, type MarginMode, type Order, type OrderRequest } from '@perpkit/core'
import type { SimVenue } from '@perpkit/sim'
import type { DialectContext, VenueResponse } from '../dialect.js'
import { binanceOrderType, binanceTimeInForce, money, orderBody, px, qty } from './format.js'
import { createOrderIndex, type IndexedOrder, type OrderIndex } from './order-index.js'

/** The simulated venue's default leverage (its `defaultLeverage` option default). */
const DEFAULT_LEVERAGE = 20
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * The dialect session.
 * @example
 * ```ts
 * const session = createBinanceSession(ctx)
 * session.sim().fetchOpenOrders()
 * ```
 */
export interface BinanceSession {
  readonly ctx: DialectContext
  readonly index: OrderIndex
  sim(): SimVenue
  leverage(symbol: string): number
  marginMode(symbol: string): MarginMode
  setSettings(symbol: string, settings: { readonly leverage?: number; readonly marginMode?: MarginMode }): void
  /** A venue-generated client id (22 characters from the seeded generator), as Binance generates them. */
  newClientId(): string
  /**
   * Place an order on the simulated venue as a regular or algo order; returns its index entry and its state right
   * after acceptance (a market order is already filled). Rejections throw the simulated venue's error.
   */
  place(kind: 'regular' | 'algo', request: OrderRequest): Promise<{ readonly entry: IndexedOrder; readonly order: Order }>
  /** The venue's answer to a rejection by the simulated venue (throws anything that is not a venue rejection). */
  rejection(error: unknown): VenueResponse
  /** A regular order (or a triggered algo order's actual order) as the REST API shows it. */
  renderOrder(entry: IndexedOrder, order: Order): Record<string, unknown>
  /** An algo order as the Algo Order API shows it. */
  renderAlgo(entry: IndexedOrder, order: Order): Record<string, unknown>
  /** Binance `algoStatus` of a conditional order. */
  algoStatus(entry: IndexedOrder, order: Order): string
}

/**
 * Create the session of one server.
 * @param ctx - dialect context
 * @returns the session
 * @throws never
 * @example
 * ```ts
 * const session = createBinanceSession(ctx)
 * ```
 */
export function createBinanceSession(ctx: DialectContext): BinanceSession {
  const index = createOrderIndex()
  const settings = new Map<string, { leverage: number; marginMode: MarginMode }>()
  const current = (symbol: string): { leverage: number; marginMode: MarginMode } => {
    let s = settings.get(symbol)
    if (s === undefined) {
      s = { leverage: DEFAULT_LEVERAGE, marginMode: 'cross' }
      settings.set(symbol, s)
    }
    return s
  }
  const ins = (symbol: string): Instrument => ctx.venue.instrument(symbol)
  const session: BinanceSession = {
    ctx,
    index,
    sim: () => ctx.venue.sim('binance-usdm'),
    leverage: (symbol) => current(symbol).leverage,
    marginMode: (symbol) => current(symbol).marginMode,
    setSettings(symbol, s) {
      const c = current(symbol)
      if (s.leverage !== undefined) c.leverage = s.leverage
      if (s.marginMode !== undefined) c.marginMode = s.marginMode
    },
    newClientId() {
      let id = ''
      for (let i = 0; i < 22; i++) id += ID_ALPHABET[Math.floor(ctx.random.next() * ID_ALPHABET.length)]
      return id
    },
    async place(kind, request) {
      const sim = session.sim()
      index.expect(kind, request.symbol, request.clientOrderId)
      const accepted = await sim.createOrder(request)
      const entry = index.resolve(accepted)
      const order = (await sim.fetchOrder({ symbol: accepted.symbol, clientOrderId: accepted.clientOrderId })) ?? accepted
      return { entry, order }
    },
    rejection(error) {
      if (isPerpkitError(error) && typeof error.venueCode === 'number' && error.venueCode < 0) {
        return { status: 400, body: { code: error.venueCode, msg: error.message } }
      }
      throw error
    },
    renderOrder(entry, order) {
      const i = ins(entry.symbol)
      if (entry.kind === 'regular' || entry.actualOrderId === undefined) return orderBody({ ins: i, order, orderId: entry.orderId })
      const base = orderBody({ ins: i, order, orderId: entry.actualOrderId })
      const limit = order.type === 'stop-limit' || order.type === 'take-profit-limit'
      return { ...base, type: limit ? 'LIMIT' : 'MARKET', origType: binanceOrderType(order.type), stopPrice: px(i, 0), time: entry.triggeredAtMs ?? order.createdAtMs }
    },
    algoStatus(entry, order) {
      switch (order.status) {
        case 'untriggered':
        case 'open':
          return entry.actualOrderId === undefined ? 'NEW' : 'TRIGGERED'
        case 'triggered':
        case 'partially-filled':
          return 'TRIGGERED'
        case 'filled':
          return 'FINISHED'
        case 'canceled':
          return entry.actualOrderId === undefined ? 'CANCELED' : 'FINISHED'
        case 'expired':
          return 'EXPIRED'
        case 'rejected':
          return 'REJECTED'
      }
    },
    renderAlgo(entry, order) {
      const i = ins(entry.symbol)
      return {
        algoId: entry.orderId,
        clientAlgoId: order.clientOrderId,
        algoType: 'CONDITIONAL',
        orderType: binanceOrderType(order.type),
        symbol: i.venueSymbol,
        side: order.side === 'buy' ? 'BUY' : 'SELL',
        positionSide: 'BOTH',
        timeInForce: binanceTimeInForce(order.timeInForce),
        quantity: qty(i, order.closePosition ? 0 : order.qty),
        algoStatus: session.algoStatus(entry, order),
        actualOrderId: entry.actualOrderId === undefined ? '' : String(entry.actualOrderId),
        actualPrice: px(i, order.avgFillPrice),
        triggerPrice: px(i, order.triggerPrice ?? 0),
        price: px(i, order.price ?? 0),
        icebergQuantity: null,
        tpTriggerPrice: px(i, 0),
        tpPrice: px(i, 0),
        slTriggerPrice: px(i, 0),
        slPrice: px(i, 0),
        tpOrderType: '',
        selfTradePreventionMode: 'EXPIRE_MAKER',
        workingType: order.triggerPriceType === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
        priceMatch: 'NONE',
        closePosition: order.closePosition,
        priceProtect: false,
        reduceOnly: order.reduceOnly,
        ...(order.type === 'trailing-stop' && order.trailing !== undefined
          ? { activatePrice: px(i, order.trailing.activationPrice ?? 0), callbackRate: money(order.trailing.callbackRate * 100).replace(/0+$/, '').replace(/\.$/, '') }
          : {}),
        createTime: order.createdAtMs,
        updateTime: order.updatedAtMs,
        triggerTime: entry.triggeredAtMs ?? 0,
        goodTillDate: 0,
      }
    },
  }
  return session
}
