import { AuthenticationError, PerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { redactSecrets, summarizeError } from './events.js'

describe('secret-free error summaries', () => {
  it.each([
    ['GET /fapi/v1/order?symbol=BTCUSDT&timestamp=1&signature=abc123def', 'abc123def'],
    ['X-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'],
    ['{"api_key":"XXXXXXXXXX","sign":"YYYYYYYY"}', 'XXXXXXXXXX'],
    ['apiKey=K1 secret=S1', 'S1'],
    ['Authorization: Bearer-token-123', 'Bearer-token-123'],
  ])('redacts %s', (text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret)
    expect(redactSecrets(text)).toContain('[redacted]')
  })

  it('keeps code, message and venue code; drops details and cause', () => {
    const e = new AuthenticationError('Invalid API-key, IP, or permissions for action. apiKey=SECRET', {
      venueCode: -2015,
      details: { apiKey: 'SECRET', headers: { 'X-MBX-APIKEY': 'SECRET' } },
      cause: new Error('SECRET'),
    })
    const s = summarizeError(e)
    expect(s).toEqual({ code: 'authentication', message: 'Invalid API-key, IP, or permissions for action. apiKey=[redacted]', venueCode: -2015 })
    expect(JSON.stringify(s)).not.toContain('SECRET')
    expect(summarizeError(new Error('boom signature=zz'))).toEqual({ code: 'foreign', message: 'boom signature=[redacted]' })
    expect(summarizeError(new PerpkitError('network', 'down')).code).toBe('network')
  })
})
