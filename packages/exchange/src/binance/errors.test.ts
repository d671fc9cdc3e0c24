import { isDefiniteRejection, isFatalError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BINANCE_ERROR_TABLE, mapBinanceError } from './errors.js'

// Bodies as Binance USDⓈ-M answers them ("Error Codes" page: code + msg).
const body = (code: number, msg: string): string => JSON.stringify({ code, msg })

describe('mapBinanceError', () => {
  it.each([
    [-2021, 'Order would immediately trigger.', 400, 'would-immediately-trigger', true],
    [-2022, 'ReduceOnly Order is rejected.', 400, 'reduce-only-rejected', true],
    [-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.', 400, 'post-only-rejected', true],
    [-4116, 'ClientOrderId is duplicated.', 400, 'duplicate-client-order-id', true],
    [-2019, 'Margin is insufficient.', 400, 'insufficient-margin', true],
    [-1121, 'Invalid symbol.', 400, 'unknown-symbol', true],
    [-2013, 'Order does not exist.', 400, 'order-not-found', false],
    [-1021, 'Timestamp for this request is outside of the recvWindow.', 400, 'clock-skew', false],
    [-1001, 'Internal error; unable to process your request. Please try again.', 503, 'unknown-outcome', false],
    [-1008, 'Server is currently overloaded with other requests. Please try again in a few minutes.', 503, 'rate-limited', false],
  ])('venue code %i → %s', (code, msg, httpStatus, expected, definite) => {
    const e = mapBinanceError({ endpoint: 'order.create', httpStatus, body: body(code, msg) })
    expect([e.code, e.venueCode, isDefiniteRejection(e)]).toEqual([expected, code, definite])
  })
  it('authentication codes are fatal', () => {
    for (const code of [-1022, -2014, -2015]) expect(isFatalError(mapBinanceError({ endpoint: 'balance', httpStatus: 401, body: body(code, 'x') }))).toBe(true)
  })
  it('HTTP statuses without a venue code: 418 ban, 429 with Retry-After, 5xx unknown outcome, 4xx rejected', () => {
    expect(mapBinanceError({ endpoint: 'order.create', httpStatus: 418, retryAfterSeconds: 120 })).toMatchObject({ code: 'ip-banned', retryAfterMs: 120_000 })
    expect(mapBinanceError({ endpoint: 'order.create', httpStatus: 429, retryAfterSeconds: 2 })).toMatchObject({ code: 'rate-limited', retryAfterMs: 2_000 })
    expect(mapBinanceError({ endpoint: 'order.create', httpStatus: 502, body: '<html>Bad Gateway</html>' }).code).toBe('unknown-outcome')
    expect(mapBinanceError({ endpoint: 'order.create', httpStatus: 404, body: '<html></html>' }).code).toBe('venue-rejected')
  })
  it('no answer: a timeout after sending is unknown-outcome, a refused connection is network', () => {
    expect(mapBinanceError({ endpoint: 'order.create', timedOut: true }).code).toBe('unknown-outcome')
    expect(mapBinanceError({ endpoint: 'order.create', notSent: true }).code).toBe('network')
  })
  it('an unlisted venue code is a definite venue-rejected', () => {
    const e = mapBinanceError({ endpoint: 'order.create', httpStatus: 400, body: body(-4400, 'Futures Trading Quantitative Rules violated') })
    expect([e.code, isDefiniteRejection(e)]).toEqual(['venue-rejected', true])
    expect(BINANCE_ERROR_TABLE[-4400]).toBeUndefined()
  })
  it('never puts a key or signature in the message or details', () => {
    const e = mapBinanceError({ endpoint: 'order.create', httpStatus: 400, body: body(-1022, 'Signature for this request is not valid.') })
    expect(JSON.stringify(e.toJSON())).not.toMatch(/signature=|X-MBX-APIKEY/i)
  })
})
