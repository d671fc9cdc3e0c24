import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export const repoRoot = join(import.meta.dirname, '..', '..', '..')

/** Absolute path of an executable on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Prometheus's `prometheus` and `promtool` (Debian package `prometheus`, installed by .ci/run). Locally, without
 * them, the tests that need them are skipped with one line; with CI set they are required.
 */
export function prometheusTools(): { prometheus: string; promtool: string } | undefined {
  const prometheus = findExecutable('prometheus')
  const promtool = findExecutable('promtool')
  if (prometheus !== undefined && promtool !== undefined) return { prometheus, promtool }
  if (process.env.CI !== 'true' && process.env.CI !== '1') {
    console.warn('skipped: the real-Prometheus tests need `prometheus` and `promtool` on PATH (apt-get install prometheus)')
  }
  return undefined
}

/** Is this a CI run (where missing tools must fail, not skip)? */
export const inCi = process.env.CI === 'true' || process.env.CI === '1'
