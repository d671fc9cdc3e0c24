/**
 * Binance USDⓈ-M wire formats of the simulated venue's orders, fills, positions and balances: decimal strings
 * with the instrument's precision, Binance enums (`NEW`, `STOP_MARKET`, `GTX`, `MARK_PRICE` …), epoch-ms times.
 * @module
 */
import { type Balance, decimalsOf, type Fill, formatDecimal, type Instrument, type Order, type OrderStatus, type OrderType, type Position, type TimeInForce } from '@perpkit/core'

/** Money values (balances, PnL, fees) are sent with 8 decimals, as the venue does. */
const MONEY_DECIMALS = 8

/**
 * Format a price with the instrument's tick precision.
 * @param ins - instrument
 * @param value - the price (0 allowed)
 * @returns a decimal string
 * @throws never for finite values
 * @example
 * ```ts
 * px(btcusdt, 65000) // '65000.0'
 * ```
 */
export const px = (ins: Instrument, value: number): string => formatDecimal({ value, decimals: decimalsOf(ins.tickSize) })

/**
 * Format a quantity with the instrument's step precision.
 * @param ins - instrument
 * @param value - the quantity
 * @returns a decimal string
 * @throws never for finite values
 * @example
 * ```ts
 * qty(btcusdt, 0.01) // '0.010'
 * ```
 */
export const qty = (ins: Instrument, value: number): string => formatDecimal({ value, decimals: decimalsOf(ins.lotStep) })

/**
 * Format a money amount with 8 decimals.
 * @param value - the amount
 * @returns a decimal string
 * @throws never for finite values
 * @example
 * ```ts
 * money(12.5) // '12.50000000'
 * ```
 */
export const money = (value: number): string => formatDecimal({ value: Math.abs(value) < 5e-9 ? 0 : value, decimals: MONEY_DECIMALS })

const TYPE: Readonly<Record<OrderType, string>> = {
  market: 'MARKET',
  limit: 'LIMIT',
  'stop-market': 'STOP_MARKET',
  'stop-limit': 'STOP',
  'take-profit-market': 'TAKE_PROFIT_MARKET',
  'take-profit-limit': 'TAKE_PROFIT',
  'trailing-stop': 'TRAILING_STOP_MARKET',
}

/**
 * Binance order type of a core order type.
 * @param type - core type
 * @returns the Binance enum
 * @throws never
 * @example
 * ```ts
 * binanceOrderType('stop-market') // 'STOP_MARKET'
 * ```
 */
export const binanceOrderType = (type: OrderType): string => TYPE[type]

/**
 * Core order type of a Binance order type (undefined for unknown types).
 * @param type - Binance enum
 * @returns the core type
 * @throws never
 * @example
 * ```ts
 * coreOrderType('TAKE_PROFIT_MARKET') // 'take-profit-market'
 * ```
 */
export function coreOrderType(type: string): OrderType | undefined {
  for (const [k, v] of Object.entries(TYPE)) if (v === type) return k as OrderType
  return undefined
}

/**
 * Binance time in force.
 * @param tif - core time in force
 * @returns `GTC` / `IOC` / `FOK` / `GTX`
 * @throws never
 * @example
 * ```ts
 * binanceTimeInForce('post-only') // 'GTX'
 * ```
 */
export const binanceTimeInForce = (tif: TimeInForce): string => (tif === 'post-only' ? 'GTX' : tif)

/**
 * Binance order status of a regular (non-algo) order.
 * @param status - core status
 * @returns `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `EXPIRED` or `REJECTED`
 * @throws never
 * @example
 * ```ts
 * binanceOrderStatus('partially-filled') // 'PARTIALLY_FILLED'
 * ```
 */
export function binanceOrderStatus(status: OrderStatus): string {
  switch (status) {
    case 'open':
    case 'untriggered':
    case 'triggered':
      return 'NEW'
    case 'partially-filled':
      return 'PARTIALLY_FILLED'
    case 'filled':
      return 'FILLED'
    case 'canceled':
      return 'CANCELED'
    case 'expired':
      return 'EXPIRED'
    case 'rejected':
      return 'REJECTED'
  }
}

/**
 * A regular order as `POST/GET/DELETE /fapi/v1/order`, `openOrders` and `allOrders` return it.
 *
 * @param args.ins - the instrument
 * @param args.order - the simulated venue's order
 * @param args.orderId - Binance order id
 * @returns the JSON object (fields as in the docs' order response)
 * @throws never
 * @example
 * ```ts
 * orderBody({ ins: btcusdt, order, orderId: 1000001 }).status // 'NEW'
 * ```
 */
export function orderBody(args: { readonly ins: Instrument; readonly order: Order; readonly orderId: number }): Record<string, unknown> {
  const { ins, order } = args
  const type = binanceOrderType(order.type)
  return {
    orderId: args.orderId,
    symbol: ins.venueSymbol,
    status: binanceOrderStatus(order.status),
    clientOrderId: order.clientOrderId,
    price: px(ins, order.price ?? 0),
    avgPrice: px(ins, order.avgFillPrice),
    origQty: qty(ins, order.qty),
    executedQty: qty(ins, order.filledQty),
    cumQty: qty(ins, order.filledQty),
    cumQuote: money(order.filledQty * order.avgFillPrice * ins.contractSize),
    timeInForce: binanceTimeInForce(order.timeInForce),
    type,
    reduceOnly: order.reduceOnly,
    closePosition: order.closePosition,
    side: order.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: 'BOTH',
    stopPrice: px(ins, order.triggerPrice ?? 0),
    workingType: order.triggerPriceType === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
    priceProtect: false,
    origType: type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: order.createdAtMs,
    updateTime: order.updatedAtMs,
  }
}

/**
 * One own trade as `GET /fapi/v1/userTrades` returns it.
 *
 * @param args.ins - the instrument
 * @param args.fill - the simulated fill
 * @param args.orderId - Binance order id of the fill's order
 * @returns the JSON object
 * @throws never
 * @example
 * ```ts
 * tradeBody({ ins: btcusdt, fill, orderId: 1000001 }).maker // false
 * ```
 */
export function tradeBody(args: { readonly ins: Instrument; readonly fill: Fill; readonly orderId: number }): Record<string, unknown> {
  const { ins, fill } = args
  return {
    buyer: fill.side === 'buy',
    commission: money(fill.feeAmount),
    commissionAsset: fill.feeAsset,
    id: Number(fill.tradeId),
    maker: fill.liquidity === 'maker',
    orderId: args.orderId,
    price: px(ins, fill.price),
    qty: qty(ins, fill.qty),
    quoteQty: money(fill.price * fill.qty * ins.contractSize),
    realizedPnl: money(fill.realizedPnl ?? 0),
    side: fill.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: 'BOTH',
    symbol: ins.venueSymbol,
    time: fill.timestampMs,
  }
}

/**
 * Signed position amount (negative = short) of a position or flat.
 * @param position - the position or null
 * @returns the signed quantity
 * @throws never
 * @example
 * ```ts
 * signedAmount({ ...position, side: 'short', qty: 0.01 }) // -0.01
 * ```
 */
export const signedAmount = (position: Position | null | undefined): number =>
  position === null || position === undefined ? 0 : position.side === 'long' ? position.qty : -position.qty

/**
 * A position (or a flat symbol) as `GET /fapi/v3/positionRisk` returns it (v2 adds leverage, margin type).
 *
 * @param args.ins - the instrument
 * @param args.position - the position or null when flat
 * @param args.markPrice - current mark price
 * @param args.leverage - the symbol's leverage
 * @param args.marginMode - cross or isolated
 * @param args.version - `v2` or `v3` field set
 * @param args.nowMs - update time for a flat symbol
 * @returns the JSON object
 * @throws never
 * @example
 * ```ts
 * positionBody({ ins: btcusdt, position: null, markPrice: 65000, leverage: 20, marginMode: 'cross', version: 'v3', nowMs: 0 }).positionAmt // '0.000'
 * ```
 */
export function positionBody(args: {
  readonly ins: Instrument
  readonly position: Position | null
  readonly markPrice: number
  readonly leverage: number
  readonly marginMode: 'cross' | 'isolated'
  readonly version: 'v2' | 'v3'
  readonly nowMs: number
}): Record<string, unknown> {
  const { ins, position: p, markPrice } = args
  const amount = signedAmount(p)
  const notional = amount * markPrice * ins.contractSize
  const initialMargin = Math.abs(notional) / args.leverage
  const common = {
    symbol: ins.venueSymbol,
    positionSide: 'BOTH',
    positionAmt: qty(ins, amount),
    entryPrice: px(ins, p?.entryPrice ?? 0),
    breakEvenPrice: px(ins, p?.entryPrice ?? 0),
    markPrice: money(markPrice),
    unRealizedProfit: money(p?.unrealizedPnl ?? 0),
    liquidationPrice: px(ins, p?.liquidationPrice ?? 0),
    isolatedMargin: money(p?.isolatedMargin ?? 0),
    notional: money(notional),
    marginAsset: ins.settle,
    isolatedWallet: money(p?.isolatedMargin ?? 0),
    updateTime: p?.updatedAtMs ?? 0,
  }
  if (args.version === 'v2') {
    return {
      ...common,
      leverage: String(args.leverage),
      maxNotionalValue: '250000',
      marginType: args.marginMode === 'isolated' ? 'isolated' : 'cross',
      isAutoAddMargin: 'false',
    }
  }
  return {
    ...common,
    initialMargin: money(initialMargin),
    maintMargin: money(Math.abs(notional) * 0.004),
    positionInitialMargin: money(initialMargin),
    openOrderInitialMargin: money(0),
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
  }
}

/**
 * One asset row of `GET /fapi/v2/balance` / `v3/balance`.
 * @param args.balance - the simulated balance
 * @param args.accountAlias - the account alias (constant per server)
 * @returns the JSON object
 * @throws never
 * @example
 * ```ts
 * balanceBody({ balance, accountAlias: 'SgsR' }).availableBalance
 * ```
 */
export function balanceBody(args: { readonly balance: Balance; readonly accountAlias: string }): Record<string, unknown> {
  const b = args.balance
  return {
    accountAlias: args.accountAlias,
    asset: b.asset,
    balance: money(b.total),
    crossWalletBalance: money(b.total),
    crossUnPnl: money(b.unrealizedPnl),
    availableBalance: money(b.available),
    maxWithdrawAmount: money(Math.max(0, Math.min(b.available, b.total))),
    marginAvailable: true,
    updateTime: b.updatedAtMs,
  }
}
