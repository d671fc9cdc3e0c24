/**
 * Bybit v5 authentication. REST: HMAC-SHA256 (hex) of `timestamp + apiKey + recvWindow + payload`, where the
 * payload is the raw query string of a GET and the raw JSON body of a POST, sent in the `X-BAPI-*` headers; the
 * request is valid while `serverTime − recvWindow ≤ timestamp < serverTime + 1000`. WebSocket: the `auth`
 * operation `{ op: 'auth', args: [apiKey, expires, signature] }` with the signature of `GET/realtime{expires}`
 * and `expires` in the future.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { BybitApiError, BYBIT_RET } from './errors.js'

/**
 * An API key the venue accepts.
 * @example
 * ```ts
 * const key: BybitApiKey = { apiKey: 'test-key', secret: 'test-secret', readOnly: false }
 * ```
 */
export interface BybitApiKey {
  readonly apiKey: string
  readonly secret: string
  /** A read-only key may query but not trade or change settings (10005 on writes). */
  readonly readOnly: boolean
}

/** Default `recvWindow` when the header is absent (ms). */
export const BYBIT_DEFAULT_RECV_WINDOW_MS = 5_000

/**
 * Hex HMAC-SHA256 of `payload` with `secret`.
 * @example
 * ```ts
 * bybitSign('secret', '1658384314791' + 'key' + '5000' + 'category=inverse') // 64 hex chars
 * ```
 */
export function bybitSign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex')
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Check a signed REST request.
 *
 * @param args.headers - request headers, lower-cased names (Node's `IncomingMessage.headers`)
 * @param args.payload - the raw query string (GET) or raw body (POST) exactly as received
 * @param args.keys - accepted keys
 * @param args.nowMs - the venue's clock
 * @returns the key that signed the request
 * @throws BybitApiError 10003 (unknown key), 10002 (timestamp outside the window), 10004 (bad signature)
 * @example
 * ```ts
 * const key = verifyBybitRest({ headers: req.headers, payload: rawQuery, keys, nowMs: clock.now() })
 * ```
 */
export function verifyBybitRest(args: {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly payload: string
  readonly keys: readonly BybitApiKey[]
  readonly nowMs: number
}): BybitApiKey {
  const header = (name: string): string | undefined => {
    const v = args.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const apiKey = header('x-bapi-api-key')
  const key = apiKey === undefined ? undefined : args.keys.find((k) => k.apiKey === apiKey)
  if (key === undefined) throw new BybitApiError(BYBIT_RET.invalidApiKey, 'API key is invalid.')
  const tsText = header('x-bapi-timestamp') ?? ''
  const rwText = header('x-bapi-recv-window') ?? String(BYBIT_DEFAULT_RECV_WINDOW_MS)
  const ts = /^\d{1,16}$/.test(tsText) ? Number(tsText) : Number.NaN
  const recvWindow = /^\d{1,9}$/.test(rwText) ? Number(rwText) : Number.NaN
  if (!Number.isFinite(ts) || !Number.isFinite(recvWindow) || !(args.nowMs - recvWindow <= ts && ts < args.nowMs + 1_000)) {
    throw new BybitApiError(
      BYBIT_RET.timestampOrRecvWindow,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${tsText}],server_timestamp[${args.nowMs}],recv_window[${rwText}]`,
    )
  }
  const sign = header('x-bapi-sign') ?? ''
  const expected = bybitSign(key.secret, `${tsText}${key.apiKey}${rwText}${args.payload}`)
  if (!sameHex(sign.toLowerCase(), expected)) throw new BybitApiError(BYBIT_RET.invalidSign, 'Error sign, please check your signature generation algorithm.')
  return key
}

/**
 * Check the WebSocket `auth` arguments `[apiKey, expires, signature]`.
 * @returns the key, or the reason the venue gives for refusing
 * @example
 * ```ts
 * const outcome = verifyBybitWsAuth({ args: message.args, keys, nowMs })
 * if (!outcome.ok) send({ success: false, ret_msg: outcome.reason, op: 'auth', conn_id })
 * ```
 */
export function verifyBybitWsAuth(args: { readonly args: unknown; readonly keys: readonly BybitApiKey[]; readonly nowMs: number }): { ok: true; key: BybitApiKey } | { ok: false; reason: string } {
  if (!Array.isArray(args.args) || args.args.length !== 3) return { ok: false, reason: 'Params Error' }
  const [apiKey, expires, signature] = args.args as unknown[]
  const key = args.keys.find((k) => k.apiKey === apiKey)
  if (key === undefined) return { ok: false, reason: 'API key is invalid.' }
  const expiresText = typeof expires === 'number' ? String(expires) : typeof expires === 'string' ? expires : ''
  if (!/^\d{1,16}$/.test(expiresText)) return { ok: false, reason: 'Params Error' }
  if (Number(expiresText) <= args.nowMs) return { ok: false, reason: 'Request expired' }
  if (typeof signature !== 'string' || !sameHex(signature.toLowerCase(), bybitSign(key.secret, `GET/realtime${expiresText}`))) return { ok: false, reason: 'Invalid sign' }
  return { ok: true, key }
}
