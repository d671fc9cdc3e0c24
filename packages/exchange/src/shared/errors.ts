/**
 * What every venue's error mapping shares: how a caller must treat an error, what a transport knows about a
 * failed request, and the answer for requests that got no answer at all (the same on every venue).
 * @module
 */
import { type ErrorCode, PerpkitError } from '@perpkit/core'

/**
 * How a caller must treat an error: stop (`fatal`), try again later (`retryable`), query before acting
 * (`unknown-outcome`), or accept it as final (`rejected`).
 * @example
 * ```ts
 * import type { ErrorClass } from '@perpkit/exchange'
 * const afterTimeout: ErrorClass = 'unknown-outcome'
 * ```
 */
export type ErrorClass = 'fatal' | 'retryable' | 'unknown-outcome' | 'rejected'

/**
 * One row of a venue's error table: core code, the caller's treatment, and the venue's meaning.
 * @example
 * ```ts
 * import type { VenueErrorRow } from '@perpkit/exchange'
 * const row: VenueErrorRow = { code: 'reduce-only-rejected', treatment: 'rejected', meaning: 'reduce-only order is rejected' }
 * ```
 */
export interface VenueErrorRow {
  readonly code: ErrorCode
  readonly treatment: ErrorClass
  readonly meaning: string
}

/**
 * What the transport knows about a failed request.
 * @example
 * ```ts
 * import type { FailedRequest } from '@perpkit/exchange'
 * const timedOut: FailedRequest = { endpoint: 'order.create', timedOut: true }
 * ```
 */
export interface FailedRequest {
  /** The HTTP status, when an answer arrived. */
  readonly httpStatus?: number | undefined
  /** The raw answer body, when one arrived. */
  readonly body?: string | undefined
  /** `Retry-After` in seconds, when the venue sent it. */
  readonly retryAfterSeconds?: number | undefined
  /** The request provably never left (connection refused, DNS). */
  readonly notSent?: boolean
  /** The request left and no answer came back in time. */
  readonly timedOut?: boolean
  /** Endpoint name for `details` (never parameters: they may carry ids the caller logs anyway, never secrets). */
  readonly endpoint: string
  /** The original error. */
  readonly cause?: unknown
}

/**
 * The error for a request that got no answer: `network` when it provably never left (safe to retry), else
 * `unknown-outcome` (it may have taken effect: never re-send a create, query by client id).
 * @param venue - the venue's name for the message
 * @param failed - what the transport saw (no `httpStatus`)
 * @param details - context for logs
 * @returns the error to throw
 */
export function noAnswerError(venue: string, failed: FailedRequest, details: Readonly<Record<string, unknown>>): PerpkitError {
  if (failed.notSent === true) return new PerpkitError('network', `could not reach ${venue} (${failed.endpoint}): nothing was sent`, { details, cause: failed.cause })
  return new PerpkitError('unknown-outcome', `no answer from ${venue} (${failed.endpoint})${failed.timedOut === true ? ' before the timeout' : ''}: the request may have taken effect`, {
    details,
    cause: failed.cause,
  })
}
