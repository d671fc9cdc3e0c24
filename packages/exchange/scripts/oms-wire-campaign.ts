/**
 * The order manager's invariants through the adapters and the wire, many seeded runs (the CI test runs 50 per
 * dialect): `npm run campaign:wire -w @perpkit/exchange -- --runs 1000 [--seed 1] [--dialect binance-usdm|bybit]`.
 * Prints runs, failures with their seeds and faults (replay one with `--runs 1 --seed <seed>`), how many runs had a
 * position to protect, the longest unprotected time seen, and the wall time.
 */
import { runWireScenario, type WireDialect } from '../test/oms-wire/scenario.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback
}

const runs = Number(arg('runs', '1000'))
const seed = Number(arg('seed', '1'))
const only = arg('dialect', 'all')
const dialects: WireDialect[] = only === 'all' ? ['binance-usdm', 'bybit'] : [only as WireDialect]
let failedAny = false
for (const dialect of dialects) {
  const started = performance.now()
  let failures = 0
  let withPosition = 0
  let maxUncoveredMs = 0
  let orders = 0
  for (let i = 0; i < runs; i++) {
    const run = await runWireScenario({ dialect, seed: seed + i })
    if (run.hadPosition) withPosition++
    maxUncoveredMs = Math.max(maxUncoveredMs, run.maxUncoveredMs)
    orders += run.venueOrders
    if (run.violations.length > 0) {
      failures++
      console.log(`${dialect} seed ${run.seed} (${run.symbol}) [${run.faults.join(' ')}]: ${run.violations.join('; ')}`)
    }
    if ((i + 1) % 100 === 0) process.stderr.write(`${dialect}: ${i + 1}/${runs} runs, ${failures} failures, ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  }
  failedAny ||= failures > 0
  console.log(
    `${dialect}: ${runs} runs from seed ${seed}, ${failures} failures, ${withPosition} with a position, ${orders} venue orders, longest unprotected ${maxUncoveredMs} ms, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  )
}
process.exitCode = failedAny ? 1 : 0
