import { describe, expect, it } from 'vitest'
import { checkMargin } from './margin-check.js'

const inverse = { kind: 'inverse', contractSize: 1 } as const

describe('checkMargin (margin + fee buffer ≤ available)', () => {
  it('required = contracts/price/leverage + 2 × contracts/price × maker', () => {
    // 300 contracts at 50,000, 3x, maker 0.01 %: IM 0.002 BTC, fee buffer 0.0000012 BTC
    const r = checkMargin({ contract: inverse, qty: 300, price: 50_000, leverage: 3, feeRate: 0.0001, available: 0.0021 })
    expect(r.ok).toBe(true)
    expect(r.ok && r.value.initialMargin).toBeCloseTo(0.002, 15)
    expect(r.ok && r.value.feeBuffer).toBeCloseTo(0.0000012, 15)
  })
  it('refuses when margin + fees exceed available', () => {
    const r = checkMargin({ contract: inverse, qty: 300, price: 50_000, leverage: 3, feeRate: 0.0001, available: 0.002 })
    expect(!r.ok && r.reason).toBe('insufficient-margin')
    expect(!r.ok && r.details.required).toBeCloseTo(0.0020012, 15)
  })
  it('leverage ≤ 0 and negative available throw', () => {
    expect(() => checkMargin({ contract: inverse, qty: 1, price: 1, leverage: 0, feeRate: 0, available: 1 })).toThrow(/^leverage:/)
    expect(() => checkMargin({ contract: inverse, qty: 1, price: 1, leverage: 1, feeRate: 0, available: -1 })).toThrow(/^available:/)
  })
})
