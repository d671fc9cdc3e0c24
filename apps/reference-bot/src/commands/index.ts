/**
 * Every `perpkit` command, in the order `perpkit --help` lists them. Adding a command: one file in this folder
 * exporting a `CliCommand`, and one line here.
 * @module
 */
import { backtestCommand } from './backtest.js'
import { checkCommand } from './check.js'
import type { CliCommand } from './command.js'
import { liveCommand } from './live.js'
import { mlCommand } from './ml.js'
import { closeCommand, flattenCommand, haltCommand, resumeCommand } from './operator.js'
import { ordersCommand } from './orders.js'
import { paperCommand } from './paper.js'
import { positionsCommand } from './positions.js'
import { reportCommand } from './report.js'
import { statusCommand } from './status.js'
import { storeCommand } from './store.js'
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
  storeCommand,
  mlCommand,
  workerCommand,
  liveCommand,
  statusCommand,
  ordersCommand,
  positionsCommand,
  haltCommand,
  resumeCommand,
  closeCommand,
  flattenCommand,
  venueCommand,
]
