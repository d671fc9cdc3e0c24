import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { findBracket, validateBrackets, withMaintenanceAmounts } from './brackets.js'
import { initialMargin, maintenanceMargin } from './margin.js'

const linear = { kind: 'linear', contractSize: 1 } as const
const inverse = { kind: 'inverse', contractSize: 1 } as const

describe('initialMargin', () => {
  it('Bybit example: 1 BTC × 20,000 / 50 = 400 USDT', () => {
    expect(initialMargin({ contract: linear, qty: 1, price: 20_000, leverage: 50 })).toBe(400)
  })
  it('Bybit inverse example: 12,000 BTCUSD contracts at 8,000, 50x → 0.03 BTC', () => {
    // Bybit Help Center, "Initial Margin (Inverse Contract)": 12,000 / (8,000 × 50) = 0.03 BTC.
    expect(initialMargin({ contract: inverse, qty: 12_000, price: 8_000, leverage: 50 })).toBeCloseTo(0.03, 15)
  })
  it('inverse: contracts / price / leverage', () => {
    expect(initialMargin({ contract: inverse, qty: 1_000, price: 50_000, leverage: 2 })).toBeCloseTo(0.01, 15)
  })
  it('leverage ≤ 0 throws', () => {
    expect(() => initialMargin({ contract: linear, qty: 1, price: 1, leverage: 0 })).toThrow(InvalidInputError)
    expect(() => initialMargin({ contract: linear, qty: 1, price: 1, leverage: -2 })).toThrow(/^leverage:/)
  })
})

describe('maintenance brackets', () => {
  // Binance BTCUSDT leverage brackets (2021) as published in Binance's "Leverage and Margin of USDⓈ-M Futures"
  // table: 0–50k 0.4 % / 0, 50k–250k 0.5 % / 50, 250k–1M 1 % / 1,300, 1M–10M 2.5 % / 16,300.
  const table = withMaintenanceAmounts([
    { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004 },
    { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005 },
    { notionalFloor: 250_000, notionalCap: 1_000_000, maintenanceMarginRate: 0.01 },
    { notionalFloor: 1_000_000, notionalCap: 10_000_000, maintenanceMarginRate: 0.025 },
  ])
  it('derives Binance maintenance amounts (cum) 0, 50, 1,300, 16,300', () => {
    [0, 50, 1_300, 16_300].forEach((cum, i) => expect(table[i]?.maintenanceAmount).toBeCloseTo(cum, 9))
  })
  it('maintenance = value × rate − amount in the right tier', () => {
    const mm = maintenanceMargin({ contract: linear, qty: 10, price: 50_000, maintenance: { brackets: table } })
    expect(mm.bracketIndex).toBe(2)
    expect(mm.amount).toBeCloseTo(500_000 * 0.01 - 1_300, 9)
    expect(maintenanceMargin({ contract: linear, qty: 1, price: 20_000, maintenance: { maintenanceMarginRate: 0.005 } }).amount).toBe(100)
  })
  it('is continuous at tier boundaries', () => {
    for (const edge of [50_000, 250_000, 1_000_000]) {
      const below = maintenanceMargin({ contract: linear, qty: 1, price: edge - 1e-6, maintenance: { brackets: table } }).amount
      const at = maintenanceMargin({ contract: linear, qty: 1, price: edge, maintenance: { brackets: table } }).amount
      expect(at).toBeCloseTo(below, 4)
    }
  })
  it('inverse tiers are chosen by coin value', () => {
    const coinTable = withMaintenanceAmounts([
      { notionalFloor: 0, notionalCap: 5, maintenanceMarginRate: 0.005 },
      { notionalFloor: 5, notionalCap: 10, maintenanceMarginRate: 0.01 },
    ])
    const mm = maintenanceMargin({ contract: inverse, qty: 400_000, price: 50_000, maintenance: { brackets: coinTable } })
    expect(mm.notional).toBe(8)
    expect(mm.bracketIndex).toBe(1)
    expect(mm.amount).toBeCloseTo(8 * 0.01 - 0.025, 12)
  })
  it('Binance doc lookups: 264,000 USDT → MMR 1 %; 500,000 USDT → maintenance amount 1,300', () => {
    // Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (Maintenance Margin Rate /
    // Maintenance Amount sections): https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    expect(findBracket({ brackets: table, notional: 264_000 }).bracket.maintenanceMarginRate).toBe(0.01)
    expect(findBracket({ brackets: table, notional: 500_000 }).bracket.maintenanceAmount).toBeCloseTo(1_300, 9)
  })
  it('Binance COIN-M doc example: 100 contracts × 100 USD at mark 25,000 = 0.4 BTC, level 1 (0.4 %) → MM 0.0016 BTC', () => {
    // Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts" (Maintenance Margin Amount formula):
    // https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46
    const coinm = { kind: 'inverse', contractSize: 100 } as const
    const mm = maintenanceMargin({ contract: coinm, qty: 100, price: 25_000, maintenance: { maintenanceMarginRate: 0.004 } })
    expect(mm.notional).toBeCloseTo(0.4, 15)
    expect(mm.amount).toBeCloseTo(0.0016, 15)
  })
  it('findBracket: last tier extends beyond its cap', () => {
    expect(findBracket({ brackets: table, notional: 5e7 }).index).toBe(3)
    expect(findBracket({ brackets: table, notional: 0 }).index).toBe(0)
  })
  it('rejects malformed tables', () => {
    expect(() => validateBrackets([])).toThrow(InvalidInputError)
    expect(() =>
      validateBrackets([
        { notionalFloor: 0, notionalCap: 10, maintenanceMarginRate: 0.01, maintenanceAmount: 0 },
        { notionalFloor: 20, notionalCap: 30, maintenanceMarginRate: 0.02, maintenanceAmount: 0 },
      ]),
    ).toThrow(/^brackets\[1\]\.notionalFloor:/)
    expect(() => validateBrackets([{ notionalFloor: 5, notionalCap: 10, maintenanceMarginRate: 0.01, maintenanceAmount: 0 }])).toThrow(/brackets\[0\]/)
    expect(() => validateBrackets([{ notionalFloor: 0, notionalCap: 10, maintenanceMarginRate: Number.NaN, maintenanceAmount: 0 }])).toThrow(/maintenanceMarginRate/)
  })
})
