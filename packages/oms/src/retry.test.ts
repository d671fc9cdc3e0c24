import { AuthenticationError, createTestClock, PerpkitError, RateLimitedError, UnknownOutcomeError, VenueRejectedError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryableRequestError, withRetry } from './retry.js'

describe('retry', () => {
  it('classifies errors', () => {
    expect(isRetryableRequestError(new UnknownOutcomeError('timeout'))).toBe(true)
    expect(isRetryableRequestError(new RateLimitedError('429'))).toBe(true)
    expect(isRetryableRequestError(new AuthenticationError('bad key'))).toBe(false)
    expect(isRetryableRequestError(new PerpkitError('permission', 'no futures'))).toBe(false)
    expect(isRetryableRequestError(new PerpkitError('maintenance', 'down'))).toBe(false)
    expect(isRetryableRequestError(new VenueRejectedError('no'))).toBe(false)
    expect(isRetryableRequestError(new Error('x'))).toBe(false)
  })

  it('respects 429 retry-after and exponential backoff', () => {
    const policy = DEFAULT_RETRY_POLICY
    expect(backoffDelayMs({ attempt: 1, error: new UnknownOutcomeError('t'), policy })).toBe(250)
    expect(backoffDelayMs({ attempt: 3, error: new UnknownOutcomeError('t'), policy })).toBe(1000)
    expect(backoffDelayMs({ attempt: 10, error: new UnknownOutcomeError('t'), policy })).toBe(4000)
    expect(backoffDelayMs({ attempt: 1, error: new RateLimitedError('429', { retryAfterMs: 7000 }), policy })).toBe(7000)
  })

  it('retries a 429 only after retry-after has passed on the clock', async () => {
    const clock = createTestClock(0)
    const calls: number[] = []
    const p = withRetry({
      clock,
      run: async () => {
        calls.push(clock.now())
        if (calls.length === 1) throw new RateLimitedError('429', { retryAfterMs: 5000 })
        return 'ok'
      },
    })
    await clock.advanceAsync(4999)
    expect(calls).toEqual([0])
    await clock.advanceAsync(1)
    await expect(p).resolves.toBe('ok')
    expect(calls).toEqual([0, 5000])
  })

  it('stops at once on fatal errors', async () => {
    const clock = createTestClock(0)
    let n = 0
    await expect(
      withRetry({
        clock,
        run: async () => {
          n++
          throw new AuthenticationError('invalid api key')
        },
      }),
    ).rejects.toMatchObject({ code: 'authentication' })
    expect(n).toBe(1)
  })

  it('gives up after maxAttempts', async () => {
    const clock = createTestClock(0)
    let n = 0
    const p = withRetry({
      clock,
      policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
      run: async () => {
        n++
        throw new UnknownOutcomeError('timeout')
      },
    })
    const settled = p.catch((e: unknown) => e)
    await clock.advanceAsync(1000)
    expect(await settled).toMatchObject({ code: 'unknown-outcome' })
    expect(n).toBe(3)
  })
})
