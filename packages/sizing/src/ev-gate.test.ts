import { describe, expect, it } from 'vitest'
import { evGate } from './ev-gate.js'

describe('evGate (expected profit ≥ fee × K)', () => {
  it('expected profit ≥ fee × K(stage)', () => {
    // K = 2 in the account builder's stage 1, 2.5 in stage 2
    // 1,000 BTCUSD contracts, maker 0.01 % both ways: fee = 0.2 USD
    const fee = 1_000 * 0.0001 * 2
    expect(evGate({ expectedProfit: 0.4, estimatedFee: fee, feeMultiple: 2 }).ok).toBe(true)
    const r = evGate({ expectedProfit: 0.4, estimatedFee: fee, feeMultiple: 2.5 })
    expect(!r.ok && r.reason).toBe('ev-below-fees')
    expect(!r.ok && r.details.requiredProfit).toBeCloseTo(0.5, 12)
  })
  it('zero or negative expected profit never passes', () => {
    expect(evGate({ expectedProfit: 0, estimatedFee: 0, feeMultiple: 2 }).ok).toBe(false)
    expect(evGate({ expectedProfit: -1, estimatedFee: 0, feeMultiple: 2 }).ok).toBe(false)
  })
  it('throws on bad input', () => {
    expect(() => evGate({ expectedProfit: Number.NaN, estimatedFee: 1, feeMultiple: 2 })).toThrow(/^expectedProfit:/)
    expect(() => evGate({ expectedProfit: 1, estimatedFee: -1, feeMultiple: 2 })).toThrow(/^estimatedFee:/)
    expect(() => evGate({ expectedProfit: 1, estimatedFee: 1, feeMultiple: 0 })).toThrow(/^feeMultiple:/)
  })
})
