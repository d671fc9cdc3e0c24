/**
 * Every `perpkit` command, in the order `perpkit --help` lists them. Adding a command: one file in this folder
 * exporting a `CliCommand`, and one line here.
 * @module
 */
import { backtestCommand } from './backtest.js'
import { checkCommand } from './check.js'
import type { CliCommand } from './command.js'
import { liveCommand } from './live.js'
import { paperCommand } from './paper.js'
import { reportCommand } from './report.js'
import { sweepCommand } from './sweep.js'
import { venueCommand } from './venue.js'
import { workerCommand } from './worker.js'

/** The registered commands. */
export const COMMANDS: readonly CliCommand[] = [
  backtestCommand,
  paperCommand,
  checkCommand,
  reportCommand,
  sweepCommand,
  workerCommand,
  liveCommand,
  venueCommand,
]
