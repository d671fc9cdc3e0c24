/**
 * Binance USDⓈ-M orders both ways: a core `OrderRequest` to the parameters of `POST /fapi/v1/order` (market,
 * limit, post-only as `GTX`, reduce-only) or `POST /fapi/v1/algoOrder` (every conditional type, since Binance
 * moved them to the Algo Order service), with prices and quantities as exact decimal strings from core's
 * precision helpers; and the venue's order / algo-order answers back to core `Order`s.
 * @module
 */
import { formatToStep, type Instrument, isConditionalOrderType, type Order, type OrderRequest, type OrderStatus, type OrderType, type TimeInForce } from '@perpkit/core'
import { num, type Raw, str } from '../shared/raw.js'

const TYPE_TO_BINANCE: Readonly<Record<OrderType, string>> = {
  market: 'MARKET',
  limit: 'LIMIT',
  'stop-market': 'STOP_MARKET',
  'stop-limit': 'STOP',
  'take-profit-market': 'TAKE_PROFIT_MARKET',
  'take-profit-limit': 'TAKE_PROFIT',
  'trailing-stop': 'TRAILING_STOP_MARKET',
}
/** Binance order type → core order type. */
export const BINANCE_TO_TYPE: Readonly<Record<string, OrderType>> = Object.fromEntries(Object.entries(TYPE_TO_BINANCE).map(([k, v]) => [v, k as OrderType]))
const TIF_TO_BINANCE: Readonly<Record<TimeInForce, string>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', 'post-only': 'GTX' }
const BINANCE_TO_TIF: Readonly<Record<string, TimeInForce>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', GTX: 'post-only', GTD: 'GTC' }

/** Binance time in force (`GTX` is post-only) → core; unknown values read as GTC. */
export const timeInForceOf = (raw: unknown): TimeInForce => BINANCE_TO_TIF[str(raw)] ?? 'GTC'

/** Binance order status → core status (`NEW` of a regular order is `open`). */
export function orderStatusOf(raw: string): OrderStatus {
  switch (raw) {
    case 'NEW':
      return 'open'
    case 'PARTIALLY_FILLED':
      return 'partially-filled'
    case 'FILLED':
      return 'filled'
    case 'CANCELED':
      return 'canceled'
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return 'expired'
    default:
      return 'rejected'
  }
}

/** Which endpoint a request goes to and its parameters. */
export interface BinanceOrderCall {
  readonly endpoint: 'order' | 'algoOrder'
  readonly params: Readonly<Record<string, string>>
}

/**
 * Parameters of a create for an already validated request.
 * @param request - validated against `ins`
 * @param ins - its instrument
 * @returns the endpoint and parameters (strings exactly as sent)
 */
export function createOrderCall(request: OrderRequest, ins: Instrument): BinanceOrderCall {
  const price = (v: number): string => formatToStep({ value: v, step: ins.tickSize, mode: 'nearest' })
  const qty = (v: number): string => formatToStep({ value: v, step: ins.lotStep, mode: 'nearest' })
  const p: Record<string, string> = { symbol: ins.venueSymbol, side: request.side === 'buy' ? 'BUY' : 'SELL' }
  const conditional = isConditionalOrderType(request.type)
  if (conditional) {
    p['algoType'] = 'CONDITIONAL'
    p['type'] = TYPE_TO_BINANCE[request.type]
    p['clientAlgoId'] = request.clientOrderId
    if (request.triggerPrice !== undefined) p['triggerPrice'] = price(request.triggerPrice)
    p['workingType'] = request.triggerPriceType === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE'
    if (request.trailing !== undefined) {
      p['callbackRate'] = String(Math.round(request.trailing.callbackRate * 1000) / 10)
      if (request.trailing.activationPrice !== undefined) p['activatePrice'] = price(request.trailing.activationPrice)
    }
  } else {
    p['type'] = TYPE_TO_BINANCE[request.type]
    p['newClientOrderId'] = request.clientOrderId
    p['newOrderRespType'] = 'RESULT'
  }
  if (request.closePosition === true) p['closePosition'] = 'true'
  else p['quantity'] = qty(request.qty)
  if (request.price !== undefined) {
    p['price'] = price(request.price)
    p['timeInForce'] = TIF_TO_BINANCE[request.timeInForce ?? 'GTC']
  } else if (request.timeInForce !== undefined && request.type !== 'market') p['timeInForce'] = TIF_TO_BINANCE[request.timeInForce]
  if (request.reduceOnly === true && request.closePosition !== true) p['reduceOnly'] = 'true'
  return { endpoint: conditional ? 'algoOrder' : 'order', params: p }
}


/**
 * A regular order answer (`POST/GET/DELETE /fapi/v1/order`, `openOrders`) as a core `Order`.
 * @param raw - the venue's JSON object
 * @param ins - its instrument
 * @returns the order, `book: 'regular'`, `updateId` = the venue's `updateTime`
 */
export function regularOrderOf(raw: Raw, ins: Instrument): Order {
  const price = num(raw['price'])
  const type = BINANCE_TO_TYPE[str(raw['origType']) || str(raw['type'])] ?? 'limit'
  const updated = num(raw['updateTime']) || num(raw['time'])
  return {
    symbol: ins.symbol,
    clientOrderId: str(raw['clientOrderId']),
    venueOrderId: str(raw['orderId']),
    side: raw['side'] === 'BUY' ? 'buy' : 'sell',
    type,
    status: orderStatusOf(str(raw['status'])),
    qty: num(raw['origQty']),
    filledQty: num(raw['executedQty']),
    avgFillPrice: num(raw['avgPrice']),
    ...(price > 0 ? { price } : {}),
    ...(num(raw['stopPrice']) > 0 ? { triggerPrice: num(raw['stopPrice']) } : {}),
    timeInForce: timeInForceOf(raw['timeInForce']),
    reduceOnly: raw['reduceOnly'] === true,
    closePosition: raw['closePosition'] === true,
    createdAtMs: num(raw['time']) || updated,
    updatedAtMs: updated,
    book: 'regular',
    updateId: updated,
  }
}

/** Binance algo status → core status before the actual order is known. */
function algoStatusOf(raw: string): OrderStatus {
  switch (raw) {
    case 'NEW':
      return 'untriggered'
    case 'TRIGGERING':
    case 'TRIGGERED':
      return 'triggered'
    case 'CANCELED':
      return 'canceled'
    case 'EXPIRED':
      return 'expired'
    case 'REJECTED':
      return 'rejected'
    default:
      return 'triggered' // FINISHED: filled or canceled in the matching engine; the actual order decides
  }
}

/**
 * An algo order answer (`/fapi/v1/algoOrder`, `openAlgoOrders`) as a core `Order`, merged with the regular order
 * it became when one is known (its status, filled quantity and average price win: `FINISHED` alone does not say
 * whether it filled).
 * @param raw - the venue's algo order object
 * @param ins - its instrument
 * @param actual - the triggered order's answer, when it was fetched
 * @returns the order, `book: 'conditional'`, under the algo order's client id
 */
export function algoOrderOf(raw: Raw, ins: Instrument, actual?: Raw): Order {
  const price = num(raw['price'])
  const trigger = num(raw['triggerPrice'])
  const actualId = str(raw['actualOrderId'])
  const type = BINANCE_TO_TYPE[str(raw['orderType'])] ?? 'stop-market'
  const updated = Math.max(num(raw['updateTime']), actual === undefined ? 0 : num(actual['updateTime']))
  const callback = num(raw['callbackRate'])
  const activation = num(raw['activatePrice'])
  return {
    symbol: ins.symbol,
    clientOrderId: str(raw['clientAlgoId']),
    venueOrderId: str(raw['algoId']),
    side: raw['side'] === 'BUY' ? 'buy' : 'sell',
    type,
    status: actual === undefined ? algoStatusOf(str(raw['algoStatus'])) : orderStatusOf(str(actual['status'])),
    qty: num(raw['quantity']) || (actual === undefined ? 0 : num(actual['origQty'])),
    filledQty: actual === undefined ? 0 : num(actual['executedQty']),
    avgFillPrice: actual === undefined ? 0 : num(actual['avgPrice']),
    ...(price > 0 ? { price } : {}),
    ...(trigger > 0 ? { triggerPrice: trigger } : {}),
    triggerPriceType: raw['workingType'] === 'MARK_PRICE' ? 'mark' : 'last',
    timeInForce: timeInForceOf(raw['timeInForce']),
    reduceOnly: raw['reduceOnly'] === true,
    closePosition: raw['closePosition'] === true,
    ...(type === 'trailing-stop' && callback > 0 ? { trailing: { callbackRate: callback / 100, ...(activation > 0 ? { activationPrice: activation } : {}) } } : {}),
    createdAtMs: num(raw['createTime']),
    updatedAtMs: updated,
    book: 'conditional',
    ...(actualId === '' ? {} : { triggeredOrderId: actualId }),
    updateId: updated,
  }
}
