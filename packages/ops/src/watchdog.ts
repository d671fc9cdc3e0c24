import { monitorEventLoopDelay } from 'node:perf_hooks'
import { type CancelTimer, type Clock, InvalidInputError } from '@perpkit/core'

/** Source of the event-loop delay seen since the last reset. */
export interface LoopDelaySource {
  /** Largest delay since the last reset, ms. */
  maxMs(): number
  /** Start a new measurement window. */
  reset(): void
  /** Stop measuring. */
  close(): void
}

/**
 * The event-loop delay of this process, from `perf_hooks.monitorEventLoopDelay` (sampling every `resolutionMs`).
 *
 * @example
 * ```ts
 * import { eventLoopDelaySource } from '@perpkit/ops'
 * const delay = eventLoopDelaySource()
 * delay.maxMs() // largest lag since the last reset, in ms
 * delay.close()
 * ```
 */
export function eventLoopDelaySource(resolutionMs = 20): LoopDelaySource {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  return {
    // the histogram counts the sampling period itself in each delay: subtract it to get the lag
    maxMs: () => (histogram.count === 0 ? 0 : Math.max(0, histogram.max / 1e6 - resolutionMs)),
    reset: () => histogram.reset(),
    close: () => histogram.disable(),
  }
}

/** Why the watchdog fired. */
export type Stall =
  | { readonly type: 'event-loop-lag'; readonly lagMs: number; readonly limitMs: number; readonly timestampMs: number }
  | { readonly type: 'stream-silent'; readonly stream: string; readonly silentMs: number; readonly limitMs: number; readonly timestampMs: number }

/** Options of {@link createWatchdog}. */
export interface WatchdogOptions {
  /** Clock for the check timer and the stream silence. */
  readonly clock: Clock
  /** Check period (default 1,000 ms). */
  readonly checkIntervalMs?: number
  /** A lag above this (ms) is a stall (default 1,000 ms). */
  readonly maxEventLoopLagMs?: number
  /** Streams to watch and the longest silence each may have (ms), e.g. `{ 'user-stream': 60_000 }`. */
  readonly streams?: Readonly<Record<string, number>>
  /** Where the event-loop delay comes from (default {@link eventLoopDelaySource}). */
  readonly loopDelay?: LoopDelaySource
  /** Called once when a stall starts: halt trading and alert here. */
  readonly onStall: (stall: Stall) => void
  /** Called once when a stalled stream or loop is healthy again, with the last stall reading of the episode. */
  readonly onRecover?: (stall: Stall) => void
}

/** A running watchdog. */
export interface Watchdog {
  /** Start checking every `checkIntervalMs`. Streams count as active from this moment. */
  start(): void
  /** A message arrived on `stream` (call it on every message, or at least on every heartbeat of the stream). */
  reportActivity(stream: string): void
  /** Run one check now; returns the stalls seen (new or continuing). */
  check(): Stall[]
  /** Seconds since `stream` last reported activity (for the WS staleness metric). */
  stalenessSeconds(stream: string): number
  /** The largest event-loop lag seen by the last check, ms. */
  lastLagMs(): number
  /** Stop checking (and stop the default delay monitor). */
  stop(): void
}

/**
 * Watch the event loop and the streams. Every `checkIntervalMs` it reads the largest event-loop lag since the
 * previous check (from the delay monitor, or how late the check timer itself fired, whichever is larger) and the silence of each watched stream; a lag above `maxEventLoopLagMs` or a stream silent longer
 * than its bound calls `onStall` once per episode (the caller halts trading and alerts), and `onRecover` when it
 * clears. Throws `InvalidInputError` for non-positive bounds, and from `reportActivity` for an unwatched stream.
 *
 * @example
 * ```ts
 * import { createWatchdog } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const watchdog = createWatchdog({
 *   clock: systemClock,
 *   streams: { 'user-stream': 60_000, 'market-data': 15_000 },
 *   onStall: (stall) => console.error('halt trading:', stall.type),
 * })
 * watchdog.start()
 * watchdog.reportActivity('market-data')
 * watchdog.stop()
 * ```
 */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  const checkIntervalMs = options.checkIntervalMs ?? 1000
  const maxLagMs = options.maxEventLoopLagMs ?? 1000
  const positive = (v: number, path: string): void => {
    if (!Number.isFinite(v) || v <= 0) throw new InvalidInputError('must be a positive number of ms', { path })
  }
  positive(checkIntervalMs, 'checkIntervalMs')
  positive(maxLagMs, 'maxEventLoopLagMs')
  const bounds = new Map(Object.entries(options.streams ?? {}))
  for (const [name, limit] of bounds) positive(limit, `streams.${name}`)
  const lastSeen = new Map<string, number>()
  const active = new Map<string, Stall>() // ongoing stalls (latest reading) by key: 'loop' or 'stream:<name>'
  let loopDelay = options.loopDelay
  let ownLoopDelay = false
  let cancel: CancelTimer | undefined
  let lagMs = 0
  let running = false

  const check = (timerDriftMs = 0): Stall[] => {
    const now = options.clock.now()
    const stalls: Stall[] = []
    const seen = new Set<string>()
    if (loopDelay !== undefined) {
      lagMs = Math.max(loopDelay.maxMs(), timerDriftMs)
      loopDelay.reset()
      if (lagMs > maxLagMs) {
        stalls.push({ type: 'event-loop-lag', lagMs, limitMs: maxLagMs, timestampMs: now })
        seen.add('loop')
      }
    }
    for (const [stream, limitMs] of bounds) {
      const silentMs = now - (lastSeen.get(stream) ?? now)
      if (silentMs > limitMs) {
        stalls.push({ type: 'stream-silent', stream, silentMs, limitMs, timestampMs: now })
        seen.add(`stream:${stream}`)
      }
    }
    for (const stall of stalls) {
      const key = stall.type === 'event-loop-lag' ? 'loop' : `stream:${stall.stream}`
      if (!active.has(key)) options.onStall(stall)
      active.set(key, stall)
    }
    for (const [key, stall] of [...active]) {
      if (seen.has(key)) continue
      active.delete(key)
      options.onRecover?.(stall)
    }
    return stalls
  }
  const schedule = (): void => {
    const dueMs = options.clock.now() + checkIntervalMs
    cancel = options.clock.setTimer(checkIntervalMs, () => {
      if (!running) return
      // a late check timer is lag too: it covers a block right after a reset, which the monitor does not sample
      check(Math.max(0, options.clock.now() - dueMs))
      schedule()
    })
  }
  return {
    start() {
      if (running) return
      running = true
      if (loopDelay === undefined) {
        loopDelay = eventLoopDelaySource()
        ownLoopDelay = true
      }
      loopDelay.reset()
      const now = options.clock.now()
      for (const stream of bounds.keys()) if (!lastSeen.has(stream)) lastSeen.set(stream, now)
      schedule()
    },
    reportActivity(stream) {
      if (!bounds.has(stream)) throw new InvalidInputError(`unknown stream '${stream}' (watched: ${[...bounds.keys()].join(', ') || 'none'})`, { path: 'stream' })
      lastSeen.set(stream, options.clock.now())
    },
    check: () => check(),
    stalenessSeconds(stream) {
      const seen = lastSeen.get(stream)
      return seen === undefined ? 0 : Math.max(0, options.clock.now() - seen) / 1000
    },
    lastLagMs: () => lagMs,
    stop() {
      running = false
      cancel?.()
      cancel = undefined
      if (ownLoopDelay) {
        loopDelay?.close()
        loopDelay = undefined
        ownLoopDelay = false
      }
    },
  }
}
