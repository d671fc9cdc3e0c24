/**
 * The CI test of the wire campaign (test/oms-wire/scenario.ts), one dialect per test file so the two run in
 * parallel.
 */
import { describe, expect, it } from 'vitest'
import { runEntryThenStop } from './entry-then-stop.js'
import { runWireScenario, STOP_WITHIN_MS, type WireDialect } from './scenario.js'

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

    it.each(dialect === 'bybit' ? [false, true] : [false])(
      'the adapter cannot hold a reduce-only stop before a position: entry created first, stop on the venue within 2 s of the fill (inverse: %s)',
      async (inverse) => {
        const run = await runEntryThenStop(dialect, inverse)
        const entryAt = run.creates.findIndex((id) => id.endsWith('_en0'))
        const stopAt = run.creates.findIndex((id) => id.includes('_sl'))
        expect(entryAt).toBe(0)
        expect(stopAt).toBeGreaterThan(entryAt)
        expect(run.positionQty).toBeGreaterThan(0)
        expect(run.fillAtMs).toBeDefined()
        expect((run.stopAcceptedAtMs ?? Infinity) - (run.fillAtMs ?? 0)).toBeLessThanOrEqual(STOP_WITHIN_MS)
        expect((run.coveredAtMs ?? Infinity) - (run.fillAtMs ?? 0)).toBeLessThanOrEqual(STOP_WITHIN_MS)
        expect(run.finalPositionQty).toBe(0)
      },
      60_000,
    )
  })
}
