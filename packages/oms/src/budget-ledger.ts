/**
 * Durable request-budget ledgers: every request is recorded before it is sent, so a process that restarts (or
 * crash-loops) counts what its predecessors already spent inside the venue's window.
 * @module
 */
import { appendFile, mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InvalidInputError } from '@perpkit/core'

/**
 * One request's use of the budget.
 * @example
 * ```ts
 * import type { BudgetStamp } from '@perpkit/oms'
 * const stamp: BudgetStamp = { timestampMs: 1_758_240_000_000, weight: 5 }
 * ```
 */
export interface BudgetStamp {
  readonly timestampMs: number
  readonly weight: number
}

/**
 * Where a {@link RequestBudget} records its requests so they outlive the process.
 * @example
 * ```ts
 * import { type BudgetLedger, createMemoryBudgetLedger } from '@perpkit/oms'
 * const ledger: BudgetLedger = createMemoryBudgetLedger()
 * await ledger.record({ timestampMs: 0, weight: 1 })
 * ```
 */
export interface BudgetLedger {
  /** Every stamp still recorded (this and earlier processes), in any order. */
  load(): Promise<readonly BudgetStamp[]>
  /** Durably record one stamp; resolves once it would survive a crash. */
  record(stamp: BudgetStamp): Promise<void>
}

function checkStamp(stamp: BudgetStamp): void {
  if (!Number.isFinite(stamp.timestampMs)) throw new InvalidInputError('must be a finite time', { path: 'timestampMs' })
  if (!Number.isInteger(stamp.weight) || stamp.weight < 1) throw new InvalidInputError('must be an integer >= 1', { path: 'weight' })
}

/**
 * A ledger in memory: pass the same one to successive budgets to simulate restarts (tests, backtests).
 * @returns a ledger
 * @example
 * ```ts
 * import { createMemoryBudgetLedger } from '@perpkit/oms'
 * const ledger = createMemoryBudgetLedger()
 * ```
 */
export function createMemoryBudgetLedger(): BudgetLedger & { readonly stamps: readonly BudgetStamp[] } {
  const stamps: BudgetStamp[] = []
  return {
    stamps,
    load: () => Promise.resolve(stamps.slice()),
    record(stamp) {
      checkStamp(stamp)
      stamps.push({ timestampMs: stamp.timestampMs, weight: stamp.weight })
      return Promise.resolve()
    },
  }
}

/**
 * A ledger in a small append-only file, one `timestampMs weight` line per request, fsynced per record. `load` ignores a
 * torn last line and rewrites the file atomically with only the stamps younger than `keepMs`, so it stays small.
 *
 * @param args.path - the ledger file (its directory is created)
 * @param args.keepMs - stamps older than this (relative to the newest) are dropped at load; use the budget window
 * @param args.fsync - fsync each record (default true)
 * @returns a ledger
 * @throws InvalidInputError for a non-positive `keepMs`
 * @example
 * ```ts
 * import { createFileBudgetLedger } from '@perpkit/oms'
 * const ledger = createFileBudgetLedger({ path: './state/oms/budget.log', keepMs: 60_000 })
 * ```
 */
export function createFileBudgetLedger(args: { readonly path: string; readonly keepMs: number; readonly fsync?: boolean }): BudgetLedger {
  const { path, keepMs } = args
  if (!(Number.isFinite(keepMs) && keepMs > 0)) throw new InvalidInputError('must be > 0', { path: 'keepMs' })
  const fsync = args.fsync ?? true
  let chain: Promise<unknown> = Promise.resolve()
  const serial = <R>(fn: () => Promise<R>): Promise<R> => {
    const p = chain.then(fn, fn)
    chain = p.catch(() => undefined)
    return p
  }
  return {
    load: () =>
      serial(async () => {
        let text: string
        try {
          text = await readFile(path, 'utf8')
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
          throw e
        }
        const stamps: BudgetStamp[] = []
        for (const line of text.split('\n')) {
          const m = /^(-?\d+) (\d+)$/.exec(line)
          if (m !== null) stamps.push({ timestampMs: Number(m[1]), weight: Number(m[2]) })
        }
        const newest = stamps.reduce((a, s) => Math.max(a, s.timestampMs), Number.NEGATIVE_INFINITY)
        const kept = stamps.filter((s) => s.timestampMs > newest - keepMs)
        const tmp = `${path}.tmp`
        const fh = await open(tmp, 'w')
        try {
          await fh.writeFile(kept.map((s) => `${s.timestampMs} ${s.weight}\n`).join(''), 'utf8')
          if (fsync) await fh.sync()
        } finally {
          await fh.close()
        }
        await rename(tmp, path)
        return kept
      }),
    record: (stamp) =>
      serial(async () => {
        checkStamp(stamp)
        await mkdir(dirname(path), { recursive: true })
        if (!fsync) {
          await appendFile(path, `${Math.round(stamp.timestampMs)} ${stamp.weight}\n`, 'utf8')
          return
        }
        const fh = await open(path, 'a')
        try {
          await fh.writeFile(`${Math.round(stamp.timestampMs)} ${stamp.weight}\n`, 'utf8')
          await fh.datasync()
        } finally {
          await fh.close()
        }
      }),
  }
}
