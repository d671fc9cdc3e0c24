/**
 * Bybit v5 request limits as data, and how an answer reports their use. Bybit counts per UID, per endpoint, in a
 * rolling second, and per IP 600 requests in any 5 seconds; every answer carries `X-Bapi-Limit` (the endpoint's
 * limit), `X-Bapi-Limit-Status` (what remains) and `X-Bapi-Limit-Reset-Timestamp` (when an exceeded limit frees
 * up; otherwise now). Over an endpoint limit the answer is retCode 10006; over the IP limit it is HTTP 403 ("access
 * too frequent"), after which Bybit asks clients to stop for at least 10 minutes.
 *
 * Source: Bybit v5 "Rate Limit Rules" (https://bybit-exchange.github.io/docs/v5/rate-limit), default limits of a
 * unified trade account (UTA Pro table; VIP levels may raise the trading ones, which the headers then report).
 * @module
 */
import { type Clock, type RequestLimits, systemClock } from '@perpkit/core'
import { type BudgetLimit, createRateBudget, type LimitReading, type RateBudget } from '../transport/rate-budget.js'

/** Bybit's IP limit: 600 requests in any 5-second window, all endpoints together. */
const IP_LIMIT: BudgetLimit = { key: 'ip', kind: 'request-weight', intervalMs: 5_000, limit: 600, counts: 'weight', window: 'rolling' }

/** Requests per second by path and category: [inverse, linear]. */
const PER_SECOND: readonly (readonly [path: string, kind: BudgetLimit['kind'], inverse: number, linear: number])[] = [
  ['/v5/order/create', 'orders', 10, 10],
  ['/v5/order/amend', 'orders', 10, 10],
  ['/v5/order/cancel', 'orders', 10, 10],
  ['/v5/order/cancel-all', 'orders', 10, 10],
  ['/v5/order/realtime', 'request-weight', 10, 50],
  ['/v5/order/history', 'request-weight', 10, 50],
  ['/v5/execution/list', 'request-weight', 10, 50],
  ['/v5/position/list', 'request-weight', 10, 50],
  ['/v5/position/set-leverage', 'request-weight', 10, 10],
  ['/v5/account/wallet-balance', 'request-weight', 50, 50],
  ['/v5/user/query-api', 'request-weight', 10, 10],
]

/**
 * How long Bybit asks a client to stop after HTTP 403 (IP limit): "wait for at least 10 minutes".
 * @example
 * ```ts
 * import { BYBIT_IP_BAN_MS } from '@perpkit/exchange'
 * const resumeAtMs = Date.now() + BYBIT_IP_BAN_MS
 * ```
 */
export const BYBIT_IP_BAN_MS = 600_000

/**
 * Bybit's documented default limits for one category: the IP limit (600 per 5 s) and the per-endpoint limits per
 * second, each keyed by its request path and counted in a rolling window.
 * @param category - `inverse` or `linear` (query limits differ: 10/s for inverse, 50/s for linear)
 * @returns the limits
 * @throws never
 * @example
 * ```ts
 * import { bybitLimits } from '@perpkit/exchange'
 * bybitLimits('inverse').find((l) => l.key === '/v5/order/realtime')?.limit // 10
 * ```
 */
export function bybitLimits(category: 'inverse' | 'linear'): readonly BudgetLimit[] {
  return [
    IP_LIMIT,
    ...PER_SECOND.map(([key, kind, inverse, linear]): BudgetLimit => ({ key, kind, intervalMs: 1_000, limit: category === 'inverse' ? inverse : linear, counts: 'endpoint', window: 'rolling' })),
  ]
}

/**
 * What the port reports as Bybit's request allowance (`ExchangeClient.requestLimits`), both categories: 120
 * requests per minute over every call of the account, each weighing 1. Bybit publishes no account-wide window
 * (its limits are per endpoint and second, {@link bybitLimits}: 10/s for orders and inverse queries), so this is
 * the allowance perpkit budgets against, far below every endpoint's limit; the adapter's own limiter still
 * enforces those per request.
 * @example
 * ```ts
 * import { BYBIT_REQUEST_LIMITS } from '@perpkit/exchange'
 * BYBIT_REQUEST_LIMITS.limit / (BYBIT_REQUEST_LIMITS.intervalMs / 1000) // 2 requests per second on average
 * ```
 */
export const BYBIT_REQUEST_LIMITS: RequestLimits = { limit: 120, intervalMs: 60_000, weights: {} }

const retCodeOf = (text: string | undefined): number | undefined => {
  const m = /"retCode"\s*:\s*(-?\d+)/.exec(text ?? '')
  return m?.[1] === undefined ? undefined : Number(m[1])
}

/**
 * Read a Bybit v5 answer: per endpoint `X-Bapi-Limit`, `X-Bapi-Limit-Status` and `X-Bapi-Limit-Reset-Timestamp`
 * (the bucket is the request path, a rolling second). A retCode 10006 without those headers holds every caller for
 * one second (the window Bybit counts in); HTTP 403 is Bybit's IP ban ({@link BYBIT_IP_BAN_MS}).
 * @param answer - status, headers, body text, and the request path as `endpoint`
 * @returns the reading
 * @throws never
 * @example
 * ```ts
 * import { readBybitLimits } from '@perpkit/exchange'
 * const headers = new Headers({ 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '9', 'X-Bapi-Limit-Reset-Timestamp': '1672738134824' })
 * readBybitLimits({ status: 200, headers, endpoint: '/v5/order/create' }).buckets // [{ key: '/v5/order/create', used: 1, limit: 10, windowEndMs: 1672738134824, intervalMs: 1000, window: 'rolling' }]
 * ```
 */
export function readBybitLimits(answer: { readonly status: number; readonly headers: Headers; readonly endpoint: string; readonly text?: string }): LimitReading {
  if (answer.status === 403) return { buckets: [], bannedForMs: BYBIT_IP_BAN_MS }
  const limit = Number(answer.headers.get('x-bapi-limit') ?? Number.NaN)
  const remaining = Number(answer.headers.get('x-bapi-limit-status') ?? Number.NaN)
  const reset = Number(answer.headers.get('x-bapi-limit-reset-timestamp') ?? Number.NaN)
  if (!(Number.isFinite(limit) && Number.isFinite(remaining))) return { buckets: [], ...(retCodeOf(answer.text) === 10006 ? { retryAfterMs: 1_000 } : {}) }
  return { buckets: [{ key: answer.endpoint, used: Math.max(0, limit - remaining), limit, ...(Number.isFinite(reset) ? { windowEndMs: reset } : {}), intervalMs: 1_000, window: 'rolling' }] }
}

/**
 * A budget for one Bybit account and category: Bybit's documented limits up front ({@link bybitLimits}), corrected
 * by each answer's `X-Bapi-*` headers. Share it between the category's client and feed.
 * @param args.clock - time source
 * @param args.category - `inverse` or `linear` (default `linear`)
 * @param args.share - share of each limit normal callers may use (default 0.8)
 * @returns the budget (pass the request path as `endpoint` to `acquire` and `observe`)
 * @throws never
 * @example
 * ```ts
 * import { createBybit, createBybitRateBudget } from '@perpkit/exchange'
 * const rateBudget = createBybitRateBudget({ category: 'inverse' })
 * const bybit = createBybit({ apiKey: 'key', secret: 'secret', category: 'inverse', rateBudget })
 * await rateBudget.acquire({ endpoint: '/v5/order/cancel', priority: 'reduce-risk' })
 * ```
 */
export function createBybitRateBudget(args: { readonly clock?: Clock; readonly category?: 'inverse' | 'linear'; readonly share?: number }): RateBudget {
  return createRateBudget({
    clock: args.clock ?? systemClock,
    limits: bybitLimits(args.category ?? 'linear'),
    read: (a) => readBybitLimits({ ...a, endpoint: a.endpoint ?? '' }),
    ...(args.share === undefined ? {} : { share: args.share }),
  })
}
