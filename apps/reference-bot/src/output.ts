/**
 * All-or-nothing output directories: everything is written into a hidden temporary sibling directory that is
 * renamed into place only when the run succeeded, so a failed or interrupted run never leaves output that looks
 * complete. Temporary directories left by runs that died (their process no longer exists) are removed.
 * @module
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { PerpkitError } from '@perpkit/core'

/** A pending output directory. */
export interface PendingOutput {
  /** Where to write now. */
  readonly tempDir: string
  /** Where the files end up after {@link PendingOutput.commit}. */
  readonly finalDir: string
  /** Temporary directories of dead runs that were removed while preparing this one. */
  readonly removedStale: readonly string[]
  /** Move the temporary directory into place; returns the final directory. */
  commit(): string
  /** Delete the temporary directory (on failure). */
  discard(): void
}

const PARTIAL = /^\..+\.partial-(\d+)$/

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Remove `.<run>.partial-<pid>` directories in `root` whose process is gone; returns their names. */
export function removeStalePartials(root: string): string[] {
  const removed: string[] = []
  for (const name of readdirSync(root)) {
    const m = PARTIAL.exec(name)
    if (m === null) continue
    const pid = Number(m[1])
    if (pid === process.pid || alive(pid)) continue
    rmSync(join(root, name), { recursive: true, force: true })
    removed.push(name)
  }
  return removed
}

/** One line for a filesystem failure: what could not be done, where, and the system's reason. */
function fsError(what: string, dir: string, cause: unknown): PerpkitError {
  const e = cause as NodeJS.ErrnoException
  const reason = String(e.message ?? cause).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')
  return new PerpkitError('invalid-input', `cannot ${what} ${dir}: ${reason}${e.code !== undefined ? ` (${e.code})` : ''}`, { cause, details: { dir } })
}

/**
 * Prepare a run directory `<root>/<name>`.
 *
 * @param args - `{ root, name }`.
 * @returns the pending output.
 * @throws PerpkitError `invalid-input` when the directory cannot be created or written (one line: path and reason).
 */
export function prepareOutput(args: { readonly root: string; readonly name: string }): PendingOutput {
  const root = resolve(args.root)
  const finalDir = join(root, args.name)
  const tempDir = join(root, `.${args.name}.partial-${process.pid}`)
  let removedStale: string[]
  try {
    mkdirSync(root, { recursive: true })
    removedStale = removeStalePartials(root)
    rmSync(tempDir, { recursive: true, force: true })
    mkdirSync(tempDir, { recursive: true })
  } catch (cause) {
    throw fsError('create the output directory', root, cause)
  }
  return {
    tempDir,
    finalDir,
    removedStale,
    commit() {
      try {
        rmSync(finalDir, { recursive: true, force: true })
        renameSync(tempDir, finalDir)
      } catch (cause) {
        throw fsError('move the finished run into', finalDir, cause)
      }
      return finalDir
    },
    discard() {
      rmSync(tempDir, { recursive: true, force: true })
    },
  }
}

/** A run name from the start time and strategy id, safe as a directory name. */
export function runName(args: { readonly mode: string; readonly strategyId: string; readonly startedAtMs: number }): string {
  const stamp = new Date(args.startedAtMs).toISOString().replace(/[:]/g, '').replace(/\..+$/, 'Z')
  return `${args.mode}-${args.strategyId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`
}

/** `dirname`/`basename` re-exported for callers that print paths. */
export const paths = { dirname, basename }
