import { describe, expect, it } from 'vitest'
import { detectFeeSpike } from './fee-spike.js'

describe('fee spike (actual / estimated fee above the threshold)', () => {
  // 100 contracts (= $100 notional on Bybit inverse) at the maker rate 0.01 % -> estimate $0.01
  it.each([
    [0.015, false], // exactly 1.5x is not above 1.5x
    [0.0151, true],
    [0.06, true], // filled as taker (0.06 %)
  ])('actual %d vs estimate 0.01 -> spike=%s', (actualFeeUsd, spike) => {
    expect(detectFeeSpike({ actualFeeUsd, estimatedFeeUsd: 0.01, ratio: 1.5 }).spike).toBe(spike)
  })
  it('a higher ratio tolerates more', () => {
    expect(detectFeeSpike({ actualFeeUsd: 0.025, estimatedFeeUsd: 0.01, ratio: 3 }).spike).toBe(false)
  })
  it('expected a rebate but paid a fee (maker fell through to taker) is a spike; the rebate itself is not', () => {
    // $12.5 notional: maker rebate -0.0025 % expected, taker 0.0075 % paid
    expect(detectFeeSpike({ actualFeeUsd: 0.0009375, estimatedFeeUsd: -0.0003125, ratio: 1.5 })).toEqual({ spike: true, feeRatio: null })
    expect(detectFeeSpike({ actualFeeUsd: -0.0003125, estimatedFeeUsd: -0.0003125, ratio: 1.5 })).toEqual({ spike: false, feeRatio: null })
    expect(detectFeeSpike({ actualFeeUsd: 0.01, estimatedFeeUsd: 0, ratio: 1.5 }).spike).toBe(true)
  })
  it('rejects non-finite fees and a ratio ≤ 0', () => {
    expect(() => detectFeeSpike({ actualFeeUsd: Number.NaN, estimatedFeeUsd: 0.01, ratio: 1.5 })).toThrow(/actualFeeUsd/)
    expect(() => detectFeeSpike({ actualFeeUsd: 0.01, estimatedFeeUsd: Number.POSITIVE_INFINITY, ratio: 1.5 })).toThrow(/estimatedFeeUsd/)
    expect(() => detectFeeSpike({ actualFeeUsd: 0.01, estimatedFeeUsd: 0.01, ratio: 0 })).toThrow(/ratio/)
  })
})
