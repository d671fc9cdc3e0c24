import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { liquidationEstimate } from './liquidation.js'
import { maintenanceMargin } from './margin.js'
import { pnl } from './pnl.js'

// Binance BTCUSDT 2021 brackets (USDT) and a coin-valued table for inverse.
const usdtBrackets = [
  { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 },
  { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50 },
  { notionalFloor: 250_000, notionalCap: 1_000_000, maintenanceMarginRate: 0.01, maintenanceAmount: 1_300 },
  { notionalFloor: 1_000_000, notionalCap: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300 },
]
const coinBrackets = [
  { notionalFloor: 0, notionalCap: 5, maintenanceMarginRate: 0.005, maintenanceAmount: 0 },
  { notionalFloor: 5, notionalCap: 10, maintenanceMarginRate: 0.01, maintenanceAmount: 0.025 },
  { notionalFloor: 10, notionalCap: 20, maintenanceMarginRate: 0.025, maintenanceAmount: 0.175 },
  { notionalFloor: 20, notionalCap: 1e9, maintenanceMarginRate: 0.05, maintenanceAmount: 0.675 },
]

describe('liquidation price solves collateral + uPnL(P) = MM(P) in the tier of P', () => {
  it('linear and inverse, long and short, both bases (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('linear' as const, 'inverse' as const),
        fc.constantFrom('long' as const, 'short' as const),
        fc.constantFrom('liquidation-price' as const, 'entry-price' as const),
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 1.5, max: 100, noNaN: true }),
        (kind, side, basis, entryPrice, coinAmount, leverage) => {
          const contract = { kind, contractSize: 1 }
          const qty = kind === 'linear' ? coinAmount * 10 : Math.round(coinAmount * 10 * entryPrice)
          fc.pre(qty > 0)
          const value = kind === 'linear' ? qty * entryPrice : qty / entryPrice
          const positionMargin = value / leverage
          const maintenance = { brackets: kind === 'linear' ? usdtBrackets : coinBrackets }
          const est = liquidationEstimate({ contract, side, qty, entryPrice, margin: { mode: 'isolated', positionMargin }, maintenance, maintenanceBasis: basis })
          expect(Number.isNaN(est.price)).toBe(false)
          // leverage ≥ 1.5 on one position: always liquidatable at a finite positive price
          expect(Number.isFinite(est.price)).toBe(true)
          expect(est.price).toBeGreaterThan(0)
          // liquidation is on the losing side of entry when the position starts above its maintenance margin
          const mmAtEntry = maintenanceMargin({ contract, qty, price: entryPrice, maintenance }).amount
          if (positionMargin > mmAtEntry) {
            if (side === 'long') expect(est.price).toBeLessThan(entryPrice)
            else expect(est.price).toBeGreaterThan(entryPrice)
          }
          const equity = positionMargin + pnl({ contract, side, qty, entryPrice, exitPrice: est.price })
          const mm = maintenanceMargin({ contract, qty, price: basis === 'entry-price' ? entryPrice : est.price, maintenance })
          expect(Math.abs(equity - mm.amount)).toBeLessThan(1e-7 * Math.max(1, value))
          expect(mm.bracketIndex).toBe(est.bracketIndex)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
