/**
 * The CI test of the wire campaign (test/oms-wire/scenario.ts), one dialect per test file so the two run in
 * parallel.
 */
import { describe, expect, it } from 'vitest'
import { runWireScenario, type WireDialect } from './scenario.js'

/**
 * The CI test of one dialect: `runs` seeded runs (seeds 1…runs) must break no invariant; a failure names its seed
 * and faults (replay it with `npm run campaign:wire -- --runs 1 --seed <seed> --dialect <dialect>`).
 * @param dialect - which adapter and venue dialect
 * @param runs - how many runs
 */
export function defineWireCampaignTest(dialect: WireDialect, runs: number): void {
  describe(`@perpkit/oms over the ${dialect} adapter over the venue server`, () => {
    it(`${runs} seeded runs with faults: one venue order per client id, every position protected or flat in time, nothing left after close`, async () => {
      const failed: string[] = []
      for (let seed = 1; seed <= runs; seed++) {
        const run = await runWireScenario({ dialect, seed })
        if (run.violations.length > 0) failed.push(`seed ${seed} (${run.symbol}) [${run.faults.join(' ')}]: ${run.violations.join('; ')}`)
      }
      expect(failed).toEqual([])
    }, 600_000)
  })
}
