/**
 * Writing a run's HTML report next to its data files.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResult } from '@perpkit/engine'
import { renderHtmlReport } from './html.js'

/**
 * File name of the HTML report written by {@link writeHtmlReport}.
 * @example
 * ```ts
 * import { REPORT_HTML_FILE } from '@perpkit/report'
 * import { join } from 'node:path'
 * declare const runDir: string
 * join(runDir, REPORT_HTML_FILE) // .../report.html
 * ```
 */
export const REPORT_HTML_FILE = 'report.html'

/**
 * Write `report.html` (see {@link renderHtmlReport}) into `dir` (created if needed), usually next to the files of
 * `@perpkit/engine`'s `writeReportFiles`.
 *
 * @param args - `{ result, dir, title? }`.
 * @returns the path of the file written.
 * @throws Node file-system errors; PerpkitError `internal` when `lightweight-charts` is missing.
 * @example
 * ```ts
 * import { writeHtmlReport } from '@perpkit/report'
 * import { type RunResult, writeReportFiles } from '@perpkit/engine'
 * declare const result: RunResult // from runBacktest()
 * writeReportFiles({ result, dir: 'out/run-1' })
 * console.log('report:', writeHtmlReport({ result, dir: 'out/run-1' }))
 * ```
 */
export function writeHtmlReport(args: { readonly result: RunResult; readonly dir: string; readonly title?: string }): string {
  mkdirSync(args.dir, { recursive: true })
  const path = join(args.dir, REPORT_HTML_FILE)
  writeFileSync(path, renderHtmlReport({ result: args.result, ...(args.title === undefined ? {} : { title: args.title }) }))
  return path
}
