/**
 * Validation of an order request against its instrument: the last check before anything leaves the process.
 * @module
 */
import { InvalidInputError, PerpkitError } from './errors.js'
import { isOnStep } from './precision.js'
import type { Instrument } from './schemas/instrument.js'
import { type OrderRequest, orderRequestSchema } from './schemas/order.js'
import { parseOrThrow } from './validate.js'

/**
 * Validate an order request for a known instrument: schema rules (finite, positive, cross-field), symbol match,
 * instrument open for trading (`status` absent or `trading`), price and trigger on tick, qty on lot step,
 * qty ≥ minQty (and ≤ maxQty; a market order ≤ maxMarketQty), notional ≥ minNotional for non-reduce-only linear
 * orders when a price is known, and a limit price inside the percent-price bounds around `referencePrice`.
 *
 * @param args.request - the request (unknown input is accepted and parsed)
 * @param args.instrument - the instrument it targets
 * @param args.referencePrice - the mark price: used for the notional check of market orders and the percent-price bounds
 * @returns the parsed request
 * @throws InvalidInputError naming the bad field; `unknown-symbol` PerpkitError if the symbols differ
 * @example
 * ```ts
 * import { validateOrderRequest } from '@perpkit/core'
 * import type { Instrument } from '@perpkit/core'
 * declare const instrument: Instrument // e.g. from ExchangeClient.loadInstruments()
 * validateOrderRequest({ request: { symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_1', side: 'buy', type: 'limit', qty: 0.01, price: 65000.1 }, instrument })
 * ```
 */
export function validateOrderRequest(args: {
  readonly request: unknown
  readonly instrument: Instrument
  readonly referencePrice?: number
}): OrderRequest {
  const req = parseOrThrow(orderRequestSchema, args.request, 'order request')
  const ins = args.instrument
  if (req.symbol !== ins.symbol) {
    throw new PerpkitError('unknown-symbol', `order symbol ${req.symbol} does not match instrument ${ins.symbol}`, { details: { symbol: req.symbol } })
  }
  if (ins.status !== undefined && ins.status !== 'trading') {
    throw new InvalidInputError(`${ins.symbol} is not open for trading (status ${ins.status})`, { path: 'symbol' })
  }
  if (req.price !== undefined && !isOnStep({ value: req.price, step: ins.tickSize })) {
    throw new InvalidInputError(`price ${req.price} is not a multiple of tick ${ins.tickSize}`, { path: 'price' })
  }
  if (req.triggerPrice !== undefined && !isOnStep({ value: req.triggerPrice, step: ins.tickSize })) {
    throw new InvalidInputError(`triggerPrice ${req.triggerPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'triggerPrice' })
  }
  if (req.trailing?.activationPrice !== undefined && !isOnStep({ value: req.trailing.activationPrice, step: ins.tickSize })) {
    throw new InvalidInputError(`activationPrice ${req.trailing.activationPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'trailing.activationPrice' })
  }
  if (!isOnStep({ value: req.qty, step: ins.lotStep })) {
    throw new InvalidInputError(`qty ${req.qty} is not a multiple of lot step ${ins.lotStep}`, { path: 'qty' })
  }
  if (req.closePosition !== true && req.qty < ins.minQty) {
    throw new InvalidInputError(`qty ${req.qty} is below the minimum ${ins.minQty}`, { path: 'qty' })
  }
  if (ins.maxQty !== undefined && req.qty > ins.maxQty) {
    throw new InvalidInputError(`qty ${req.qty} is above the maximum ${ins.maxQty}`, { path: 'qty' })
  }
  if (req.type === 'market' && req.closePosition !== true && ins.maxMarketQty !== undefined && req.qty > ins.maxMarketQty) {
    throw new InvalidInputError(`qty ${req.qty} is above the market-order maximum ${ins.maxMarketQty}`, { path: 'qty' })
  }
  const mark = args.referencePrice
  if (req.price !== undefined && ins.percentPrice !== undefined && mark !== undefined) {
    const { multiplierUp, multiplierDown } = ins.percentPrice
    if (req.price > mark * multiplierUp * (1 + 1e-12) || req.price < mark * multiplierDown * (1 - 1e-12)) {
      throw new InvalidInputError(`price ${req.price} is outside [${mark * multiplierDown}, ${mark * multiplierUp}] (percent-price bounds around mark ${mark})`, { path: 'price' })
    }
  }
  const price = req.price ?? req.triggerPrice ?? args.referencePrice
  if (ins.kind === 'linear' && req.reduceOnly !== true && req.closePosition !== true && price !== undefined && ins.minNotional > 0) {
    const notional = req.qty * ins.contractSize * price
    if (notional < ins.minNotional * (1 - 1e-12)) {
      throw new InvalidInputError(`notional ${notional} is below the minimum ${ins.minNotional}`, { path: 'qty' })
    }
  }
  return req
}
