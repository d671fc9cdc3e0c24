/**
 * The operator's control channel to a live bot: files in `<state dir>/control/`, no network.
 *
 * - `inbox/<id>.json`: a request (`halt`, `resume`, `close`), written atomically (temporary file, then rename) by
 *   `perpkit halt|resume|close|flatten`. Ids sort in the order requests were made.
 * - `claimed/<id>.json`: the bot claims a request by renaming it here (atomic: a request is either claimed by the
 *   bot or withdrawn by the command that wrote it, never both), applies it, writes `done/<id>.json`, then deletes
 *   the claim. A bot that dies between the claim and the outcome finds the claim at its next start and applies it
 *   again (every request is idempotent: a second HALT changes nothing, a second close finds no position).
 * - `done/<id>.json`: the outcome, which the waiting command prints.
 * - `halt.json`: the operator HALT in force (written by the bot when it applies a halt, removed on resume): a bot
 *   that starts reads it and begins halted.
 *
 * A halt requested while no bot runs, or while one restarts, stays in the inbox until the next bot starts, which
 * applies it before its first bar. A close expires (`expiresAtMs`): the bot does not apply a close nobody waits for.
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidInputError } from '@perpkit/core'

/** An operator request. `close` is a reduce-only market close of `symbol` plus the cancel of the bot's working orders. */
export type ControlRequest =
  | { readonly type: 'halt'; readonly reason: string; readonly requestedAtMs: number }
  | { readonly type: 'resume'; readonly requestedAtMs: number }
  | { readonly type: 'close'; readonly symbol: string; readonly requestedAtMs: number; readonly expiresAtMs: number }

/** What the bot did with a request. */
export interface ControlOutcome {
  readonly ok: boolean
  /** One line for the operator. */
  readonly message: string
  readonly doneAtMs: number
}

/** The operator HALT in force. */
export interface OperatorHalt {
  readonly reason: string
  readonly sinceMs: number
}

/** A claimed request and its id. */
export interface ClaimedRequest {
  readonly id: string
  readonly request: ControlRequest
}

const dirs = (stateDir: string) => {
  const root = join(stateDir, 'control')
  return { root, inbox: join(root, 'inbox'), claimed: join(root, 'claimed'), done: join(root, 'done'), halt: join(root, 'halt.json') }
}

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

function writeAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(value)}\n`, { flush: true })
  renameSync(tmp, path)
}

const listed = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [])

function parseRequest(value: unknown, file: string): ControlRequest {
  const v = value as Partial<Record<string, unknown>>
  const at = v.requestedAtMs
  if (typeof at !== 'number') throw new InvalidInputError(`${file}: not a control request`)
  if (v.type === 'halt' && typeof v.reason === 'string') return { type: 'halt', reason: v.reason, requestedAtMs: at }
  if (v.type === 'resume') return { type: 'resume', requestedAtMs: at }
  if (v.type === 'close' && typeof v.symbol === 'string' && typeof v.expiresAtMs === 'number') return { type: 'close', symbol: v.symbol, requestedAtMs: at, expiresAtMs: v.expiresAtMs }
  throw new InvalidInputError(`${file}: not a control request`)
}

let sequence = 0

/** Queue `request` in the inbox (durable once this returns); returns its id. */
export function submitControlRequest(stateDir: string, request: ControlRequest): string {
  const d = dirs(stateDir)
  mkdirSync(d.inbox, { recursive: true })
  const id = `${String(request.requestedAtMs).padStart(15, '0')}-${String(process.pid).padStart(7, '0')}-${String(sequence++).padStart(4, '0')}`
  writeAtomic(join(d.inbox, `${id}.json`), request)
  return id
}

/** Take back a request the bot has not claimed; false when it was claimed already (its outcome will come). */
export function withdrawControlRequest(stateDir: string, id: string): boolean {
  try {
    unlinkSync(join(dirs(stateDir).inbox, `${id}.json`))
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}

/** The outcome of request `id`, once the bot wrote it. */
export function controlOutcome(stateDir: string, id: string): ControlOutcome | undefined {
  const path = join(dirs(stateDir).done, `${id}.json`)
  return existsSync(path) ? (json(path) as ControlOutcome) : undefined
}

/** How many requests wait in the inbox. */
export function pendingControlRequests(stateDir: string): number {
  return listed(dirs(stateDir).inbox).length
}

/**
 * The bot's side: requests a predecessor claimed but did not finish, then the inbox, oldest first, each claimed
 * (moved out of the inbox) before it is returned. A file that is not a request is answered with a failed outcome.
 */
export function claimControlRequests(stateDir: string, nowMs: number): ClaimedRequest[] {
  const d = dirs(stateDir)
  mkdirSync(d.claimed, { recursive: true })
  const left = listed(d.claimed)
  for (const f of listed(d.inbox)) {
    try {
      renameSync(join(d.inbox, f), join(d.claimed, f))
      left.push(f)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e // withdrawn meanwhile
    }
  }
  const claimed: ClaimedRequest[] = []
  for (const f of [...new Set(left)].sort()) {
    const id = f.slice(0, -'.json'.length)
    try {
      claimed.push({ id, request: parseRequest(json(join(d.claimed, f)), f) })
    } catch (e) {
      finishControlRequest(stateDir, id, { ok: false, message: `unreadable request ${f}: ${e instanceof Error ? e.message : String(e)}`, doneAtMs: nowMs })
    }
  }
  return claimed
}

/** Record the outcome of a claimed request, then drop the claim. */
export function finishControlRequest(stateDir: string, id: string, outcome: ControlOutcome): void {
  const d = dirs(stateDir)
  mkdirSync(d.done, { recursive: true })
  writeAtomic(join(d.done, `${id}.json`), outcome)
  rmSync(join(d.claimed, `${id}.json`), { force: true })
}

/** The operator HALT in force, if any. */
export function readOperatorHalt(stateDir: string): OperatorHalt | undefined {
  const path = dirs(stateDir).halt
  return existsSync(path) ? (json(path) as OperatorHalt) : undefined
}

/** Record (a halt) or clear (undefined) the operator HALT; only the holder of the instance lock calls this. */
export function writeOperatorHalt(stateDir: string, halt: OperatorHalt | undefined): void {
  const d = dirs(stateDir)
  if (halt === undefined) {
    rmSync(d.halt, { force: true })
    return
  }
  mkdirSync(d.root, { recursive: true })
  writeAtomic(d.halt, halt)
}
