/**
 * Retry with backoff for idempotent requests (queries, cancels, amends). Never used for `createOrder`.
 * @module
 */
import { type Clock, isDefiniteRejection, isFatalError, isPerpkitError } from '@perpkit/core'

/** Retry policy. */
export interface RetryPolicy {
  /** Attempts in total, including the first (default 4). */
  readonly maxAttempts: number
  /** First backoff delay (default 250 ms); doubles each attempt. */
  readonly baseDelayMs: number
  /** Backoff ceiling (default 4000 ms). */
  readonly maxDelayMs: number
}

/**
 * The default {@link RetryPolicy}: 4 attempts, 250 ms doubling to at most 4 s.
 * @example
 * ```ts
 * import { DEFAULT_RETRY_POLICY } from '@perpkit/oms'
 * DEFAULT_RETRY_POLICY.maxAttempts // 4
 * ```
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4000 }

/**
 * True when an error may go away on a retry of an idempotent request: not fatal (auth, permission, maintenance,
 * ip-ban), not a definite rejection, not `order-not-found` / `not-supported` / `invalid-state`.
 *
 * @param error - anything thrown
 * @returns whether to retry
 * @example
 * ```ts
 * import { RateLimitedError } from '@perpkit/core'
 * import { isRetryableRequestError } from './retry.js' // internal
 * isRetryableRequestError(new RateLimitedError('429', { retryAfterMs: 1000 })) // true
 * ```
 */
export function isRetryableRequestError(error: unknown): boolean {
  if (!isPerpkitError(error)) return false
  if (isFatalError(error) || isDefiniteRejection(error)) return false
  return error.code === 'unknown-outcome' || error.code === 'network' || error.code === 'rate-limited' || error.code === 'clock-skew'
}

/**
 * Delay before attempt `attempt + 1` after `error`: the venue's `retryAfterMs` when given (429), otherwise
 * exponential backoff `baseDelayMs × 2^(attempt-1)` capped at `maxDelayMs`.
 *
 * @param args.attempt - attempts made so far (≥ 1)
 * @param args.error - the last error
 * @param args.policy - retry policy
 * @returns milliseconds to wait
 * @example
 * ```ts
 * import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './retry.js' // backoffDelayMs is internal
 * backoffDelayMs({ attempt: 2, error: new Error('x'), policy: DEFAULT_RETRY_POLICY }) // 500
 * ```
 */
export function backoffDelayMs(args: { readonly attempt: number; readonly error: unknown; readonly policy: RetryPolicy }): number {
  const backoff = Math.min(args.policy.maxDelayMs, args.policy.baseDelayMs * 2 ** Math.max(0, args.attempt - 1))
  if (isPerpkitError(args.error) && args.error.retryAfterMs !== undefined && Number.isFinite(args.error.retryAfterMs)) {
    return Math.max(backoff, args.error.retryAfterMs)
  }
  return backoff
}

/**
 * Run an idempotent request, retrying retryable errors with backoff on the injected clock. Fatal errors and
 * definite answers are thrown at once. Never wrap `createOrder` in this.
 *
 * @param args.clock - time source for the waits
 * @param args.policy - retry policy (default {@link DEFAULT_RETRY_POLICY})
 * @param args.run - the request
 * @param args.onRetry - called before each wait
 * @returns the request's result
 * @throws the last error when attempts run out or the error is not retryable
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { withRetry } from './retry.js' // internal
 * const value = await withRetry({ clock: createTestClock(0), run: async () => 42 })
 * ```
 */
export async function withRetry<T>(args: {
  readonly clock: Clock
  readonly run: () => Promise<T>
  readonly policy?: RetryPolicy
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly error: unknown }) => void
}): Promise<T> {
  const policy = args.policy ?? DEFAULT_RETRY_POLICY
  for (let attempt = 1; ; attempt++) {
    try {
      return await args.run()
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryableRequestError(error)) throw error
      const delayMs = backoffDelayMs({ attempt, error, policy })
      args.onRetry?.({ attempt, delayMs, error })
      await args.clock.sleep(delayMs)
    }
  }
}
