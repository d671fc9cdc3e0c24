/**
 * Bybit v5 errors mapped once to core's `ErrorCode`. Bybit answers almost every error with HTTP 200 and a
 * non-zero `retCode` (texts drift between the docs and the live venue, so only the code is read). Codes and
 * meanings from Bybit's v5 "Error Codes" page (https://bybit-exchange.github.io/docs/v5/error); a code absent
 * from the table is a `venue-rejected` (the venue answered, so nothing happened).
 * @module
 */
import { type ErrorCode, PerpkitError } from '@perpkit/core'
import { type FailedRequest, noAnswerError, type VenueErrorRow } from '../shared/errors.js'
import { BYBIT_IP_BAN_MS } from './rate-limits.js'

/**
 * Bybit retCodes → core codes. `10000` (server timeout) and `10016` (internal error, service restarting) leave the
 * outcome of a write unknown, so they are `unknown-outcome`: never re-send a create, query by `orderLinkId`.
 * @example
 * ```ts
 * import { BYBIT_ERROR_TABLE } from '@perpkit/exchange'
 * BYBIT_ERROR_TABLE[110072]?.code // 'duplicate-client-order-id'
 * ```
 */
export const BYBIT_ERROR_TABLE: Readonly<Record<number, VenueErrorRow>> = {
  10000: { code: 'unknown-outcome', treatment: 'unknown-outcome', meaning: 'server timeout' },
  10001: { code: 'invalid-input', treatment: 'rejected', meaning: 'request parameter error' },
  10002: { code: 'clock-skew', treatment: 'retryable', meaning: 'the request time is outside the receive window' },
  10003: { code: 'authentication', treatment: 'fatal', meaning: 'API key is invalid (or of another environment)' },
  10004: { code: 'authentication', treatment: 'fatal', meaning: 'error sign' },
  10005: { code: 'permission', treatment: 'fatal', meaning: 'permission denied for this API key' },
  10006: { code: 'rate-limited', treatment: 'retryable', meaning: 'too many visits (API rate limit)' },
  10007: { code: 'authentication', treatment: 'fatal', meaning: 'user authentication failed' },
  10008: { code: 'permission', treatment: 'fatal', meaning: 'user has been banned' },
  10009: { code: 'ip-banned', treatment: 'fatal', meaning: 'IP has been banned' },
  10010: { code: 'permission', treatment: 'fatal', meaning: "unmatched IP (not among the key's bound IPs)" },
  10014: { code: 'venue-rejected', treatment: 'rejected', meaning: 'invalid duplicate request' },
  10016: { code: 'unknown-outcome', treatment: 'unknown-outcome', meaning: 'internal system error or service restarting' },
  10017: { code: 'venue-rejected', treatment: 'rejected', meaning: 'route not found' },
  10018: { code: 'rate-limited', treatment: 'retryable', meaning: 'exceeded the IP rate limit' },
  10027: { code: 'permission', treatment: 'fatal', meaning: 'transactions are banned' },
  33004: { code: 'authentication', treatment: 'fatal', meaning: 'API key has expired (derivatives)' },
  110001: { code: 'order-not-found', treatment: 'rejected', meaning: 'order does not exist' },
  110003: { code: 'invalid-input', treatment: 'rejected', meaning: 'order price is out of the permissible range' },
  110004: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'insufficient wallet balance' },
  110006: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'cannot afford the estimated position margin' },
  110007: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'insufficient available balance' },
  110008: { code: 'order-not-found', treatment: 'rejected', meaning: 'order has been finished or canceled' },
  110009: { code: 'venue-rejected', treatment: 'rejected', meaning: 'the number of conditional orders exceeds the maximum' },
  110010: { code: 'order-not-found', treatment: 'rejected', meaning: 'order already cancelled' },
  110012: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'insufficient available balance' },
  110017: { code: 'reduce-only-rejected', treatment: 'rejected', meaning: 'reduce-only rule not satisfied (e.g. the position is zero)' },
  110020: { code: 'venue-rejected', treatment: 'rejected', meaning: 'more than 500 active orders' },
  110025: { code: 'venue-rejected', treatment: 'rejected', meaning: 'position mode is not modified' },
  110029: { code: 'venue-rejected', treatment: 'rejected', meaning: 'hedge mode is not available for this symbol' },
  110043: { code: 'venue-rejected', treatment: 'rejected', meaning: 'leverage not modified (setLeverage treats it as done)' },
  110044: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'insufficient available margin' },
  110045: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'insufficient wallet balance' },
  110063: { code: 'invalid-input', treatment: 'rejected', meaning: 'amended quantity not above the filled quantity' },
  110064: { code: 'venue-rejected', treatment: 'rejected', meaning: 'market maker protection is not enabled for the account' },
  110072: { code: 'duplicate-client-order-id', treatment: 'rejected', meaning: 'orderLinkId is duplicate' },
  110092: { code: 'would-immediately-trigger', treatment: 'rejected', meaning: 'rising trigger price not above the current price' },
  110093: { code: 'would-immediately-trigger', treatment: 'rejected', meaning: 'falling trigger price not below the current price' },
  110094: { code: 'invalid-input', treatment: 'rejected', meaning: 'order value below the minimum' },
  3400045: { code: 'venue-rejected', treatment: 'rejected', meaning: 'set margin mode failed (e.g. a position is open)' },
}

function retCodeOf(body: string | undefined): { code: number; msg: string } | undefined {
  if (body === undefined) return undefined
  try {
    const parsed = JSON.parse(body) as { retCode?: unknown; retMsg?: unknown }
    if (typeof parsed.retCode === 'number' && parsed.retCode !== 0) return { code: parsed.retCode, msg: typeof parsed.retMsg === 'string' ? parsed.retMsg : '' }
  } catch {
    // not JSON: a proxy's HTML error page
  }
  return undefined
}

/**
 * Map a failed Bybit request to a `PerpkitError`: the `retCode` through {@link BYBIT_ERROR_TABLE}; else HTTP 429 →
 * `rate-limited`, 403 ("access too frequent": the IP limit, after which Bybit asks for at least 10 minutes of
 * silence) → `ip-banned` with `retryAfterMs` 600,000, 401 → `authentication`, 5xx → `unknown-outcome`, other
 * 4xx → `venue-rejected`, an unreadable 200 → `unknown-outcome`; no answer → `unknown-outcome` (timed out after sending) or `network` (never sent).
 * `retryAfterSeconds` (from `X-Bapi-Limit-Reset-Timestamp`) becomes `retryAfterMs`.
 *
 * @param failed - what the transport saw
 * @returns the error to throw (never contains the API key or a signature)
 * @example
 * ```ts
 * import { mapBybitError } from '@perpkit/exchange'
 * mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: '{"retCode":110017,"retMsg":"ReduceOnly rule not satisified.","result":{}}' }).code
 * // 'reduce-only-rejected'
 * ```
 */
export function mapBybitError(failed: FailedRequest): PerpkitError {
  const details = { endpoint: failed.endpoint, ...(failed.httpStatus === undefined ? {} : { httpStatus: failed.httpStatus }) }
  const retryAfterMs = failed.retryAfterSeconds === undefined || !Number.isFinite(failed.retryAfterSeconds) ? undefined : Math.max(0, failed.retryAfterSeconds * 1000)
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs }
  const venue = retCodeOf(failed.body)
  if (venue !== undefined) {
    const row = BYBIT_ERROR_TABLE[venue.code]
    const code: ErrorCode = row?.code ?? (failed.httpStatus !== undefined && failed.httpStatus >= 500 ? 'unknown-outcome' : 'venue-rejected')
    return new PerpkitError(code, `${venue.msg || (row?.meaning ?? 'Bybit error')} (${failed.endpoint})`, { venueCode: venue.code, details, cause: failed.cause, ...(code === 'rate-limited' ? withRetry : {}) })
  }
  if (failed.httpStatus === 403) return new PerpkitError('ip-banned', `Bybit refused this IP: access too frequent (${failed.endpoint})`, { details, cause: failed.cause, retryAfterMs: BYBIT_IP_BAN_MS })
  if (failed.httpStatus === 429) return new PerpkitError('rate-limited', `rate limited by Bybit (${failed.endpoint})`, { details, cause: failed.cause, ...withRetry })
  if (failed.httpStatus === 401) return new PerpkitError('authentication', `Bybit refused the credentials (${failed.endpoint})`, { details, cause: failed.cause })
  if (failed.httpStatus !== undefined && failed.httpStatus >= 500) {
    return new PerpkitError('unknown-outcome', `Bybit answered HTTP ${failed.httpStatus} (${failed.endpoint}): the request may have taken effect`, { details, cause: failed.cause })
  }
  if (failed.httpStatus !== undefined && failed.httpStatus !== 200) return new PerpkitError('venue-rejected', `Bybit answered HTTP ${failed.httpStatus} (${failed.endpoint})`, { details, cause: failed.cause })
  if (failed.httpStatus === 200) return new PerpkitError('unknown-outcome', `Bybit answered without a readable retCode (${failed.endpoint}): the request may have taken effect`, { details, cause: failed.cause })
  return noAnswerError('Bybit', failed, details)
}
