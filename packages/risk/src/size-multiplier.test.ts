import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import { initialSizeMultiplierState, nextSizeMultiplier, type TradeOutcome } from './size-multiplier.js'

const config = parseRiskConfig().sizeMultiplier
const run = (outcomes: readonly TradeOutcome[]) =>
  outcomes.reduce((state, outcome) => nextSizeMultiplier({ state, outcome, config }), initialSizeMultiplierState({ config })).multiplier

describe('loss-streak size multiplier with recovery', () => {
  const L = 'loss' as const
  const W = 'win' as const
  it.each([
    [[L, L], 1],
    [[L, L, L], 0.5],
    [[L, L, L, L, L, L], 0.25],
    [[L, L, L, L, L, L, L, L, L], 0.25], // floor
    [[L, L, W, L], 1], // a win breaks the streak
    [[L, L, L, W, W], 0.5],
    [[L, L, L, W, W, W], 0.75],
    [[L, L, L, L, L, L, W, W, W], 0.375],
    [[L, L, L, W, W, W, W, W, W], 1], // 0.75 x 1.5 = 1.125 -> cap 1.0
    [[W, W, W], 1],
    [[L, L, 'breakeven', L], 1],
  ] as const)('%j -> %d', (outcomes, m) => {
    expect(run(outcomes)).toBe(m)
  })

  it('property: the multiplier stays in [0.25, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<TradeOutcome>('win', 'loss', 'breakeven'), { maxLength: 200 }), (outcomes) => {
        let state = initialSizeMultiplierState({ config })
        for (const outcome of outcomes) {
          state = nextSizeMultiplier({ state, outcome, config })
          if (!(state.multiplier >= 0.25 && state.multiplier <= 1)) return false
        }
        return true
      }),
      { numRuns: 1000 },
    )
  })
})
