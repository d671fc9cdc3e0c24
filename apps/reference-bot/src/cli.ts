/**
 * `perpkit` — the reference bot CLI: backtest, paper, check, report, live.
 * @module
 */
import { realpathSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { fileURLToPath } from 'node:url'
import { EXIT } from './commands/command.js'
import { installSignalHandlers } from './interrupt.js'
import { describeError, type Io } from './io.js'
import { runProgram } from './program.js'

export type { Io }
export { EXIT }

/**
 * Run the CLI on `argv` (without node and script).
 *
 * @returns the exit code: 0 ok, 1 failed run, 2 usage error, 70 live stopped after an uncaught error, 130/143 interrupted.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  return runProgram(argv, io)
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

/** One question on the terminal (stdin/stderr), answered by a line. */
async function terminalPrompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

if (isMain) {
  const io: Io = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    isTty: process.stderr.isTTY === true,
    nowMs: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    ...(process.stdin.isTTY === true ? { prompt: terminalPrompt } : {}),
    interrupt: installSignalHandlers({ write: (t) => process.stderr.write(t), isTty: process.stderr.isTTY === true, exit: (code) => process.exit(code) }),
  }
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`perpkit: ${describeError(e)}\n`)
      process.exitCode = EXIT.failed
    },
  )
}
