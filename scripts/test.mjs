#!/usr/bin/env node
// Root `npm test`: everything CI runs, in order, then one summary line.
//   1 build (turbo)  2 typecheck (turbo)  3 lint: eslint, lint-rule self-test, dependency graph
//   4 unit tests (turbo run test --continue)  5 built-artifact checks (publint + attw)  6 every TSDoc @example and
//   guide code block typechecked on its own against the built packages  7 pack-and-install smoke test
//   8 strict API docs build with a link check over the generated site
// Steps keep going after a failure so one run shows every problem, except that artifact and smoke checks
// need a successful build and are reported failed ("skipped") without it.
// The last line is exactly `tests: N passed, M failed`: N/M are the vitest test cases of every workspace package
// plus each non-vitest step above counted as one check, so `M = 0` exactly when the exit code is 0.
import { spawnSync } from 'node:child_process'
import { cleanVitestResults, printVitestTable, summarizeVitest } from './test-summary.mjs'
import { repoRoot } from './lib/workspace.js'

// `npm test -- --filter=@perpkit/core` (repeatable) limits turbo steps, artifact and smoke checks and the
// vitest summary to those packages (local iteration; CI runs everything).
const filters = process.argv.filter((a) => a.startsWith('--filter=')).map((a) => a.slice('--filter='.length))
const turboArgs = filters.map((f) => `--filter=${f}`)
const onlyArgs = filters.length > 0 ? [`--only=${filters.join(',')}`] : []

const steps = [
  { id: 'build', run: 'build', args: turboArgs },
  { id: 'typecheck', run: 'typecheck', args: turboArgs },
  { id: 'lint:eslint', run: 'lint:eslint' },
  { id: 'lint:rules', run: 'lint:rules' },
  { id: 'lint:deps', run: 'lint:deps' },
  { id: 'lint:tsdoc', run: 'lint:tsdoc' },
  { id: 'test:unit', run: 'test:unit', args: turboArgs, vitest: true },
  { id: 'check:artifacts', run: 'check:artifacts', args: onlyArgs, needs: 'build' },
  { id: 'check:examples', run: 'check:examples', needs: 'build' },
  { id: 'smoke', run: 'smoke', args: onlyArgs, needs: 'build' },
  { id: 'docs', run: 'docs', args: ['--strict'] },
]

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const status = new Map()
const started = Date.now()

for (const step of steps) {
  if (step.needs !== undefined && status.get(step.needs)?.ok !== true) {
    status.set(step.id, { ok: false, note: `skipped: ${step.needs} failed`, ms: 0 })
    console.log(`\n▶ ${step.id}: skipped (${step.needs} failed)`)
    continue
  }
  if (step.vitest) cleanVitestResults()
  const args = step.args ?? []
  console.log(`\n▶ ${step.id}  (npm run ${step.run}${args.length > 0 ? ` -- ${args.join(' ')}` : ''})`)
  const t0 = Date.now()
  const r = spawnSync(npm, ['run', '--silent', step.run, ...(args.length > 0 ? ['--', ...args] : [])], { cwd: repoRoot, stdio: 'inherit', env: process.env })
  const ms = Date.now() - t0
  const ok = r.status === 0
  status.set(step.id, { ok, ms, note: ok ? '' : `exit ${r.status ?? r.signal}` })
  console.log(`${ok ? '✓' : '✗'} ${step.id} ${ok ? 'passed' : 'FAILED'} in ${(ms / 1000).toFixed(1)} s`)
}

const vitest = summarizeVitest(filters.length > 0 ? { only: filters } : {})
let passed = vitest.passed
let failed = vitest.failed
console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s)`)
for (const step of steps) {
  const s = status.get(step.id)
  console.log(`  ${s.ok ? '✓' : '✗'} ${step.id.padEnd(16)} ${s.ok ? 'ok' : s.note}${s.ms > 0 ? `  ${(s.ms / 1000).toFixed(1)} s` : ''}`)
  if (step.vitest) {
    // The unit-test step is represented by its test cases; a failing run with no failing case (e.g. a crash
    // outside any test file) still counts as one failure.
    if (!s.ok && vitest.failed === 0) failed += 1
    continue
  }
  if (s.ok) passed += 1
  else failed += 1
}
console.log('  vitest:')
printVitestTable(vitest)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 ? 1 : 0
