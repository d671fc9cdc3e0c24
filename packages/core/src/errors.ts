/**
 * The one error type of perpkit. Every package throws `PerpkitError` (or a subclass) for bugs,
 * corrupt input and venue failures; expected outcomes (a rejected entry) are values, not errors.
 *
 * Errors are recognised across duplicated package copies through a `Symbol.for` marker, so
 * `isPerpkitError(e)` works even when two versions of `@perpkit/core` are installed.
 * @module
 */

/**
 * Marker shared by every copy of `@perpkit/core` loaded in the process (`Symbol.for('@perpkit/core/error')`).
 * @example
 * ```ts
 * import { PERPKIT_ERROR_MARKER } from '@perpkit/core'
 * const looksLikeOurs = (e: object) => (e as Record<symbol, unknown>)[PERPKIT_ERROR_MARKER] === true
 * ```
 */
export const PERPKIT_ERROR_MARKER: unique symbol = Symbol.for('@perpkit/core/error') as never

/**
 * Every error code, in a stable order (useful for exhaustive tables); {@link ErrorCode} is derived from it.
 * @example
 * ```ts
 * import { ERROR_CODES } from '@perpkit/core'
 * ERROR_CODES.includes('unknown-outcome') // true
 * ```
 */
export const ERROR_CODES = [
  'invalid-input',
  'unknown-symbol',
  'venue-rejected',
  'insufficient-margin',
  'duplicate-client-order-id',
  'would-immediately-trigger',
  'reduce-only-rejected',
  'post-only-rejected',
  'order-not-found',
  'unknown-outcome',
  'network',
  'rate-limited',
  'ip-banned',
  'clock-skew',
  'authentication',
  'permission',
  'maintenance',
  'not-supported',
  'invalid-state',
  'invalid-transition',
  'corrupt-data',
  'internal',
] as const

/**
 * Closed set of error codes. Adapters map every foreign error (ccxt, HTTP, venue codes) to one of these.
 *
 * - `invalid-input`: the caller passed bad data (NaN, negative size, off-tick price, malformed config). Nothing was sent.
 * - `unknown-symbol`: the symbol is not a loaded instrument. Nothing was sent.
 * - `venue-rejected`: the venue answered and the answer proves the request did not take effect.
 * - `insufficient-margin`: a definite venue rejection for lack of margin/balance.
 * - `duplicate-client-order-id`: a definite rejection because the client id is already used by an open order.
 * - `would-immediately-trigger`: a conditional order whose trigger is already crossed (Binance -2021, Bybit 110092/110093).
 * - `reduce-only-rejected`: a reduce-only order that would not reduce a position.
 * - `post-only-rejected`: a post-only order that would take liquidity.
 * - `order-not-found`: the venue does not know the order (cancel/amend/query).
 * - `unknown-outcome`: the request may or may not have taken effect (timeout after send, 5xx, disconnect).
 * - `network`: the request provably never reached the venue (connection refused, DNS); safe to retry.
 * - `rate-limited`: HTTP 429 or a venue rate-limit code; see `retryAfterMs`.
 * - `ip-banned`: HTTP 418 or equivalent; stop sending until `retryAfterMs`.
 * - `clock-skew`: request timestamp outside the venue's receive window (Binance -1021, Bybit 10002).
 * - `authentication`: bad or missing API key/signature. Fatal.
 * - `permission`: key lacks a permission (trading, futures). Fatal.
 * - `maintenance`: venue is in maintenance. Fatal for the session.
 * - `not-supported`: the venue/adapter cannot do this (e.g. amend of a conditional order).
 * - `invalid-state`: an operation is not allowed in the current state (e.g. entry while HALTED).
 * - `invalid-transition`: a state machine received an event that is illegal in its state.
 * - `corrupt-data`: persisted or recorded data failed validation (journal checksum, CSV row).
 * - `internal`: a bug.
 */
export type ErrorCode = (typeof ERROR_CODES)[number]

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['network', 'rate-limited', 'clock-skew', 'unknown-outcome'])

/**
 * Codes that prove the venue did NOT act on the request: safe to treat as a final rejection.
 * `unknown-outcome`, `network`, `rate-limited` etc. are deliberately absent.
 */
const DEFINITE_REJECTIONS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'venue-rejected',
  'insufficient-margin',
  'duplicate-client-order-id',
  'would-immediately-trigger',
  'reduce-only-rejected',
  'post-only-rejected',
  'invalid-input',
  'unknown-symbol',
])

const FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['authentication', 'permission', 'maintenance', 'ip-banned'])

/** Options accepted by {@link PerpkitError}. */
export interface PerpkitErrorOptions {
  /** The underlying error (ccxt error, zod error, system error). */
  readonly cause?: unknown
  /** Override the default retryability of the code. */
  readonly retryable?: boolean
  /** Structured context for logs (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>
  /** The venue's own error code, e.g. `-2021` or `110072`. */
  readonly venueCode?: number | string
  /** For `rate-limited` / `ip-banned` / `clock-skew`: how long to wait before the next attempt. */
  readonly retryAfterMs?: number
  /** For `invalid-input`: dotted path of the bad field, e.g. `orders[0].qty`. */
  readonly path?: string
}

/**
 * Base error of perpkit with a closed {@link ErrorCode}, a `retryable` flag and an optional `cause`.
 *
 * @example
 * ```ts
 * import { PerpkitError, isPerpkitError } from '@perpkit/core'
 * try {
 *   throw new PerpkitError('rate-limited', 'too many requests', { retryAfterMs: 1000 })
 * } catch (e) {
 *   if (isPerpkitError(e) && e.retryable) console.log('retry in', e.retryAfterMs)
 * }
 * ```
 */
export class PerpkitError extends Error {
  /** Closed error code. */
  readonly code: ErrorCode
  /** True when repeating the same request later may succeed. */
  readonly retryable: boolean
  /** Structured context (never contains secrets). */
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** The venue's own code, when the error came from a venue. */
  readonly venueCode: number | string | undefined
  /** Milliseconds to wait before retrying, when known. */
  readonly retryAfterMs: number | undefined
  /** Path of the offending field for `invalid-input`. */
  readonly path: string | undefined
  /** Cross-copy marker; see {@link isPerpkitError}. */
  readonly [PERPKIT_ERROR_MARKER] = true as const

  constructor(code: ErrorCode, message: string, options: PerpkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PerpkitError'
    this.code = code
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code)
    this.details = options.details
    this.venueCode = options.venueCode
    this.retryAfterMs = options.retryAfterMs
    this.path = options.path
  }

  /** A JSON-safe view for logs and journals. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.venueCode === undefined ? {} : { venueCode: this.venueCode }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

/**
 * Bad input from the caller: NaN, negative size, off-tick price, malformed config. `path` names the field.
 *
 * @example
 * ```ts
 * import { InvalidInputError } from '@perpkit/core'
 * const e = new InvalidInputError('qty must be > 0', { path: 'qty' })
 * e.code // 'invalid-input'
 * ```
 */
export class InvalidInputError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions = {}) {
    super('invalid-input', options.path ? `${options.path}: ${message}` : message, { ...options, retryable: false })
    this.name = 'InvalidInputError'
  }
}

/**
 * The venue answered and the answer proves the request did not take effect.
 *
 * @example
 * ```ts
 * import { VenueRejectedError } from '@perpkit/core'
 * throw new VenueRejectedError('Order would immediately trigger.', { venueCode: -2021 })
 * ```
 */
export class VenueRejectedError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions & { readonly code?: ErrorCode } = {}) {
    super(options.code ?? 'venue-rejected', message, { ...options, retryable: false })
    this.name = 'VenueRejectedError'
  }
}

/**
 * The request may or may not have taken effect (timeout after send, HTTP 5xx, disconnect mid-request).
 * Callers must query the venue (e.g. by client order id) before acting again.
 *
 * @example
 * ```ts
 * import { UnknownOutcomeError } from '@perpkit/core'
 * throw new UnknownOutcomeError('timeout after 10000 ms', { details: { clientOrderId: 'abc' } })
 * ```
 */
export class UnknownOutcomeError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions = {}) {
    super('unknown-outcome', message, options)
    this.name = 'UnknownOutcomeError'
  }
}

/**
 * Rate limited by the venue (HTTP 429 or a venue limit code). `retryAfterMs` says how long to wait.
 *
 * @example
 * ```ts
 * import { RateLimitedError } from '@perpkit/core'
 * const e = new RateLimitedError('429', { retryAfterMs: 2000 })
 * e.retryable // true
 * ```
 */
export class RateLimitedError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions = {}) {
    super('rate-limited', message, options)
    this.name = 'RateLimitedError'
  }
}

/**
 * Authentication failed (bad key, bad signature). Fatal: never retried.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from '@perpkit/core'
 * throw new AuthenticationError('Invalid API-key, IP, or permissions for action.', { venueCode: -2015 })
 * ```
 */
export class AuthenticationError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions = {}) {
    super('authentication', message, { ...options, retryable: false })
    this.name = 'AuthenticationError'
  }
}

/**
 * The venue definitively rejected an order for lack of margin or balance.
 *
 * @example
 * ```ts
 * import { InsufficientMarginError } from '@perpkit/core'
 * throw new InsufficientMarginError('Margin is insufficient.', { venueCode: -2019 })
 * ```
 */
export class InsufficientMarginError extends PerpkitError {
  constructor(message: string, options: PerpkitErrorOptions = {}) {
    super('insufficient-margin', message, { ...options, retryable: false })
    this.name = 'InsufficientMarginError'
  }
}

/**
 * True for any perpkit error, including ones thrown by another copy of `@perpkit/core`.
 * Pass `code` to also check the code.
 *
 * @example
 * ```ts
 * import { isPerpkitError } from '@perpkit/core'
 * declare function doSomething(): void // any call into perpkit
 * declare function reconcile(): void // your recovery path
 * try { doSomething() } catch (e) {
 *   if (isPerpkitError(e, 'unknown-outcome')) reconcile()
 * }
 * ```
 */
export function isPerpkitError(value: unknown, code?: ErrorCode): value is PerpkitError {
  if (typeof value !== 'object' || value === null) return false
  if ((value as Record<symbol, unknown>)[PERPKIT_ERROR_MARKER] !== true) return false
  return code === undefined || (value as PerpkitError).code === code
}

/**
 * True when the error proves that the venue did not act on the request (a definite rejection).
 * Timeouts, 5xx, disconnects and unknown errors return false: their outcome must be resolved by a query.
 *
 * @example
 * ```ts
 * import { isDefiniteRejection, UnknownOutcomeError } from '@perpkit/core'
 * isDefiniteRejection(new UnknownOutcomeError('timeout')) // false
 * ```
 */
export function isDefiniteRejection(value: unknown): boolean {
  return isPerpkitError(value) && DEFINITE_REJECTIONS.has(value.code)
}

/**
 * True for errors after which a session must stop retrying (authentication, permission, maintenance, ban).
 *
 * @example
 * ```ts
 * import { isFatalError, AuthenticationError } from '@perpkit/core'
 * isFatalError(new AuthenticationError('bad key')) // true
 * ```
 */
export function isFatalError(value: unknown): boolean {
  return isPerpkitError(value) && FATAL.has(value.code)
}
