/**
 * Writing a run's data files (JSON, CSV) into a directory; the HTML report is `@perpkit/report`'s `writeHtmlReport`.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { equityToCsv, tradesToCsv } from './csv.js'
import { drawdownOf } from './metrics.js'
import type { RunResult } from './types.js'

/**
 * File names written by {@link writeReportFiles}.
 * @example
 * ```ts
 * import { REPORT_FILES } from '@perpkit/engine'
 * import { join } from 'node:path'
 * declare const runDir: string
 * join(runDir, REPORT_FILES.trades) // .../trades.csv
 * ```
 */
export const REPORT_FILES = { result: 'result.json', metrics: 'metrics.json', trades: 'trades.csv', equity: 'equity.csv' } as const

/**
 * Serialise a {@link RunResult} to JSON (non-finite numbers become null).
 *
 * @param result - the run result.
 * @returns pretty JSON text.
 * @example
 * ```ts
 * import { resultToJson, type RunResult } from '@perpkit/engine'
 * import { writeFileSync } from 'node:fs'
 * declare const result: RunResult // from runBacktest()
 * writeFileSync('result.json', resultToJson(result))
 * ```
 */
export function resultToJson(result: RunResult): string {
  return `${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`
}

/**
 * Write `result.json`, `metrics.json`, `trades.csv` and `equity.csv` into `dir` (created if needed); add the HTML
 * report with `@perpkit/report`'s `writeHtmlReport`. Callers wanting all-or-nothing output write to a temporary
 * directory and rename it afterwards.
 *
 * @param args - `{ result, dir }`.
 * @returns absolute-or-relative paths of the files written, keyed like {@link REPORT_FILES}.
 * @throws Node file-system errors.
 * @example
 * ```ts
 * import { type RunResult, writeReportFiles } from '@perpkit/engine'
 * declare const result: RunResult // from runBacktest()
 * const files = writeReportFiles({ result, dir: 'out/run-1' })
 * console.log('trades:', files.trades)
 * ```
 */
export function writeReportFiles(args: { readonly result: RunResult; readonly dir: string }): Record<keyof typeof REPORT_FILES, string> {
  const { result, dir } = args
  mkdirSync(dir, { recursive: true })
  const p = (k: keyof typeof REPORT_FILES): string => join(dir, REPORT_FILES[k])
  writeFileSync(p('result'), resultToJson(result))
  writeFileSync(p('metrics'), `${JSON.stringify(result.metrics, null, 2)}\n`)
  writeFileSync(p('trades'), tradesToCsv(result.trades))
  writeFileSync(p('equity'), equityToCsv(result.curve, drawdownOf(result.curve).drawdown))
  return { result: p('result'), metrics: p('metrics'), trades: p('trades'), equity: p('equity') }
}
