import { InvalidInputError } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contractsToUsd } from './contracts.js'
import { pnl, pnlFraction } from './pnl.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const

describe('pnl', () => {
  it('Bybit inverse example: long 10,000 contracts 8,000 → 12,500 = +0.45 BTC', () => {
    // Bybit Help Center, "Profit and Loss calculation (Inverse Contracts)": 10,000 BTCUSD long, entry 8,000, exit 12,500.
    expect(pnl({ contract: inverse, side: 'long', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 })).toBeCloseTo(0.45, 12)
    expect(pnl({ contract: inverse, side: 'short', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 })).toBeCloseTo(-0.45, 12)
  })

  it('inverse PnL is not the linear approximation', () => {
    // approximation (exit − entry)/entry² × contracts would give 0.703125 BTC
    const exact = pnl({ contract: inverse, side: 'long', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 })
    expect(Math.abs(exact - (10_000 * 4_500) / 8_000 ** 2)).toBeGreaterThan(0.2)
  })

  it('linear long and short', () => {
    expect(pnl({ contract: linear, side: 'long', qty: 0.5, entryPrice: 60_000, exitPrice: 61_000 })).toBeCloseTo(500, 9)
    expect(pnl({ contract: linear, side: 'short', qty: 0.1, entryPrice: 60_000, exitPrice: 59_000 })).toBeCloseTo(100, 9)
    expect(pnl({ contract: { kind: 'linear', contractSize: 0.001 }, side: 'long', qty: 1_000, entryPrice: 100, exitPrice: 110 })).toBeCloseTo(10, 9)
  })

  it('Binance COIN-M contract size 100: 3 contracts long 50,000 → 60,000', () => {
    // 300 USD of BTC: 300/50,000 − 300/60,000 = 0.001 BTC
    expect(pnl({ contract: { kind: 'inverse', contractSize: 100 }, side: 'long', qty: 3, entryPrice: 50_000, exitPrice: 60_000 })).toBeCloseTo(0.001, 15)
  })

  it('pnlFraction', () => {
    expect(pnlFraction({ contract: inverse, side: 'long', entryPrice: 8_000, exitPrice: 12_500 })).toBeCloseTo(0.36, 12)
    expect(pnlFraction({ contract: linear, side: 'short', entryPrice: 100, exitPrice: 90 })).toBeCloseTo(0.1, 12)
  })

  it('rejects invalid input with a typed error and path', () => {
    const bad = [
      { contract: linear, side: 'long', qty: Number.NaN, entryPrice: 1, exitPrice: 1, path: 'qty' },
      { contract: linear, side: 'long', qty: -1, entryPrice: 1, exitPrice: 1, path: 'qty' },
      { contract: linear, side: 'long', qty: 1, entryPrice: 0, exitPrice: 1, path: 'entryPrice' },
      { contract: linear, side: 'long', qty: 1, entryPrice: 1, exitPrice: -2, path: 'exitPrice' },
      { contract: { kind: 'linear', contractSize: 0 }, side: 'long', qty: 1, entryPrice: 1, exitPrice: 1, path: 'contract.contractSize' },
      { contract: { kind: 'spot', contractSize: 1 }, side: 'long', qty: 1, entryPrice: 1, exitPrice: 1, path: 'contract.kind' },
      { contract: linear, side: 'buy', qty: 1, entryPrice: 1, exitPrice: 1, path: 'side' },
    ] as const
    for (const { path, ...args } of bad) {
      expect(() => pnl(args as never)).toThrow(InvalidInputError)
      try {
        pnl(args as never)
      } catch (e) {
        expect((e as InvalidInputError).message.startsWith(`${path}:`)).toBe(true)
      }
    }
  })
})

describe('pnl properties', () => {
  const price = fc.double({ min: 1, max: 1e6, noNaN: true })
  const qty = fc.double({ min: 0, max: 1e6, noNaN: true })
  const kind = fc.constantFrom('linear' as const, 'inverse' as const)
  const size = fc.constantFrom(1, 0.001, 10, 100)

  it('long/short symmetry and never NaN', () => {
    fc.assert(
      fc.property(kind, size, qty, price, price, (k, contractSize, q, entryPrice, exitPrice) => {
        const contract = { kind: k, contractSize }
        const l = pnl({ contract, side: 'long', qty: q, entryPrice, exitPrice })
        const s = pnl({ contract, side: 'short', qty: q, entryPrice, exitPrice })
        expect(Number.isNaN(l)).toBe(false)
        expect(l).toBe(-s === 0 ? 0 : -s)
        // a round trip at the same price is flat
        expect(pnl({ contract, side: 'long', qty: q, entryPrice, exitPrice: entryPrice })).toBe(0)
      }),
      { numRuns: 1000 },
    )
  })

  it('inverse PnL converted at exit equals linear PnL of the same USD notional converted to coin', () => {
    // A long of N USD of inverse contracts holds N/entry BTC; in USD at exit its PnL equals a linear long of
    // N/entry BTC: (N/entry)·(exit − entry) = exit · N · (1/entry − 1/exit).
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), price, price, (contracts, entryPrice, exitPrice) => {
        const invBtc = pnl({ contract: inverse, side: 'long', qty: contracts, entryPrice, exitPrice })
        const coin = contracts / entryPrice
        const linUsd = pnl({ contract: linear, side: 'long', qty: coin, entryPrice, exitPrice })
        expect(invBtc * exitPrice).toBeCloseTo(linUsd, Math.max(0, 6 - Math.ceil(Math.log10(Math.abs(linUsd) + 1))))
        const notional = contractsToUsd({ contract: linear, qty: coin, price: entryPrice })
        expect(notional).toBeCloseTo(contracts, 6)
      }),
      { numRuns: 1000 },
    )
  })
})
