/**
 * A sweep as jobs on a BullMQ queue in Redis: `perpkit sweep --queue redis://…` adds one job per grid point and
 * waits for their results; `perpkit worker --queue redis://…` (on any number of machines) runs them. A job carries
 * the config path, the data path and the seed, so every worker must see those files at the same paths. Rows are
 * the same as a local sweep's (the same point runner; numbers travel as JSON, which round-trips them exactly).
 * @module
 */
import { randomUUID } from 'node:crypto'
import { InvalidInputError } from '@perpkit/core'
import { type ConnectionOptions, type Job, Queue, QueueEvents, Worker } from 'bullmq'
import type { GridPoint } from './grid.js'
import { createPointRunner, type SweepJobSpec, type SweepRow } from './point.js'

/** The queue every sweep's jobs go to (jobs are told apart by their sweep id). */
export const SWEEP_QUEUE = 'perpkit-sweep'

/** What one job carries. */
export interface SweepJobData {
  readonly sweepId: string
  readonly spec: SweepJobSpec
  readonly index: number
  readonly params: GridPoint
}

/**
 * Parse a `redis://[user:password@]host[:port][/db]` URL into BullMQ connection options.
 *
 * @throws InvalidInputError for another scheme, a missing host or a bad port or database number
 * @example
 * ```ts
 * redisConnection('redis://127.0.0.1:6379/2') // { host: '127.0.0.1', port: 6379, db: 2, maxRetriesPerRequest: null }
 * ```
 */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new InvalidInputError(`--queue: not a URL: ${url}`, { path: 'queue' })
  }
  if (u.protocol !== 'redis:' || u.hostname === '') throw new InvalidInputError(`--queue: expected redis://host[:port][/db], got ${url}`, { path: 'queue' })
  const port = u.port === '' ? 6379 : Number(u.port)
  const dbText = u.pathname.replace(/^\//, '')
  const db = dbText === '' ? 0 : Number(dbText)
  if (!Number.isInteger(db) || db < 0) throw new InvalidInputError(`--queue: bad database number in ${url}`, { path: 'queue' })
  return {
    host: u.hostname,
    port,
    db,
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    // BullMQ workers block on Redis: ioredis must not give up on a request
    maxRetriesPerRequest: null,
  }
}

/**
 * Run a sweep through the queue: add every point as a job and collect the rows in grid order.
 *
 * @throws InvalidInputError when a point fails on a worker (the message names the point and the worker's error)
 */
export async function runSweepQueue(args: {
  readonly url: string
  readonly spec: SweepJobSpec
  readonly points: readonly GridPoint[]
  readonly onProgress?: (done: number, total: number) => void
}): Promise<SweepRow[]> {
  const connection = redisConnection(args.url)
  const queue = new Queue<SweepJobData, SweepRow>(SWEEP_QUEUE, { connection })
  const events = new QueueEvents(SWEEP_QUEUE, { connection })
  try {
    await events.waitUntilReady()
    const sweepId = randomUUID()
    const jobs = await queue.addBulk(
      args.points.map((params, index) => ({
        name: 'point',
        data: { sweepId, spec: args.spec, index, params },
        opts: { jobId: `${sweepId}-${index}`, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } },
      })),
    )
    const rows: SweepRow[] = new Array(jobs.length)
    let done = 0
    await Promise.all(
      jobs.map(async (job: Job<SweepJobData, SweepRow>, index) => {
        let row: SweepRow
        try {
          row = await job.waitUntilFinished(events)
        } catch (e) {
          throw new InvalidInputError(`sweep point ${index} ${JSON.stringify(args.points[index])}: ${e instanceof Error ? e.message : String(e)}`, { path: 'param', cause: e })
        }
        rows[index] = row
        args.onProgress?.(++done, jobs.length)
      }),
    )
    return rows
  } finally {
    await events.close()
    await queue.close()
  }
}

/**
 * Start a queue worker: runs sweep jobs (data loaded once per config/data/seed) until closed.
 *
 * @param args - `{ url, concurrency?, onJob? }`; `onJob` is told each finished point (for logs)
 * @returns the BullMQ worker (`await worker.close()` to stop after the running jobs)
 */
export function startSweepWorker(args: { readonly url: string; readonly concurrency?: number; readonly onJob?: (data: SweepJobData) => void }): Worker<SweepJobData, SweepRow> {
  const runners = new Map<string, ReturnType<typeof createPointRunner>>()
  return new Worker<SweepJobData, SweepRow>(
    SWEEP_QUEUE,
    async (job) => {
      const { spec, index, params } = job.data
      const key = JSON.stringify([spec.configPath ?? null, spec.dataPath ?? null, spec.seed])
      let runner = runners.get(key)
      if (runner === undefined) {
        runner = createPointRunner(spec)
        runners.set(key, runner)
      }
      const row = await (await runner)(index, params)
      args.onJob?.(job.data)
      return row
    },
    { connection: redisConnection(args.url), concurrency: args.concurrency ?? 1 },
  )
}
