/**
 * Turn a Binance order request (`POST /fapi/v1/order` or `POST /fapi/v1/algoOrder`) into the simulated venue's
 * order request, applying Binance's filters with its own codes: symbol (-1121), side (-1117), position side
 * (-4061), type (-1116; conditional types on the plain endpoint -4120), time in force (-1102), quantity
 * precision (-1111 / -4023), LOT_SIZE and MARKET_LOT_SIZE (-4003 / -4004 / -4005), PRICE_FILTER (-1111 / -4014 /
 * -4013 / -4002), PERCENT_PRICE against the mark price (-4016 / -4024) and MIN_NOTIONAL (-4164, not for
 * reduce-only orders).
 * @module
 */
import { type Instrument, isConditionalOrderType, type OrderRequest, type TimeInForce, type TriggerPriceType } from '@perpkit/core'
import type { VenueRequest, VenueResponse } from '../dialect.js'
import { binanceError, binanceOk } from './errors.js'
import { coreOrderType } from './format.js'
import { binanceExtras } from './instruments.js'
import { boolParam, decimalParam, numberParam, type Parsed, symbolParam } from './params.js'
import type { BinanceSession } from './session.js'

const TIF: Readonly<Record<string, TimeInForce>> = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK', GTX: 'post-only' }

/**
 * Parse and filter an order request.
 *
 * @param args.req - the HTTP request
 * @param args.session - the dialect session
 * @param args.endpoint - `order` (regular) or `algo` (Algo Order API)
 * @returns the simulated venue's request (with a generated client id when none was sent) or the error answer
 * @throws never
 * @example
 * ```ts
 * const parsed = parseOrderRequest({ req, session, endpoint: 'order' })
 * if (parsed.ok) await session.sim().createOrder(parsed.value.request)
 * ```
 */
export function parseOrderRequest(args: { readonly req: VenueRequest; readonly session: BinanceSession; readonly endpoint: 'order' | 'algo' }): Parsed<{ readonly ins: Instrument; readonly request: OrderRequest }> {
  const { req, session, endpoint } = args
  const no = (code: Parameters<typeof binanceError>[0], ...rest: (string | number)[]) => ({ ok: false as const, response: binanceError(code, ...rest) })
  const sym = symbolParam(req, session.ctx.venue, true)
  if (!sym.ok) return sym
  const ins = sym.value
  const sideText = req.params.get('side')
  if (sideText === null) return no(-1102, 'side')
  if (sideText !== 'BUY' && sideText !== 'SELL') return no(-1117)
  const positionSide = req.params.get('positionSide')
  if (positionSide !== null && positionSide !== 'BOTH') return no(-4061)
  const typeText = req.params.get('type')
  if (typeText === null) return no(-1102, 'type')
  const type = coreOrderType(typeText)
  if (type === undefined) return no(-1116)
  const conditional = isConditionalOrderType(type)
  if (endpoint === 'order' && conditional) return no(-4120)
  if (endpoint === 'algo') {
    if (!conditional) return no(-1116)
    const algoType = req.params.get('algoType')
    if (algoType === null) return no(-1102, 'algoType')
    if (algoType !== 'CONDITIONAL') return no(-1102, 'algoType')
  }
  const reduce = boolParam(req, 'reduceOnly')
  if (!reduce.ok) return reduce
  const close = boolParam(req, 'closePosition')
  if (!close.ok) return close
  if (close.value && !(type === 'stop-market' || type === 'take-profit-market')) return no(-1106, 'closePosition')
  if (close.value && req.params.get('reduceOnly') !== null) return no(-1106, 'reduceOnly')
  const q = decimalParam({ req, name: 'quantity', step: ins.lotStep, offStepCode: -4023, required: !close.value })
  if (!q.ok) return q
  const p = decimalParam({ req, name: 'price', step: ins.tickSize, offStepCode: -4014, required: false })
  if (!p.ok) return p
  const triggerName = endpoint === 'algo' ? 'triggerPrice' : 'stopPrice'
  const t = decimalParam({ req, name: triggerName, step: ins.tickSize, offStepCode: -4014, required: false })
  if (!t.ok) return t
  const x = binanceExtras(ins)
  const priced = type === 'limit' || type === 'stop-limit' || type === 'take-profit-limit'
  let tif: TimeInForce = 'GTC'
  const tifText = req.params.get('timeInForce')
  if (priced) {
    if (tifText === null && type === 'limit') return no(-1102, 'timeInForce')
    if (tifText !== null) {
      const parsed = TIF[tifText]
      if (parsed === undefined) return no(-1102, 'timeInForce')
      tif = parsed
    }
    if (p.value === undefined) return no(-1102, 'price')
  } else if (p.value !== undefined) {
    return no(-1106, 'price')
  }
  if (conditional && type !== 'trailing-stop' && t.value === undefined) return no(-1102, triggerName)
  const quantity = q.value ?? 0
  if (!close.value) {
    if (quantity <= 0) return no(-4003)
    if (quantity < ins.minQty) return no(-4004)
    const maxQty = type === 'market' || type === 'stop-market' || type === 'take-profit-market' ? x.marketMaxQty : (ins.maxQty ?? Number.POSITIVE_INFINITY)
    if (quantity > maxQty) return no(-4005)
  }
  for (const value of [p.value, t.value]) {
    if (value === undefined) continue
    if (value < x.minPrice) return no(-4013)
    if (value > x.maxPrice) return no(-4002)
  }
  const mark = session.ctx.venue.markPrice(ins.symbol) ?? session.ctx.venue.lastPrice(ins.symbol)
  if (type === 'limit' && p.value !== undefined && mark !== undefined) {
    if (sideText === 'BUY' && p.value > mark * x.percentUp) return no(-4016, String(mark * x.percentUp))
    if (sideText === 'SELL' && p.value < mark * x.percentDown) return no(-4024, String(mark * x.percentDown))
  }
  const notionalPrice = p.value ?? t.value ?? mark
  if (!reduce.value && !close.value && notionalPrice !== undefined && quantity * notionalPrice * ins.contractSize < ins.minNotional) return no(-4164, ins.minNotional)
  let trailing: OrderRequest['trailing']
  if (type === 'trailing-stop') {
    const cb = numberParam(req, 'callbackRate')
    if (!cb.ok) return cb
    if (cb.value === undefined) return no(-1102, 'callbackRate')
    const act = decimalParam({ req, name: 'activatePrice', step: ins.tickSize, offStepCode: -4014, required: false })
    if (!act.ok) return act
    trailing = { callbackRate: cb.value / 100, ...(act.value === undefined ? {} : { activationPrice: act.value }) }
  }
  const idName = endpoint === 'algo' ? 'clientAlgoId' : 'newClientOrderId'
  const clientOrderId = req.params.get(idName) ?? session.newClientId()
  const workingType = req.params.get('workingType')
  if (workingType !== null && workingType !== 'MARK_PRICE' && workingType !== 'CONTRACT_PRICE') return no(-1102, 'workingType')
  const triggerPriceType: TriggerPriceType = workingType === 'MARK_PRICE' ? 'mark' : 'last'
  const request: OrderRequest = {
    symbol: ins.symbol,
    clientOrderId,
    side: sideText === 'BUY' ? 'buy' : 'sell',
    type,
    qty: close.value && quantity <= 0 ? ins.minQty : quantity,
    ...(priced && p.value !== undefined ? { price: p.value } : {}),
    ...(conditional && t.value !== undefined ? { triggerPrice: t.value, triggerPriceType } : {}),
    ...(priced ? { timeInForce: tif } : {}),
    ...(reduce.value ? { reduceOnly: true } : {}),
    ...(close.value ? { closePosition: true } : {}),
    ...(trailing === undefined ? {} : { trailing }),
  }
  return { ok: true, value: { ins, request } }
}

/**
 * Answer an order create on either endpoint: parse and filter the request, place it on the simulated venue in the
 * endpoint's book (regular or algo) and render the venue's answer, or Binance's error for a refusal.
 *
 * @param args.req - the HTTP request
 * @param args.session - the dialect session
 * @param args.endpoint - `order` (`POST /fapi/v1/order`) or `algo` (`POST /fapi/v1/algoOrder`)
 * @returns the answer, marked accepted when the order was placed
 * @throws never
 * @example
 * ```ts
 * const answer = await createOrderAnswer({ req, session, endpoint: 'algo' })
 * ```
 */
export async function createOrderAnswer(args: { readonly req: VenueRequest; readonly session: BinanceSession; readonly endpoint: 'order' | 'algo' }): Promise<VenueResponse> {
  const { session, endpoint } = args
  const parsed = parseOrderRequest(args)
  if (!parsed.ok) return parsed.response
  try {
    if (endpoint === 'algo') {
      const { entry, order } = await session.place('algo', parsed.value.request)
      return binanceOk(session.renderAlgo(entry, order), true)
    }
    const { entry, order } = await session.place('regular', parsed.value.request)
    return binanceOk(session.renderOrder(entry, order), true)
  } catch (error) {
    return session.rejection(error)
  }
}
