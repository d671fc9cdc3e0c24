/**
 * Long-run campaign of the OMS model: thousands of 20–60-action runs per venue against the simulated venue, with
 * every fault kind. Prints runs, mean length, failures (and the seeds to replay them).
 *
 *   npm run campaign -w @perpkit/oms -- --runs 10000 --seed 7 [--venue binance-usdm|bybit-inverse] [--out report.json]
 *     [--without late-accept,silence,adl,wall-step]   (leave extra fault kinds out, to attribute failures)
 *
 * Replay one failure: `--runs 1 --seed <failure seed>`.
 */
import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import type { Profile } from './harness.js'
import { type ExtraFault, longRunArbOf, runModel } from './model.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback
}

interface VenueReport {
  readonly venue: Profile
  runs: number
  actions: number
  failures: number
  readonly kinds: Record<string, number>
  readonly examples: { seed: number; violation: string; length: number }[]
  wallMs: number
}

async function campaign(venue: Profile, runs: number, seed: number, without: ReadonlySet<ExtraFault>): Promise<VenueReport> {
  const longRunArb = longRunArbOf(without)
  const report: VenueReport = { venue, runs: 0, actions: 0, failures: 0, kinds: {}, examples: [], wallMs: 0 }
  const started = performance.now()
  for (let i = 0; i < runs; i++) {
    const runSeed = seed + i
    const [actions] = fc.sample(longRunArb, { seed: runSeed, numRuns: 1 }) as [Parameters<typeof runModel>[0]['actions']]
    const run = await runModel({ profile: venue, actions, seed: runSeed })
    report.runs++
    report.actions += run.steps
    if (run.violations.length > 0) {
      report.failures++
      const first = run.violations[0] as string
      const kind = first.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#').slice(0, 60)
      report.kinds[kind] = (report.kinds[kind] ?? 0) + 1
      if (report.examples.length < 20) report.examples.push({ seed: runSeed, violation: first.slice(0, 300), length: run.steps })
    }
    if ((i + 1) % 500 === 0) process.stderr.write(`${venue}: ${i + 1}/${runs} runs, mean length ${(report.actions / report.runs).toFixed(1)}, ${report.failures} failures, ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  }
  report.wallMs = performance.now() - started
  return report
}

const runs = Number(arg('runs', '10000'))
const seed = Number(arg('seed', '1'))
const only = arg('venue', 'all')
const without = new Set(arg('without', '').split(',').filter((x) => x !== '') as ExtraFault[])
const venues: Profile[] = only === 'all' ? ['binance-usdm', 'bybit-inverse'] : [only as Profile]
const reports: VenueReport[] = []
for (const venue of venues) {
  const r = await campaign(venue, runs, seed, without)
  reports.push(r)
  console.log(`${venue}: runs ${r.runs}, mean length ${(r.actions / Math.max(1, r.runs)).toFixed(1)} actions, failures ${r.failures} (${((100 * r.failures) / Math.max(1, r.runs)).toFixed(2)} %), ${(r.wallMs / 1000).toFixed(0)} s`)
  for (const [kind, n] of Object.entries(r.kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${kind}`)
}
const out = arg('out', '')
if (out !== '') writeFileSync(out, `${JSON.stringify({ seed, runs, reports }, null, 2)}\n`)
