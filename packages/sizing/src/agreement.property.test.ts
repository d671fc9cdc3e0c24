import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { coinToContracts, contractsToCoin, contractsToUsd, positionValue, usdToContracts } from './contracts.js'
import { fundingCost } from './funding.js'
import { initialMargin, maintenanceMargin } from './margin.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const
const price = fc.double({ min: 0.01, max: 1e6, noNaN: true })
const rel = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

describe('inverse and linear agree when converted at the same price (1,000 runs each)', () => {
  it('margin and funding of N USD of inverse contracts = linear margin/funding of N/price coin, divided by price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), price, fc.double({ min: 1, max: 125, noNaN: true }), fc.double({ min: -0.003, max: 0.003, noNaN: true }), fc.constantFrom('long' as const, 'short' as const), (contracts, p, leverage, rate, side) => {
        const coin = contracts / p
        expect(rel(initialMargin({ contract: inverse, qty: contracts, price: p, leverage }) * p, initialMargin({ contract: linear, qty: coin, price: p, leverage }))).toBe(true)
        const maintenance = { maintenanceMarginRate: 0.005 }
        expect(rel(maintenanceMargin({ contract: inverse, qty: contracts, price: p, maintenance }).amount * p, maintenanceMargin({ contract: linear, qty: coin, price: p, maintenance }).amount)).toBe(true)
        expect(rel(fundingCost({ contract: inverse, side, qty: contracts, markPrice: p, fundingRate: rate }) * p, fundingCost({ contract: linear, side, qty: coin, markPrice: p, fundingRate: rate }))).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('conversions round-trip and never produce NaN', () => {
    fc.assert(
      fc.property(fc.constantFrom(linear, inverse, { kind: 'inverse', contractSize: 100 } as const, { kind: 'linear', contractSize: 0.001 } as const), fc.double({ min: 0, max: 1e9, noNaN: true }), price, (contract, qty, p) => {
        const coin = contractsToCoin({ contract, qty, price: p })
        const usd = contractsToUsd({ contract, qty, price: p })
        const value = positionValue({ contract, qty, price: p })
        for (const n of [coin, usd, value]) expect(Number.isNaN(n)).toBe(false)
        expect(rel(coinToContracts({ contract, coin, price: p }), qty)).toBe(true)
        expect(rel(usdToContracts({ contract, usd, price: p }), qty)).toBe(true)
        expect(rel(usd, coin * p)).toBe(true) // USD notional = coin × price for both kinds
      }),
      { numRuns: 1000 },
    )
  })
})
