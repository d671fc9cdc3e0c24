import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LONG_RUN, longRunArb, runModel } from './model.js'

// 200 long runs (20–60 actions each) per venue in CI with a fixed seed; `npm run campaign -w @perpkit/oms` runs
// thousands with a configurable seed and reports runs, mean length and failures.
// The runs are split into batches of BATCH, one test each with its own seed, so no single test nears the runner's
// per-test timeout on a loaded machine: the same number of runs of the same generator, checked the same way.
const RUNS = Number(process.env.OMS_MODEL_RUNS ?? 200)
const SEED = Number(process.env.OMS_MODEL_SEED ?? 20260701)
const BATCH = 25
const batches = Array.from({ length: Math.ceil(RUNS / BATCH) }, (_, i) => ({ batch: i, runs: Math.min(BATCH, RUNS - i * BATCH) }))

describe.each(['binance-usdm', 'bybit-inverse'] as const)('model (%s)', (profile) => {
  it.each(batches)(`invariants hold after every step and after settling (batch $batch: $runs of ${RUNS} long runs)`, async ({ batch, runs }) => {
    let totalSteps = 0
    await fc.assert(
      fc.asyncProperty(longRunArb, fc.integer({ min: 1, max: 1_000_000 }), async (actions, seed) => {
        const run = await runModel({ profile, actions, seed })
        totalSteps += run.steps
        expect(run.violations).toEqual([])
      }),
      { numRuns: runs, seed: SEED + 2 * batch + (profile === 'binance-usdm' ? 0 : 1), endOnFailure: true },
    )
    // the runs really are long: fast-check's size bias would keep them at a handful of actions otherwise
    expect(totalSteps / runs).toBeGreaterThanOrEqual(LONG_RUN.minLength)
  })
})
