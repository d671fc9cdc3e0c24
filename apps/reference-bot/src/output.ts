/**
 * All-or-nothing output directories: everything is written into a hidden temporary sibling directory that is
 * renamed into place only when the run succeeded, so a failed run never leaves output that looks complete.
 * @module
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** A pending output directory. */
export interface PendingOutput {
  /** Where to write now. */
  readonly tempDir: string
  /** Where the files end up after {@link PendingOutput.commit}. */
  readonly finalDir: string
  /** Move the temporary directory into place; returns the final directory. */
  commit(): string
  /** Delete the temporary directory (on failure). */
  discard(): void
}

/**
 * Prepare a run directory `<root>/<name>` (a numeric suffix is added when it exists).
 *
 * @param args - `{ root, name }`.
 * @returns the pending output.
 */
export function prepareOutput(args: { readonly root: string; readonly name: string }): PendingOutput {
  const root = resolve(args.root)
  mkdirSync(root, { recursive: true })
  const finalDir = join(root, args.name)
  const tempDir = join(root, `.${args.name}.partial-${process.pid}`)
  rmSync(tempDir, { recursive: true, force: true })
  mkdirSync(tempDir, { recursive: true })
  return {
    tempDir,
    finalDir,
    commit() {
      rmSync(finalDir, { recursive: true, force: true })
      renameSync(tempDir, finalDir)
      return finalDir
    },
    discard() {
      rmSync(tempDir, { recursive: true, force: true })
    },
  }
}

/** A run name from the start time and strategy id, safe as a directory name. */
export function runName(args: { readonly mode: string; readonly strategyId: string; readonly atMs: number }): string {
  const stamp = new Date(args.atMs).toISOString().replace(/[:]/g, '').replace(/\..+$/, 'Z')
  return `${args.mode}-${args.strategyId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`
}

/** `dirname`/`basename` re-exported for callers that print paths. */
export const paths = { dirname, basename }
