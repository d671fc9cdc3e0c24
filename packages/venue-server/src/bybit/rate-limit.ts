/**
 * Bybit's API rate limit: a rolling one-second window per UID (here: per API key) and endpoint. Every private
 * answer carries `X-Bapi-Limit` (the limit), `X-Bapi-Limit-Status` (requests left) and
 * `X-Bapi-Limit-Reset-Timestamp` (when the window frees up, or now); past the limit the answer is retCode 10006.
 * @module
 */

/** Requests per second per endpoint (Bybit's published defaults for unified accounts: trading 10/s, queries 50/s). */
export const BYBIT_DEFAULT_LIMITS: Readonly<Record<string, number>> = {
  '/v5/order/create': 10,
  '/v5/order/amend': 10,
  '/v5/order/cancel': 10,
  '/v5/order/realtime': 50,
  '/v5/order/history': 50,
  '/v5/execution/list': 50,
  '/v5/position/list': 50,
  '/v5/position/set-leverage': 10,
  '/v5/account/wallet-balance': 50,
  '/v5/account/set-margin-mode': 5,
}

/** What the limiter decided for one request. */
export interface BybitLimitDecision {
  readonly allowed: boolean
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A per-key, per-endpoint rolling one-second window.
 * @example
 * ```ts
 * const limiter = createBybitRateLimiter()
 * const d = limiter.take({ apiKey: 'k', path: '/v5/order/create', nowMs: 1_000 })
 * d.headers['X-Bapi-Limit-Status'] // '9'
 * ```
 */
export interface BybitRateLimiter {
  take(args: { readonly apiKey: string; readonly path: string; readonly nowMs: number }): BybitLimitDecision
}

/**
 * Create a limiter with `limits` per endpoint (requests per second; endpoints not listed get 50).
 * @example
 * ```ts
 * const limiter = createBybitRateLimiter({ '/v5/order/create': 2 })
 * ```
 */
export function createBybitRateLimiter(limits: Readonly<Record<string, number>> = BYBIT_DEFAULT_LIMITS): BybitRateLimiter {
  const windows = new Map<string, number[]>()
  return {
    take: ({ apiKey, path, nowMs }) => {
      const limit = limits[path] ?? 50
      const key = `${apiKey} ${path}`
      const recent = (windows.get(key) ?? []).filter((t) => t > nowMs - 1_000)
      const allowed = recent.length < limit
      if (allowed) recent.push(nowMs)
      windows.set(key, recent)
      const oldest = recent[0]
      const reset = !allowed && oldest !== undefined ? oldest + 1_000 : nowMs
      return {
        allowed,
        headers: { 'X-Bapi-Limit': String(limit), 'X-Bapi-Limit-Status': String(Math.max(0, limit - recent.length)), 'X-Bapi-Limit-Reset-Timestamp': String(reset) },
      }
    },
  }
}
