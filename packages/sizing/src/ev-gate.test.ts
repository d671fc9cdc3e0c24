import { describe, expect, it } from 'vitest'
import { checkFeeSpike, evGate } from './ev-gate.js'
import { STAGE_SIZING_PARAMS } from './stages.js'

describe('evGate (expected profit ≥ fee × K)', () => {
  it('expected profit ≥ fee × K(stage)', () => {
    // 1,000 BTCUSD contracts, maker 0.01 % both ways: fee = 0.2 USD
    const fee = 1_000 * 0.0001 * 2
    expect(evGate({ expectedProfit: 0.4, estimatedFee: fee, feeMultiple: STAGE_SIZING_PARAMS[1].evFeeMultiple }).ok).toBe(true)
    const r = evGate({ expectedProfit: 0.4, estimatedFee: fee, feeMultiple: STAGE_SIZING_PARAMS[2].evFeeMultiple })
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

describe('checkFeeSpike', () => {
  it('actual > 1.5 × estimate is a spike', () => {
    expect(checkFeeSpike({ actualFee: 0.15, estimatedFee: 0.1 }).ok).toBe(true)
    const r = checkFeeSpike({ actualFee: 0.1500001, estimatedFee: 0.1 })
    expect(!r.ok && r.reason).toBe('fee-spike')
    expect(checkFeeSpike({ actualFee: 0.25, estimatedFee: 0.1, threshold: 3 }).ok).toBe(true)
  })
  it('expected rebate but paid a fee (maker fell through to taker) is a spike', () => {
    const r = checkFeeSpike({ actualFee: 0.0009375, estimatedFee: -0.0003125 })
    expect(!r.ok && r.reason).toBe('fee-spike')
    expect(checkFeeSpike({ actualFee: -0.0003125, estimatedFee: -0.0003125 }).ok).toBe(true)
  })
})
