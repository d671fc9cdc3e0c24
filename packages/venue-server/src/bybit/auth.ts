/**
 * Bybit v5 authentication. REST: HMAC-SHA256 (hex) of `timestamp + apiKey + recvWindow + payload`, where the
 * payload is the raw query string of a GET and the raw JSON body of a POST, sent in the `X-BAPI-*` headers; the
 * request is valid while `serverTime − recvWindow ≤ timestamp < serverTime + 1000`. WebSocket: the `auth`
 * operation `{ op: 'auth', args: [apiKey, expires, signature] }` with the signature of `GET/realtime{expires}`
 * and `expires` in the future.
 * @module
 */
import type { KeyStore } from '../keys.js'
import { checkTimestamp, verifyHmacSha256Hex } from '../signature.js'
import { BybitApiError, BYBIT_RET } from './errors.js'

/** A key of the server's key store, as the Bybit handlers see it. */
export type BybitApiKey = NonNullable<ReturnType<KeyStore['get']>>

/** Default `recvWindow` when the header is absent (ms). */
export const BYBIT_DEFAULT_RECV_WINDOW_MS = 5_000

/**
 * Check a signed REST request.
 *
 * @param args.headers - request headers, lower-cased names (Node's `IncomingMessage.headers`)
 * @param args.payload - the raw query string (GET) or raw body (POST) exactly as received
 * @param args.keys - the server's key store
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
  readonly keys: KeyStore
  readonly nowMs: number
}): BybitApiKey {
  const header = (name: string): string | undefined => {
    const v = args.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const apiKey = header('x-bapi-api-key')
  const key = apiKey === undefined ? undefined : args.keys.get(apiKey)
  if (key === undefined) throw new BybitApiError(BYBIT_RET.invalidApiKey, 'API key is invalid.')
  const tsText = header('x-bapi-timestamp') ?? ''
  const rwText = header('x-bapi-recv-window') ?? String(BYBIT_DEFAULT_RECV_WINDOW_MS)
  const ts = /^\d{1,16}$/.test(tsText) ? Number(tsText) : Number.NaN
  const recvWindow = /^\d{1,9}$/.test(rwText) ? Number(rwText) : Number.NaN
  // Bybit: serverTime − recvWindow ≤ timestamp < serverTime + 1000 (whole milliseconds: at most 999 ahead).
  if (!Number.isFinite(ts) || !Number.isFinite(recvWindow) || checkTimestamp({ timestampMs: ts, recvWindowMs: recvWindow, serverMs: args.nowMs, aheadToleranceMs: 999 }) !== 'ok') {
    throw new BybitApiError(
      BYBIT_RET.timestampOrRecvWindow,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${tsText}],server_timestamp[${args.nowMs}],recv_window[${rwText}]`,
    )
  }
  const sign = header('x-bapi-sign') ?? ''
  if (!verifyHmacSha256Hex({ secret: key.secret, payload: `${tsText}${key.apiKey}${rwText}${args.payload}`, signature: sign })) throw new BybitApiError(BYBIT_RET.invalidSign, 'Error sign, please check your signature generation algorithm.')
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
export function verifyBybitWsAuth(args: { readonly args: unknown; readonly keys: KeyStore; readonly nowMs: number }): { ok: true; key: BybitApiKey } | { ok: false; reason: string } {
  if (!Array.isArray(args.args) || args.args.length !== 3) return { ok: false, reason: 'Params Error' }
  const [apiKey, expires, signature] = args.args as unknown[]
  const key = typeof apiKey === 'string' ? args.keys.get(apiKey) : undefined
  if (key === undefined) return { ok: false, reason: 'API key is invalid.' }
  const expiresText = typeof expires === 'number' ? String(expires) : typeof expires === 'string' ? expires : ''
  if (!/^\d{1,16}$/.test(expiresText)) return { ok: false, reason: 'Params Error' }
  if (Number(expiresText) <= args.nowMs) return { ok: false, reason: 'Request expired' }
  if (typeof signature !== 'string' || !verifyHmacSha256Hex({ secret: key.secret, payload: `GET/realtime${expiresText}`, signature })) return { ok: false, reason: 'Invalid sign' }
  return { ok: true, key }
}
