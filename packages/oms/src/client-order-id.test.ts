import { createHash } from 'node:crypto'
import { clientOrderIdSchema } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deriveClientOrderId, isValidClientOrderId, parseClientOrderId, tradeKeyOf } from './client-order-id.js'

// Binance newClientOrderId: ^[\.A-Z\:/a-z0-9_-]{1,36}$ (USDⓈ-M "New Order" docs); Bybit orderLinkId: ≤ 36, letters, digits, - and _.
const BINANCE = /^[.A-Z:/a-z0-9_-]{1,36}$/
const BYBIT = /^[A-Za-z0-9_-]{1,36}$/

describe('client order ids', () => {
  it('are SHA-256 of {signalId}_{direction}, shortened, with role and generation', () => {
    const expectedHash = createHash('sha256').update('sig-42_long').digest('hex').slice(0, 24)
    expect(tradeKeyOf({ signalId: 'sig-42', direction: 'long' })).toBe(expectedHash)
    expect(deriveClientOrderId({ signalId: 'sig-42', direction: 'long' })).toBe(`pk_${expectedHash}_en0`)
    expect(deriveClientOrderId({ signalId: 'sig-42', direction: 'long', role: 'stop', generation: 7 })).toBe(`pk_${expectedHash}_sl7`)
  })

  it('differ by direction and are deterministic', () => {
    expect(deriveClientOrderId({ signalId: 'a', direction: 'long' })).not.toBe(deriveClientOrderId({ signalId: 'a', direction: 'short' }))
    expect(deriveClientOrderId({ signalId: 'a', direction: 'long' })).toBe(deriveClientOrderId({ signalId: 'a', direction: 'long' }))
  })

  it('are valid on Binance and Bybit for any signal id, role and generation (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }),
        fc.constantFrom('long' as const, 'short' as const),
        fc.constantFrom('entry' as const, 'stop' as const, 'take-profit' as const, 'exit' as const, 'flatten' as const, 'reduce' as const),
        fc.integer({ min: 0, max: 999_999 }),
        (signalId, direction, role, generation) => {
          const id = deriveClientOrderId({ signalId, direction, role, generation })
          expect(id.length).toBeLessThanOrEqual(36)
          expect(BINANCE.test(id) && BYBIT.test(id)).toBe(true)
          expect(clientOrderIdSchema.safeParse(id).success).toBe(true)
          expect(parseClientOrderId(id)).toEqual({ tradeKey: tradeKeyOf({ signalId, direction }), role, generation })
        },
      ),
      { numRuns: 1000, seed: 7 },
    )
  })

  it('rejects bad inputs with typed errors', () => {
    expect(() => deriveClientOrderId({ signalId: '', direction: 'long' })).toThrow(expect.objectContaining({ code: 'invalid-input', path: 'signalId' }))
    expect(() => deriveClientOrderId({ signalId: 'x', direction: 'long', generation: 1_000_000 })).toThrow(expect.objectContaining({ path: 'generation' }))
    expect(() => deriveClientOrderId({ signalId: 'x', direction: 'up' as never })).toThrow(expect.objectContaining({ path: 'direction' }))
  })

  it('validates foreign ids and recognises ours', () => {
    expect(isValidClientOrderId('x'.repeat(36))).toBe(true)
    expect(isValidClientOrderId('x'.repeat(37))).toBe(false)
    expect(isValidClientOrderId('a.b')).toBe(false)
    expect(isValidClientOrderId('')).toBe(false)
    expect(parseClientOrderId('autoclose-1')).toBeNull()
  })
})
