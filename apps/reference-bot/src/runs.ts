/**
 * What `backtest` and `paper` share: the config with command-line overrides applied, and the summary printed
 * after a run.
 * @module
 */
import { metricRows } from '@perpkit/report'
import { stringOption, type CommandContext } from './commands/command.js'
import type { Io } from './io.js'
import { loadConfig, type LoadedConfig } from './config.js'
import type { RunConfiguredOptions, RunOutput } from './compose.js'
import { openStoreAt, printableStore } from './store-open.js'
import { formatTable } from './table.js'

type RunConfiguredStore = NonNullable<RunConfiguredOptions['store']>

/** The config named by `--config` (or the embedded default), with `--data` and `--out` applied. */
export function configFromOptions(options: CommandContext['options'], mode: 'backtest' | 'paper'): LoadedConfig {
  const path = stringOption(options, 'config')
  const loaded = loadConfig({ ...(path !== undefined ? { path } : {}), overrides: { mode } })
  const data = stringOption(options, 'data')
  const out = stringOption(options, 'out')
  return {
    ...loaded,
    ...(data !== undefined ? { candlesPath: data } : {}),
    config: { ...loaded.config, ...(out !== undefined ? { output: { dir: out } } : {}) },
  }
}

/** Print the metrics table, log counts and where the report is. */
export function printSummary(io: Io, r: RunOutput, title: string): void {
  const m = r.result.metrics
  const rows = metricRows(m).map(([k, v]) => [k, v])
  io.out(formatTable({ title, rows }))
  io.out(`\nlogs: ${r.logs.trades} trades, ${r.logs.decisions} decisions (signed), ${r.logs.halts} HALT records, ${r.logs.daily} daily rollups\n`)
  if (r.sizingSummary !== undefined) io.out(`${r.sizingSummary}\n`)
  io.out(`report: ${r.files.html}\n`)
  if (r.store !== undefined) io.out(`store:  run ${r.store.runId} written to ${r.store.target}\n`)
  io.out(`files:  ${r.dir}/ (result.json, metrics.json, trades.csv, equity.csv, trades.jsonl, decisions.jsonl, halts.jsonl, daily.jsonl)\n`)
}

/** Run `fn` with the trade store named by `--store` (opened before, closed after), or without one. */
export async function withRunStore<T>(options: CommandContext['options'], io: Io, fn: (store: RunConfiguredStore | undefined) => Promise<T>): Promise<T> {
  const target = stringOption(options, 'store')
  if (target === undefined) return fn(undefined)
  const store = await openStoreAt(target)
  try {
    return await fn({ store, nowMs: io.nowMs, target: printableStore(target) })
  } finally {
    await store.close()
  }
}
