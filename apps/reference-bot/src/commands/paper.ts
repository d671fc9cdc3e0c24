/**
 * `perpkit paper --replay`: a paper session on replayed market data, accelerated.
 * @module
 */
import { runConfigured } from '../compose.js'
import { configFromOptions, printSummary, withRunStore } from '../runs.js'
import { type CliCommand, EXIT, UsageError } from './command.js'
import { configOption, dataOption, outOption, positiveNumber, storeOption, wholeNumber } from './options.js'

/** `perpkit paper --replay [--config f.yaml] [--minutes 10] [--speed 60] [--warmup 600]`. */
export const paperCommand: CliCommand = {
  name: 'paper',
  summary: 'a paper session: replayed market data through the live code path, accelerated',
  configure(command) {
    command
      .option('--replay', 'replay recorded market data (the only source until the exchange adapters land)')
      .addOption(configOption())
      .addOption(dataOption())
      .addOption(outOption())
      .addOption(storeOption())
      .option('--minutes <n>', 'minutes of market time to replay', positiveNumber, 10)
      .option('--speed <x>', 'replay this many times faster than real time', positiveNumber, 60)
      .option('--warmup <bars>', 'bars of preceding history the strategy is warmed up on', wholeNumber, 600)
  },
  async run({ options, io }) {
    if (options.replay !== true) throw new UsageError('only --replay is available until the exchange adapters land (a live feed needs @perpkit/exchange)')
    const minutes = options.minutes as number
    const speed = options.speed as number
    const warmupBars = options.warmup as number
    const loaded = configFromOptions(options, 'paper')
    const tf = loaded.config.data.timeframe
    const tfMin = Number(tf.slice(0, -1)) * (tf.endsWith('h') ? 60 : tf.endsWith('d') ? 1440 : 1)
    // `minutes` of market time (what a live paper session of that length would see), replayed `speed`× faster than
    // real time after the strategy has been warmed up on the preceding history.
    const bars = Math.max(1, Math.round(minutes / tfMin))
    const wallPerBarMs = (tfMin * 60_000) / speed
    io.out(
      `perpkit paper --replay: ${minutes}-minute-equivalent session at ${speed}× — ${bars} bar(s) of ${loaded.symbols[0]} ${tf} after ${warmupBars} warm-up bars; ~${((bars * wallPerBarMs) / 1000).toFixed(1)} s wall clock\n`,
    )
    const tickMs = 1000
    const wallPerTickMs = tickMs / speed
    let nextWall = io.nowMs()
    let ticks = 0
    const r = await withRunStore(options, io, (store) => runConfigured({
      loaded,
      ...(store !== undefined ? { store } : {}),
      mode: 'paper',
      log: (l) => io.err(`${l}\n`),
      nowMs: io.nowMs(),
      ...(io.interrupt !== undefined ? { interrupt: io.interrupt } : {}),
      window: { bars, warmupBars },
      tickMs,
      pace: async ({ index, openTimeMs, timestampMs }) => {
        if (index < warmupBars) return
        if (timestampMs === openTimeMs) {
          io.out(`[paper] ${new Date(openTimeMs).toISOString()} bar ${index - warmupBars + 1}/${bars}\n`)
          nextWall = Math.max(nextWall, io.nowMs())
        }
        ticks++
        nextWall += wallPerTickMs
        const wait = nextWall - io.nowMs()
        if (wait > 0) await io.sleep(wait)
      },
    }))
    io.out(`[paper] session done: ${ticks} one-second ticks of market time\n`)
    printSummary(io, r, `paper (replay) ${r.result.meta.strategy.id} · ${r.result.meta.symbol} · ${bars} bars`)
    return EXIT.ok
  },
}
