/**
 * `perpkit backtest`: run the config on historical candles and write the report.
 * @module
 */
import { SingleBar } from 'cli-progress'
import { runConfigured } from '../compose.js'
import { configFromOptions, printSummary, withRunStore } from '../runs.js'
import { type CliCommand, EXIT } from './command.js'
import { configOption, dataOption, outOption, storeOption } from './options.js'

/** `perpkit backtest [--config f.yaml] [--data candles.csv] [--out dir] [--store file.db] [--no-progress]`. */
export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'run the config on historical candles, write the report and logs',
  configure(command) {
    command.addOption(configOption()).addOption(dataOption()).addOption(outOption()).addOption(storeOption()).option('--no-progress', 'no progress bar (it is shown only on a terminal)')
  },
  async run({ options, io }) {
    const loaded = configFromOptions(options, 'backtest')
    io.out(`perpkit backtest: ${loaded.config.strategy.class} (${loaded.config.strategy.id}) on ${loaded.symbols.join(', ')} ${loaded.config.data.timeframe}, ${loaded.config.venue} ${loaded.config.testnet ? 'testnet' : 'production'} (${loaded.settle}), config ${loaded.file}\n`)
    const showBar = io.isTty && options.progress !== false
    const bar = showBar ? new SingleBar({ format: 'backtest [{bar}] {percentage}% | {value}/{total} bars | eta {eta}s', stream: process.stderr, hideCursor: true }) : undefined
    let started = false
    try {
      const r = await withRunStore(options, io, (store) => runConfigured({
        loaded,
        ...(store !== undefined ? { store } : {}),
        mode: 'backtest',
        log: (l) => io.err(`${l}\n`),
        nowMs: io.nowMs(),
        ...(io.interrupt !== undefined ? { interrupt: io.interrupt } : {}),
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
      }))
      if (started) bar?.stop()
      started = false
      printSummary(io, r, `backtest ${r.result.meta.strategy.id} · ${r.result.meta.symbol} ${r.result.meta.timeframe} · ${r.result.meta.bars} bars`)
      return EXIT.ok
    } finally {
      if (started) bar?.stop()
    }
  },
}
