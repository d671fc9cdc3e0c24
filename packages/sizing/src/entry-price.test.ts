import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { averageEntryPrice } from './entry-price.js'
import { pnl } from './pnl.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const

describe('averageEntryPrice', () => {
  it('Bybit inverse example: 50 at 10,000 + 50 at 15,000 → 12,000', () => {
    // Bybit Help Center, "How to Calculate Average Entry Price": (50/10,000) + (50/15,000) = 0.00833333 BTC; 100 / 0.00833333 = 12,000.
    expect(averageEntryPrice({ contract: inverse, fills: [{ qty: 50, price: 10_000 }, { qty: 50, price: 15_000 }] })).toBeCloseTo(12_000, 9)
  })
  it('linear: qty-weighted mean', () => {
    expect(averageEntryPrice({ contract: linear, fills: [{ qty: 1, price: 10_000 }, { qty: 3, price: 14_000 }] })).toBe(13_000)
  })
  it('rejects empty and zero-qty lists', () => {
    expect(() => averageEntryPrice({ contract: linear, fills: [] })).toThrow(/^fills:/)
    expect(() => averageEntryPrice({ contract: linear, fills: [{ qty: 0, price: 1 }] })).toThrow(/^fills:/)
    expect(() => averageEntryPrice({ contract: linear, fills: [{ qty: 1, price: 0 }] })).toThrow(/^fills\[0\]\.price:/)
  })
  it('PnL of the merged position equals the sum of the parts (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(linear, inverse),
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 100_000 }), price: fc.double({ min: 100, max: 200_000, noNaN: true }) }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 100, max: 200_000, noNaN: true }),
        (contract, fills, exitPrice) => {
          const avg = averageEntryPrice({ contract, fills })
          const total = fills.reduce((s, f) => s + f.qty, 0)
          const merged = pnl({ contract, side: 'long', qty: total, entryPrice: avg, exitPrice })
          const parts = fills.reduce((s, f) => s + pnl({ contract, side: 'long', qty: f.qty, entryPrice: f.price, exitPrice }), 0)
          expect(Math.abs(merged - parts)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(parts), contract.kind === 'linear' ? total * exitPrice : total / 100))
        },
      ),
      { numRuns: 1000 },
    )
  })
})
