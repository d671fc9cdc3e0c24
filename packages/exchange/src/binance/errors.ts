/**
 * Binance USDⓈ-M errors mapped once to core's `ErrorCode`: one table from the venue's codes and HTTP statuses,
 * one function that turns whatever the transport threw (a ccxt error carrying the venue's JSON body, a timeout,
 * a refused connection) into a `PerpkitError`. Codes and texts from Binance's "Error Codes" page for USDⓈ-M
 * futures; a code absent from the table is a `venue-rejected` (the venue answered, so nothing happened).
 * @module
 */
import { type ErrorCode, PerpkitError } from '@perpkit/core'
import { type FailedRequest, noAnswerError, type VenueErrorRow } from '../shared/errors.js'

/**
 * One row of the Binance table (the shared row shape).
 * @example
 * ```ts
 * import type { BinanceErrorRow } from '@perpkit/exchange'
 * const row: BinanceErrorRow = { code: 'reduce-only-rejected', treatment: 'rejected', meaning: 'reduce-only order is rejected' }
 * ```
 */
export type BinanceErrorRow = VenueErrorRow

/**
 * Binance USDⓈ-M error codes → core codes. `-1001` and `-1000` come with HTTP 503/500 and an execution status
 * the docs call unknown, so they are `unknown-outcome`; `-1008` ("overloaded") is documented as not executed.
 * @example
 * ```ts
 * import { BINANCE_ERROR_TABLE } from '@perpkit/exchange'
 * BINANCE_ERROR_TABLE[-2021]?.code // 'would-immediately-trigger'
 * ```
 */
export const BINANCE_ERROR_TABLE: Readonly<Record<number, BinanceErrorRow>> = {
  [-1000]: { code: 'unknown-outcome', treatment: 'unknown-outcome', meaning: 'unknown error while processing the request' },
  [-1001]: { code: 'unknown-outcome', treatment: 'unknown-outcome', meaning: 'internal error; execution status unknown' },
  [-1003]: { code: 'rate-limited', treatment: 'retryable', meaning: 'too many requests (request weight)' },
  [-1008]: { code: 'rate-limited', treatment: 'retryable', meaning: 'server overloaded; request not executed' },
  [-1015]: { code: 'rate-limited', treatment: 'retryable', meaning: 'too many new orders' },
  [-1021]: { code: 'clock-skew', treatment: 'retryable', meaning: 'timestamp outside recvWindow' },
  [-1022]: { code: 'authentication', treatment: 'fatal', meaning: 'invalid signature' },
  [-1102]: { code: 'invalid-input', treatment: 'rejected', meaning: 'mandatory parameter missing or malformed' },
  [-1111]: { code: 'invalid-input', treatment: 'rejected', meaning: 'precision over the maximum for the asset' },
  [-1116]: { code: 'invalid-input', treatment: 'rejected', meaning: 'invalid order type' },
  [-1121]: { code: 'unknown-symbol', treatment: 'rejected', meaning: 'invalid symbol' },
  [-1125]: { code: 'venue-rejected', treatment: 'rejected', meaning: 'listen key does not exist (the user stream creates a new one)' },
  [-2011]: { code: 'order-not-found', treatment: 'rejected', meaning: 'unknown order sent (cancel)' },
  [-2013]: { code: 'order-not-found', treatment: 'rejected', meaning: 'order does not exist (query)' },
  [-2014]: { code: 'authentication', treatment: 'fatal', meaning: 'API-key format invalid' },
  [-2015]: { code: 'authentication', treatment: 'fatal', meaning: 'invalid API-key, IP or permissions' },
  [-2018]: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'balance is insufficient' },
  [-2019]: { code: 'insufficient-margin', treatment: 'rejected', meaning: 'margin is insufficient' },
  [-2021]: { code: 'would-immediately-trigger', treatment: 'rejected', meaning: 'order would immediately trigger' },
  [-2022]: { code: 'reduce-only-rejected', treatment: 'rejected', meaning: 'reduce-only order is rejected' },
  [-4003]: { code: 'invalid-input', treatment: 'rejected', meaning: 'quantity less than or equal to zero' },
  [-4004]: { code: 'invalid-input', treatment: 'rejected', meaning: 'quantity less than min quantity' },
  [-4005]: { code: 'invalid-input', treatment: 'rejected', meaning: 'quantity greater than max quantity' },
  [-4014]: { code: 'invalid-input', treatment: 'rejected', meaning: 'price not increased by tick size' },
  [-4016]: { code: 'invalid-input', treatment: 'rejected', meaning: 'limit price above the percent-price bound' },
  [-4023]: { code: 'invalid-input', treatment: 'rejected', meaning: 'quantity not increased by step size' },
  [-4024]: { code: 'invalid-input', treatment: 'rejected', meaning: 'limit price below the percent-price bound' },
  [-4028]: { code: 'invalid-input', treatment: 'rejected', meaning: 'leverage not valid' },
  [-4061]: { code: 'venue-rejected', treatment: 'rejected', meaning: "order's position side does not match the account (hedge mode)" },
  [-4116]: { code: 'duplicate-client-order-id', treatment: 'rejected', meaning: 'client order id is duplicated' },
  [-4120]: { code: 'venue-rejected', treatment: 'rejected', meaning: 'conditional order sent to the plain order endpoint (use the Algo Order API)' },
  [-4164]: { code: 'invalid-input', treatment: 'rejected', meaning: 'notional below the minimum' },
  [-5022]: { code: 'post-only-rejected', treatment: 'rejected', meaning: 'post-only (GTX) order would take liquidity' },
}

function venueCodeOf(body: string | undefined): { code: number; msg: string } | undefined {
  if (body === undefined) return undefined
  try {
    const parsed = JSON.parse(body) as { code?: unknown; msg?: unknown }
    if (typeof parsed.code === 'number' && parsed.code < 0) return { code: parsed.code, msg: typeof parsed.msg === 'string' ? parsed.msg : '' }
  } catch {
    // not JSON: an HTML error page
  }
  return undefined
}

/**
 * Map a failed Binance request to a `PerpkitError`: the venue's code through {@link BINANCE_ERROR_TABLE}; else
 * HTTP 418 → `ip-banned`, 429 → `rate-limited` (both with `retryAfterMs`), other 4xx → `venue-rejected`, 5xx →
 * `unknown-outcome`; no answer → `unknown-outcome` (timed out after sending) or `network` (never sent).
 *
 * @param failed - what the transport saw
 * @returns the error to throw (never contains the API key or a signature)
 * @example
 * ```ts
 * import { mapBinanceError } from '@perpkit/exchange'
 * mapBinanceError({ endpoint: 'order.create', httpStatus: 400, body: '{"code":-2021,"msg":"Order would immediately trigger."}' }).code
 * // 'would-immediately-trigger'
 * ```
 */
export function mapBinanceError(failed: FailedRequest): PerpkitError {
  const details = { endpoint: failed.endpoint, ...(failed.httpStatus === undefined ? {} : { httpStatus: failed.httpStatus }) }
  const retryAfterMs = failed.retryAfterSeconds === undefined ? undefined : failed.retryAfterSeconds * 1000
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs }
  const venue = venueCodeOf(failed.body)
  if (failed.httpStatus === 418) return new PerpkitError('ip-banned', `IP banned by Binance (${failed.endpoint})`, { details, cause: failed.cause, ...withRetry, ...(venue === undefined ? {} : { venueCode: venue.code }) })
  if (venue !== undefined) {
    const row = BINANCE_ERROR_TABLE[venue.code]
    const code: ErrorCode = row?.code ?? (failed.httpStatus !== undefined && failed.httpStatus >= 500 ? 'unknown-outcome' : 'venue-rejected')
    return new PerpkitError(code, `${venue.msg || (row?.meaning ?? 'Binance error')} (${failed.endpoint})`, { venueCode: venue.code, details, cause: failed.cause, ...withRetry })
  }
  if (failed.httpStatus === 429) return new PerpkitError('rate-limited', `rate limited by Binance (${failed.endpoint})`, { details, cause: failed.cause, ...withRetry })
  if (failed.httpStatus !== undefined && failed.httpStatus >= 500) {
    return new PerpkitError('unknown-outcome', `Binance answered HTTP ${failed.httpStatus} (${failed.endpoint}): the request may have taken effect`, { details, cause: failed.cause })
  }
  if (failed.httpStatus !== undefined) return new PerpkitError('venue-rejected', `Binance answered HTTP ${failed.httpStatus} (${failed.endpoint})`, { details, cause: failed.cause })
  return noAnswerError('Binance', failed, details)
}
