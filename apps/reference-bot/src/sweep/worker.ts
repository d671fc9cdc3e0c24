/**
 * Worker-thread entry of `perpkit sweep`: loads the config and data once (from `workerData`), then runs each point
 * the main thread sends (`{ index, params }`) and posts back `{ row }` or `{ index, error }`.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { GridPoint } from './grid.js'
import { createPointRunner, type SweepJobSpec } from './point.js'

const port = parentPort
if (port !== null) {
  const ready = createPointRunner(workerData as SweepJobSpec)
  port.on('message', (job: { readonly index: number; readonly params: GridPoint }) => {
    ready
      .then((run) => run(job.index, job.params))
      .then(
        (row) => port.postMessage({ row }),
        (e: unknown) => port.postMessage({ index: job.index, error: e instanceof Error ? e.message : String(e) }),
      )
  })
}
