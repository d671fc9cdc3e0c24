/**
 * `perpkit report`: re-render the HTML/CSV report of a saved run.
 * @module
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InvalidInputError } from '@perpkit/core'
import { type RunResult, writeReportFiles } from '@perpkit/engine'
import { writeHtmlReport } from '@perpkit/report'
import type { Io } from '../io.js'
import { prepareOutput } from '../output.js'
import { type CliCommand, EXIT, stringOption } from './command.js'
import { outOption } from './options.js'

/** `perpkit report <run-dir | result.json> [--out dir]`. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 're-render the HTML/CSV/JSON report of a saved run',
  configure(command) {
    command.argument('<run>', 'a run directory or its result.json').addOption(outOption())
  },
  run: ({ args, options, io }) => runReport(args[0] as string, stringOption(options, 'out'), io),
}

async function runReport(target: string, outDir: string | undefined, io: Io): Promise<number> {
  const file = existsSync(target) && statSync(target).isDirectory() ? join(target, 'result.json') : target
  let result: RunResult
  try {
    result = JSON.parse(readFileSync(file, 'utf8')) as RunResult
  } catch (cause) {
    throw new InvalidInputError(existsSync(file) ? `${file}: not a perpkit result.json (${(cause as Error).message})` : `result file not found: ${file}`, { cause, path: 'result' })
  }
  if (typeof result !== 'object' || result === null || result.metrics === undefined || result.curve === undefined || !Array.isArray(result.trades)) {
    throw new InvalidInputError(`${file}: not a perpkit result.json (missing metrics, curve or trades)`, { path: 'result' })
  }
  const outRoot = outDir !== undefined ? resolve(outDir) : resolve(file, '..', '..')
  const name = `${resolve(file, '..').split('/').pop() ?? 'run'}-report`
  const out = prepareOutput({ root: outRoot, name })
  try {
    writeReportFiles({ result, dir: out.tempDir })
    const html = writeHtmlReport({ result, dir: out.tempDir })
    const dir = out.commit()
    io.out(`report: ${join(dir, html.split('/').pop() ?? 'report.html')}\n`)
    return EXIT.ok
  } catch (e) {
    out.discard()
    throw e
  }
}
