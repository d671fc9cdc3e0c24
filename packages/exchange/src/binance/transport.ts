/**
 * Binance USDⓈ-M REST transport: ccxt (pinned) builds and signs each request — URL, query/body, `X-MBX-APIKEY`,
 * HMAC-SHA256 signature, `recvWindow` — and this module sends it, so that the HTTP status, the rate-limit headers
 * and the raw body reach the error table and the parsers unchanged. Timestamps come from the injected clock plus
 * the measured server offset; timeouts run on the clock. A create is sent exactly once.
 * @module
 */
import type { Clock, RateLimitUsage } from '@perpkit/core'
import ccxt from 'ccxt'
import { NoAnswer, sendSigned, type SignedRequest } from '../shared/http.js'
import type { RateBudget } from '../transport/rate-budget.js'
import { mapBinanceError } from './errors.js'
import { binanceRequestCost } from './request-cost.js'

/** A ccxt API group of the USDⓈ-M futures REST API. */
export type BinanceApi = 'fapiPublic' | 'fapiPrivate' | 'fapiPrivateV2' | 'fapiPublicV2' | 'sapi'

/** Parameters of one request, already formatted as the venue expects (exact decimal strings). */
export type BinanceParams = Readonly<Record<string, string | number | boolean>>

/**
 * The transport of one client.
 * @example
 * ```ts
 * const info = await transport.request({ api: 'fapiPublic', method: 'GET', path: 'exchangeInfo', endpoint: 'exchangeInfo' })
 * ```
 */
export interface BinanceTransport {
  /** Send one request; resolves with the parsed JSON body, rejects with a mapped `PerpkitError`. */
  request(args: { readonly api: BinanceApi; readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'; readonly path: string; readonly endpoint: string; readonly params?: BinanceParams }): Promise<unknown>
  /** Rate-limit usage: the shared budget's view. */
  usage(): readonly RateLimitUsage[]
  /** Set the offset of the venue's clock from the local clock (added to every request timestamp). */
  setServerOffset(offsetMs: number): void
}

/**
 * Create the transport.
 * @param args.restBaseUrl - e.g. `https://fapi.binance.com` (no trailing slash)
 * @param args.spotRestBaseUrl - e.g. `https://api.binance.com`: the key's restrictions live on the spot API
 * @param args.apiKey - the key (kept inside ccxt; never in errors)
 * @param args.secret - the secret
 * @param args.clock - time source for request timestamps and timeouts
 * @param args.timeoutMs - per-request timeout
 * @param args.recvWindowMs - the signed request's validity window
 * @param args.budget - the account's shared request budget
 * @returns the transport
 * @throws never
 * @example
 * ```ts
 * const transport = createBinanceTransport({ restBaseUrl: 'http://127.0.0.1:8080', spotRestBaseUrl: 'http://127.0.0.1:8080', apiKey, secret, clock: systemClock, timeoutMs: 10_000, recvWindowMs: 5_000, budget: createBinanceRateBudget({}) })
 * ```
 */
export function createBinanceTransport(args: {
  readonly restBaseUrl: string
  readonly spotRestBaseUrl: string
  readonly apiKey: string
  readonly secret: string
  readonly clock: Clock
  readonly timeoutMs: number
  readonly recvWindowMs: number
  /** The account's request budget: every request waits for room in it, every answer updates it. */
  readonly budget: RateBudget
}): BinanceTransport {
  const { clock } = args
  let offsetMs = 0
  const signer = new ccxt.binanceusdm({ apiKey: args.apiKey, secret: args.secret, enableRateLimit: false, options: { recvWindow: args.recvWindowMs, fetchCurrencies: false } })
  const apiUrls = signer.urls['api'] as Record<string, unknown>
  for (const [name, version] of [['fapiPublic', 'v1'], ['fapiPrivate', 'v1'], ['fapiPublicV2', 'v2'], ['fapiPrivateV2', 'v2']] as const) apiUrls[name] = `${args.restBaseUrl}/fapi/${version}`
  apiUrls['sapi'] = `${args.spotRestBaseUrl}/sapi/v1`
  // ccxt reads the time through milliseconds(); the injected clock (plus the venue offset) replaces the system clock
  signer.milliseconds = () => Math.round(clock.now() + offsetMs)
  return {
    usage: () => args.budget.usage(),
    setServerOffset(ms) {
      offsetMs = ms
    },
    async request({ api, method, path, endpoint, params = {} }) {
      await args.budget.acquire(binanceRequestCost(endpoint, params))
      const signed = signer.sign(path, api, method, { ...params }) as SignedRequest
      let res: Awaited<ReturnType<typeof sendSigned>>
      try {
        res = await sendSigned({ request: signed, clock, timeoutMs: args.timeoutMs })
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e
        throw mapBinanceError({ endpoint, notSent: e.notSent, timedOut: e.timedOut, cause: e.causeCode === undefined ? undefined : { code: e.causeCode } })
      }
      const text = res.text
      args.budget.observe({ status: res.status, headers: res.headers, text })
      if (res.ok) {
        try {
          return JSON.parse(text) as unknown
        } catch {
          throw mapBinanceError({ endpoint, httpStatus: 502, body: text })
        }
      }
      const retryAfter = res.headers.get('retry-after')
      throw mapBinanceError({ endpoint, httpStatus: res.status, body: text, retryAfterSeconds: retryAfter === null ? undefined : Number(retryAfter) })
    },
  }
}
