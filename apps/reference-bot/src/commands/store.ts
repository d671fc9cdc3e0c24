/**
 * `perpkit store`: the trade store — import candles from the CSV/JSON files backtests read, list the runs written
 * with `--store`, print a candle series.
 * @module
 */
import { candleAt, loadCandles, validateCandles } from '@perpkit/engine'
import { InvalidInputError, timeframeMs, timeframeSchema, type Timeframe } from '@perpkit/core'
import type { CandleSeries, TradeStore } from '@perpkit/store'
import { Argument, InvalidArgumentError, Option } from 'commander'
import type { Io } from '../io.js'
import { openStoreAt, printableStore } from '../store-open.js'
import { formatTable } from '../table.js'
import { type CliCommand, type CommandContext, EXIT, stringOption, UsageError } from './command.js'

const ACTIONS = ['import', 'runs', 'candles'] as const
type Action = (typeof ACTIONS)[number]

/** Where the store is when `--store` is not given. */
export const DEFAULT_STORE = 'perpkit.db'

function timeframe(value: string): Timeframe {
  const r = timeframeSchema.safeParse(value)
  if (!r.success) throw new InvalidArgumentError(`expected one of ${timeframeSchema.options.join(', ')}.`)
  return r.data
}

function isoTime(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidArgumentError('expected an ISO date-time (2025-07-04T00:00Z) or epoch milliseconds.')
  return ms
}

/** `perpkit store import <candles.csv[.gz]|.json> --venue v --symbol s --timeframe tf` · `store runs` · `store candles …`. */
export const storeCommand: CliCommand = {
  name: 'store',
  summary: 'the trade store: import candles, list runs, print candles',
  configure(command) {
    command
      .addArgument(new Argument('<action>', 'import | runs | candles').choices(ACTIONS))
      .argument('[file]', 'import: the candle file (CSV/JSON, optionally .gz, as backtest --data reads)')
      .option('--store <file.db|postgres://…>', 'the trade store: a SQLite file (created if missing) or a PostgreSQL URL', DEFAULT_STORE)
      .option('--venue <venue>', 'import, candles: the venue of the series (e.g. binance-usdm)')
      .option('--symbol <symbol>', 'import, candles: the unified symbol of the series (e.g. BTC/USDT:USDT)')
      .addOption(new Option('--timeframe <tf>', 'import, candles: the bar length of the series').argParser(timeframe))
      .addOption(new Option('--from <time>', 'candles: first open time (ISO or epoch ms), inclusive').argParser(isoTime))
      .addOption(new Option('--to <time>', 'candles: end open time (ISO or epoch ms), exclusive').argParser(isoTime))
  },
  async run({ args, options, io }) {
    const action = args[0] as Action
    const file = args[1]
    if (action !== 'import' && file !== undefined) throw new UsageError(`unexpected argument '${file}' (store ${action} takes no file)`)
    if (action === 'import' && file === undefined) throw new UsageError("missing argument 'file' (the candle file to import)")
    const target = stringOption(options, 'store') ?? DEFAULT_STORE
    const series = action === 'runs' ? undefined : seriesFrom(options)
    const store = await openStoreAt(target)
    try {
      if (action === 'runs') printRuns(io, await store.listRuns())
      else if (action === 'import') await importCandles(io, store, file as string, series as CandleSeries, target)
      else await printCandles(io, store, series as CandleSeries, options)
      return EXIT.ok
    } finally {
      await store.close()
    }
  },
}

function seriesFrom(options: CommandContext['options']): CandleSeries {
  const venue = stringOption(options, 'venue')
  const symbol = stringOption(options, 'symbol')
  const tf = options.timeframe as Timeframe | undefined
  const missing = [venue === undefined ? '--venue' : '', symbol === undefined ? '--symbol' : '', tf === undefined ? '--timeframe' : ''].filter((m) => m !== '')
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (the candle series)`)
  return { venue: venue as string, symbol: symbol as string, timeframe: tf as Timeframe }
}

async function importCandles(io: Io, store: TradeStore, file: string, series: CandleSeries, target: string): Promise<void> {
  const { columns } = loadCandles({ path: file, cacheDir: false })
  const report = validateCandles({ columns })
  if (!report.ok) {
    throw new InvalidInputError(`${report.issues[0]?.message ?? 'invalid candles'} (${report.issues.length} problem(s) in ${file})`, { path: 'file' })
  }
  if (report.timeframeMs !== 0 && report.timeframeMs !== timeframeMs(series.timeframe)) {
    throw new InvalidInputError(`--timeframe is ${series.timeframe} but ${file} has ${report.timeframeMs / 60_000}-minute bars`, { path: 'timeframe' })
  }
  const candles = Array.from({ length: columns.length }, (_, i) => candleAt(columns, i))
  const t0 = performance.now()
  const written = await store.putCandles(series, candles)
  const seconds = (performance.now() - t0) / 1000
  const span = columns.length === 0 ? '' : ` from ${new Date(columns.openTimeMs[0] as number).toISOString()} to ${new Date(columns.openTimeMs[columns.length - 1] as number).toISOString()}`
  io.out(`imported ${written.toLocaleString('en-US')} candles (${series.venue} ${series.symbol} ${series.timeframe}${span}) into ${printableStore(target)} in ${seconds.toFixed(2)} s\n`)
}

function printRuns(io: Io, runs: Awaited<ReturnType<TradeStore['listRuns']>>): void {
  if (runs.length === 0) {
    io.out('no runs in the store (write one with: perpkit backtest --store <file.db>)\n')
    return
  }
  const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z'))
  io.out(formatTable({ title: `${runs.length} run(s)`, rows: [['id', 'mode', 'strategy', 'venue', 'symbol', 'started', 'ended'], ...runs.map((r) => [r.id, r.mode, r.strategy, r.venue, r.symbol, time(r.startedAtMs), time(r.endedAtMs)])] }))
}

async function printCandles(io: Io, store: TradeStore, series: CandleSeries, options: CommandContext['options']): Promise<void> {
  const from = options.from as number | undefined
  const to = options.to as number | undefined
  const candles = await store.getCandles(series, { ...(from !== undefined ? { fromMs: from } : {}), ...(to !== undefined ? { toMs: to } : {}) })
  const lines = ['open_time,open,high,low,close,volume', ...candles.map((c) => `${c.openTimeMs},${c.open},${c.high},${c.low},${c.close},${c.volume}`)]
  io.out(`${lines.join('\n')}\n`)
}
