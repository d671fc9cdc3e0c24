import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { stopDistance, stopPrice } from './stop-distance.js'

describe('stopDistance (grid spacing × 1.5, clamped to 2–6 %)', () => {
  it('grid × 1.5 clamped to [2 %, 6 %], fallback 3 %', () => {
    const d = (g?: number) => {
      const r = stopDistance({ gridSpacing: g })
      if (!r.ok) throw new Error(r.reason)
      return r.value
    }
    expect(d(0.02).stopDistance).toBeCloseTo(0.03, 15)
    expect(d(0.02).clamped).toBe(false)
    expect(d(0.01).stopDistance).toBe(0.02)
    expect(d(0.01).clamped).toBe(true)
    expect(d(0.05).stopDistance).toBe(0.06)
    expect(d(undefined)).toEqual({ stopDistance: 0.03, source: 'fallback', clamped: false })
  })
  it('spacing ≤ 0 is refused as invalid-stop; NaN throws', () => {
    for (const g of [0, -0.01]) {
      const r = stopDistance({ gridSpacing: g })
      expect(!r.ok && r.reason).toBe('invalid-stop')
    }
    expect(() => stopDistance({ gridSpacing: Number.NaN })).toThrow(InvalidInputError)
    expect(() => stopDistance({ gridSpacing: 0.01, min: 0.1, max: 0.05 })).toThrow(/^min:/)
  })
})

describe('stopPrice', () => {
  it('rounds toward the entry on the tick', () => {
    expect(stopPrice({ side: 'long', entryPrice: 50_000, stopDistance: 0.03, tickSize: 0.5 })).toBe(48_500)
    expect(stopPrice({ side: 'long', entryPrice: 50_000.5, stopDistance: 0.03, tickSize: 0.5 })).toBe(48_500.5) // 48,500.485 → ceil
    expect(stopPrice({ side: 'short', entryPrice: 101.37, stopDistance: 0.02, tickSize: 0.01 })).toBe(103.39) // 103.3974 → floor
    expect(stopPrice({ side: 'short', entryPrice: 100, stopDistance: 0.02 })).toBeCloseTo(102, 12)
  })
  it('rejects a zero distance', () => {
    expect(() => stopPrice({ side: 'long', entryPrice: 100, stopDistance: 0 })).toThrow(/^stopDistance:/)
  })
})
