/**
 * The shape of one `perpkit` command. A command is one file in this folder exporting a {@link CliCommand}, plus
 * one line in `commands/index.ts`; the program (`program.ts`) turns it into a commander sub-command with
 * `--help`, unknown-option and extra-argument errors, and exit codes.
 * @module
 */
import type { Command } from 'commander'
import type { Io } from '../io.js'

/** What a command's `run` receives. */
export interface CommandContext {
  /** The declared positional arguments, in order (extra arguments never reach `run`: they are usage errors). */
  readonly args: readonly string[]
  /** The parsed options, keyed by commander's camelCase names (`--no-progress` → `progress: false`). */
  readonly options: Readonly<Record<string, unknown>>
  readonly io: Io
}

/** One `perpkit <name>` command. */
export interface CliCommand {
  readonly name: string
  /** One line for `perpkit --help`. */
  readonly summary: string
  /** Declare the positional arguments and options on the commander command (its `.argument()` / `.option()`). */
  readonly configure: (command: Command) => void
  /** Run the command; returns the exit code ({@link EXIT}). Throwing a typed error means "failed run" (exit 1). */
  readonly run: (context: CommandContext) => Promise<number>
}

/** Exit codes of the `perpkit` CLI. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The run failed: bad config, bad data, a filesystem error, a failed check. */
  failed: 1,
  /** Usage error: unknown command or option, missing or extra argument, bad option value. Nothing was run. */
  usage: 2,
  /** `live` stopped after an error nobody caught (halted first: protective orders stay on the venue). */
  uncaught: 70,
  /** Interrupted by SIGINT (Ctrl-C), as shells report it (128 + 2). */
  sigint: 130,
  /** Terminated by SIGTERM (128 + 15). */
  sigterm: 143,
} as const

/** A usage error found by a command itself (e.g. an option combination); exit 2, nothing run. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The value of a string option, or undefined. */
export function stringOption(options: CommandContext['options'], name: string): string | undefined {
  const v = options[name]
  return typeof v === 'string' ? v : undefined
}
