#!/usr/bin/env node
// Sums the per-package vitest JSON reports (written by vitest.shared.ts to <pkg>/.turbo/vitest-results.json)
// and prints per-package counts. With `--line`, prints only the final `tests: N passed, M failed` line.
// `--clean` deletes stale reports (run before `turbo run test`; turbo cache hits restore them).
// Exported `summarizeVitest()` is used by scripts/test.mjs.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { findFiles, listWorkspaces, repoRoot } from './lib/workspace.js'

const RESULTS = join('.turbo', 'vitest-results.json')
// Errors raised outside any test case (written by the reporter in vitest.shared.ts).
const ERRORS = join('.turbo', 'vitest-errors.json')

export function cleanVitestResults() {
  for (const ws of listWorkspaces()) {
    rmSync(join(ws.path, RESULTS), { force: true })
    rmSync(join(ws.path, ERRORS), { force: true })
  }
}

/** Unhandled errors of one package's last run, each as one line (file, test, message). */
function unhandledErrors(wsPath) {
  const file = join(wsPath, ERRORS)
  if (!existsSync(file)) return []
  const { errors = [] } = JSON.parse(readFileSync(file, 'utf8'))
  return errors.map((e) => {
    const where = [e.testFile ? relative(wsPath, e.testFile) : undefined, e.testName].filter(Boolean).join(' > ')
    const at = (e.stack ?? '').split('\n').find((l) => l.trim().startsWith('at ')) ?? ''
    return `unhandled ${e.name ?? 'Error'}: ${e.message}${where ? ` [${where}]` : ''}${at ? ` ${at.trim()}` : ''}`
  })
}

/**
 * @returns {{ passed: number, failed: number, skipped: number, rows: { name: string, passed: number, failed: number, skipped: number, note?: string }[] }}
 */
export function summarizeVitest({ only } = {}) {
  const rows = []
  for (const ws of listWorkspaces()) {
    if (only !== undefined && !only.includes(ws.pkg.name)) continue
    const hasTests = findFiles(join(ws.path, 'src'), /\.test\.ts$/).length + findFiles(join(ws.path, 'test'), /\.test\.ts$/).length > 0
    const file = join(ws.path, RESULTS)
    if (!existsSync(file)) {
      if (hasTests) rows.push({ name: ws.pkg.name, passed: 0, failed: 1, skipped: 0, note: `no vitest report (${relative(repoRoot, file)}): the run crashed or never started` })
      continue
    }
    const report = JSON.parse(readFileSync(file, 'utf8'))
    let passed = 0
    let failed = 0
    let skipped = 0
    const broken = []
    for (const suite of report.testResults ?? []) {
      const asserts = suite.assertionResults ?? []
      for (const a of asserts) {
        if (a.status === 'passed') passed += 1
        else if (a.status === 'failed') failed += 1
        else skipped += 1
      }
      // A test file that failed to load (syntax/import error) has no assertions: count it as one failure.
      if (suite.status === 'failed' && !asserts.some((a) => a.status === 'failed')) {
        failed += 1
        broken.push(relative(ws.path, suite.name))
      }
    }
    // An error outside any test case fails vitest's run without failing a case: count each as one failure.
    const unhandled = unhandledErrors(ws.path)
    failed += unhandled.length
    const notes = [...(broken.length > 0 ? [`failed to run: ${broken.join(', ')}`] : []), ...unhandled]
    rows.push({ name: ws.pkg.name, passed, failed, skipped, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) })
  }
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0)
  return { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), rows }
}

export function printVitestTable(summary) {
  for (const r of summary.rows) {
    const extra = r.skipped > 0 ? `, ${r.skipped} skipped` : ''
    console.log(`  ${r.name.padEnd(24)} ${String(r.passed).padStart(5)} passed, ${r.failed} failed${extra}${r.note ? `  (${r.note})` : ''}`)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--clean')) {
    cleanVitestResults()
  } else {
    const s = summarizeVitest()
    if (!process.argv.includes('--line')) printVitestTable(s)
    console.log(`tests: ${s.passed} passed, ${s.failed} failed`)
    process.exitCode = s.failed > 0 ? 1 : 0
  }
}
