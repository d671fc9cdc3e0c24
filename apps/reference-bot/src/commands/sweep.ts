/**
 * `perpkit sweep`: run the config's strategy over a grid of parameter values on worker threads (all cores by
 * default), with a progress bar, a table of the best rows and a CSV of every row. Rows are in grid order and
 * each run is deterministic for a seed, so the results do not depend on how many workers ran them.
 * @module
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { SingleBar } from 'cli-progress'
import { Option } from 'commander'
import { expandGrid, parseGridAxis } from '../sweep/grid.js'
import { type SweepJobSpec, loadSweepConfig } from '../sweep/point.js'
import { runSweepLocal } from '../sweep/pool.js'
import { runSweepQueue } from '../sweep/queue.js'
import { bestRows, paramNames, sweepCsv } from '../sweep/results.js'
import { formatTable } from '../table.js'
import { type CliCommand, EXIT, stringOption, UsageError } from './command.js'
import { configOption, dataOption, positiveNumber, wholeNumber } from './options.js'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)} %`)
const num = (x: number | null, d: number): string => (x === null ? '—' : x.toFixed(d))

/** `perpkit sweep --param name=v1,v2 [--param name=from:to:step …] [--workers n] [--csv file] [--top n] [--seed n]`. */
export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'backtest a grid of strategy parameters on all cores; table of the best rows and a CSV of all',
  configure(command) {
    command
      .addOption(configOption())
      .addOption(dataOption())
      .addOption(new Option('-p, --param <name=values>', 'a strategy parameter and its values: v1,v2,… or from:to:step (repeat for more)').argParser(collect))
      .addOption(new Option('-w, --workers <n>', 'worker threads (default: every core)').argParser(positiveNumber))
      .addOption(new Option('-q, --queue <redis-url>', 'run the points as BullMQ jobs on this Redis instead (workers: perpkit worker --queue …)'))
      .addOption(new Option('--csv <file>', 'write every row to this CSV file'))
      .addOption(new Option('--top <n>', 'rows shown in the table, best total return first').argParser(positiveNumber).default(10))
      .addOption(new Option('--seed <n>', 'seed of the simulated venue').argParser(wholeNumber).default(1))
      .option('--no-progress', 'no progress bar (it is shown only on a terminal)')
  },
  async run({ options, io }) {
    const specs = (options.param as string[] | undefined) ?? []
    if (specs.length === 0) throw new UsageError('give at least one --param name=values')
    const points = expandGrid(specs.map(parseGridAxis))
    const configPath = stringOption(options, 'config')
    const dataPath = stringOption(options, 'data')
    const spec: SweepJobSpec = { ...(configPath !== undefined ? { configPath: resolve(configPath) } : {}), ...(dataPath !== undefined ? { dataPath: resolve(dataPath) } : {}), seed: options.seed as number }
    const loaded = loadSweepConfig(spec) // bad config: a clear error before any worker starts
    const queue = stringOption(options, 'queue')
    if (queue !== undefined && options.workers !== undefined) throw new UsageError('--workers and --queue exclude each other (queue workers are started with perpkit worker)')
    const workers = Math.floor((options.workers as number | undefined) ?? availableParallelism())
    const where = queue !== undefined ? `as jobs on ${queue}` : `on ${Math.min(workers, points.length)} worker thread(s)`
    io.out(`perpkit sweep: ${loaded.config.strategy.class} (${loaded.config.strategy.id}), ${points.length} points ${where}, seed ${spec.seed}\n`)
    const bar = io.isTty && options.progress !== false ? new SingleBar({ format: 'sweep [{bar}] {percentage}% | {value}/{total} runs | eta {eta}s', stream: process.stderr, hideCursor: true }) : undefined
    bar?.start(points.length, 0)
    const t0 = io.nowMs()
    let rows
    try {
      const onProgress = bar !== undefined ? { onProgress: (done: number) => bar.update(done) } : {}
      rows = queue !== undefined ? await runSweepQueue({ url: queue, spec, points, ...onProgress }) : await runSweepLocal({ spec, points, workers, ...onProgress })
    } finally {
      bar?.stop()
    }
    const seconds = (io.nowMs() - t0) / 1000
    const names = paramNames(rows)
    const top = bestRows(rows, Math.floor(options.top as number))
    const table = [
      ['#', ...names, 'return', 'max DD', 'Sharpe', 'trades', 'win rate', 'PF'],
      ...top.map((r) => [String(r.index), ...names.map((n) => String(r.params[n])), pct(r.metrics.totalReturn), pct(r.metrics.maxDrawdown), num(r.metrics.sharpe, 3), String(r.metrics.trades), pct(r.metrics.winRate), num(r.metrics.profitFactor, 3)]),
    ]
    io.out(formatTable({ title: `sweep ${loaded.config.strategy.id}: best ${top.length} of ${rows.length} by total return`, rows: table }))
    const csv = stringOption(options, 'csv')
    if (csv !== undefined) {
      writeFileSync(resolve(csv), sweepCsv(rows))
      io.out(`csv: ${resolve(csv)}\n`)
    }
    io.out(`${rows.length} runs in ${seconds.toFixed(1)} s\n`)
    return EXIT.ok
  },
}
