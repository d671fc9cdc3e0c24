/**
 * Time as a port. Library code never calls `Date.now()` or `setTimeout` directly: it takes a {@link Clock}.
 * Backtests use a virtual clock, tests a {@link TestClock}, live code {@link systemClock}.
 * @module
 */

/** Cancels a scheduled timer; calling it twice is harmless. */
export type CancelTimer = () => void

/**
 * Source of time and timers.
 *
 * Implementers must guarantee: `now()` never decreases; a timer never fires before `now() >= dueMs`;
 * timers due at the same time fire in the order they were scheduled; a cancelled timer never fires.
 */
export interface Clock {
  /** Current time in epoch ms. */
  now(): number
  /**
   * Milliseconds on a clock that is never stepped (arbitrary origin): the difference of two readings is the real
   * elapsed time, whatever NTP or an operator does to the wall clock meanwhile. Use it to measure durations (rate
   * windows, timeouts); use `now()` for timestamps. Optional: where absent, callers fall back to `now()`.
   */
  monotonicMs?(): number
  /** Run `fn` once after `delayMs` (clamped to ≥ 0). */
  setTimer(delayMs: number, fn: () => void): CancelTimer
  /** Resolve after `delayMs`. */
  sleep(delayMs: number): Promise<void>
}

/**
 * The wall clock of the process.
 *
 * @example
 * ```ts
 * import { systemClock } from '@perpkit/core'
 * const cancel = systemClock.setTimer(1000, () => console.log('tick at', systemClock.now()))
 * cancel()
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicMs: () => performance.now(),
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs))
    return () => clearTimeout(handle)
  },
  sleep: (delayMs) => new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs))),
}

/** A manually advanced clock for tests and backtests. */
export interface TestClock extends Clock {
  /** Move time forward by `ms`, firing due timers in order (synchronously). */
  advance(ms: number): void
  /** Move time to `timeMs` (must not be in the past), firing due timers in order. */
  advanceTo(timeMs: number): void
  /**
   * Like {@link TestClock.advance} but lets promise continuations run between timers, so async code
   * awaiting `sleep()` progresses as it would in real time.
   */
  advanceAsync(ms: number): Promise<void>
  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number
  /** Due time of the next timer (on the current wall reading), or undefined. */
  nextTimerMs(): number | undefined
  /**
   * Step the wall clock that `now()` reads by `deltaMs`, forwards or **backwards**, as an NTP correction or a
   * manual clock change does. Timers are not run or rescheduled: like real timers they wait on a monotonic
   * clock, so a timer due in 1 s still fires after 1 s of `advance`, whatever `now()` reads meanwhile.
   */
  stepWall(deltaMs: number): void
}

interface Timer {
  readonly dueMs: number
  readonly seq: number
  readonly fn: () => void
  cancelled: boolean
}

/**
 * Create a {@link TestClock} starting at `startMs` (default 0).
 *
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * const clock = createTestClock(1_700_000_000_000)
 * let fired = false
 * clock.setTimer(2000, () => { fired = true })
 * clock.advance(1999) // fired === false
 * clock.advance(1)    // fired === true
 * ```
 */
export function createTestClock(startMs = 0): TestClock {
  let nowMs = startMs // monotonic time: timers are scheduled on it
  let wallOffsetMs = 0 // now() = nowMs + wallOffsetMs
  let seq = 0
  const timers: Timer[] = []

  const nextDue = (limitMs: number): Timer | undefined => {
    let best: Timer | undefined
    for (const t of timers) {
      if (t.cancelled || t.dueMs > limitMs) continue
      if (best === undefined || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.seq < best.seq)) best = t
    }
    return best
  }
  const remove = (t: Timer): void => {
    const i = timers.indexOf(t)
    if (i >= 0) timers.splice(i, 1)
  }
  const prune = (): void => {
    for (let i = timers.length - 1; i >= 0; i--) if (timers[i]?.cancelled) timers.splice(i, 1)
  }
  const checkTarget = (target: number): void => {
    if (!Number.isFinite(target) || target < nowMs) throw new RangeError(`cannot move a clock backwards or to a non-finite time (${target} < ${nowMs})`)
  }

  const clock: TestClock = {
    now: () => nowMs + wallOffsetMs,
    monotonicMs: () => nowMs,
    setTimer(delayMs, fn) {
      const timer: Timer = { dueMs: nowMs + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), seq: seq++, fn, cancelled: false }
      timers.push(timer)
      return () => {
        timer.cancelled = true
      }
    },
    sleep(delayMs) {
      return new Promise((resolve) => {
        clock.setTimer(delayMs, resolve)
      })
    },
    advanceTo(timeMs) {
      const target = timeMs - wallOffsetMs
      checkTarget(target)
      for (let t = nextDue(target); t !== undefined; t = nextDue(target)) {
        remove(t)
        nowMs = Math.max(nowMs, t.dueMs)
        t.fn()
      }
      nowMs = target
      prune()
    },
    advance(ms) {
      clock.advanceTo(nowMs + wallOffsetMs + ms)
    },
    async advanceAsync(ms) {
      const target = nowMs + ms
      checkTarget(target)
      await flushMicrotasks()
      for (let t = nextDue(target); t !== undefined; t = nextDue(target)) {
        remove(t)
        nowMs = Math.max(nowMs, t.dueMs)
        t.fn()
        await flushMicrotasks()
      }
      nowMs = target
      prune()
      await flushMicrotasks()
    },
    pendingTimers: () => timers.filter((t) => !t.cancelled).length,
    nextTimerMs: () => {
      const t = nextDue(Number.POSITIVE_INFINITY)
      return t === undefined ? undefined : t.dueMs + wallOffsetMs
    },
    stepWall(deltaMs) {
      if (!Number.isFinite(deltaMs)) throw new RangeError(`wall clock step must be finite (${deltaMs})`)
      wallOffsetMs += deltaMs
    },
  }
  return clock
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}
