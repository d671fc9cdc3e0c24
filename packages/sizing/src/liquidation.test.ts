import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { bankruptcyPrice, liquidationDistance, liquidationEstimate, liquidationPrice } from './liquidation.js'

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

describe('liquidationPrice — inverse, Binance COIN-M formula (liquidation-price basis)', () => {
  it('short 10,000 USD at 50,000, 10x: P = Q·(MMR − 1)/(WB − Q/EP) = 9,950 / 0.18', () => {
    const p = liquidationPrice({
      contract: inverse,
      side: 'short',
      qty: 10_000,
      entryPrice: 50_000,
      margin: { mode: 'isolated', positionMargin: 0.02 },
      maintenance: { maintenanceMarginRate: 0.005 },
    })
    expect(p).toBeCloseTo(9_950 / 0.18, 6)
    // at that price the margin balance equals the maintenance margin
    expect(0.02 - 10_000 * (1 / 50_000 - 1 / p)).toBeCloseTo((10_000 / p) * 0.005, 12)
  })
  it('long 10,000 USD at 50,000, 10x: P = Q·(1 + MMR)/(WB + Q/EP)', () => {
    const p = liquidationPrice({
      contract: inverse,
      side: 'long',
      qty: 10_000,
      entryPrice: 50_000,
      margin: { mode: 'isolated', positionMargin: 0.02 },
      maintenance: { maintenanceMarginRate: 0.005 },
    })
    expect(p).toBeCloseTo(10_050 / 0.22, 6)
  })
})

describe('degenerate collateral', () => {
  it('negative cross collateral: a linear short is liquidated at any price (0), an inverse long too (Infinity)', () => {
    const short = liquidationPrice({ contract: linear, side: 'short', qty: 1, entryPrice: 100, margin: { mode: 'cross', walletBalance: 0, otherUnrealizedPnl: -500 }, maintenance: { maintenanceMarginRate: 0.005 } })
    expect(short).toBe(0)
    expect(liquidationDistance({ side: 'short', referencePrice: 100, liquidationPrice: short })).toBeLessThan(0)
    const long = liquidationPrice({ contract: inverse, side: 'long', qty: 100, entryPrice: 100, margin: { mode: 'cross', walletBalance: 0, otherUnrealizedPnl: -5 }, maintenance: { maintenanceMarginRate: 0.005 } })
    expect(long).toBe(Number.POSITIVE_INFINITY)
    expect(liquidationDistance({ side: 'long', referencePrice: 100, liquidationPrice: long })).toBeLessThan(0)
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

describe('liquidationPrice — Bybit inverse (entry-price basis)', () => {
  it('UTA isolated inverse example: 60,000 USD of BTCUSD at 50,000, 10x, MMR 0.5 %', () => {
    // Bybit Help Center, "Liquidation Price Calculation under Isolated Mode (Unified Trading Account)", inverse example:
    // https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
    // Position Value = 60,000 / 50,000 = 1.2 BTC, IM = 0.12 BTC, MM = 1.2 × 0.5 % = 0.006 BTC;
    // LP(long) = Qty / [PV + (IM − MM)] = 60,000 / 1.314 = 45,662.10; LP(short) = Qty / [PV − (IM − MM)] = 60,000 / 1.086 = 55,248.62.
    const args = {
      contract: inverse,
      qty: 60_000,
      entryPrice: 50_000,
      margin: { mode: 'isolated', positionMargin: 0.12 },
      maintenance: { maintenanceMarginRate: 0.005 },
      maintenanceBasis: 'entry-price',
    } as const
    expect(liquidationPrice({ ...args, side: 'long' })).toBeCloseTo(45_662.1, 1)
    expect(liquidationPrice({ ...args, side: 'short' })).toBeCloseTo(55_248.62, 1)
  })

  it('cross inverse example: 0.5 BTC balance, long 10,000 contracts at 8,000 → 5,739.50', () => {
    // Bybit Help Center, "How to calculate Liquidation Price (Inverse Contract)", cross-margin example:
    // https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
    // 10,000 × (1/8,000 − 1/LP) = −(0.5 − 0 − 10,000/8,000 × 0.5 % − 10,000 × 0.00075 / 5,718.57), LP = 5,739.50
    // (5,718.57 is the bankruptcy price given there). Solving exactly gives 5,739.08; BTCUSD's tick is 0.5 and
    // the published figure is that value rounded up to the tick.
    const feeToClose = (10_000 * 0.00075) / 5_718.57
    const p = liquidationPrice({
      contract: inverse,
      side: 'long',
      qty: 10_000,
      entryPrice: 8_000,
      margin: { mode: 'cross', walletBalance: 0.5 },
      maintenance: { maintenanceMarginRate: 0.005 },
      maintenanceBasis: 'entry-price',
      feeToClose,
    })
    expect(Math.abs(p - 5_739.5)).toBeLessThan(0.5)
    expect(Math.ceil(p / 0.5) * 0.5).toBe(5_739.5)
  })
})

describe('liquidationPrice — brackets re-evaluated at the liquidation price (Binance rule)', () => {
  // Binance BTCUSDT brackets (2021 table), maintenance amounts per Binance's cum formula.
  const brackets = [
    { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 },
    { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50 },
    { notionalFloor: 250_000, notionalCap: 1_000_000, maintenanceMarginRate: 0.01, maintenanceAmount: 1_300 },
    { notionalFloor: 1_000_000, notionalCap: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300 },
  ]
  it('a long opened in tier 3 whose liquidation value falls in tier 2 uses tier 2', () => {
    // 5.2 BTC at 50,000 = 260,000 (tier 3, 1 %); with 60,000 USDT collateral the liquidation value is < 250,000.
    const est = liquidationEstimate({
      contract: linear,
      side: 'long',
      qty: 5.2,
      entryPrice: 50_000,
      margin: { mode: 'isolated', positionMargin: 60_000 },
      maintenance: { brackets },
    })
    expect(est.bracketIndex).toBe(1)
    // Binance formula with tier 2: (60,000 + 50 − 260,000)/(5.2 × 0.005 − 5.2)
    expect(est.price).toBeCloseTo((60_000 + 50 - 260_000) / (5.2 * 0.005 - 5.2), 6)
    expect(est.price * 5.2).toBeLessThan(250_000)
  })

  it('a short whose liquidation value rises into the next tier uses that tier', () => {
    // 4.9 BTC at 50,000 = 245,000 (tier 2) with 20,000 USDT collateral: liquidation value > 250,000 → tier 3.
    const est = liquidationEstimate({
      contract: linear,
      side: 'short',
      qty: 4.9,
      entryPrice: 50_000,
      margin: { mode: 'isolated', positionMargin: 20_000 },
      maintenance: { brackets },
    })
    expect(est.bracketIndex).toBe(2)
    expect(est.price).toBeCloseTo((20_000 + 1_300 + 245_000) / (4.9 * 0.01 + 4.9), 6)
  })

  it('cross margin uses WB − TMM1 + UPNL1', () => {
    const cross = liquidationPrice({
      contract: linear,
      side: 'long',
      qty: 1,
      entryPrice: 20_000,
      margin: { mode: 'cross', walletBalance: 1_000, otherMaintenanceMargin: 150, otherUnrealizedPnl: -450 },
      maintenance: { brackets },
    })
    const isolated = liquidationPrice({
      contract: linear,
      side: 'long',
      qty: 1,
      entryPrice: 20_000,
      margin: { mode: 'isolated', positionMargin: 400 },
      maintenance: { brackets },
    })
    expect(cross).toBeCloseTo(isolated, 9)
    expect(cross).toBeCloseTo((400 - 20_000) / (0.004 - 1), 9)
  })
})

describe('bankruptcyPrice', () => {
  it('Bybit USDT isolated: 1 BTC long at 10,000, 50x → 9,800; short → 10,200', () => {
    // Bybit Help Center, "Bankruptcy Price (USDT Contract)": Bankruptcy Price = Entry × (1 − IMR) = 10,000 × (1 − 2 %) = 9,800.
    const args = { contract: linear, qty: 1, entryPrice: 10_000, margin: { mode: 'isolated', positionMargin: 10_000 / 50 } } as const
    expect(bankruptcyPrice({ ...args, side: 'long' })).toBeCloseTo(9_800, 9)
    expect(bankruptcyPrice({ ...args, side: 'short' })).toBeCloseTo(10_200, 9)
  })
  it('inverse: collateral equals the loss at the bankruptcy price', () => {
    const bp = bankruptcyPrice({ contract: inverse, side: 'long', qty: 10_000, entryPrice: 8_000, margin: { mode: 'isolated', positionMargin: 0.025 } })
    expect(10_000 * (1 / bp - 1 / 8_000)).toBeCloseTo(0.025, 12)
  })
})
