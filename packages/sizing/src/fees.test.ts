import { InvalidInputError } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { estimateFee, fee, roundTripFee } from './fees.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const

describe('fee', () => {
  it('Bybit inverse: 10,000 contracts at 8,000 — taker 0.075 % = 0.0009375 BTC, maker −0.025 % = −0.0003125 BTC', () => {
    // Bybit Help Center, "Trading Fee Structure" (inverse example: 10,000 contracts, 8,000 USD).
    expect(fee({ contract: inverse, qty: 10_000, price: 8_000, feeRate: 0.00075 })).toBeCloseTo(0.0009375, 15)
    expect(fee({ contract: inverse, qty: 10_000, price: 8_000, feeRate: -0.00025 })).toBeCloseTo(-0.0003125, 15)
  })

  it('Bybit linear: 0.5 BTC at 95,900.1 (value 47,950.05), 0.055 % → 26.3725275 USDT', () => {
    // Bybit Help Center, "Trading Fee Structure" (USDT perpetual example).
    expect(fee({ contract: linear, qty: 0.5, price: 95_900.1, feeRate: 0.00055 })).toBeCloseTo(26.3725275, 9)
  })

  it('estimateFee picks maker/taker and reports USD (inverse fee USD = contracts × rate)', () => {
    const btcusd = { ...inverse, makerFeeRate: -0.00025, takerFeeRate: 0.00075 }
    const maker = estimateFee({ contract: btcusd, qty: 10_000, price: 8_000, liquidity: 'maker' })
    expect(maker.feeRate).toBe(-0.00025)
    expect(maker.feeSettle).toBeCloseTo(-0.0003125, 15)
    expect(maker.feeUsd).toBeCloseTo(-2.5, 12)
    const taker = estimateFee({ contract: btcusd, qty: 10_000, price: 8_000, liquidity: 'taker' })
    expect(taker.feeUsd).toBeCloseTo(7.5, 12)
    // inverse fee in USD: estimated_fee_usd = contracts × fee_rate (maker 0.01 %): 1,000 contracts → 0.1 USD at any price
    const spec = { ...inverse, makerFeeRate: 0.0001, takerFeeRate: 0.0006 }
    for (const price of [20_000, 65_000, 123_456.5]) {
      expect(estimateFee({ contract: spec, qty: 1_000, price, liquidity: 'maker' }).feeUsd).toBeCloseTo(0.1, 12)
    }
    const usdt = { ...linear, makerFeeRate: 0.0002, takerFeeRate: 0.00055 }
    const lin = estimateFee({ contract: usdt, qty: 0.5, price: 95_900.1, liquidity: 'taker' })
    expect(lin.feeUsd).toBe(lin.feeSettle)
  })

  it('roundTripFee doubles and never goes negative', () => {
    expect(roundTripFee({ contract: inverse, qty: 1_000, price: 50_000, feeRate: 0.0001 })).toBeCloseTo(0.000004, 18)
    expect(roundTripFee({ contract: inverse, qty: 1_000, price: 50_000, feeRate: -0.00025 })).toBe(0)
  })

  it('rejects bad rates and prices', () => {
    expect(() => fee({ contract: linear, qty: 1, price: 1, feeRate: Number.NaN })).toThrow(InvalidInputError)
    expect(() => fee({ contract: linear, qty: 1, price: 1, feeRate: 1.5 })).toThrow(/feeRate/)
    expect(() => fee({ contract: linear, qty: 1, price: 0, feeRate: 0.001 })).toThrow(/price/)
    expect(() => estimateFee({ contract: { ...linear, makerFeeRate: 0, takerFeeRate: 0 }, qty: 1, price: 1, liquidity: 'x' as never })).toThrow(/liquidity/)
  })

  it('inverse and linear fees agree in USD for the same notional', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 100, max: 1e6, noNaN: true }), fc.double({ min: -0.001, max: 0.001, noNaN: true }), (contracts, price, feeRate) => {
        const inv = fee({ contract: inverse, qty: contracts, price, feeRate })
        const lin = fee({ contract: linear, qty: contracts / price, price, feeRate })
        expect(Number.isNaN(inv)).toBe(false)
        expect(inv * price).toBeCloseTo(lin, 6)
      }),
      { numRuns: 1000 },
    )
  })
})
