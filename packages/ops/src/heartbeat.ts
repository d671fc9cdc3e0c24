import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type CancelTimer, type Clock, InvalidInputError, PerpkitError } from '@perpkit/core'

/** Health the bot reports in its heartbeat. */
export type HeartbeatStatus = 'starting' | 'trading' | 'halted' | 'stopping'

/** Content of the heartbeat file. */
export interface HeartbeatRecord {
  /** Process id of the bot. */
  readonly pid: number
  /** When the record was written, epoch ms. */
  readonly timestampMs: number
  /** What the bot was doing. */
  readonly status: HeartbeatStatus
}

/** Options of {@link createHeartbeat}. */
export interface HeartbeatOptions {
  /** The heartbeat file (its directory is created). A container HEALTHCHECK reads it. */
  readonly path: string
  /** Clock for the timestamp and the write timer. */
  readonly clock: Clock
  /** Write period (default 5,000 ms). */
  readonly intervalMs?: number
  /** Process id written in the record (default `process.pid`). */
  readonly pid?: number
}

/** A running heartbeat writer. */
export interface Heartbeat {
  /** Write now, then every `intervalMs`. */
  start(): void
  /** Change the status (written at once). */
  setStatus(status: HeartbeatStatus): void
  /** Write the current record now. */
  beat(): HeartbeatRecord
  /** Stop writing (the file stays, growing old, which is how a health check sees the bot gone). */
  stop(): void
}

/**
 * Write a heartbeat file every `intervalMs`: `{ pid, timestampMs, status }`, replaced atomically (write to a
 * temporary file, then rename), so a reader never sees half a record. A health check calls
 * {@link checkHeartbeat} (or compares the file's mtime) to tell a live bot from a hung one. Throws
 * `InvalidInputError` for a non-positive interval.
 *
 * @example
 * ```ts
 * import { createHeartbeat } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const heartbeat = createHeartbeat({ path: '/tmp/perpkit/heartbeat.json', clock: systemClock, intervalMs: 5000 })
 * heartbeat.start()
 * heartbeat.setStatus('trading')
 * heartbeat.stop()
 * ```
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const intervalMs = options.intervalMs ?? 5000
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new InvalidInputError('must be a positive number of ms', { path: 'intervalMs' })
  const pid = options.pid ?? process.pid
  let status: HeartbeatStatus = 'starting'
  let cancel: CancelTimer | undefined
  let running = false
  mkdirSync(dirname(options.path), { recursive: true })
  const beat = (): HeartbeatRecord => {
    const record: HeartbeatRecord = { pid, timestampMs: options.clock.now(), status }
    const tmp = `${options.path}.tmp`
    writeFileSync(tmp, `${JSON.stringify(record)}\n`)
    renameSync(tmp, options.path)
    return record
  }
  const schedule = (): void => {
    cancel = options.clock.setTimer(intervalMs, () => {
      if (!running) return
      beat()
      schedule()
    })
  }
  return {
    start() {
      if (running) return
      running = true
      beat()
      schedule()
    },
    setStatus(next) {
      status = next
      beat()
    },
    beat,
    stop() {
      running = false
      cancel?.()
      cancel = undefined
    },
  }
}

/** Verdict of {@link checkHeartbeat}. */
export type HeartbeatCheck =
  | { readonly ok: true; readonly record: HeartbeatRecord; readonly ageMs: number }
  | { readonly ok: false; readonly reason: 'missing' | 'stale' | 'corrupt'; readonly ageMs?: number }

/**
 * Read a heartbeat file and say whether it is fresh (written less than `maxAgeMs` before `nowMs`).
 *
 * @example
 * ```ts
 * import { checkHeartbeat } from '@perpkit/ops'
 * const verdict = checkHeartbeat({ path: '/tmp/perpkit/heartbeat.json', nowMs: Date.now(), maxAgeMs: 30_000 })
 * if (!verdict.ok) process.exitCode = 1
 * ```
 */
export function checkHeartbeat(args: { readonly path: string; readonly nowMs: number; readonly maxAgeMs: number }): HeartbeatCheck {
  let text: string
  try {
    text = readFileSync(args.path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'missing' }
    throw new PerpkitError('internal', `cannot read heartbeat ${args.path}`, { cause: e })
  }
  let record: HeartbeatRecord
  try {
    record = JSON.parse(text) as HeartbeatRecord
  } catch {
    return { ok: false, reason: 'corrupt' }
  }
  if (typeof record.timestampMs !== 'number' || typeof record.pid !== 'number') return { ok: false, reason: 'corrupt' }
  const ageMs = args.nowMs - record.timestampMs
  return ageMs <= args.maxAgeMs ? { ok: true, record, ageMs } : { ok: false, reason: 'stale', ageMs }
}
