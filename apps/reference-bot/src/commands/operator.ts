/**
 * The operator's write commands: `perpkit halt [--reason text]`, `perpkit resume`, `perpkit close <symbol>` and
 * `perpkit flatten`. They reach a running bot through its control channel (files in the state directory, see
 * `live/control.ts`) and never open a second order manager on the account while a bot holds the single-instance
 * lock. With no bot running, a close takes the lock itself and closes through the same order-manager path
 * (journal recovered, reconciliation with the venue, then one reduce-only market order); a halt stays queued, so
 * the next start begins halted.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Option } from 'commander'
import { InvalidInputError, systemClock } from '@perpkit/core'
import { createOrderManager } from '@perpkit/oms'
import { acquireInstanceLock, type InstanceLock, InstanceLockedError, type LockOwner, lockFileName, pidIsAlive } from '@perpkit/ops'
import { hostname } from 'node:os'
import { controlOutcome, type ControlOutcome, type ControlRequest, submitControlRequest, withdrawControlRequest } from '../live/control.js'
import { closeThroughOms } from '../live/operator-close.js'
import { defaultLockDir, omsPersistence } from '../live/places.js'
import { addVenueOptions, lockDirOption, readVenue, type VenueAccess, venueAccessFrom } from '../live/venue-access.js'
import type { Io } from '../io.js'
import { type CliCommand, type CommandContext, EXIT, stringOption, UsageError } from './command.js'
import { positiveNumber } from './options.js'

const POLL_MS = 100

const timeoutOption = (): Option => new Option('--timeout <s>', 'how long to wait for the running bot to answer').argParser(positiveNumber).default(30)

/** The lock directory the options name. */
const lockDirOf = (options: CommandContext['options'], io: Io): string => stringOption(options, 'lockDir') ?? defaultLockDir(io.env)

/** The live owner of the account+symbol lock, if a bot holds it. */
function runningBot(lockDir: string, access: VenueAccess): LockOwner | undefined {
  const path = join(lockDir, lockFileName({ account: access.account, symbol: access.symbol }))
  if (!existsSync(path)) return undefined
  const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner
  return owner.host !== hostname() || pidIsAlive(owner.pid) ? owner : undefined
}

/** Wait for the outcome of request `id` until `limitMs` has passed. */
async function awaitOutcome(io: Io, stateDir: string, id: string, limitMs: number): Promise<ControlOutcome | undefined> {
  const give = io.nowMs() + limitMs
  for (;;) {
    const outcome = controlOutcome(stateDir, id)
    if (outcome !== undefined || io.nowMs() >= give) return outcome
    await io.sleep(POLL_MS)
  }
}

const report = (io: Io, name: string, outcome: ControlOutcome): number => {
  ;(outcome.ok ? io.out : io.err)(`perpkit ${name}: ${outcome.message}\n`)
  return outcome.ok ? EXIT.ok : EXIT.failed
}

/** `halt` / `resume`: queue the request; wait for the running bot's answer, or say the next start applies it. */
function haltOrResume(name: 'halt' | 'resume', summary: string, request: (options: CommandContext['options'], nowMs: number) => ControlRequest): CliCommand {
  return {
    name,
    summary,
    configure(command) {
      addVenueOptions(command)
      command.addOption(lockDirOption())
      command.addOption(timeoutOption())
      if (name === 'halt') command.addOption(new Option('--reason <text>', 'why (logged, in the HALT record and the alerts)').default('operator'))
    },
    async run({ options, io }) {
      const access = venueAccessFrom(options, io.env)
      const id = submitControlRequest(access.stateDir, request(options, io.nowMs()))
      const owner = runningBot(lockDirOf(options, io), access)
      if (owner === undefined) {
        io.out(`perpkit ${name}: no bot is running for ${access.symbol} on ${access.where}; recorded in ${access.stateDir}: the next \`perpkit live\` applies it before its first bar\n`)
        return EXIT.ok
      }
      const outcome = await awaitOutcome(io, access.stateDir, id, (options.timeout as number) * 1000)
      if (outcome !== undefined) return report(io, name, outcome)
      io.err(`perpkit ${name}: the bot (pid ${owner.pid}) did not answer within ${options.timeout as number} s; the request stays queued and is applied when the bot reads it (see its log)\n`)
      return EXIT.failed
    },
  }
}

/** `perpkit halt [--reason text]`. */
export const haltCommand = haltOrResume('halt', 'HALT the running bot (no new entries; protective stops kept); with no bot running, the next start begins halted', (options, nowMs) => ({
  type: 'halt',
  reason: stringOption(options, 'reason') ?? 'operator',
  requestedAtMs: nowMs,
}))

/** `perpkit resume`. */
export const resumeCommand = haltOrResume('resume', 'lift an operator HALT (of the running bot, or the one recorded for the next start)', (_options, nowMs) => ({ type: 'resume', requestedAtMs: nowMs }))

/** The config's symbol that `given` names (`BTC` or `BTC/USDT:USDT`), or a one-line error. */
function botSymbol(access: VenueAccess, given: string): string {
  const base = access.symbol.split('/')[0] ?? access.symbol
  if (given === access.symbol || given.toUpperCase() === base) return access.symbol
  throw new InvalidInputError(`unknown symbol ${given}: this bot trades ${access.symbol} (${base}); nothing sent`)
}

/** Ask for confirmation unless `--yes`; refuse when there is no terminal to ask on. */
async function confirmed(name: string, options: CommandContext['options'], io: Io, what: string): Promise<boolean> {
  if (options.yes === true) return true
  if (io.prompt === undefined) throw new UsageError(`refusing to ${what} without confirmation: stdin is not a terminal; pass --yes to confirm from a script`)
  const answer = await io.prompt(`perpkit ${name}: ${what}? [y/N] `)
  if (/^y(es)?$/i.test(answer.trim())) return true
  io.err(`perpkit ${name}: not confirmed; nothing sent\n`)
  return false
}

/** No bot runs: take the lock, recover the journal, reconcile, close through the order manager, release. */
async function closeDirectly(access: VenueAccess, lock: InstanceLock, limitMs: number): Promise<ControlOutcome> {
  try {
    return await readVenue(access, async ({ client }) => {
      const instrument = (await client.loadInstruments()).find((i) => i.symbol === access.symbol)
      if (instrument === undefined) throw new InvalidInputError(`${access.symbol} is not listed on ${access.where}; nothing sent`)
      const oms = createOrderManager({ venue: client, clock: systemClock, instruments: [instrument], ...omsPersistence(access.stateDir, client) })
      try {
        const reconciled = await oms.start()
        if (!reconciled.ok) return { ok: false, message: `the reconciliation with the venue found ${reconciled.mismatches} mismatch(es) and ${reconciled.orphans} orphan(s); nothing sent: look at \`perpkit orders\` / \`perpkit positions\``, doneAtMs: systemClock.now() }
        return { ...(await closeThroughOms({ oms, symbol: access.symbol, clock: systemClock, limitMs, reason: 'operator close (no bot running)' })), doneAtMs: systemClock.now() }
      } finally {
        await oms.stop()
      }
    })
  } finally {
    lock.release()
  }
}

/** `close <symbol>` / `flatten`: the running bot closes, else this command does, under the lock. */
function closeCommandOf(name: 'close' | 'flatten', summary: string): CliCommand {
  return {
    name,
    summary,
    configure(command) {
      if (name === 'close') command.argument('<symbol>', "the bot's symbol (e.g. BTC or BTC/USDT:USDT)")
      addVenueOptions(command)
      command.addOption(lockDirOption())
      command.addOption(timeoutOption())
      command.addOption(new Option('-y, --yes', 'confirm without a prompt (scripts)'))
    },
    async run({ args, options, io }) {
      const access = venueAccessFrom(options, io.env)
      const symbol = name === 'close' ? botSymbol(access, args[0] as string) : access.symbol
      const what = `close the ${symbol} position with a reduce-only market order and cancel the bot's working orders on ${access.where}`
      if (!(await confirmed(name, options, io, what))) return EXIT.failed
      const limitMs = (options.timeout as number) * 1000
      let lock: InstanceLock | undefined
      try {
        lock = acquireInstanceLock({ dir: lockDirOf(options, io), account: access.account, symbol, clock: systemClock })
      } catch (e) {
        if (!(e instanceof InstanceLockedError)) throw e
      }
      if (lock !== undefined) return report(io, name, await closeDirectly(access, lock, limitMs))
      // a bot holds the lock: it closes, through its own order manager
      const id = submitControlRequest(access.stateDir, { type: 'close', symbol, requestedAtMs: io.nowMs(), expiresAtMs: io.nowMs() + limitMs })
      const outcome = await awaitOutcome(io, access.stateDir, id, limitMs)
      if (outcome !== undefined) return report(io, name, outcome)
      if (withdrawControlRequest(access.stateDir, id)) {
        io.err(`perpkit ${name}: the running bot did not take the request within ${options.timeout as number} s; withdrawn, nothing sent\n`)
        return EXIT.failed
      }
      const late = await awaitOutcome(io, access.stateDir, id, limitMs)
      if (late !== undefined) return report(io, name, late)
      io.err(`perpkit ${name}: the running bot took the request but has not answered; see its log and \`perpkit positions\`\n`)
      return EXIT.failed
    },
  }
}

/** `perpkit close <symbol> [--yes]`. */
export const closeCommand = closeCommandOf('close', "close the bot's position on <symbol> (reduce-only market) and cancel its working orders; asks first unless --yes")

/** `perpkit flatten [--yes]`. */
export const flattenCommand = closeCommandOf('flatten', "close every position of the bot (reduce-only market) and cancel its working orders; asks first unless --yes")
