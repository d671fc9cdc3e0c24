/**
 * The `perpkit` argument parser (commander): one sub-command per registered {@link CliCommand}, per-command
 * `--help`/`-h` that runs nothing, `--version`, and usage errors (unknown command or option, missing or extra
 * argument, bad option value) as one line with a suggestion, exit 2.
 * @module
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Command, CommanderError } from 'commander'
import { type CliCommand, EXIT, UsageError } from './commands/command.js'
import { COMMANDS } from './commands/index.js'
import { appRoot } from './config.js'
import { InterruptedError, interruptedExitCode } from './interrupt.js'
import { describeError, type Io } from './io.js'

const EXIT_CODES = `
Exit codes: 0 ok · 1 failed run (bad config, data, filesystem, failed check) · 2 usage error (nothing run)
            70 live stopped after an uncaught error · 130 interrupted (Ctrl-C) · 143 terminated (SIGTERM)
            (live stops on SIGINT/SIGTERM with 0 when its shutdown was clean)
`
const FOOTER = `
Without --config the embedded default is used (real Binance USDⓈ-M BTCUSDT 5m candles, SMA crossover).
API keys are read only from the environment: PERPKIT_API_KEY / PERPKIT_API_SECRET
(testnet: PERPKIT_TESTNET_API_KEY / PERPKIT_TESTNET_API_SECRET).
${EXIT_CODES}`

/** The app's version, from its package.json. */
export function appVersion(): string {
  return (JSON.parse(readFileSync(resolve(appRoot(), 'package.json'), 'utf8')) as { version: string }).version
}

/** What a bare extra argument probably meant, by its file extension. */
function guessFlag(command: CliCommand, value: string): string | undefined {
  const probe = new Command(command.name)
  command.configure(probe)
  const has = (long: string): boolean => probe.options.some((o) => o.long === long)
  if (/\.ya?ml$/i.test(value) && has('--config')) return `--config ${value}`
  if (/\.(csv|json)(\.gz)?$/i.test(value) && has('--data')) return `--data ${value}`
  return undefined
}

/** Commander's "error: x\n(Did you mean y?)" as one line: "x (did you mean y?)". */
function oneLine(message: string): string {
  const [first = '', ...rest] = message.replace(/^error: /, '').trim().split('\n')
  const hint = rest.map((l) => l.trim()).find((l) => /^\(Did you mean/.test(l))
  return hint === undefined ? first : `${first} ${hint.replace('(Did you mean', '(did you mean')}`
}

/**
 * Parse `argv` (without node and script) and run the chosen command.
 *
 * @param argv - the command line after the script name.
 * @param io - where output goes (tests capture it).
 * @returns the exit code ({@link EXIT}).
 */
export async function runProgram(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok
  let usageFor = 'perpkit'
  const usage = (where: string, message: string): number => {
    io.err(`${where}: ${message}\nRun '${where} --help' for usage.\n`)
    return EXIT.usage
  }
  const program = new Command('perpkit')
    .description('perpkit — perpetual-futures reference bot')
    .version(appVersion(), '-v, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command; runs nothing')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t), outputError: () => {} })
    .addHelpText('after', FOOTER)
  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .description(spec.summary)
      .allowExcessArguments(true)
      .addHelpText('after', EXIT_CODES)
    spec.configure(command)
    command.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command
      // commander takes the word after `--config` as its value even when it is another option: refuse that
      const opts = cmd.opts()
      const swallowed = cmd.options.find((o) => {
        const v = opts[o.attributeName()]
        return typeof v === 'string' && cmd.options.some((p) => p.long === v || p.short === v)
      })
      if (swallowed !== undefined) {
        code = usage(`perpkit ${spec.name}`, `option '${swallowed.flags}' argument missing (got the option '${String(opts[swallowed.attributeName()])}')`)
        return
      }
      const declared = cmd.registeredArguments.length
      const extra = cmd.args.slice(declared)
      if (extra.length > 0) {
        const first = extra[0] as string
        const guess = first.startsWith('-') ? undefined : guessFlag(spec, first)
        code = usage(`perpkit ${spec.name}`, `unexpected argument '${first}'${guess !== undefined ? ` (did you mean ${guess}?)` : ` (${spec.name} takes ${declared === 0 ? 'no' : declared} positional argument${declared === 1 ? '' : 's'})`}`)
        return
      }
      try {
        code = await spec.run({ args: cmd.args.slice(0, declared), options: opts, io })
      } catch (e) {
        if (e instanceof UsageError) code = usage(`perpkit ${spec.name}`, e.message)
        else if (e instanceof InterruptedError) {
          io.err(`perpkit ${spec.name}: ${e.message}; nothing was kept (the unfinished run folder was removed)\n`)
          code = interruptedExitCode(e.signal)
        }
        else {
          io.err(`perpkit ${spec.name}: ${describeError(e)}\n`)
          code = EXIT.failed
        }
      }
    })
    // errors are attributed to the sub-command they came from
    command.configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t), outputError: () => {} }).exitOverride((e) => {
      usageFor = `perpkit ${spec.name}`
      throw e
    })
  }
  if (argv.length === 0) {
    io.err(program.helpInformation())
    return EXIT.usage
  }
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    return usage(usageFor, oneLine(e.message))
  }
}
