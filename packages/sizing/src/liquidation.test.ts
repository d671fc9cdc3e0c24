import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { liquidationDistance, liquidationEstimate, liquidationPrice } from './liquidation.js'

const linear = { kind: 'linear', contractSize: 1 } as const
const inverse = { kind: 'inverse', contractSize: 1 } as const

describe('liquidationPrice — Bybit USDT contract, isolated (entry-price basis)', () => {
  // Bybit Help Center, "Liquidation Price (USDT Contract)", Example 1 (Long):
  // https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
  // 1 BTC at 20,000 USDT, 50x, MMR 0.5 %: IM 400, MM 100, LP = 20,000 − (400 − 100) = 19,700.
  it('long 1 BTC at 20,000, 50x, MMR 0.5 % → 19,700', () => {
    const price = liquidationPrice({
      contract: linear,
      side: 'long',
      qty: 1,
      entryPrice: 20_000,
      margin: { mode: 'isolated', positionMargin: 20_000 / 50 },
      maintenance: { maintenanceMarginRate: 0.005 },
      maintenanceBasis: 'entry-price',
    })
    expect(price).toBeCloseTo(19_700, 9)
  })

  it('short mirror: 20,000 + (400 − 100) = 20,300', () => {
    const price = liquidationPrice({
      contract: linear,
      side: 'short',
      qty: 1,
      entryPrice: 20_000,
      margin: { mode: 'isolated', positionMargin: 400 },
      maintenance: { maintenanceMarginRate: 0.005 },
      maintenanceBasis: 'entry-price',
    })
    expect(price).toBeCloseTo(20_300, 9)
  })
})

describe('liquidationPrice — Binance formula (liquidation-price basis)', () => {
  it('isolated long: (WB + cum − Q·EP)/(Q·MMR − Q)', () => {
    // same position priced the Binance way: (400 + 0 − 20,000)/(0.005 − 1) = 19,698.4924…
    const p = liquidationPrice({
      contract: linear,
      side: 'long',
      qty: 1,
      entryPrice: 20_000,
      margin: { mode: 'isolated', positionMargin: 400 },
      maintenance: { maintenanceMarginRate: 0.005 },
    })
    expect(p).toBeCloseTo(19_600 / 0.995, 8)
  })

  it('a 1x long cannot be liquidated (0) and an inverse 1x short cannot either (Infinity)', () => {
    expect(
      liquidationPrice({ contract: linear, side: 'long', qty: 1, entryPrice: 100, margin: { mode: 'isolated', positionMargin: 100 }, maintenance: { maintenanceMarginRate: 0.005 } }),
    ).toBe(0)
    expect(
      liquidationPrice({ contract: inverse, side: 'short', qty: 100, entryPrice: 100, margin: { mode: 'isolated', positionMargin: 1.01 }, maintenance: { maintenanceMarginRate: 0.005 } }),
    ).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('liquidationDistance', () => {
  it('long and short', () => {
    expect(liquidationDistance({ side: 'long', referencePrice: 20_000, liquidationPrice: 19_700 })).toBeCloseTo(0.015, 12)
    expect(liquidationDistance({ side: 'short', referencePrice: 20_000, liquidationPrice: 20_300 })).toBeCloseTo(0.015, 12)
    expect(liquidationDistance({ side: 'long', referencePrice: 20_000, liquidationPrice: 0 })).toBe(1)
    expect(liquidationDistance({ side: 'short', referencePrice: 20_000, liquidationPrice: Number.POSITIVE_INFINITY })).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('liquidation input validation', () => {
  const base = {
    contract: linear,
    side: 'long',
    qty: 1,
    entryPrice: 20_000,
    margin: { mode: 'isolated', positionMargin: 400 },
    maintenance: { maintenanceMarginRate: 0.005 },
  } as const
  it.each([
    ['qty', { qty: 0 }],
    ['entryPrice', { entryPrice: Number.NaN }],
    ['margin.positionMargin', { margin: { mode: 'isolated', positionMargin: -1 } }],
    ['maintenance.maintenanceMarginRate', { maintenance: { maintenanceMarginRate: 1.2 } }],
    ['maintenanceBasis', { maintenanceBasis: 'x' }],
  ])('%s', (path, patch) => {
    expect(() => liquidationEstimate({ ...base, ...patch } as never)).toThrow(InvalidInputError)
    expect(() => liquidationEstimate({ ...base, ...patch } as never)).toThrow(new RegExp(`^${path.replace('.', '\\.')}:`))
  })
})
