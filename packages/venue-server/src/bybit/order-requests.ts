/**
 * Bybit `order/create` and `order/amend` parameters → core order requests, with Bybit's own answers for bad
 * input (10001 parameter errors, 110094 minimum order value). Nothing reaches the venue when a check fails.
 * @module
 */
import { type AmendRequest, type Instrument, isOnStep, type OrderRequest, type OrderType, type TriggerPriceType } from '@perpkit/core'
import { BybitApiError, BYBIT_RET } from './errors.js'
import { decimalParam } from './decimals.js'
import type { BybitOrderMeta } from './order-registry.js'

/** A create request in core's terms plus what only Bybit keeps. */
export interface ParsedCreate {
  /** Core request; `clientOrderId` is the client's `orderLinkId` or `undefined` (the caller generates one). */
  readonly request: Omit<OrderRequest, 'clientOrderId'>
  readonly orderLinkId: string | undefined
  readonly triggerDirection: 0 | 1 | 2
  readonly triggerBy: BybitOrderMeta['triggerBy']
  readonly closeOnTrigger: boolean
}

const fail = (msg: string): never => {
  throw new BybitApiError(BYBIT_RET.paramsError, msg)
}

function boolParam(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'boolean') return value
  if (value === 'true') return true
  if (value === 'false') return false
  return fail(`params error: ${name} invalid`)
}

function positive(value: unknown, name: string): number | undefined {
  const n = decimalParam(value)
  if (n === undefined) return undefined
  if (!Number.isFinite(n) || n <= 0) return fail(`params error: ${name} invalid`)
  return n
}

function checkPrice(value: number, ins: Instrument, name: string): void {
  if (!isOnStep({ value, step: ins.tickSize })) fail(`params error: ${name} must be a multiple of tickSize ${ins.tickSize}`)
}

function checkQty(qty: number, ins: Instrument): void {
  if (!isOnStep({ value: qty, step: ins.lotStep })) fail(`params error: qty must be a multiple of qtyStep ${ins.lotStep}`)
  if (qty < ins.minQty - 1e-12) fail('The number of contracts exceeds minimum limit allowed')
  if (ins.maxQty !== undefined && qty > ins.maxQty + 1e-12) fail('The number of contracts exceeds maximum limit allowed')
}

function conditionalType(args: { readonly limit: boolean; readonly side: 'buy' | 'sell'; readonly rising: boolean }): OrderType {
  // A stop buys on a rise and sells on a fall; a take-profit does the opposite.
  const stop = args.rising === (args.side === 'buy')
  if (stop) return args.limit ? 'stop-limit' : 'stop-market'
  return args.limit ? 'take-profit-limit' : 'take-profit-market'
}

function triggerByParam(value: unknown): { by: BybitOrderMeta['triggerBy']; type: TriggerPriceType } {
  if (value === undefined || value === 'LastPrice') return { by: 'LastPrice', type: 'last' }
  if (value === 'MarkPrice') return { by: 'MarkPrice', type: 'mark' }
  if (value === 'IndexPrice') return fail('params error: triggerBy IndexPrice is not supported by this venue (no index price is simulated)')
  return fail('params error: triggerBy invalid')
}

/**
 * Parse `POST /v5/order/create` parameters for one instrument.
 *
 * @param args.params - the JSON body
 * @param args.instrument - the instrument `symbol` resolved to
 * @param args.lastPrice - current last price (for the minimum order value of market orders)
 * @returns the request to send to the venue
 * @throws BybitApiError 10001 / 110094 on bad input
 * @example
 * ```ts
 * const parsed = parseCreateOrder({ params: { category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Market', qty: '100' }, instrument, lastPrice: 90_000 })
 * ```
 */
export function parseCreateOrder(args: { readonly params: Readonly<Record<string, unknown>>; readonly instrument: Instrument; readonly lastPrice: number | undefined }): ParsedCreate {
  const { params: p, instrument: ins } = args
  const side = p.side === 'Buy' ? 'buy' : p.side === 'Sell' ? 'sell' : fail('params error: side invalid')
  const orderType = p.orderType === 'Market' || p.orderType === 'Limit' ? p.orderType : fail('params error: orderType invalid')
  const qty = positive(p.qty, 'qty') ?? fail('params error: qty is required')
  checkQty(qty, ins)
  const limit = orderType === 'Limit'
  const price = positive(p.price, 'price')
  if (limit && price === undefined) fail('params error: price is required for a limit order')
  if (price !== undefined && limit) checkPrice(price, ins, 'price')
  if (p.positionIdx !== undefined && Number(p.positionIdx) !== 0) fail('position idx not match position mode')
  if (p.takeProfit !== undefined || p.stopLoss !== undefined) fail('params error: attached takeProfit / stopLoss are not supported by this venue; place conditional orders instead')
  const reduceOnly = boolParam(p.reduceOnly, 'reduceOnly')
  const closeOnTrigger = boolParam(p.closeOnTrigger, 'closeOnTrigger') ?? false
  const tifRaw = p.timeInForce
  if (tifRaw !== undefined && tifRaw !== 'GTC' && tifRaw !== 'IOC' && tifRaw !== 'FOK' && tifRaw !== 'PostOnly') fail('params error: timeInForce invalid')
  const tif = tifRaw as 'GTC' | 'IOC' | 'FOK' | 'PostOnly' | undefined
  if (tif === 'PostOnly' && !limit) fail('params error: PostOnly applies to limit orders')
  const orderLinkId = p.orderLinkId === undefined || p.orderLinkId === '' ? undefined : typeof p.orderLinkId === 'string' ? p.orderLinkId : fail('params error: orderLinkId invalid')
  const triggerPrice = positive(p.triggerPrice, 'triggerPrice')
  let type: OrderType = limit ? 'limit' : 'market'
  let triggerDirection: 0 | 1 | 2 = 0
  let triggerBy: BybitOrderMeta['triggerBy'] = 'UNKNOWN'
  let triggerPriceType: TriggerPriceType | undefined
  if (triggerPrice !== undefined) {
    checkPrice(triggerPrice, ins, 'triggerPrice')
    const dir = Number(p.triggerDirection)
    if (dir !== 1 && dir !== 2) fail('params error: TriggerDirection invalid')
    triggerDirection = dir === 1 ? 1 : 2
    const tb = triggerByParam(p.triggerBy)
    triggerBy = tb.by
    triggerPriceType = tb.type
    type = conditionalType({ limit, side, rising: triggerDirection === 1 })
  }
  const valuePrice = price ?? triggerPrice ?? args.lastPrice
  if (ins.kind === 'linear' && ins.minNotional > 0 && valuePrice !== undefined && reduceOnly !== true && !closeOnTrigger) {
    if (qty * ins.contractSize * valuePrice < ins.minNotional - 1e-9) {
      throw new BybitApiError(BYBIT_RET.minOrderValue, `Order does not meet minimum order value ${ins.minNotional}${ins.quote}`)
    }
  }
  const timeInForce = limit ? (tif === 'PostOnly' ? 'post-only' : tif === undefined ? 'GTC' : tif) : undefined
  const request: Omit<OrderRequest, 'clientOrderId'> = {
    symbol: ins.symbol,
    side,
    type,
    qty,
    ...(limit && price !== undefined ? { price } : {}),
    ...(triggerPrice !== undefined ? { triggerPrice } : {}),
    ...(triggerPriceType !== undefined ? { triggerPriceType } : {}),
    ...(timeInForce !== undefined ? { timeInForce } : {}),
    // A close-on-trigger order only ever reduces the position.
    ...(reduceOnly === true || closeOnTrigger ? { reduceOnly: true } : {}),
  }
  return { request, orderLinkId, triggerDirection, triggerBy, closeOnTrigger }
}

/**
 * Parse `POST /v5/order/amend` parameters (qty, price, triggerPrice) for a known order.
 * @throws BybitApiError 10001 when nothing would change or a value is off its step
 * @example
 * ```ts
 * const amend = parseAmendOrder({ params: { triggerPrice: '64000' }, instrument, clientOrderId: 'sl-1', triggerBy: 'MarkPrice' })
 * ```
 */
export function parseAmendOrder(args: {
  readonly params: Readonly<Record<string, unknown>>
  readonly instrument: Instrument
  readonly clientOrderId: string
  readonly triggerBy: BybitOrderMeta['triggerBy']
}): AmendRequest {
  const { params: p, instrument: ins } = args
  // The simulated venue keeps a conditional order's trigger price type for its life.
  if (p.triggerBy !== undefined && args.triggerBy !== 'UNKNOWN' && p.triggerBy !== args.triggerBy) {
    fail(`params error: triggerBy cannot change from ${args.triggerBy} to ${String(p.triggerBy)} on this venue`)
  }
  const qty = positive(p.qty, 'qty')
  const price = positive(p.price, 'price')
  const triggerPrice = positive(p.triggerPrice, 'triggerPrice')
  if (qty !== undefined) checkQty(qty, ins)
  if (price !== undefined) checkPrice(price, ins, 'price')
  if (triggerPrice !== undefined) checkPrice(triggerPrice, ins, 'triggerPrice')
  if (qty === undefined && price === undefined && triggerPrice === undefined) fail('The order remains unchanged as the parameters entered match the existing ones.')
  return {
    symbol: ins.symbol,
    clientOrderId: args.clientOrderId,
    ...(qty !== undefined ? { qty } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(triggerPrice !== undefined ? { triggerPrice } : {}),
  }
}
