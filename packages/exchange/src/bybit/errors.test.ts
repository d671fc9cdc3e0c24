import { isDefiniteRejection, isFatalError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BYBIT_ERROR_TABLE, mapBybitError } from './errors.js'

// Bodies as Bybit v5 answers them: HTTP 200, `{ retCode, retMsg, result: {}, retExtInfo: {}, time }`; codes and
// texts from Bybit's v5 "Error Codes" page (https://bybit-exchange.github.io/docs/v5/error).
const body = (retCode: number, retMsg: string): string => JSON.stringify({ retCode, retMsg, result: {}, retExtInfo: {}, time: 1_672_211_928_338 })

describe('mapBybitError', () => {
  it.each([
    [10001, 'Request parameter error.', 'invalid-input', true],
    [110017, 'ReduceOnly rule not satisified.', 'reduce-only-rejected', true],
    [110007, 'Insufficient available balance', 'insufficient-margin', true],
    [110072, 'OrderLinkedID is duplicate', 'duplicate-client-order-id', true],
    [110092, "expect Rising, but trigger_price[630000000] <= current[632859000]??LastPrice", 'would-immediately-trigger', true],
    [110093, "expect Falling, but trigger_price[640000000] >= current[632859000]??LastPrice", 'would-immediately-trigger', true],
    [110094, 'Order does not meet minimum order value 5USDT', 'invalid-input', true],
    [110063, 'The number of contracts modified cannot be less than or equal to the filled quantity', 'invalid-input', true],
    [110001, 'Order does not exist', 'order-not-found', false],
    [10002, 'The request time exceeds the time window range.', 'clock-skew', false],
    [10016, 'Internal System Error.', 'unknown-outcome', false],
    [10000, 'Server Timeout', 'unknown-outcome', false],
    [10006, 'Too many visits. Exceeded the API Rate Limit.', 'rate-limited', false],
  ])('retCode %i → %s', (code, msg, expected, definite) => {
    const e = mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: body(code, msg) })
    expect([e.code, e.venueCode, isDefiniteRejection(e)]).toEqual([expected, code, definite])
  })
  it('authentication and permission codes are fatal (10003, 10004, 10005, 10010, 33004)', () => {
    for (const code of [10003, 10004, 10005, 10010, 33004]) expect(isFatalError(mapBybitError({ endpoint: 'position.list', httpStatus: 200, body: body(code, 'x') })), String(code)).toBe(true)
  })
  it('10006 carries the wait until X-Bapi-Limit-Reset-Timestamp; other codes carry none', () => {
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: body(10006, 'Too many visits!'), retryAfterSeconds: 0.25 })).toMatchObject({ code: 'rate-limited', retryAfterMs: 250 })
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: body(110017, 'x'), retryAfterSeconds: 0 }).retryAfterMs).toBeUndefined()
  })
  it('HTTP statuses without a retCode: 403 IP ban (docs: stop for at least 10 minutes), 429 frequency protection, 401 credentials, 5xx and unreadable 200 unknown outcome, 404 rejected', () => {
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 403, body: '<html>403 Forbidden</html>' })).toMatchObject({ code: 'ip-banned', retryAfterMs: 600_000 })
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 429, body: '' }).code).toBe('rate-limited')
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 401, body: '' }).code).toBe('authentication')
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 503, body: '<html>503 Service Temporarily Unavailable</html>' }).code).toBe('unknown-outcome')
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: 'not json' }).code).toBe('unknown-outcome')
    expect(mapBybitError({ endpoint: 'order.create', httpStatus: 404, body: '<html></html>' }).code).toBe('venue-rejected')
  })
  it('no answer: a timeout after sending is unknown-outcome, a refused connection is network', () => {
    expect(mapBybitError({ endpoint: 'order.create', timedOut: true }).code).toBe('unknown-outcome')
    expect(mapBybitError({ endpoint: 'order.create', notSent: true }).code).toBe('network')
  })
  it('an unlisted retCode is a definite venue-rejected', () => {
    const e = mapBybitError({ endpoint: 'order.create', httpStatus: 200, body: body(110023, 'This contract only supports position closing via reduceOnly orders') })
    expect([e.code, isDefiniteRejection(e)]).toEqual(['venue-rejected', true])
    expect(BYBIT_ERROR_TABLE[110023]).toBeUndefined()
  })
})
