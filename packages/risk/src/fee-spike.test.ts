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
  it('rejects a zero estimate', () => {
    expect(() => detectFeeSpike({ actualFeeUsd: 0.01, estimatedFeeUsd: 0, ratio: 1.5 })).toThrow(/estimatedFeeUsd/)
  })
})
