import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { confidenceNotional, sizeFromNotional } from './confidence.js'

describe('confidenceNotional (002: $10 default, $50 max)', () => {
  it('maps confidence linearly from default at the threshold to max at 1', () => {
    const n = (c?: number, extra = {}) => {
      const r = confidenceNotional({ confidence: c, ...extra })
      if (!r.ok) throw new Error(r.reason)
      return r.value.notionalUsd
    }
    expect(n(undefined)).toBe(10)
    expect(n(0.5)).toBe(10)
    expect(n(0.75)).toBe(30)
    expect(n(1)).toBe(50)
    expect(n(1, { sizeMultiplier: 0.5 })).toBe(25)
    expect(n(undefined, { sizeMultiplier: 0.5 })).toBe(5)
  })
  it('refuses low confidence and rejects out-of-range input', () => {
    const r = confidenceNotional({ confidence: 0.3 })
    expect(!r.ok && r.reason).toBe('low-confidence')
    expect(() => confidenceNotional({ confidence: 1.2 })).toThrow(/^confidence:/)
    expect(() => confidenceNotional({ confidence: Number.NaN })).toThrow(/^confidence:/)
    expect(() => confidenceNotional({ defaultUsd: 60 })).toThrow(/^defaultUsd:/)
  })
  it('never exceeds maxUsd (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (c, m) => {
        const r = confidenceNotional({ confidence: c, sizeMultiplier: m })
        if (r.ok) {
          expect(r.value.notionalUsd).toBeLessThanOrEqual(50)
          expect(Number.isNaN(r.value.notionalUsd)).toBe(false)
        } else expect(c).toBeLessThan(0.5)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('sizeFromNotional', () => {
  it('inverse: USD notional = contracts', () => {
    const btcusd = { kind: 'inverse', contractSize: 1, lotStep: 1, minQty: 1, minNotional: 0 } as const
    const r = sizeFromNotional({ instrument: btcusd, price: 50_000, notionalUsd: 30.7 })
    expect(r.ok && r.value).toEqual({ qty: 30, notionalUsd: 30 })
  })
  it('linear: floors to the lot and checks Binance minimum notional', () => {
    const btcusdt = { kind: 'linear', contractSize: 1, lotStep: 0.001, minQty: 0.001, minNotional: 100 } as const
    const small = sizeFromNotional({ instrument: btcusdt, price: 50_000, notionalUsd: 50 })
    expect(!small.ok && small.reason).toBe('below-min-notional')
    const dust = sizeFromNotional({ instrument: btcusdt, price: 50_000, notionalUsd: 10 })
    expect(!dust.ok && dust.reason).toBe('below-min-qty')
    const r = sizeFromNotional({ instrument: btcusdt, price: 50_000, notionalUsd: 149.99 })
    expect(r.ok && r.value.qty).toBe(0.002)
  })
})
