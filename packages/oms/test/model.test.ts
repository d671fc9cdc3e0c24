import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { actionArb, runModel } from './model.js'

// 200 runs per property in CI with a fixed seed; `npm run test:model` sets OMS_MODEL_RUNS=10000 locally.
const RUNS = Number(process.env.OMS_MODEL_RUNS ?? 200)
const SEED = Number(process.env.OMS_MODEL_SEED ?? 20260701)

describe.each(['binance-usdm', 'bybit-inverse'] as const)('model (%s)', (profile) => {
  it(`invariants hold after every step and after settling (${RUNS} runs)`, async () => {
    let totalSteps = 0
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1_000_000 }), async (actions, seed) => {
        const run = await runModel({ profile, actions, seed })
        totalSteps += run.steps
        expect(run.violations).toEqual([])
      }),
      { numRuns: RUNS, seed: SEED + (profile === 'binance-usdm' ? 0 : 1), endOnFailure: true },
    )
    expect(totalSteps).toBeGreaterThan(RUNS)
  })
})
