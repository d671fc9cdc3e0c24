/**
 * Binance USDⓈ-M regular order endpoints: `POST/GET/DELETE /fapi/v1/order`, `GET /fapi/v1/openOrders`,
 * `GET /fapi/v1/openOrder`, `DELETE /fapi/v1/allOpenOrders`, `GET /fapi/v1/allOrders`, `GET /fapi/v1/userTrades`.
 * @module
 */
import { isConditionalOrderType, type Order } from '@perpkit/core'
import type { VenueRequest, VenueResponse } from '../../dialect.js'
import { binanceError, binanceOk } from '../errors.js'
import { tradeBody } from '../format.js'
import type { BinanceRouteSpec } from '../guard.js'
import type { IndexedOrder } from '../order-index.js'
import { createOrderAnswer } from '../order-request.js'
import { numberParam, symbolParam } from '../params.js'
import type { BinanceSession } from '../session.js'


/** A regular order, or a triggered algo order's actual order, found by `orderId` or `origClientOrderId`. */
async function findRegular(session: BinanceSession, req: VenueRequest): Promise<{ entry: IndexedOrder; order: Order } | VenueResponse> {
  const sym = symbolParam(req, session.ctx.venue, true)
  if (!sym.ok) return sym.response
  const idText = req.params.get('orderId')
  const clientId = req.params.get('origClientOrderId')
  if (idText === null && clientId === null) return binanceError(-1102, "'orderId' or 'origClientOrderId'")
  const entry = idText !== null ? session.index.byOrderId(Number(idText)) : session.index.byClientId('regular', sym.value.symbol, clientId ?? '')
  if (entry === undefined || entry.symbol !== sym.value.symbol) return binanceError(-2013)
  const order = await session.sim().fetchOrder({ symbol: entry.symbol, clientOrderId: entry.clientOrderId })
  if (order === null) return binanceError(-2013)
  return { entry, order }
}

/** Is this order shown on the regular book (not an untriggered algo order)? */
const onRegularBook = (entry: IndexedOrder, order: Order): boolean => entry.kind === 'regular' || (entry.actualOrderId !== undefined && isConditionalOrderType(order.type))

/**
 * Route specs of the regular order endpoints.
 * @param session - dialect session
 * @returns the specs (weights as documented: order 0/1, openOrders 1/40, allOrders 5, userTrades 5)
 * @throws never
 * @example
 * ```ts
 * tradeRoutes(session).map((r) => `${r.method} ${r.path}`)
 * ```
 */
export function tradeRoutes(session: BinanceSession): readonly BinanceRouteSpec[] {
  const sim = (): ReturnType<BinanceSession['sim']> => session.sim()
  return [
    {
      method: 'POST',
      path: '/fapi/v1/order',
      name: 'order.create',
      weight: 0,
      security: 'TRADE',
      countsAsOrder: true,
      handle: (req) => createOrderAnswer({ req, session, endpoint: 'order' }),
    },
    {
      method: 'GET',
      path: '/fapi/v1/order',
      name: 'order.get',
      weight: 1,
      security: 'USER_DATA',
      async handle(req) {
        const found = await findRegular(session, req)
        if ('status' in found) return found
        return binanceOk(session.renderOrder(found.entry, found.order))
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrder',
      name: 'openOrder.get',
      weight: 1,
      security: 'USER_DATA',
      async handle(req) {
        const found = await findRegular(session, req)
        if ('status' in found) return found
        const open = found.order.status === 'open' || found.order.status === 'partially-filled' || found.order.status === 'triggered'
        return open ? binanceOk(session.renderOrder(found.entry, found.order)) : { status: 400, body: { code: -2013, msg: 'Order does not exist.' } }
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/order',
      name: 'order.cancel',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const found = await findRegular(session, req)
        if ('status' in found) return found.status === 400 && (found.body as { code?: number }).code === -2013 ? binanceError(-2011) : found
        try {
          const canceled = await sim().cancelOrder({ symbol: found.entry.symbol, clientOrderId: found.entry.clientOrderId })
          return binanceOk(session.renderOrder(found.entry, canceled), true)
        } catch (error) {
          return session.rejection(error)
        }
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/allOpenOrders',
      name: 'allOpenOrders.cancel',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, true)
        if (!sym.ok) return sym.response
        for (const o of await sim().fetchOpenOrders(sym.value.symbol)) {
          const entry = session.index.bySimOrderId(o.venueOrderId)
          if (entry !== undefined && onRegularBook(entry, o)) await sim().cancelOrder({ symbol: o.symbol, clientOrderId: o.clientOrderId })
        }
        return binanceOk({ code: 200, msg: 'The operation of cancel all open order is done.' }, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrders',
      name: 'openOrders',
      weight: (req) => (req.params.get('symbol') === null ? 40 : 1),
      security: 'USER_DATA',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, false)
        if (!sym.ok) return sym.response
        const out: Record<string, unknown>[] = []
        for (const o of await sim().fetchOpenOrders(sym.value?.symbol)) {
          const entry = session.index.bySimOrderId(o.venueOrderId)
          if (entry !== undefined && onRegularBook(entry, o)) out.push(session.renderOrder(entry, o))
        }
        return binanceOk(out)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/allOrders',
      name: 'allOrders',
      weight: 5,
      security: 'USER_DATA',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, true)
        if (!sym.ok) return sym.response
        const limitP = numberParam(req, 'limit')
        if (!limitP.ok) return limitP.response
        const start = Number(req.params.get('startTime') ?? 0)
        const end = Number(req.params.get('endTime') ?? Number.MAX_SAFE_INTEGER)
        const fromId = Number(req.params.get('orderId') ?? 0)
        const out: Record<string, unknown>[] = []
        for (const entry of session.index.list(sym.value.symbol)) {
          const o = await sim().fetchOrder({ symbol: entry.symbol, clientOrderId: entry.clientOrderId })
          if (o === null || !onRegularBook(entry, o)) continue
          const body = session.renderOrder(entry, o)
          if ((body['orderId'] as number) < fromId || o.createdAtMs < start || o.createdAtMs > end) continue
          out.push(body)
        }
        const limit = Math.min(1000, limitP.value ?? 500)
        return binanceOk(out.slice(-limit))
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/userTrades',
      name: 'userTrades',
      weight: 5,
      security: 'USER_DATA',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, true)
        if (!sym.ok) return sym.response
        const limitP = numberParam(req, 'limit')
        if (!limitP.ok) return limitP.response
        const start = req.params.get('startTime')
        const fills = await sim().fetchFills({ symbol: sym.value.symbol, ...(start === null ? {} : { sinceMs: Number(start) }) })
        const limit = Math.min(1000, limitP.value ?? 500)
        const out = fills.map((fill) => {
          const entry = session.index.bySimOrderId(fill.venueOrderId)
          const orderId = entry === undefined ? Number(fill.venueOrderId) : (entry.actualOrderId ?? entry.orderId)
          return tradeBody({ ins: sym.value, fill, orderId })
        })
        return binanceOk(out.slice(-limit))
      },
    },
  ]
}
