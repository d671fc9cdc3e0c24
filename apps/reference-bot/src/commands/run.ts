/**
 * `perpkit backtest` and `perpkit paper`.
 * @module
 */
import { metricRows } from '@perpkit/engine'
import { SingleBar } from 'cli-progress'
import type { Args } from '../args.js'
import type { Io } from '../io.js'
import { loadConfig } from '../config.js'
import { runConfigured } from '../compose.js'
import { formatTable } from '../table.js'

function configFrom(args: Args, mode: 'backtest' | 'paper'): ReturnType<typeof loadConfig> {
  const path = typeof args.flags.config === 'string' ? args.flags.config : undefined
  const loaded = loadConfig({ ...(path !== undefined ? { path } : {}), overrides: { mode } })
  const data = args.flags.data
  const out = args.flags.out
  return {
    ...loaded,
    ...(typeof data === 'string' ? { candlesPath: data } : {}),
    config: { ...loaded.config, ...(typeof out === 'string' ? { output: { dir: out } } : {}) },
  }
}

function summary(io: Io, r: Awaited<ReturnType<typeof runConfigured>>, title: string): void {
  const m = r.result.metrics
  const rows = metricRows(m).map(([k, v]) => [k, v])
  io.out(formatTable({ title, rows }))
  io.out(`\nlogs: ${r.logs.trades} trades, ${r.logs.decisions} decisions (signed), ${r.logs.halts} HALT records, ${r.logs.daily} daily rollups\n`)
  io.out(`report: ${r.files.html}\n`)
  io.out(`files:  ${r.dir}/ (result.json, metrics.json, trades.csv, equity.csv, trades.jsonl, decisions.jsonl, halts.jsonl, daily.jsonl)\n`)
}

/** `perpkit backtest`. */
export async function runBacktestCommand(args: Args, io: Io): Promise<number> {
  const loaded = configFrom(args, 'backtest')
  io.out(`perpkit backtest: ${loaded.config.strategy.class} (${loaded.config.strategy.id}) on ${loaded.symbols.join(', ')} ${loaded.config.data.timeframe}, ${loaded.config.venue} ${loaded.config.testnet ? 'testnet' : 'production'} (${loaded.settle}), config ${loaded.file}\n`)
  const showBar = io.isTty && args.flags['no-progress'] !== true
  const bar = showBar ? new SingleBar({ format: 'backtest [{bar}] {percentage}% | {value}/{total} bars | eta {eta}s', stream: process.stderr, hideCursor: true }) : undefined
  let started = false
  try {
    const r = await runConfigured({
      loaded,
      mode: 'backtest',
      log: (l) => io.err(`${l}\n`),
      nowMs: io.nowMs(),
      ...(bar !== undefined
        ? {
            progress: (done: number, total: number) => {
              if (!started) {
                bar.start(total, 0)
                started = true
              }
              bar.update(done)
            },
          }
        : {}),
    })
    if (started) bar?.stop()
    summary(io, r, `backtest ${r.result.meta.strategy.id} · ${r.result.meta.symbol} ${r.result.meta.timeframe} · ${r.result.meta.bars} bars`)
    return 0
  } finally {
    if (started) bar?.stop()
  }
}

/** `perpkit paper --replay`: a 10-minute-equivalent session on replayed data, accelerated. */
export async function runPaperCommand(args: Args, io: Io): Promise<number> {
  if (args.flags.replay !== true) {
    io.err('perpkit paper: only --replay is available until the exchange adapters land (a live feed needs @perpkit/exchange).\n')
    return 2
  }
  const minutes = Number(args.flags.minutes ?? 10)
  const speed = Number(args.flags.speed ?? 60)
  if (!(minutes > 0) || !(speed > 0)) {
    io.err('perpkit paper: --minutes and --speed must be positive numbers\n')
    return 2
  }
  const loaded = configFrom(args, 'paper')
  const tfMin = Number(loaded.config.data.timeframe.slice(0, -1)) * (loaded.config.data.timeframe.endsWith('h') ? 60 : loaded.config.data.timeframe.endsWith('d') ? 1440 : 1)
  // `minutes` of market time (what a live paper session of that length would see), replayed `speed`× faster than
  // real time after the strategy has been warmed up on the preceding history (003 §3.1).
  const bars = Math.max(1, Math.round(minutes / tfMin))
  const warmupBars = Number(args.flags.warmup ?? 600)
  const wallPerBarMs = (tfMin * 60_000) / speed
  io.out(
    `perpkit paper --replay: ${minutes}-minute-equivalent session at ${speed}× — ${bars} bar(s) of ${loaded.symbols[0]} ${loaded.config.data.timeframe} after ${warmupBars} warm-up bars; ~${((bars * wallPerBarMs) / 1000).toFixed(1)} s wall clock\n`,
  )
  const tickMs = 1000
  const wallPerTickMs = tickMs / speed
  let nextWall = io.nowMs()
  let ticks = 0
  const r = await runConfigured({
    loaded,
    mode: 'paper',
    log: (l) => io.err(`${l}\n`),
    nowMs: io.nowMs(),
    window: { bars, warmupBars },
    tickMs,
    pace: async ({ index, openTimeMs, timeMs }) => {
      if (index < warmupBars) return
      if (timeMs === openTimeMs) {
        io.out(`[paper] ${new Date(openTimeMs).toISOString()} bar ${index - warmupBars + 1}/${bars}\n`)
        nextWall = Math.max(nextWall, io.nowMs())
      }
      ticks++
      nextWall += wallPerTickMs
      const wait = nextWall - io.nowMs()
      if (wait > 0) await io.sleep(wait)
    },
  })
  io.out(`[paper] session done: ${ticks} one-second ticks of market time\n`)
  summary(io, r, `paper (replay) ${r.result.meta.strategy.id} · ${r.result.meta.symbol} · ${bars} bars`)
  return 0
}
