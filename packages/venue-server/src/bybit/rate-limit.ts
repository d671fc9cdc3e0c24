/**
 * Bybit's API rate limit: requests per second per UID (here: per API key) and endpoint. Every private answer
 * carries `X-Bapi-Limit` (the limit), `X-Bapi-Limit-Status` (requests left) and `X-Bapi-Limit-Reset-Timestamp`
 * (when the window frees up, or now); past the limit the answer is retCode 10006. Windows are one-second
 * windows aligned to the clock (Bybit documents a rolling second; aligned windows are the shared counter's rule).
 * @module
 */
import type { Clock } from '@perpkit/core'
import { createWindowCounter, type WindowCounter } from '../rate-limit.js'

/** Requests per second per endpoint (Bybit's published defaults for unified accounts: trading 10/s, queries 50/s). */
export const BYBIT_DEFAULT_LIMITS: Readonly<Record<string, number>> = {
  '/v5/order/create': 10,
  '/v5/order/amend': 10,
  '/v5/order/cancel': 10,
  '/v5/order/cancel-all': 10,
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
 * Per-key, per-endpoint one-second windows.
 * @example
 * ```ts
 * const limiter = createBybitRateLimiter({ clock })
 * limiter.take({ apiKey: 'k', path: '/v5/order/create' }).headers['X-Bapi-Limit-Status'] // '9'
 * ```
 */
export interface BybitRateLimiter {
  take(args: { readonly apiKey: string; readonly path: string }): BybitLimitDecision
}

/**
 * Create a limiter with `limits` per endpoint (requests per second; endpoints not listed get 50).
 * @example
 * ```ts
 * const limiter = createBybitRateLimiter({ clock, limits: { '/v5/order/create': 2 } })
 * ```
 */
export function createBybitRateLimiter(args: { readonly clock: Clock; readonly limits?: Readonly<Record<string, number>> }): BybitRateLimiter {
  const limits = args.limits ?? BYBIT_DEFAULT_LIMITS
  const counters = new Map<string, WindowCounter>()
  const counterOf = (path: string): WindowCounter => {
    let c = counters.get(path)
    if (c === undefined) {
      c = createWindowCounter({ clock: args.clock, windowMs: 1_000, limit: limits[path] ?? 50 })
      counters.set(path, c)
    }
    return c
  }
  return {
    take: ({ apiKey, path }) => {
      const c = counterOf(path)
      const allowed = !c.wouldExceed(apiKey, 1)
      if (allowed) c.add(apiKey, 1)
      return {
        allowed,
        headers: {
          'X-Bapi-Limit': String(c.limit),
          'X-Bapi-Limit-Status': String(Math.max(0, c.limit - c.used(apiKey))),
          'X-Bapi-Limit-Reset-Timestamp': String(allowed ? args.clock.now() : c.windowEndMs()),
        },
      }
    },
  }
}
