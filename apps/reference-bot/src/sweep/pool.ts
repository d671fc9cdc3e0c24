/**
 * The local sweep runner: a pool of worker threads, each with the config and data loaded once, fed one grid point
 * at a time (the next point goes to whichever worker finishes first). Rows come back in grid order, whatever the
 * scheduling, so the results do not depend on the number of workers.
 * @module
 */
import { Worker } from 'node:worker_threads'
import { InvalidInputError } from '@perpkit/core'
import type { GridPoint } from './grid.js'
import type { SweepJobSpec, SweepRow } from './point.js'

/**
 * The worker next to this module: the built `worker.js`; or, when this module runs from TypeScript source (tests
 * under vitest), a bootstrap that registers tsx in the thread and imports `worker.ts`, resolving workspace packages
 * to their source like the tests do.
 */
function startWorker(spec: SweepJobSpec): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData: spec })
  const source = new URL('./worker.ts', here).href
  const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(bootstrap, { eval: true, workerData: spec, execArgv: ['--conditions=@perpkit/source'] })
}

/**
 * Run every point of a grid on `workers` threads.
 *
 * @param args - `{ spec, points, workers, onProgress? }`
 * @returns one row per point, in grid order
 * @throws InvalidInputError when a point fails (the message names the point); the workers are stopped
 */
export async function runSweepLocal(args: {
  readonly spec: SweepJobSpec
  readonly points: readonly GridPoint[]
  readonly workers: number
  readonly onProgress?: (done: number, total: number) => void
}): Promise<SweepRow[]> {
  const { points } = args
  const rows: (SweepRow | undefined)[] = new Array(points.length)
  if (points.length === 0) return []
  const n = Math.max(1, Math.min(args.workers, points.length))
  const pool = Array.from({ length: n }, () => startWorker(args.spec))
  let next = 0
  let done = 0
  try {
    await new Promise<void>((resolveAll, reject) => {
      const feed = (w: Worker): void => {
        if (next >= points.length) return
        const index = next++
        w.postMessage({ index, params: points[index] })
      }
      for (const w of pool) {
        w.on('message', (m: { readonly row?: SweepRow; readonly index?: number; readonly error?: string }) => {
          if (m.row === undefined) {
            reject(new InvalidInputError(`sweep point ${m.index} ${JSON.stringify(points[m.index ?? -1])}: ${m.error}`, { path: 'param' }))
            return
          }
          rows[m.row.index] = m.row
          done++
          args.onProgress?.(done, points.length)
          if (done === points.length) resolveAll()
          else feed(w)
        })
        w.on('error', reject)
        w.on('exit', (code) => {
          if (done < points.length && code !== 0) reject(new Error(`a sweep worker exited with code ${code}`))
        })
        feed(w)
      }
    })
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
  return rows as SweepRow[]
}
