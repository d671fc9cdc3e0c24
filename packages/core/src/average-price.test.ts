import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nextAveragePrice } from './average-price.js'
import { InvalidInputError } from './errors.js'

describe('nextAveragePrice', () => {
  it('inverse: Bybit\'s worked example — 50 BTCUSD contracts at 10,000 then 50 at 15,000 average 12,000', () => {
    // by hand from the definition: 100 contracts / (50/10000 + 50/15000 BTC) = 100 / (1/120) = 12000
    expect(nextAveragePrice({ kind: 'inverse', qty: 50, averagePrice: 10_000, fillQty: 50, fillPrice: 15_000 })).toBeCloseTo(12_000, 8)
  })

  it('linear: 1 BTC at 10,000 then 3 BTC at 11,000 average 10,750 (qty-weighted arithmetic mean)', () => {
    // by hand: (1·10000 + 3·11000) / 4 = 43000 / 4 = 10750
    expect(nextAveragePrice({ kind: 'linear', qty: 1, averagePrice: 10_000, fillQty: 3, fillPrice: 11_000 })).toBe(10_750)
  })

  it('an empty position takes the fill price; a fill at the average keeps it exactly', () => {
    expect(nextAveragePrice({ kind: 'inverse', qty: 0, averagePrice: 0, fillQty: 7, fillPrice: 65_000.5 })).toBe(65_000.5)
    expect(nextAveragePrice({ kind: 'linear', qty: 0.003, averagePrice: 112_572.9, fillQty: 0.007, fillPrice: 112_572.9 })).toBe(112_572.9)
  })

  it('folding fills one by one equals the closed forms Σq·p/Σq (linear) and Σq/Σ(q/p) (inverse) (property)', () => {
    const fill = fc.record({ q: fc.integer({ min: 1, max: 1_000_000 }), p: fc.integer({ min: 1_000, max: 200_000 }) })
    fc.assert(
      fc.property(fc.array(fill, { minLength: 1, maxLength: 20 }), (fills) => {
        let qty = 0
        let lin = 0
        let inv = 0
        for (const f of fills) {
          lin = nextAveragePrice({ kind: 'linear', qty, averagePrice: lin, fillQty: f.q, fillPrice: f.p })
          inv = nextAveragePrice({ kind: 'inverse', qty, averagePrice: inv, fillQty: f.q, fillPrice: f.p })
          qty += f.q
        }
        const sumQ = fills.reduce((a, f) => a + f.q, 0)
        const linear = fills.reduce((a, f) => a + f.q * f.p, 0) / sumQ
        const inverse = sumQ / fills.reduce((a, f) => a + f.q / f.p, 0)
        expect(lin).toBeCloseTo(linear, 6)
        expect(inv).toBeCloseTo(inverse, 6)
      }),
    )
  })

  it('bad numbers and kinds are typed errors naming the field', () => {
    expect(() => nextAveragePrice({ kind: 'inverse', qty: 1, averagePrice: 100, fillQty: 0, fillPrice: 100 })).toThrow(InvalidInputError)
    expect(() => nextAveragePrice({ kind: 'linear', qty: -1, averagePrice: 100, fillQty: 1, fillPrice: 100 })).toThrow(/qty/)
    expect(() => nextAveragePrice({ kind: 'linear', qty: 1, averagePrice: Number.NaN, fillQty: 1, fillPrice: 100 })).toThrow(/averagePrice/)
    expect(() => nextAveragePrice({ kind: 'linear', qty: 1, averagePrice: 100, fillQty: 1, fillPrice: -5 })).toThrow(/fillPrice/)
    expect(() => nextAveragePrice({ kind: 'quanto' as 'linear', qty: 1, averagePrice: 100, fillQty: 1, fillPrice: 50 })).toThrow(/kind/)
  })
})
