/**
 * Trading REST handlers: `order/create`, `order/amend`, `order/cancel`, `order/realtime`, `order/history`,
 * `execution/list`. Orders are found by `orderId` or `orderLinkId`; the venue's rejections come back as
 * Bybit retCodes.
 * @module
 */
import type { Order } from '@perpkit/core'
import { bookOf, type BybitDerivativeCategory, marketOf } from './books.js'
import { BybitApiError, BYBIT_RET, toBybitApiError } from './errors.js'
import { bybitExecutionJson, bybitOrderJson } from './order-format.js'
import type { BybitOrderMeta } from './order-registry.js'
import { parseAmendOrder, parseCreateOrder } from './order-requests.js'
import type { BybitParams } from './rest-market.js'
import type { BybitState } from './state.js'

async function venueCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    throw toBybitApiError(e)
  }
}

function findMeta(state: BybitState, category: BybitDerivativeCategory, p: BybitParams): BybitOrderMeta {
  const orderId = typeof p.orderId === 'string' && p.orderId !== '' ? p.orderId : undefined
  const link = typeof p.orderLinkId === 'string' && p.orderLinkId !== '' ? p.orderLinkId : undefined
  if (orderId === undefined && link === undefined) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: orderId or orderLinkId is required')
  const meta = orderId !== undefined ? state.registry.byOrderId(orderId) : state.registry.byClientOrderId(category, link as string)
  if (meta === undefined || meta.category !== category || (link !== undefined && meta.orderLinkId !== link)) throw new BybitApiError(BYBIT_RET.orderNotExist, 'Order does not exist')
  return meta
}

/** `POST /v5/order/create`. @example `await createOrder(state, { category: 'inverse', symbol: 'BTCUSD', side: 'Buy', orderType: 'Market', qty: '100' })` */
export async function createOrder(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const { book, instrument } = marketOf(state.books, p.category, p.symbol)
  const lastPrice = state.tape.lastPrice(instrument.venueSymbol)
  if (state.settings(book.category, instrument).hedge) {
    // A hedge-mode symbol needs positionIdx 1 or 2, and this venue trades one-way only: nothing is placed.
    throw new BybitApiError(BYBIT_RET.paramsError, 'position idx not match position mode')
  }
  const parsed = parseCreateOrder({ params: p, instrument, lastPrice })
  if (parsed.orderLinkId !== undefined && state.registry.byClientOrderId(book.category, parsed.orderLinkId) !== undefined) {
    // Bybit refuses a reused orderLinkId whether or not the first order is still open.
    throw new BybitApiError(110072, 'OrderLinkedID is duplicate')
  }
  const clientOrderId = parsed.orderLinkId ?? state.registry.generateClientOrderId(book.category)
  const order = await venueCall(() => book.venue.createOrder({ ...parsed.request, clientOrderId }))
  const meta = state.registry.register({
    category: book.category,
    order,
    orderLinkId: parsed.orderLinkId ?? '',
    triggerDirection: parsed.triggerDirection,
    triggerBy: parsed.triggerBy,
    closeOnTrigger: parsed.closeOnTrigger,
    lastPriceOnCreated: lastPrice,
  })
  return { orderId: meta.orderId, orderLinkId: meta.orderLinkId }
}

/** `POST /v5/order/amend` (price, qty, and the trigger price of an untriggered conditional order). @example `await amendOrder(state, { category: 'linear', symbol: 'BTCUSDT', orderId, triggerPrice: '60000' })` */
export async function amendOrder(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const { book, instrument } = marketOf(state.books, p.category, p.symbol)
  const meta = findMeta(state, book.category, p)
  const request = parseAmendOrder({ params: p, instrument, clientOrderId: meta.clientOrderId, triggerBy: meta.triggerBy })
  await venueCall(() => book.venue.amendOrder(request))
  return { orderId: meta.orderId, orderLinkId: meta.orderLinkId }
}

/** `POST /v5/order/cancel`. @example `await cancelOrder(state, { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'tp-1' })` */
export async function cancelOrder(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const { book, instrument } = marketOf(state.books, p.category, p.symbol)
  const meta = findMeta(state, book.category, p)
  await venueCall(() => book.venue.cancelOrder({ symbol: instrument.symbol, clientOrderId: meta.clientOrderId }))
  return { orderId: meta.orderId, orderLinkId: meta.orderLinkId }
}

const OPEN = new Set(['New', 'PartiallyFilled', 'Untriggered', 'Triggered'])
const CONDITIONAL = new Set(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'])

/**
 * `POST /v5/order/cancel-all`: every open order (conditional ones included unless `orderFilter` says) of `symbol`,
 * `baseCoin` or `settleCoin` — one of them is required for linear and inverse.
 * @example `await cancelAllOrders(state, { category: 'inverse', symbol: 'BTCUSD' })`
 */
export async function cancelAllOrders(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const book = bookOf(state.books, p.category)
  if (p.symbol === undefined && p.baseCoin === undefined && p.settleCoin === undefined) {
    throw new BybitApiError(BYBIT_RET.paramsError, 'params error: symbol, baseCoin or settleCoin is required')
  }
  const instruments = book.instruments.filter((i) =>
    p.symbol !== undefined ? i.venueSymbol === p.symbol : p.baseCoin !== undefined ? i.base === p.baseCoin : i.settle === p.settleCoin,
  )
  const list: Record<string, string>[] = []
  for (const order of book.venue.state().openOrders) {
    if (!instruments.some((i) => i.symbol === order.symbol)) continue
    if (p.orderFilter !== undefined && (p.orderFilter === 'StopOrder') !== CONDITIONAL.has(order.type)) continue
    const meta = state.registry.ensure(book.category, order)
    await venueCall(() => book.venue.cancelOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId }))
    list.push({ orderId: meta.orderId, orderLinkId: meta.orderLinkId })
  }
  return { list, success: '1' }
}


function listOrders(state: BybitState, p: BybitParams, which: 'open' | 'all'): Record<string, unknown> {
  const book = bookOf(state.books, p.category)
  const limit = Math.min(Math.max(Number(p.limit ?? (which === 'open' ? 20 : 20)), 1), 50)
  const byId = p.orderId !== undefined || p.orderLinkId !== undefined
  const entries = byId ? [findOrderEntry(state, book.category, p)].filter((e) => e !== undefined) : state.orders(book.category)
  const rows = entries
    .map(({ meta, order }) => {
      const instrument = state.instrumentOf(book.category, order.symbol)
      return instrument === undefined ? undefined : { order, json: bybitOrderJson({ order, meta, instrument, ws: false }) }
    })
    .filter((r): r is { order: Order; json: Record<string, unknown> } => r !== undefined)
    .filter(({ json }) => p.symbol === undefined || json.symbol === p.symbol)
    .filter(({ order }) => p.settleCoin === undefined || state.instrumentOf(book.category, order.symbol)?.settle === p.settleCoin)
    .filter(({ order }) => p.baseCoin === undefined || state.instrumentOf(book.category, order.symbol)?.base === p.baseCoin)
    .filter(({ json }) => byId || which === 'all' || OPEN.has(String(json.orderStatus)))
    .filter(({ json }) => p.orderStatus === undefined || json.orderStatus === p.orderStatus)
    .filter(({ order }) => p.orderFilter === undefined || (p.orderFilter === 'StopOrder') === CONDITIONAL.has(order.type))
    .filter(({ order }) => (p.startTime === undefined || order.createdAtMs >= Number(p.startTime)) && (p.endTime === undefined || order.createdAtMs <= Number(p.endTime)))
    .sort((a, b) => b.order.createdAtMs - a.order.createdAtMs || (a.json.orderId as string).localeCompare(b.json.orderId as string) * -1)
    .slice(0, limit)
  return { category: book.category, list: rows.map((r) => r.json), nextPageCursor: '' }
}

function findOrderEntry(state: BybitState, category: BybitDerivativeCategory, p: BybitParams): { meta: BybitOrderMeta; order: Order } | undefined {
  try {
    const meta = findMeta(state, category, p)
    return state.orders(category).find((e) => e.meta.orderId === meta.orderId)
  } catch (e) {
    if (e instanceof BybitApiError && e.retCode === BYBIT_RET.orderNotExist) return undefined
    throw e
  }
}

/** `GET /v5/order/realtime`: open orders (incl. untriggered conditional ones); by id also recently closed ones. @example `orderRealtime(state, { category: 'inverse' })` */
export function orderRealtime(state: BybitState, p: BybitParams): Record<string, unknown> {
  return listOrders(state, p, 'open')
}

/** `GET /v5/order/history`: orders of every status, newest first. @example `orderHistory(state, { category: 'inverse', orderStatus: 'Filled' })` */
export function orderHistory(state: BybitState, p: BybitParams): Record<string, unknown> {
  return listOrders(state, p, 'all')
}

/** `GET /v5/execution/list`: executions, newest first. @example `executionList(state, { category: 'inverse', symbol: 'BTCUSD' })` */
export function executionList(state: BybitState, p: BybitParams): Record<string, unknown> {
  const book = bookOf(state.books, p.category)
  const limit = Math.min(Math.max(Number(p.limit ?? 50), 1), 100)
  const rows = state
    .executions()
    .filter((x) => x.category === book.category)
    .flatMap((x) => {
      const instrument = state.instrumentOf(book.category, x.fill.symbol)
      return instrument === undefined ? [] : [{ x, instrument }]
    })
    .filter(({ instrument }) => p.symbol === undefined || instrument.venueSymbol === p.symbol)
    .filter(({ x }) => p.orderId === undefined || x.meta.orderId === p.orderId)
    .filter(({ x }) => (p.startTime === undefined || x.fill.timestampMs >= Number(p.startTime)) && (p.endTime === undefined || x.fill.timestampMs <= Number(p.endTime)))
    .reverse()
    .slice(0, limit)
    .map(({ x, instrument }) =>
      bybitExecutionJson({ category: x.category, fill: x.fill, order: x.order, meta: x.meta, instrument, markPrice: x.markPrice, leavesQty: x.leavesQty, seq: x.seq, ws: false }),
    )
  return { category: book.category, list: rows, nextPageCursor: '' }
}
