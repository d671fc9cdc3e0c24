/**
 * The venue's clock as seen from here: the offset `serverTime − local time` (at the midpoint of the round trip)
 * is measured at connect, again every `intervalMs`, and whenever the venue refuses a timestamp; it is applied to
 * every signed request. When the offset moves by more than the receive window between two measurements — the
 * local clock jumped or drifted far enough that requests signed with the old offset would be refused — a
 * `clock-drift` event is reported.
 * @module
 */
import { type Clock, isPerpkitError } from '@perpkit/core'

/**
 * The offset moved by more than the receive window between two measurements (or the first measurement found the
 * local clock further off than the window).
 * @example
 * ```ts
 * import type { ClockDriftEvent } from '@perpkit/exchange'
 * const onClockDrift = (e: ClockDriftEvent): void => console.warn(`clock drifted ${e.driftMs} ms (window ${e.recvWindowMs} ms)`)
 * ```
 */
export interface ClockDriftEvent {
  readonly type: 'clock-drift'
  /** When it was measured (local clock). */
  readonly timestampMs: number
  /** The offset applied before (0 before the first measurement). */
  readonly previousOffsetMs: number
  /** The offset measured now and applied from now on. */
  readonly offsetMs: number
  /** `offsetMs − previousOffsetMs`. */
  readonly driftMs: number
  readonly recvWindowMs: number
}

/** The running measurement. */
export interface TimeSync {
  /** Measure now and apply; resolves with the offset. */
  sync(): Promise<number>
  /** Re-measure every `intervalMs` until `stop()`. */
  start(): void
  stop(): void
  /** The offset applied now. */
  offsetMs(): number
  /** When `error` is `clock-skew` (the venue refused a timestamp), measure again in the background; returns `error`. */
  afterFailure(error: unknown): unknown
}

/** What a client's caller may set about time sync. */
export interface TimeSyncOptions {
  /** Re-measure the server-time offset this often. Default 300,000 ms (and after every timestamp refusal). */
  readonly timeSyncIntervalMs?: number | undefined
  /** Told when the server-time offset moved by more than `recvWindowMs` between two measurements. */
  readonly onClockDrift?: ((event: ClockDriftEvent) => void) | undefined
}

/**
 * Create the measurement.
 * @param args.clock - local time and the re-measure timer
 * @param args.fetchServerTime - asks the venue for its time (epoch ms)
 * @param args.transport - receives each new offset (and adds it to request timestamps)
 * @param args.recvWindowMs - the signed requests' validity window
 * @param args.options - re-measure period (default 5 minutes) and the drift listener
 * @returns the measurement (not started)
 * @throws never (a failed periodic measurement keeps the last offset)
 * @example
 * ```ts
 * const sync = createTimeSync({ clock, fetchServerTime, transport, recvWindowMs: 5_000, options: { onClockDrift: console.warn } })
 * await sync.sync()
 * ```
 */
export function createTimeSync(args: {
  readonly clock: Clock
  readonly fetchServerTime: () => Promise<number>
  readonly transport: { setServerOffset(offsetMs: number): void }
  readonly recvWindowMs: number
  readonly options: TimeSyncOptions
}): TimeSync {
  const { clock } = args
  const intervalMs = args.options.timeSyncIntervalMs ?? 300_000
  let offset = 0
  let cancel: (() => void) | undefined
  let running = false
  const sync = async (): Promise<number> => {
    const before = clock.now()
    const serverTime = await args.fetchServerTime()
    const after = clock.now()
    const measured = Math.round(serverTime - (before + after) / 2)
    const driftMs = measured - offset
    if (Math.abs(driftMs) > args.recvWindowMs) {
      try {
        args.options.onClockDrift?.({ type: 'clock-drift', timestampMs: after, previousOffsetMs: offset, offsetMs: measured, driftMs, recvWindowMs: args.recvWindowMs })
      } catch {
        // a throwing listener does not stop the measurement
      }
    }
    offset = measured
    args.transport.setServerOffset(measured)
    return measured
  }
  const schedule = (): void => {
    cancel = clock.setTimer(intervalMs, () => {
      cancel = undefined
      if (!running) return
      sync().then(schedule, schedule)
    })
  }
  return {
    sync,
    start() {
      if (running) return
      running = true
      schedule()
    },
    stop() {
      running = false
      cancel?.()
      cancel = undefined
    },
    offsetMs: () => offset,
    afterFailure(error) {
      if (isPerpkitError(error, 'clock-skew')) sync().catch(() => undefined)
      return error
    },
  }
}
