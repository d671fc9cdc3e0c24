/**
 * The Binance request gate every route goes through: IP ban (418), request weight per minute (429 with
 * Retry-After; repeated 429s lead to a ban), API key and HMAC signature (-2014 / -2015 / -1022), timestamp
 * and recvWindow (-1021, -1102 for a missing timestamp), key permissions (-2015), order counts per 10 s and
 * per minute (-1015), and the `X-MBX-USED-WEIGHT-1M` / `X-MBX-ORDER-COUNT-*` headers.
 * @module
 */
import type { DialectContext, HttpMethod, Route, VenueRequest, VenueResponse } from '../dialect.js'
import type { ApiKeyPermissions } from '../keys.js'
import { createBanTracker, createWindowCounter } from '../rate-limit.js'
import { checkTimestamp, verifyHmacSha256Hex } from '../signature.js'
import { binanceError } from './errors.js'
import { BINANCE_LIMITS } from './exchange-info.js'

/**
 * Security type of an endpoint, as the docs label them: `NONE` public; `USER_STREAM` needs the API key
 * header; `USER_DATA` and `TRADE` need key + signature + timestamp (TRADE also the trade permission).
 * @example
 * ```ts
 * const security: BinanceSecurity = 'TRADE'
 * ```
 */
export type BinanceSecurity = 'NONE' | 'USER_STREAM' | 'USER_DATA' | 'TRADE'

/**
 * The authenticated caller of a request.
 * @example
 * ```ts
 * const handle = (req: VenueRequest, caller: BinanceCaller) => caller.apiKey
 * ```
 */
export interface BinanceCaller {
  readonly apiKey: string | undefined
  readonly permissions: ApiKeyPermissions | undefined
}

/**
 * A Binance route before gating.
 * @example
 * ```ts
 * const spec: BinanceRouteSpec = { method: 'GET', path: '/fapi/v1/time', name: 'time', weight: 1, security: 'NONE', handle: () => ({ status: 200, body: {} }) }
 * ```
 */
export interface BinanceRouteSpec {
  readonly method: HttpMethod
  readonly path: string
  readonly name: string
  /** Request weight (a function when it depends on parameters, e.g. klines `limit`). */
  readonly weight: number | ((request: VenueRequest) => number)
  readonly security: BinanceSecurity
  /** Whether the request counts as an order (order-count limits and headers). */
  readonly countsAsOrder?: boolean
  handle(request: VenueRequest, caller: BinanceCaller): VenueResponse | Promise<VenueResponse>
}

/**
 * The gate of one server.
 * @example
 * ```ts
 * const gate = createBinanceGate(context)
 * const route: Route = gate.route(spec)
 * ```
 */
export interface BinanceGate {
  route(spec: BinanceRouteSpec): Route
  /** Rate-limit headers of the answer to `request`. */
  headers(request: VenueRequest): Record<string, string>
  /** Record a 429 answer (from an injected fault): counts towards the ban. */
  strike(): void
}

const IP = '127.0.0.1'
const DEFAULT_RECV_WINDOW_MS = 5_000
const MAX_RECV_WINDOW_MS = 60_000
const AHEAD_TOLERANCE_MS = 1_000
const BAN_STRIKES = 3
const BAN_MS = 120_000

/**
 * Create the gate.
 *
 * @param ctx - the dialect context (clock, keys)
 * @returns a {@link BinanceGate}
 * @throws never
 * @example
 * ```ts
 * const gate = createBinanceGate(ctx)
 * ```
 */
export function createBinanceGate(ctx: DialectContext): BinanceGate {
  const { clock, keys } = ctx
  const weight = createWindowCounter({ clock, windowMs: 60_000, limit: BINANCE_LIMITS.weightPerMinute })
  const orders10s = createWindowCounter({ clock, windowMs: 10_000, limit: BINANCE_LIMITS.ordersPer10s })
  const orders1m = createWindowCounter({ clock, windowMs: 60_000, limit: BINANCE_LIMITS.ordersPerMinute })
  const bans = createBanTracker({ clock, strikes: BAN_STRIKES, banMs: BAN_MS })
  const orderRequests = new Set<number>()
  const accountOf = new Map<number, string>()

  const tooMany = (retryAfterSec: number): VenueResponse => {
    const until = bans.strike(IP)
    if (until !== undefined) return banned(until)
    const res = binanceError(-1003, BINANCE_LIMITS.weightPerMinute)
    return { ...res, status: 429, headers: { 'Retry-After': String(retryAfterSec) } }
  }
  const banned = (untilMs: number): VenueResponse => {
    const res = binanceError(-1003, BINANCE_LIMITS.weightPerMinute)
    return {
      status: 418,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil((untilMs - clock.now()) / 1000))) },
      body: { code: -1003, msg: `Way too many requests; IP(${IP}) banned until ${untilMs}. Please use the websocket for live updates to avoid bans.` },
      ...(res.accepted === undefined ? {} : { accepted: res.accepted }),
    }
  }

  const authenticate = (spec: BinanceRouteSpec, req: VenueRequest): VenueResponse | BinanceCaller => {
    if (spec.security === 'NONE') return { apiKey: undefined, permissions: undefined }
    const header = req.headers['x-mbx-apikey']
    const apiKey = typeof header === 'string' ? header : undefined
    if (apiKey === undefined || apiKey.length === 0) return binanceError(-2014)
    const key = keys.get(apiKey)
    if (key === undefined) return binanceError(-2015, IP)
    if (spec.security === 'USER_STREAM') return { apiKey, permissions: key.permissions }
    const timestamp = req.params.get('timestamp')
    if (timestamp === null || !/^\d+$/.test(timestamp)) return binanceError(-1102, 'timestamp')
    const recvWindowText = req.params.get('recvWindow')
    const recvWindowMs = recvWindowText === null ? DEFAULT_RECV_WINDOW_MS : Number(recvWindowText)
    if (!(Number.isInteger(recvWindowMs) && recvWindowMs > 0 && recvWindowMs <= MAX_RECV_WINDOW_MS)) return binanceError(-1100, 'recvWindow', `1 - ${MAX_RECV_WINDOW_MS}`)
    const signature = req.params.get('signature')
    if (signature === null) return binanceError(-1102, 'signature')
    if (!verifyHmacSha256Hex({ secret: key.secret, payload: signedPayload(req), signature })) return binanceError(-1022)
    const when = checkTimestamp({ timestampMs: Number(timestamp), recvWindowMs, serverMs: clock.now(), aheadToleranceMs: AHEAD_TOLERANCE_MS })
    if (when !== 'ok') return binanceError(-1021)
    if (!key.permissions.read || (spec.security === 'TRADE' && !key.permissions.trade)) return binanceError(-2015, IP)
    return { apiKey, permissions: key.permissions }
  }

  return {
    route(spec) {
      return {
        method: spec.method,
        path: spec.path,
        name: spec.name,
        async handle(req) {
          const banEnd = bans.bannedUntil(IP)
          if (banEnd !== undefined) return banned(banEnd)
          const w = typeof spec.weight === 'number' ? spec.weight : spec.weight(req)
          if (weight.wouldExceed(IP, w)) {
            weight.add(IP, w)
            return tooMany(Math.max(1, Math.ceil((weight.windowEndMs() - clock.now()) / 1000)))
          }
          weight.add(IP, w)
          const caller = authenticate(spec, req)
          if ('status' in caller) return caller
          if (spec.countsAsOrder === true && caller.apiKey !== undefined) {
            orderRequests.add(req.seq)
            accountOf.set(req.seq, caller.apiKey)
            if (orders10s.wouldExceed(caller.apiKey, 1) || orders1m.wouldExceed(caller.apiKey, 1)) {
              const tenSeconds = orders10s.wouldExceed(caller.apiKey, 1)
              const res = binanceError(-1015, tenSeconds ? BINANCE_LIMITS.ordersPer10s : BINANCE_LIMITS.ordersPerMinute, tenSeconds ? '10 SECOND' : '1 MINUTE')
              return { ...res, status: 429, headers: { 'Retry-After': String(Math.max(1, Math.ceil(((tenSeconds ? orders10s : orders1m).windowEndMs() - clock.now()) / 1000))) } }
            }
            orders10s.add(caller.apiKey, 1)
            orders1m.add(caller.apiKey, 1)
          }
          return spec.handle(req, caller)
        },
      }
    },
    headers(req) {
      const out: Record<string, string> = { 'X-MBX-USED-WEIGHT-1M': String(weight.used(IP)) }
      const account = accountOf.get(req.seq)
      if (orderRequests.has(req.seq) && account !== undefined) {
        out['X-MBX-ORDER-COUNT-10S'] = String(orders10s.used(account))
        out['X-MBX-ORDER-COUNT-1M'] = String(orders1m.used(account))
        orderRequests.delete(req.seq)
        accountOf.delete(req.seq)
      }
      return out
    },
    strike() {
      bans.strike(IP)
    },
  }
}

/**
 * The bytes Binance signs: the query string followed directly by the form body (`totalParams`), without the
 * `signature` parameter itself.
 *
 * @param req - the request
 * @returns the signed payload
 * @throws never
 * @example
 * ```ts
 * signedPayload(req) // 'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=1758240000000'
 * ```
 */
export function signedPayload(req: VenueRequest): string {
  const strip = (s: string): string => s.split('&').filter((p) => p.length > 0 && !p.startsWith('signature=')).join('&')
  const query = strip(req.rawQuery)
  const contentType = req.headers['content-type'] ?? ''
  const body = req.body.length > 0 && contentType.includes('application/x-www-form-urlencoded') ? strip(req.body) : ''
  return query + body
}
