/**
 * Bybit v5 orders both ways: a validated core `OrderRequest` to the body of `POST /v5/order/create` (market,
 * limit, `PostOnly`, reduce-only, `orderLinkId` from the OMS, `positionIdx` 0; a conditional order with
 * `triggerPrice`, `triggerDirection`, `triggerBy` and, when reduce-only, `closeOnTrigger`), with prices and
 * quantities as exact decimal strings from core's precision helpers; and Bybit's order objects (REST
 * `order/realtime` / `order/history` and the `order` topic) back to core `Order`s.
 * @module
 */
import { formatToStep, type Instrument, isConditionalOrderType, type Order, type OrderRequest, type OrderStatus, type OrderType, PerpkitError, type TimeInForce } from '@perpkit/core'
import { num, type Raw, str } from '../shared/raw.js'
import type { BybitParams } from './transport.js'

const TIF_TO_BYBIT: Readonly<Record<TimeInForce, string>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', 'post-only': 'PostOnly' }
const BYBIT_TO_TIF: Readonly<Record<string, TimeInForce>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', PostOnly: 'post-only' }

/**
 * Whether a conditional order fires on a rise (`1`) or a fall (`2`) of the trigger price: a stop buys on a rise
 * and sells on a fall; a take-profit does the opposite.
 */
export function triggerDirectionOf(type: OrderType, side: 'buy' | 'sell'): 1 | 2 {
  const stop = type === 'stop-market' || type === 'stop-limit'
  return stop === (side === 'buy') ? 1 : 2
}

/** Bybit order status → core status (`Deactivated`: a conditional order canceled before it fired). */
export function orderStatusOf(raw: string): OrderStatus {
  switch (raw) {
    case 'New':
      return 'open'
    case 'PartiallyFilled':
      return 'partially-filled'
    case 'Untriggered':
      return 'untriggered'
    case 'Triggered':
      return 'triggered'
    case 'Filled':
      return 'filled'
    case 'Cancelled':
    case 'Deactivated':
    case 'PartiallyFilledCanceled':
      return 'canceled'
    default:
      return 'rejected'
  }
}

/**
 * The body of `POST /v5/order/create` for an already validated request.
 * @param request - validated against `ins`
 * @param ins - its instrument
 * @returns the parameters (prices and quantities as exact decimal strings)
 * @throws PerpkitError `not-supported` for a trailing stop or a close-position order (this adapter places neither)
 */
export function createOrderBody(request: OrderRequest, ins: Instrument): BybitParams {
  if (request.type === 'trailing-stop') throw new PerpkitError('not-supported', 'Bybit trailing stops are a position setting (position/trading-stop), not an order this adapter places', { details: { clientOrderId: request.clientOrderId } })
  if (request.closePosition === true) throw new PerpkitError('not-supported', 'close-position orders are not placed by the Bybit adapter: send a reduce-only order with the position quantity', { details: { clientOrderId: request.clientOrderId } })
  const price = (v: number): string => formatToStep({ value: v, step: ins.tickSize, mode: 'nearest' })
  const limit = request.price !== undefined
  const p: Record<string, string | number | boolean> = {
    category: ins.kind,
    symbol: ins.venueSymbol,
    side: request.side === 'buy' ? 'Buy' : 'Sell',
    orderType: limit ? 'Limit' : 'Market',
    qty: formatToStep({ value: request.qty, step: ins.lotStep, mode: 'nearest' }),
    orderLinkId: request.clientOrderId,
    positionIdx: 0,
  }
  if (request.price !== undefined) {
    p['price'] = price(request.price)
    p['timeInForce'] = TIF_TO_BYBIT[request.timeInForce ?? 'GTC']
  }
  if (request.reduceOnly === true) p['reduceOnly'] = true
  if (isConditionalOrderType(request.type) && request.triggerPrice !== undefined) {
    p['triggerPrice'] = price(request.triggerPrice)
    p['triggerDirection'] = triggerDirectionOf(request.type, request.side)
    p['triggerBy'] = request.triggerPriceType === 'mark' ? 'MarkPrice' : 'LastPrice'
    // A reduce-only stop is a closing order: close-on-trigger lets it reduce the position even without free margin.
    if (request.reduceOnly === true) p['closeOnTrigger'] = true
  }
  return p
}

function conditionalTypeOf(raw: Raw, side: 'buy' | 'sell'): OrderType {
  const limit = raw['orderType'] === 'Limit'
  const rising = num(raw['triggerDirection']) === 1
  const stop = rising === (side === 'buy')
  if (stop) return limit ? 'stop-limit' : 'stop-market'
  return limit ? 'take-profit-limit' : 'take-profit-market'
}

/** Whether a Bybit order object is a conditional order (a trigger price and a stop order type). */
export function isConditionalBybitOrder(raw: Raw): boolean {
  const stopType = str(raw['stopOrderType'])
  return num(raw['triggerPrice']) > 0 && stopType !== '' && stopType !== 'UNKNOWN'
}

/**
 * A Bybit order object as a core `Order`: `book` is `conditional` for an order placed with a trigger price (it
 * keeps its id and client id after it fires), `updateId` is `updatedTime`.
 * @param raw - the venue's order object
 * @param ins - its instrument
 * @returns the order
 */
export function orderOf(raw: Raw, ins: Instrument): Order {
  const side = raw['side'] === 'Buy' ? 'buy' : 'sell'
  const conditional = isConditionalBybitOrder(raw)
  const limit = raw['orderType'] === 'Limit'
  const price = num(raw['price'])
  const trigger = num(raw['triggerPrice'])
  const updated = num(raw['updatedTime'])
  const reject = str(raw['rejectReason'])
  return {
    symbol: ins.symbol,
    clientOrderId: str(raw['orderLinkId']) || str(raw['orderId']),
    venueOrderId: str(raw['orderId']),
    side,
    type: conditional ? conditionalTypeOf(raw, side) : limit ? 'limit' : 'market',
    status: orderStatusOf(str(raw['orderStatus'])),
    qty: num(raw['qty']),
    filledQty: num(raw['cumExecQty']),
    avgFillPrice: num(raw['avgPrice']),
    ...(limit && price > 0 ? { price } : {}),
    ...(conditional ? { triggerPrice: trigger, triggerPriceType: raw['triggerBy'] === 'MarkPrice' ? 'mark' : 'last' } : {}),
    timeInForce: BYBIT_TO_TIF[str(raw['timeInForce'])] ?? 'GTC',
    reduceOnly: raw['reduceOnly'] === true || raw['closeOnTrigger'] === true,
    closePosition: false,
    createdAtMs: num(raw['createdTime']) || updated,
    updatedAtMs: updated,
    book: conditional ? 'conditional' : 'regular',
    updateId: updated,
    ...(reject !== '' && reject !== 'EC_NoError' ? { rejectReason: reject } : {}),
  }
}

/**
 * The venue's view of a just-accepted order when the follow-up query failed: built from the request and the ids
 * Bybit answered (`updateId` 0, so any later view wins).
 * @param request - the validated request
 * @param ins - its instrument
 * @param orderId - Bybit's order id
 * @param nowMs - the clock
 * @returns an `open` (or `untriggered`) order
 */
export function acceptedOrderOf(request: OrderRequest, ins: Instrument, orderId: string, nowMs: number): Order {
  const conditional = isConditionalOrderType(request.type)
  return {
    symbol: ins.symbol,
    clientOrderId: request.clientOrderId,
    venueOrderId: orderId,
    side: request.side,
    type: request.type,
    status: conditional ? 'untriggered' : 'open',
    qty: request.qty,
    filledQty: 0,
    avgFillPrice: 0,
    ...(request.price === undefined ? {} : { price: request.price }),
    timeInForce: request.timeInForce ?? (request.price === undefined ? 'IOC' : 'GTC'),
    ...(request.triggerPrice === undefined ? {} : { triggerPrice: request.triggerPrice, triggerPriceType: request.triggerPriceType ?? 'last' }),
    reduceOnly: request.reduceOnly === true,
    closePosition: false,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    book: conditional ? 'conditional' : 'regular',
    updateId: 0,
  }
}
