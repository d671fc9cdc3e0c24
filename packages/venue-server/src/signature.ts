/**
 * Shared authentication helpers: HMAC-SHA256 signatures and the timestamp / receive-window rule both venues
 * apply (Binance: reject when `timestamp < serverTime − recvWindow` or `timestamp > serverTime + 1000`;
 * Bybit: the same window around its server time).
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * HMAC-SHA256 of `payload` with `secret`, lower-case hex.
 *
 * @param args.secret - the API secret
 * @param args.payload - the exact bytes that were signed
 * @returns 64 hex characters
 * @throws never
 * @example
 * ```ts
 * import { hmacSha256Hex } from '@perpkit/venue-server'
 * hmacSha256Hex({ secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j', payload: 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559' })
 * // 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71' (the worked example of Binance's docs)
 * ```
 */
export function hmacSha256Hex(args: { readonly secret: string; readonly payload: string }): string {
  return createHmac('sha256', args.secret).update(args.payload).digest('hex')
}

/**
 * Constant-time comparison of a received hex signature with the expected one (case-insensitive hex).
 *
 * @param args.secret - the API secret
 * @param args.payload - the signed bytes
 * @param args.signature - what the client sent
 * @returns true when it matches
 * @throws never
 * @example
 * ```ts
 * import { hmacSha256Hex, verifyHmacSha256Hex } from '@perpkit/venue-server'
 * verifyHmacSha256Hex({ secret: 's', payload: 'a=1', signature: hmacSha256Hex({ secret: 's', payload: 'a=1' }) }) // true
 * ```
 */
export function verifyHmacSha256Hex(args: { readonly secret: string; readonly payload: string; readonly signature: string }): boolean {
  const expected = Buffer.from(hmacSha256Hex(args), 'utf8')
  const got = Buffer.from(args.signature.toLowerCase(), 'utf8')
  return expected.length === got.length && timingSafeEqual(expected, got)
}

/**
 * Where a request timestamp falls relative to the server's receive window.
 * @example
 * ```ts
 * import { type TimestampCheck } from '@perpkit/venue-server'
 * const where: TimestampCheck = 'too-old'
 * ```
 */
export type TimestampCheck = 'ok' | 'too-old' | 'too-new'

/**
 * Check a request timestamp: valid when `serverMs − recvWindowMs ≤ timestampMs ≤ serverMs + aheadToleranceMs`.
 *
 * @param args.timestampMs - the client's timestamp
 * @param args.recvWindowMs - the window the client asked for
 * @param args.serverMs - the server clock
 * @param args.aheadToleranceMs - how far in the future a timestamp may be (Binance: 1,000 ms)
 * @returns a {@link TimestampCheck}
 * @throws never
 * @example
 * ```ts
 * import { checkTimestamp } from '@perpkit/venue-server'
 * checkTimestamp({ timestampMs: 1000, recvWindowMs: 5000, serverMs: 7000, aheadToleranceMs: 1000 }) // 'too-old'
 * ```
 */
export function checkTimestamp(args: { readonly timestampMs: number; readonly recvWindowMs: number; readonly serverMs: number; readonly aheadToleranceMs: number }): TimestampCheck {
  if (args.timestampMs < args.serverMs - args.recvWindowMs) return 'too-old'
  if (args.timestampMs > args.serverMs + args.aheadToleranceMs) return 'too-new'
  return 'ok'
}
