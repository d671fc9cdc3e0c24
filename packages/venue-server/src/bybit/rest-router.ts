/**
 * The Bybit v5 REST surface as the server's route table: which path does what, who may call it, and the
 * retCode envelope around every answer. Private paths need a signed request (see `auth.ts`) and count against
 * the per-endpoint rate limit; write paths need a key with the trade permission.
 * @module
 */
import type { Route, VenueRequest, VenueResponse } from '../dialect.js'
import { type BybitApiKey, verifyBybitRest } from './auth.js'
import { BybitApiError, BYBIT_RET } from './errors.js'
import type { BybitRateLimiter } from './rate-limit.js'
import { accountInfo, apiKeyInfo, coinInfo, positionList, setLeverage, setMarginMode, switchMode, walletBalance } from './rest-account.js'
import { type BybitFundingView, type BybitParams, fundingHistory, instrumentsInfo, kline, marketTime, tickers } from './rest-market.js'
import { amendOrder, cancelAllOrders, cancelOrder, createOrder, executionList, orderHistory, orderRealtime } from './rest-trade.js'
import type { BybitState } from './state.js'

/** What route handlers get. */
interface Context {
  readonly state: BybitState
  readonly funding: BybitFundingView
  readonly launchTimeMs: number
  readonly key: BybitApiKey | undefined
}

type Access = 'public' | 'read' | 'write'
interface Spec {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly name: string
  readonly access: Access
  readonly handle: (ctx: Context, p: BybitParams) => unknown
}

const SPECS: readonly Spec[] = [
  { method: 'GET', path: '/v5/market/time', name: 'market.time', access: 'public', handle: (c) => marketTime(c.state) },
  { method: 'GET', path: '/v5/market/instruments-info', name: 'market.instruments-info', access: 'public', handle: (c, p) => instrumentsInfo(c.state, p, c.launchTimeMs) },
  { method: 'GET', path: '/v5/market/kline', name: 'market.kline', access: 'public', handle: (c, p) => kline(c.state, p) },
  { method: 'GET', path: '/v5/market/tickers', name: 'market.tickers', access: 'public', handle: (c, p) => tickers(c.state, c.funding, p) },
  { method: 'GET', path: '/v5/market/funding/history', name: 'market.funding-history', access: 'public', handle: (c, p) => fundingHistory(c.state, c.funding, p) },
  { method: 'POST', path: '/v5/order/create', name: 'order.create', access: 'write', handle: (c, p) => createOrder(c.state, p) },
  { method: 'POST', path: '/v5/order/amend', name: 'order.amend', access: 'write', handle: (c, p) => amendOrder(c.state, p) },
  { method: 'POST', path: '/v5/order/cancel', name: 'order.cancel', access: 'write', handle: (c, p) => cancelOrder(c.state, p) },
  { method: 'POST', path: '/v5/order/cancel-all', name: 'order.cancel-all', access: 'write', handle: (c, p) => cancelAllOrders(c.state, p) },
  { method: 'GET', path: '/v5/order/realtime', name: 'order.realtime', access: 'read', handle: (c, p) => orderRealtime(c.state, p) },
  { method: 'GET', path: '/v5/order/history', name: 'order.history', access: 'read', handle: (c, p) => orderHistory(c.state, p) },
  { method: 'GET', path: '/v5/execution/list', name: 'execution.list', access: 'read', handle: (c, p) => executionList(c.state, p) },
  { method: 'GET', path: '/v5/position/list', name: 'position.list', access: 'read', handle: (c, p) => positionList(c.state, p) },
  { method: 'POST', path: '/v5/position/set-leverage', name: 'position.set-leverage', access: 'write', handle: (c, p) => setLeverage(c.state, p) },
  { method: 'POST', path: '/v5/position/switch-mode', name: 'position.switch-mode', access: 'write', handle: (c, p) => switchMode(c.state, p) },
  { method: 'POST', path: '/v5/account/set-margin-mode', name: 'account.set-margin-mode', access: 'write', handle: (c, p) => setMarginMode(c.state, p) },
  { method: 'GET', path: '/v5/account/info', name: 'account.info', access: 'read', handle: (c) => accountInfo(c.state) },
  { method: 'GET', path: '/v5/account/wallet-balance', name: 'account.wallet-balance', access: 'read', handle: (c, p) => walletBalance(c.state, p) },
  { method: 'GET', path: '/v5/user/query-api', name: 'user.query-api', access: 'read', handle: (c) => (c.key === undefined ? {} : apiKeyInfo(c.key)) },
  { method: 'GET', path: '/v5/asset/coin/query-info', name: 'asset.coin-query-info', access: 'read', handle: (c) => coinInfo(c.state) },
]

function paramsOf(req: VenueRequest): BybitParams {
  if (req.method === 'GET') return Object.fromEntries(new URLSearchParams(req.rawQuery))
  if (req.body === '') return {}
  try {
    const parsed: unknown = JSON.parse(req.body)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as BybitParams
  } catch {
    // answered as a parameter error below
  }
  throw new BybitApiError(BYBIT_RET.paramsError, 'params error: the body is not a JSON object')
}

/**
 * A Bybit v5 answer: `{ retCode, retMsg, result, retExtInfo: {}, time }`.
 * @example
 * ```ts
 * bybitEnvelopeResponse({ status: 200, retCode: 0, retMsg: 'OK', result: {}, nowMs: 1 })
 * ```
 */
export function bybitEnvelopeResponse(args: {
  readonly status: number
  readonly retCode: number
  readonly retMsg: string
  readonly result: unknown
  readonly nowMs: number
  readonly headers?: Readonly<Record<string, string>>
  readonly accepted?: boolean
}): VenueResponse {
  return {
    status: args.status,
    ...(args.headers === undefined ? {} : { headers: args.headers }),
    body: { retCode: args.retCode, retMsg: args.retMsg, result: args.result, retExtInfo: {}, time: args.nowMs },
    ...(args.accepted === undefined ? {} : { accepted: args.accepted }),
  }
}

/**
 * The dialect's route table.
 *
 * @param args.state - dialect state
 * @param args.funding - funding view
 * @param args.limiter - per-key endpoint limits
 * @param args.launchTimeMs - `launchTime` of the instruments
 * @param args.afterRequest - called after every handled request (publishes what it caused on the streams)
 * @returns routes for the server's pipeline
 * @throws never (handler errors become retCode answers; anything else is a bug the pipeline turns into a 5xx)
 * @example
 * ```ts
 * const routes = bybitRoutes({ state, funding, limiter, launchTimeMs: 0, afterRequest: () => dialect.pump() })
 * ```
 */
export function bybitRoutes(args: {
  readonly state: BybitState
  readonly funding: BybitFundingView
  readonly limiter: BybitRateLimiter
  readonly launchTimeMs: number
  readonly beforeRequest: () => void
  readonly afterRequest: () => void
}): readonly Route[] {
  const { state } = args
  return SPECS.map((spec) => ({
    method: spec.method,
    path: spec.path,
    name: spec.name,
    handle: async (req: VenueRequest): Promise<VenueResponse> => {
      let headers: Readonly<Record<string, string>> = {}
      args.beforeRequest()
      try {
        let key: BybitApiKey | undefined
        if (spec.access !== 'public') {
          key = verifyBybitRest({ headers: req.headers, payload: req.method === 'GET' ? req.rawQuery : req.body, keys: state.keys, nowMs: state.clock.now() })
          const decision = args.limiter.take({ apiKey: key.apiKey, path: spec.path })
          headers = decision.headers
          if (!decision.allowed) throw new BybitApiError(BYBIT_RET.tooManyVisits, 'Too many visits!')
          const allowed = spec.access === 'write' ? key.permissions.trade : key.permissions.read
          if (!allowed) throw new BybitApiError(BYBIT_RET.permissionDenied, 'Permission denied, please check your API key permissions.')
        }
        const result = await spec.handle({ state, funding: args.funding, launchTimeMs: args.launchTimeMs, key }, paramsOf(req))
        return bybitEnvelopeResponse({ status: 200, retCode: 0, retMsg: 'OK', result, nowMs: state.clock.now(), headers, accepted: spec.access === 'write' })
      } catch (e) {
        if (!(e instanceof BybitApiError)) throw e
        return bybitEnvelopeResponse({ status: e.httpStatus, retCode: e.retCode, retMsg: e.message, result: {}, nowMs: state.clock.now(), headers: { ...headers, ...e.headers }, accepted: false })
      } finally {
        args.afterRequest()
      }
    },
  }))
}
