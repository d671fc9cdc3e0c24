/**
 * The Bybit v5 REST surface: which path does what, who may call it, and the retCode envelope around every
 * answer. Private paths need a signed request (see `auth.ts`); write paths need a key that is not read-only.
 * @module
 */
import { type BybitApiKey, verifyBybitRest } from './auth.js'
import { BybitApiError, BYBIT_RET } from './errors.js'
import type { BybitRateLimiter } from './rate-limit.js'
import { accountInfo, apiKeyInfo, coinInfo, positionList, setLeverage, setMarginMode, walletBalance } from './rest-account.js'
import { type BybitFundingView, type BybitParams, fundingHistory, instrumentsInfo, kline, marketTime, tickers } from './rest-market.js'
import { amendOrder, cancelOrder, createOrder, executionList, orderHistory, orderRealtime } from './rest-trade.js'
import type { BybitState } from './state.js'

/** A raw HTTP request as the server received it. */
export interface BybitHttpRequest {
  readonly method: string
  /** Path without the query string, e.g. `/v5/order/create`. */
  readonly path: string
  /** The raw query string without `?` (what a GET signature covers). */
  readonly rawQuery: string
  /** The raw body (what a POST signature covers). */
  readonly rawBody: string
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

/** The answer to send. */
export interface BybitHttpReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

interface Context {
  readonly state: BybitState
  readonly funding: BybitFundingView
  readonly launchTimeMs: number
  readonly key: BybitApiKey | undefined
}

type Access = 'public' | 'read' | 'write'
interface Route {
  readonly access: Access
  readonly handle: (ctx: Context, p: BybitParams) => unknown
}

const ROUTES: Readonly<Record<string, Route>> = {
  'GET /v5/market/time': { access: 'public', handle: (c) => marketTime(c.state) },
  'GET /v5/market/instruments-info': { access: 'public', handle: (c, p) => instrumentsInfo(c.state, p, c.launchTimeMs) },
  'GET /v5/market/kline': { access: 'public', handle: (c, p) => kline(c.state, p) },
  'GET /v5/market/tickers': { access: 'public', handle: (c, p) => tickers(c.state, c.funding, p) },
  'GET /v5/market/funding/history': { access: 'public', handle: (c, p) => fundingHistory(c.state, c.funding, p) },
  'POST /v5/order/create': { access: 'write', handle: (c, p) => createOrder(c.state, p) },
  'POST /v5/order/amend': { access: 'write', handle: (c, p) => amendOrder(c.state, p) },
  'POST /v5/order/cancel': { access: 'write', handle: (c, p) => cancelOrder(c.state, p) },
  'GET /v5/order/realtime': { access: 'read', handle: (c, p) => orderRealtime(c.state, p) },
  'GET /v5/order/history': { access: 'read', handle: (c, p) => orderHistory(c.state, p) },
  'GET /v5/execution/list': { access: 'read', handle: (c, p) => executionList(c.state, p) },
  'GET /v5/position/list': { access: 'read', handle: (c, p) => positionList(c.state, p) },
  'POST /v5/position/set-leverage': { access: 'write', handle: (c, p) => setLeverage(c.state, p) },
  'POST /v5/account/set-margin-mode': { access: 'write', handle: (c, p) => setMarginMode(c.state, p) },
  'GET /v5/account/info': { access: 'read', handle: (c) => accountInfo(c.state) },
  'GET /v5/account/wallet-balance': { access: 'read', handle: (c, p) => walletBalance(c.state, p) },
  'GET /v5/user/query-api': { access: 'read', handle: (c) => apiKeyInfo(c.key as BybitApiKey) },
  'GET /v5/asset/coin/query-info': { access: 'read', handle: (c) => coinInfo(c.state) },
}

/**
 * The paths the dialect serves, as `METHOD /path`.
 * @example
 * ```ts
 * BYBIT_REST_ROUTES.includes('POST /v5/order/create') // true
 * ```
 */
export const BYBIT_REST_ROUTES: readonly string[] = Object.keys(ROUTES)

function params(req: BybitHttpRequest): BybitParams {
  if (req.method === 'GET') return Object.fromEntries(new URLSearchParams(req.rawQuery))
  if (req.rawBody === '') return {}
  try {
    const parsed: unknown = JSON.parse(req.rawBody)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as BybitParams
  } catch {
    // fall through to the parameter error below
  }
  throw new BybitApiError(BYBIT_RET.paramsError, 'params error: the body is not a JSON object')
}

function reply(status: number, headers: Readonly<Record<string, string>>, retCode: number, retMsg: string, result: unknown, nowMs: number): BybitHttpReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ retCode, retMsg, result, retExtInfo: {}, time: nowMs }),
  }
}

/**
 * Answer one REST request: route, authenticate, rate-limit, run the handler, wrap the result.
 *
 * @returns the HTTP answer (Bybit answers errors with HTTP 200 and a non-zero retCode; an unknown path is 404)
 * @throws only on bugs (errors that are neither Bybit errors nor the venue's)
 * @example
 * ```ts
 * const answer = await handleBybitRest({ state, funding, limiter, launchTimeMs: 0, request })
 * ```
 */
export async function handleBybitRest(args: {
  readonly state: BybitState
  readonly funding: BybitFundingView
  readonly limiter: BybitRateLimiter
  readonly launchTimeMs: number
  readonly request: BybitHttpRequest
}): Promise<BybitHttpReply> {
  const { state, request: req } = args
  const now = state.clock.now()
  const route = ROUTES[`${req.method} ${req.path}`]
  if (route === undefined) return reply(404, {}, BYBIT_RET.routeNotFound, 'Route not found', {}, now)
  let limitHeaders: Readonly<Record<string, string>> = {}
  try {
    let key: BybitApiKey | undefined
    if (route.access !== 'public') {
      key = verifyBybitRest({ headers: req.headers, payload: req.method === 'GET' ? req.rawQuery : req.rawBody, keys: state.keys, nowMs: now })
      const decision = args.limiter.take({ apiKey: key.apiKey, path: req.path, nowMs: now })
      limitHeaders = decision.headers
      if (!decision.allowed) throw new BybitApiError(BYBIT_RET.tooManyVisits, 'Too many visits!')
      if (route.access === 'write' && key.readOnly) throw new BybitApiError(BYBIT_RET.permissionDenied, 'Permission denied, please check your API key permissions.')
    }
    const result = await route.handle({ state, funding: args.funding, launchTimeMs: args.launchTimeMs, key }, params(req))
    return reply(200, limitHeaders, 0, 'OK', result, state.clock.now())
  } catch (e) {
    if (!(e instanceof BybitApiError)) throw e
    return reply(e.httpStatus, { ...limitHeaders, ...e.headers }, e.retCode, e.message, {}, state.clock.now())
  }
}
