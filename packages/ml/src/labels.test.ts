import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { forwardReturnLabels, tripleBarrierLabels } from './labels.js'

describe('forwardReturnLabels', () => {
  it('labels by the return over the horizon, NaN where the future is unknown (hand-computed)', () => {
    // 102/100 − 1 = 2 % > 1 %: 1; 101/101 = 0 %: 0; 103/102 ≈ 0.98 % ≤ 1 %: 0
    expect([...forwardReturnLabels({ close: [100, 101, 102, 101, 103], horizonBars: 2, thresholdPct: 1 })]).toEqual([1, 0, 0, Number.NaN, Number.NaN])
    expect(() => forwardReturnLabels({ close: [1, 2], horizonBars: 0 })).toThrow(InvalidInputError)
  })
})

describe('tripleBarrierLabels', () => {
  it('first barrier touched wins; the same bar touching both counts as the stop; vertical barrier by the close', () => {
    const label = tripleBarrierLabels({
      // t=0 (entry 100, barriers 102 / 98): bar 1 touches 98 first → 0
      // t=1 (entry 99, barriers 100.98 / 97.02): bar 2 touches both → 0
      // t=2 (entry 100, barriers 102 / 98): nothing touched, close 101 at the horizon > 100 → 1
      high: [100, 100, 102, 101, 101.5, 100],
      low: [100, 97.5, 97, 99, 100.5, 100],
      close: [100, 99, 100, 100.5, 101, 100],
      horizonBars: 2,
      upPct: 2,
      downPct: 2,
    })
    expect([...label]).toEqual([0, 0, 1, 0, Number.NaN, Number.NaN])
    expect(() => tripleBarrierLabels({ high: [1], low: [1], close: [1], horizonBars: 1, upPct: 0, downPct: 1 })).toThrow(InvalidInputError)
  })
})
