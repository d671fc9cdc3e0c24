/**
 * Binance USDⓈ-M REST transport: ccxt (pinned) builds and signs each request — URL, query/body, `X-MBX-APIKEY`,
 * HMAC-SHA256 signature, `recvWindow` — and this module sends it, so that the HTTP status, the rate-limit headers
 * and the raw body reach the error table and the parsers unchanged. Timestamps come from the injected clock plus
 * the measured server offset; timeouts run on the clock. A create is sent exactly once.
 * @module
 */
import type { Clock, RateLimitUsage } from '@perpkit/core'
import ccxt from 'ccxt'
import { mapBinanceError } from './errors.js'

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
  /** Rate-limit usage from the last answer's headers. */
  usage(): readonly RateLimitUsage[]
  /** Set the offset of the venue's clock from the local clock (added to every request timestamp). */
  setServerOffset(offsetMs: number): void
}

const USAGE_HEADERS: readonly { readonly header: string; readonly kind: RateLimitUsage['kind']; readonly intervalMs: number; readonly limit: number }[] = [
  // limits of Binance USDⓈ-M as exchangeInfo's rateLimits lists them: 2,400 weight / min, 300 orders / 10 s, 1,200 orders / min
  { header: 'x-mbx-used-weight-1m', kind: 'request-weight', intervalMs: 60_000, limit: 2_400 },
  { header: 'x-mbx-order-count-10s', kind: 'orders', intervalMs: 10_000, limit: 300 },
  { header: 'x-mbx-order-count-1m', kind: 'orders', intervalMs: 60_000, limit: 1_200 },
]

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e
  for (let i = 0; i < 4 && typeof cur === 'object' && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string') return code
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
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
 * @returns the transport
 * @throws never
 * @example
 * ```ts
 * const transport = createBinanceTransport({ restBaseUrl: 'http://127.0.0.1:8080', apiKey, secret, clock: systemClock, timeoutMs: 10_000, recvWindowMs: 5_000 })
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
}): BinanceTransport {
  const { clock } = args
  let offsetMs = 0
  const signer = new ccxt.binanceusdm({ apiKey: args.apiKey, secret: args.secret, enableRateLimit: false, options: { recvWindow: args.recvWindowMs, fetchCurrencies: false } })
  const apiUrls = signer.urls['api'] as Record<string, unknown>
  for (const [name, version] of [['fapiPublic', 'v1'], ['fapiPrivate', 'v1'], ['fapiPublicV2', 'v2'], ['fapiPrivateV2', 'v2']] as const) apiUrls[name] = `${args.restBaseUrl}/fapi/${version}`
  apiUrls['sapi'] = `${args.spotRestBaseUrl}/sapi/v1`
  // ccxt reads the time through milliseconds(); the injected clock (plus the venue offset) replaces the system clock
  signer.milliseconds = () => Math.round(clock.now() + offsetMs)
  let usage: RateLimitUsage[] = []

  const readUsage = (headers: Headers): void => {
    const next: RateLimitUsage[] = []
    for (const u of USAGE_HEADERS) {
      const v = headers.get(u.header)
      if (v !== null && Number.isFinite(Number(v))) next.push({ kind: u.kind, intervalMs: u.intervalMs, limit: u.limit, used: Number(v), atMs: clock.now() })
    }
    if (next.length > 0) usage = next
  }

  return {
    usage: () => usage,
    setServerOffset(ms) {
      offsetMs = ms
    },
    async request({ api, method, path, endpoint, params = {} }) {
      const signed = signer.sign(path, api, method, { ...params }) as { url: string; method: string; body?: string; headers?: Record<string, string> }
      const controller = new AbortController()
      let timedOut = false
      const cancel = clock.setTimer(args.timeoutMs, () => {
        timedOut = true
        controller.abort()
      })
      let res: Response
      let text: string
      try {
        res = await fetch(signed.url, { method: signed.method, headers: signed.headers ?? {}, ...(signed.body === undefined || signed.body === '' ? {} : { body: signed.body }), signal: controller.signal })
        text = await res.text()
      } catch (e) {
        cancel()
        const code = causeCode(e)
        throw mapBinanceError({ endpoint, notSent: !timedOut && code !== undefined && NOT_SENT_CODES.has(code), timedOut, cause: code === undefined ? undefined : { code } })
      }
      cancel()
      readUsage(res.headers)
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
