import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { lossBudget } from './loss-budget.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const

describe('lossBudget (min of the percentage and USD caps)', () => {
  it('inverse stage 1: min(equity_btc × 12 %, $10 / price)', () => {
    // $100 of equity at 50,000 = 0.002 BTC: 12 % = 0.00024 BTC ($12) > $10 cap = 0.0002 BTC → the USD cap binds
    const r = lossBudget({ contract: inverse, equity: 0.002, price: 50_000, maxLossFraction: 0.12, maxLossUsd: 10 })
    expect(r.ok && r.value.binding).toBe('usd-cap')
    expect(r.ok && r.value.budget).toBeCloseTo(0.0002, 15)
    expect(r.ok && r.value.budgetUsd).toBeCloseTo(10, 9)
  })
  it('BTC price drop: the percentage cap binds (the reason 001 defines the budget in BTC)', () => {
    // same 0.002 BTC when BTC falls to 30,000 ($60 equity): 12 % = 0.00024 BTC ($7.2) < $10/30,000 = 0.000333 BTC
    const r = lossBudget({ contract: inverse, equity: 0.002, price: 30_000, maxLossFraction: 0.12, maxLossUsd: 10 })
    expect(r.ok && r.value.binding).toBe('fraction')
    expect(r.ok && r.value.budget).toBeCloseTo(0.00024, 15)
  })
  it('linear analogue in USDT, with and without a fixed cap; stage 2 caps ($20, 8 %)', () => {
    const s2 = { maxLossFraction: 0.08, maxLossUsd: 20 }
    const r = lossBudget({ contract: linear, equity: 500, price: 50_000, maxLossFraction: s2.maxLossFraction, maxLossUsd: s2.maxLossUsd })
    expect(r.ok && r.value.budget).toBe(20) // min(40, 20)
    const f = lossBudget({ contract: linear, equity: 500, price: 50_000, maxLossFraction: 0.01 })
    expect(f.ok && f.value.budget).toBe(5)
  })
  it('zero equity → zero-budget; negative or NaN equity throws', () => {
    const r = lossBudget({ contract: linear, equity: 0, price: 1, maxLossFraction: 0.1 })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toBe('zero-budget')
    expect(() => lossBudget({ contract: linear, equity: -1, price: 1, maxLossFraction: 0.1 })).toThrow(/^equity:/)
    expect(() => lossBudget({ contract: linear, equity: Number.NaN, price: 1, maxLossFraction: 0.1 })).toThrow(InvalidInputError)
    expect(() => lossBudget({ contract: inverse, equity: 1, price: 0, maxLossFraction: 0.1 })).toThrow(/^price:/)
    expect(() => lossBudget({ contract: inverse, equity: 1, price: 1, maxLossFraction: 1.5 })).toThrow(/^maxLossFraction:/)
  })
})
