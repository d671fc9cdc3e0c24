import { AuthenticationError, PerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { summarizeError } from './events.js'

describe('secret-free error summaries', () => {
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
