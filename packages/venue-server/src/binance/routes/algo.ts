/**
 * Binance USDⓈ-M Algo Order API (conditional orders: STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET,
 * TRAILING_STOP_MARKET): `POST/GET/DELETE /fapi/v1/algoOrder`, `GET /fapi/v1/openAlgoOrders`,
 * `GET /fapi/v1/allAlgoOrders`, `DELETE /fapi/v1/algoOpenOrders`.
 * @module
 */
import { isConditionalOrderType, type Order } from '@perpkit/core'
import type { VenueRequest, VenueResponse } from '../../dialect.js'
import { binanceError, binanceOk } from '../errors.js'
import type { BinanceRouteSpec } from '../guard.js'
import type { IndexedOrder } from '../order-index.js'
import { createOrderAnswer } from '../order-request.js'
import { numberParam, symbolParam } from '../params.js'
import type { BinanceSession } from '../session.js'


async function findAlgo(session: BinanceSession, req: VenueRequest): Promise<{ entry: IndexedOrder; order: Order } | VenueResponse> {
  const idText = req.params.get('algoId')
  const clientId = req.params.get('clientAlgoId')
  if (idText === null && clientId === null) return binanceError(-1102, "'algoId' or 'clientAlgoId'")
  const entry = idText !== null ? session.index.byAlgoId(Number(idText)) : session.index.byClientId('algo', undefined, clientId ?? '')
  if (entry === undefined || entry.kind !== 'algo') return binanceError(-2013)
  const order = await session.sim().fetchOrder({ symbol: entry.symbol, clientOrderId: entry.clientOrderId })
  return order === null ? binanceError(-2013) : { entry, order }
}

/**
 * Route specs of the Algo Order API.
 * @param session - dialect session
 * @returns the specs (weights as documented: algoOrder 0/1, openAlgoOrders 1/40, allAlgoOrders 5)
 * @throws never
 * @example
 * ```ts
 * algoRoutes(session).map((r) => r.name) // ['algoOrder.create', ...]
 * ```
 */
export function algoRoutes(session: BinanceSession): readonly BinanceRouteSpec[] {
  const sim = (): ReturnType<BinanceSession['sim']> => session.sim()
  const algoEntries = async (symbol: string | undefined): Promise<{ entry: IndexedOrder; order: Order }[]> => {
    const out: { entry: IndexedOrder; order: Order }[] = []
    for (const entry of session.index.list(symbol)) {
      if (entry.kind !== 'algo') continue
      const order = await sim().fetchOrder({ symbol: entry.symbol, clientOrderId: entry.clientOrderId })
      if (order !== null) out.push({ entry, order })
    }
    return out
  }
  return [
    {
      method: 'POST',
      path: '/fapi/v1/algoOrder',
      name: 'algoOrder.create',
      weight: 0,
      security: 'TRADE',
      countsAsOrder: true,
      handle: (req) => createOrderAnswer({ req, session, endpoint: 'algo' }),
    },
    {
      method: 'GET',
      path: '/fapi/v1/algoOrder',
      name: 'algoOrder.get',
      weight: 1,
      security: 'USER_DATA',
      async handle(req) {
        const found = await findAlgo(session, req)
        return 'status' in found ? found : binanceOk(session.renderAlgo(found.entry, found.order))
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/algoOrder',
      name: 'algoOrder.cancel',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const found = await findAlgo(session, req)
        if ('status' in found) return found
        if (session.algoStatus(found.entry, found.order) !== 'NEW') return binanceError(-2011)
        try {
          await sim().cancelOrder({ symbol: found.entry.symbol, clientOrderId: found.entry.clientOrderId })
          return binanceOk({ algoId: found.entry.orderId, clientAlgoId: found.order.clientOrderId, code: '200', msg: 'success' }, true)
        } catch (error) {
          return session.rejection(error)
        }
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/algoOpenOrders',
      name: 'algoOpenOrders.cancel',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, true)
        if (!sym.ok) return sym.response
        for (const { entry, order } of await algoEntries(sym.value.symbol)) {
          if (session.algoStatus(entry, order) === 'NEW') await sim().cancelOrder({ symbol: entry.symbol, clientOrderId: entry.clientOrderId })
        }
        return binanceOk({ code: 200, msg: 'The operation of cancel all open order is done.' }, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openAlgoOrders',
      name: 'openAlgoOrders',
      weight: (req) => (req.params.get('symbol') === null ? 40 : 1),
      security: 'USER_DATA',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, false)
        if (!sym.ok) return sym.response
        const open = (await sim().fetchOpenOrders(sym.value?.symbol)).filter((o) => isConditionalOrderType(o.type))
        const out: Record<string, unknown>[] = []
        for (const o of open) {
          const entry = session.index.bySimOrderId(o.venueOrderId)
          if (entry?.kind === 'algo' && session.algoStatus(entry, o) === 'NEW') out.push(session.renderAlgo(entry, o))
        }
        return binanceOk(out)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/allAlgoOrders',
      name: 'allAlgoOrders',
      weight: 5,
      security: 'USER_DATA',
      async handle(req) {
        const sym = symbolParam(req, session.ctx.venue, true)
        if (!sym.ok) return sym.response
        const limitP = numberParam(req, 'limit')
        if (!limitP.ok) return limitP.response
        const out = (await algoEntries(sym.value.symbol)).map(({ entry, order }) => session.renderAlgo(entry, order))
        return binanceOk(out.slice(-Math.min(1000, limitP.value ?? 500)))
      },
    },
  ]
}
