import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { type Clock, InvalidInputError, PerpkitError } from '@perpkit/core'

/** What a lock file holds: who owns the account+symbol, since when. */
export interface LockOwner {
  /** Process id of the owner. */
  readonly pid: number
  /** Host name of the owner (a pid is only meaningful on its own host). */
  readonly host: string
  /** When the owner took the lock, epoch ms. */
  readonly startedMs: number
  /** The account the lock guards. */
  readonly account: string
  /** The symbol the lock guards. */
  readonly symbol: string
}

/**
 * Another live process holds the lock for this account+symbol (or the lock file cannot be proven stale).
 * Code `invalid-state`, not retryable; `owner` says who holds it.
 *
 * @example
 * ```ts
 * import { InstanceLockedError, acquireInstanceLock } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * try {
 *   acquireInstanceLock({ dir: '/tmp', account: 'main', symbol: 'BTC/USDT:USDT', clock: systemClock })
 * } catch (e) {
 *   if (e instanceof InstanceLockedError) console.error(`already running as pid ${e.owner?.pid} on ${e.owner?.host}`)
 * }
 * ```
 */
export class InstanceLockedError extends PerpkitError {
  /** The current owner, when the lock file could be read. */
  readonly owner: LockOwner | undefined
  /** The lock file. */
  readonly lockPath: string

  constructor(message: string, lockPath: string, owner: LockOwner | undefined) {
    super('invalid-state', message, { retryable: false, details: { lockPath, ...(owner === undefined ? {} : { owner }) } })
    this.name = 'InstanceLockedError'
    this.owner = owner
    this.lockPath = lockPath
  }
}

/** Options of {@link acquireInstanceLock}. */
export interface InstanceLockOptions {
  /** Directory of the lock files (created if missing). */
  readonly dir: string
  /** Account name the bot trades (part of the lock's identity). */
  readonly account: string
  /** Symbol the bot trades (part of the lock's identity). */
  readonly symbol: string
  /** Clock for the start time written in the lock. */
  readonly clock: Clock
  /** Owner pid (default `process.pid`). */
  readonly pid?: number
  /** Owner host (default `os.hostname()`). */
  readonly host?: string
  /** Is a pid alive on this host? Default: `process.kill(pid, 0)` (EPERM counts as alive). */
  readonly isPidAlive?: (pid: number) => boolean
  /** Release automatically when the process exits (default true). */
  readonly releaseOnExit?: boolean
}

/** A held lock. */
export interface InstanceLock {
  /** The lock file. */
  readonly path: string
  /** What the lock file says (this process). */
  readonly owner: LockOwner
  /** True when the lock was taken over from a dead owner. */
  readonly tookOverFrom: LockOwner | undefined
  /** Remove the lock file if it is still ours; harmless when called twice. */
  release(): void
}

/**
 * File name of the lock of an account+symbol: every character outside `[A-Za-z0-9._-]` is written as `%XX`
 * (so `a/b` and `a_b` never share a lock).
 *
 * @example
 * ```ts
 * import { lockFileName } from '@perpkit/ops'
 * lockFileName({ account: 'main', symbol: 'BTC/USDT:USDT' }) // 'perpkit-main-BTC%2FUSDT%3AUSDT.lock'
 * ```
 */
export function lockFileName(args: { readonly account: string; readonly symbol: string }): string {
  const enc = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `perpkit-${enc(args.account)}-${enc(args.symbol)}.lock`
}

/**
 * The default liveness probe: signal 0 to the pid. ESRCH = dead; EPERM = alive but not ours.
 *
 * @example
 * ```ts
 * import { pidIsAlive } from '@perpkit/ops'
 * pidIsAlive(process.pid) // true
 * ```
 */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(path: string): LockOwner | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' && typeof o.startedMs === 'number') {
      return { pid: o.pid, host: o.host, startedMs: o.startedMs, account: String(o.account), symbol: String(o.symbol) }
    }
  } catch {
    // fall through: unreadable content
  }
  throw new PerpkitError('corrupt-data', `lock file ${path} is not a perpkit lock (remove it by hand if no bot is running)`, { details: { lockPath: path } })
}

/**
 * Take the single-instance lock of an account+symbol, or refuse with {@link InstanceLockedError}.
 *
 * The lock file (JSON: pid, host, start time) is written to a private temporary file and hard-linked to its name,
 * so it appears atomically and exclusively (the link fails if the name exists). An existing lock whose owner is on
 * this host and whose pid is dead is stale: it is removed and taken over (reported in `tookOverFrom`). A lock from
 * another host is never taken over (its pid cannot be checked from here). The lock is released on process exit
 * unless `releaseOnExit` is false. Throws `InvalidInputError` for an empty account or symbol, `PerpkitError`
 * `corrupt-data` for a lock file that is not a perpkit lock.
 *
 * @example
 * ```ts
 * import { acquireInstanceLock } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const lock = acquireInstanceLock({ dir: '/tmp/perpkit-locks', account: 'main', symbol: 'BTC/USDT:USDT', clock: systemClock })
 * // ... trade ...
 * lock.release()
 * ```
 */
export function acquireInstanceLock(options: InstanceLockOptions): InstanceLock {
  if (options.account.trim() === '') throw new InvalidInputError('must not be empty', { path: 'account' })
  if (options.symbol.trim() === '') throw new InvalidInputError('must not be empty', { path: 'symbol' })
  const isAlive = options.isPidAlive ?? pidIsAlive
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.host ?? osHostname(),
    startedMs: options.clock.now(),
    account: options.account,
    symbol: options.symbol,
  }
  mkdirSync(options.dir, { recursive: true })
  const path = join(options.dir, lockFileName(options))
  const tmp = `${path}.${owner.pid}.${owner.startedMs}.tmp`
  writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { flag: 'w', mode: 0o644 })
  let tookOverFrom: LockOwner | undefined
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path)
        break
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const current = readOwner(path)
      if (current === undefined) continue // released between our link and our read: try again
      const stale = current.host === owner.host && current.pid !== owner.pid && !isAlive(current.pid)
      if (!stale || attempt >= 2) {
        throw new InstanceLockedError(
          `${options.account} ${options.symbol} is already locked by pid ${current.pid} on ${current.host} since ${new Date(current.startedMs).toISOString()} (${path})`,
          path,
          current,
        )
      }
      // stale: remove it only if it still names the dead owner (another process may have taken it over meanwhile)
      const again = readOwner(path)
      if (again !== undefined && again.pid === current.pid && again.startedMs === current.startedMs) {
        unlinkSync(path)
        tookOverFrom = current
      }
    }
  } finally {
    rmSync(tmp, { force: true })
  }
  let released = false
  const release = (): void => {
    if (released) return
    released = true
    process.removeListener('exit', release)
    try {
      const current = readOwner(path)
      if (current !== undefined && current.pid === owner.pid && current.startedMs === owner.startedMs) unlinkSync(path)
    } catch {
      // a lock file replaced by something unreadable is not ours to remove
    }
  }
  if (options.releaseOnExit !== false) process.once('exit', release)
  return { path, owner, tookOverFrom, release }
}
