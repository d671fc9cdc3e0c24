/**
 * `perpkit` — the reference bot CLI: backtest, paper, check, report, live.
 * @module
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isPerpkitError } from '@perpkit/core'
import { runCheck } from './commands/check.js'
import { runBacktestCommand, runPaperCommand } from './commands/run.js'
import { runReportCommand } from './commands/report.js'

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

/** Parsed command line. */
export interface Args {
  readonly command: string
  readonly positional: readonly string[]
  readonly flags: Readonly<Record<string, string | true>>
}

/** Parse `argv` (without node and script). */
export function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = []
  const flags: Record<string, string | true> = {}
  let command = ''
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1)
      else {
        const next = argv[i + 1]
        const boolean = ['replay', 'no-progress', 'help', 'quiet'].includes(a.slice(2))
        if (!boolean && next !== undefined && !next.startsWith('--')) {
          flags[a.slice(2)] = next
          i++
        } else flags[a.slice(2)] = true
      }
    } else if (command === '') command = a
    else positional.push(a)
  }
  return { command, positional, flags }
}

/** I/O the commands use (tests inject their own). */
export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
  readonly isTty: boolean
  readonly nowMs: () => number
  readonly sleep: (ms: number) => Promise<void>
}

/** Run the CLI; returns the exit code. */
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

/** One clear line (plus detail lines) for an error; never a stack trace for expected bad input. */
export function describeError(e: unknown): string {
  if (isPerpkitError(e)) {
    const path = e.code === 'invalid-input' && e.path !== undefined && e.path !== '' && !e.message.includes(e.path) ? ` (at ${e.path})` : ''
    return `${e.code === 'corrupt-data' ? 'corrupt data: ' : ''}${e.message}${path}`
  }
  if (e instanceof Error) return `${e.message}\n${e.stack ?? ''}`
  return String(e)
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
