import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { join } from 'node:path'

const repoRoot = join(import.meta.dirname, '..', '..', '..')

/** Start a TypeScript fixture in a child node (source-first resolution of @perpkit/*, like the tests). */
export function startFixture(file: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--conditions=@perpkit/source', '--import', 'tsx', join(import.meta.dirname, 'fixtures', file), ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** The first stdout line of a child. */
export function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve(out.slice(0, nl))
    })
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing a line: ${err}`)))
  })
}

/** Resolve with the exit code (or signal) of a child. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))
}
