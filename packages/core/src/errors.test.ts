import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ERROR_CODES,
  InsufficientMarginError,
  InvalidInputError,
  isDefiniteRejection,
  isFatalError,
  isPerpkitError,
  PERPKIT_ERROR_MARKER,
  PerpkitError,
  RateLimitedError,
  UnknownOutcomeError,
  VenueRejectedError,
} from './errors.js'

describe('PerpkitError', () => {
  it('carries code, retryable, cause, venue code and retry-after', () => {
    const cause = new Error('socket hang up')
    const e = new RateLimitedError('Too many requests', { cause, retryAfterMs: 1500, venueCode: 429 })
    expect(e).toBeInstanceOf(PerpkitError)
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe('rate-limited')
    expect(e.retryable).toBe(true)
    expect(e.cause).toBe(cause)
    expect(e.retryAfterMs).toBe(1500)
    expect(e.toJSON()).toEqual({ name: 'RateLimitedError', code: 'rate-limited', message: 'Too many requests', retryable: true, venueCode: 429, retryAfterMs: 1500 })
  })

  it('invalid input names the field in message and path', () => {
    const e = new InvalidInputError('expected a number > 0, got -1', { path: 'orders[0].qty' })
    expect(e.code).toBe('invalid-input')
    expect(e.path).toBe('orders[0].qty')
    expect(e.message).toBe('orders[0].qty: expected a number > 0, got -1')
    expect(e.retryable).toBe(false)
  })

  it('default retryability per code', () => {
    expect(new UnknownOutcomeError('timeout').retryable).toBe(true)
    expect(new PerpkitError('network', 'ECONNREFUSED').retryable).toBe(true)
    expect(new PerpkitError('clock-skew', '-1021').retryable).toBe(true)
    expect(new AuthenticationError('bad key').retryable).toBe(false)
    expect(new InsufficientMarginError('margin').retryable).toBe(false)
    expect(new VenueRejectedError('no').retryable).toBe(false)
    expect(new PerpkitError('maintenance', 'm', { retryable: true }).retryable).toBe(true)
  })

  it('is recognised across duplicated package copies through the Symbol.for marker', () => {
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('@perpkit/core/error')]: true, code: 'unknown-outcome' })
    expect(PERPKIT_ERROR_MARKER).toBe(Symbol.for('@perpkit/core/error'))
    expect(isPerpkitError(foreign)).toBe(true)
    expect(isPerpkitError(foreign, 'unknown-outcome')).toBe(true)
    expect(isPerpkitError(foreign, 'network')).toBe(false)
    expect(isPerpkitError(new Error('plain'))).toBe(false)
    expect(isPerpkitError(null)).toBe(false)
    expect(isPerpkitError('unknown-outcome')).toBe(false)
  })

  it('classifies definite rejections vs ambiguous outcomes', () => {
    expect(isDefiniteRejection(new VenueRejectedError('Order would immediately trigger.', { code: 'would-immediately-trigger', venueCode: -2021 }))).toBe(true)
    expect(isDefiniteRejection(new InsufficientMarginError('Margin is insufficient.'))).toBe(true)
    expect(isDefiniteRejection(new UnknownOutcomeError('timeout'))).toBe(false)
    expect(isDefiniteRejection(new PerpkitError('network', 'reset'))).toBe(false)
    expect(isDefiniteRejection(new RateLimitedError('429'))).toBe(false)
    expect(isDefiniteRejection(new Error('plain'))).toBe(false)
  })

  it('classifies fatal errors', () => {
    expect(isFatalError(new AuthenticationError('x'))).toBe(true)
    expect(isFatalError(new PerpkitError('permission', 'x'))).toBe(true)
    expect(isFatalError(new PerpkitError('maintenance', 'x'))).toBe(true)
    expect(isFatalError(new PerpkitError('ip-banned', 'x'))).toBe(true)
    expect(isFatalError(new RateLimitedError('x'))).toBe(false)
  })

  it('has a closed, duplicate-free list of codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
    expect(ERROR_CODES).toContain('invalid-input')
    expect(ERROR_CODES).toContain('unknown-outcome')
  })
})
