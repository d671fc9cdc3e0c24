/**
 * `perpkit` — the reference bot CLI: backtest, paper, check, report, live.
 * @module
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runCheck } from './commands/check.js'
import { runBacktestCommand, runPaperCommand } from './commands/run.js'
import { runReportCommand } from './commands/report.js'
import { type Args, parseArgs } from './args.js'
import { describeError, type Io } from './io.js'

export type { Args, Io }

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notAvailable: 3 } as const

const USAGE = `perpkit — perpetual-futures reference bot

Usage:
  perpkit backtest [--config <file.yaml>] [--data <candles.csv[.gz]|.json>] [--out <dir>] [--no-progress]
  perpkit paper --replay [--config <file.yaml>] [--minutes 10] [--speed 60] [--out <dir>]
  perpkit check [--config <file.yaml>]
  perpkit report <run-dir | result.json> [--out <dir>]
  perpkit live
  perpkit help

Without --config the embedded default is used (real Binance USDⓈ-M BTCUSDT 5m candles, SMA crossover).
API keys are read only from the environment: PERPKIT_API_KEY / PERPKIT_API_SECRET
(testnet: PERPKIT_TESTNET_API_KEY / PERPKIT_TESTNET_API_SECRET).
`

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv)
  try {
    switch (args.command) {
      case 'backtest':
        return await runBacktestCommand(args, io)
      case 'paper':
        return await runPaperCommand(args, io)
      case 'check':
        return await runCheck(args, io)
      case 'report':
        return await runReportCommand(args, io)
      case 'live':
        io.err(
          'perpkit live: not available yet. Live trading needs the ccxt venue adapters (@perpkit/exchange), which arrive with the\n' +
            'exchange issue; the engine already runs the same strategy, risk, sizing and OMS code behind the venue port.\n' +
            'Until then: `perpkit paper --replay` runs the live code path against the simulated venue, and `perpkit check`\n' +
            'validates a live config and shows whether API keys are present in the environment.\n',
        )
        return EXIT.notAvailable
      case '':
      case 'help':
      case '--help':
        io.out(USAGE)
        return args.command === '' ? EXIT.usage : EXIT.ok
      default:
        io.err(`perpkit: unknown command "${args.command}"\n\n${USAGE}`)
        return EXIT.usage
    }
  } catch (e) {
    io.err(`perpkit ${args.command}: ${describeError(e)}\n`)
    return EXIT.failed
  }
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

if (isMain) {
  const io: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    isTty: process.stderr.isTTY === true,
    nowMs: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  }
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`perpkit: ${describeError(e)}\n`)
      process.exitCode = 1
    },
  )
}
