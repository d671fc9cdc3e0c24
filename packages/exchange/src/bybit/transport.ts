/**
 * Bybit v5 REST transport: the pinned ccxt `bybit` class builds and signs each request (`X-BAPI-API-KEY`,
 * `X-BAPI-TIMESTAMP`, `X-BAPI-RECV-WINDOW`, `X-BAPI-SIGN` = HMAC-SHA256 of timestamp + key + recvWindow + query or
 * JSON body) and this module sends it through the shared `sendSigned`, so the HTTP status, the `retCode` envelope
 * and the rate-limit headers reach the error table unchanged. Every request first waits for room in the account's
 * request budget, and every answer (its `X-Bapi-Limit*` headers, a 10006, a 403) updates it. Timestamps come from
 * the injected clock plus the measured server offset. A create is sent exactly once.
 * @module
 */
import type { Clock, RateLimitUsage } from '@perpkit/core'
import ccxt from 'ccxt'
import { NoAnswer, sendSigned, type SignedRequest } from '../shared/http.js'
import type { RateBudget, RequestPriority } from '../transport/rate-budget.js'
import { mapBybitError } from './errors.js'

/** Parameters of one request, already formatted as the venue expects (exact decimal strings). */
export type BybitParams = Readonly<Record<string, string | number | boolean>>

/**
 * The transport of one client.
 * @example
 * ```ts
 * const info = await transport.request({ access: 'public', method: 'GET', path: 'v5/market/time', endpoint: 'market.time' })
 * ```
 */
export interface BybitTransport {
  /** Send one request; resolves with the envelope's `result`, rejects with a mapped `PerpkitError`. */
  request(args: { readonly access: 'public' | 'private'; readonly method: 'GET' | 'POST'; readonly path: string; readonly endpoint: string; readonly params?: BybitParams }): Promise<unknown>
  /** Rate-limit usage: the budget's view (IP limit and each endpoint's). */
  usage(): readonly RateLimitUsage[]
  /** Set the offset of the venue's clock from the local clock (added to every request timestamp). */
  setServerOffset(offsetMs: number): void
}

/** Cancels reduce risk, whatever they cancel. */
const CANCELS = new Set(['v5/order/cancel', 'v5/order/cancel-all'])

/**
 * Cancels and reduce-only / close-on-trigger creates reduce risk: they may use the whole limit and go first.
 * @param path - request path without the leading slash
 * @param params - request parameters
 * @returns the request's priority
 * @throws never
 * @example
 * ```ts
 * bybitPriority('v5/order/create', { reduceOnly: true }) // 'reduce-risk'
 * ```
 */
export function bybitPriority(path: string, params: BybitParams): RequestPriority {
  if (CANCELS.has(path)) return 'reduce-risk'
  return path === 'v5/order/create' && (String(params['reduceOnly']) === 'true' || String(params['closeOnTrigger']) === 'true') ? 'reduce-risk' : 'normal'
}

/**
 * Create the transport.
 * @param args.restBaseUrl - e.g. `https://api-testnet.bybit.com` (no trailing slash)
 * @param args.apiKey - the key (kept inside ccxt; never in errors)
 * @param args.secret - the secret
 * @param args.clock - time source for request timestamps and timeouts
 * @param args.timeoutMs - per-request timeout
 * @param args.recvWindowMs - the signed request's validity window
 * @param args.budget - the account's request budget
 * @returns the transport
 * @throws never
 */
export function createBybitTransport(args: {
  readonly restBaseUrl: string
  readonly apiKey: string
  readonly secret: string
  readonly clock: Clock
  readonly timeoutMs: number
  readonly recvWindowMs: number
  readonly budget: RateBudget
}): BybitTransport {
  const { clock } = args
  let offsetMs = 0
  const signer = new ccxt.bybit({ apiKey: args.apiKey, secret: args.secret, enableRateLimit: false, options: { recvWindow: args.recvWindowMs, timeDifference: 0 } })
  const apiUrls = signer.urls['api'] as Record<string, unknown>
  for (const name of ['public', 'private']) apiUrls[name] = args.restBaseUrl
  // ccxt reads the time through milliseconds(); the injected clock (plus the venue offset) replaces the system clock
  signer.milliseconds = () => Math.round(clock.now() + offsetMs)
  const retryAfterSeconds = (headers: Headers): number | undefined => {
    const reset = headers.get('x-bapi-limit-reset-timestamp')
    if (reset === null || !Number.isFinite(Number(reset))) return undefined
    return Math.max(0, Number(reset) - (clock.now() + offsetMs)) / 1000
  }

  return {
    usage: () => args.budget.usage(),
    setServerOffset(ms) {
      offsetMs = ms
    },
    async request({ access, method, path, endpoint, params = {} }) {
      await args.budget.acquire({ weight: 1, endpoint: `/${path}`, priority: bybitPriority(path, params) })
      const signed = signer.sign(path, access, method, { ...params }) as SignedRequest
      let res: Awaited<ReturnType<typeof sendSigned>>
      try {
        res = await sendSigned({ request: signed, clock, timeoutMs: args.timeoutMs })
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e
        throw mapBybitError({ endpoint, notSent: e.notSent, timedOut: e.timedOut, cause: e.causeCode === undefined ? undefined : { code: e.causeCode } })
      }
      args.budget.observe({ status: res.status, headers: res.headers, text: res.text, endpoint: `/${path}` })
      let body: { retCode?: unknown; result?: unknown } | undefined
      try {
        body = JSON.parse(res.text) as { retCode?: unknown; result?: unknown }
      } catch {
        body = undefined
      }
      if (res.ok && body !== undefined && body.retCode === 0) return body.result
      throw mapBybitError({ endpoint, httpStatus: res.status, body: res.text, retryAfterSeconds: retryAfterSeconds(res.headers) })
    },
  }
}
