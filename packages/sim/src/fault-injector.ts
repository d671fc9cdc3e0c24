/**
 * Scriptable, seeded fault injection for the simulated venue: per-call failures (reject, timeouts,
 * 5xx, 429, 418, clock skew, late accept) and per-stream faults (duplicate, reorder, drop, silence, disconnect).
 * @module
 */
import { type ErrorCode, type ExchangeMethod, InvalidInputError } from '@perpkit/core'
import type { SeededRandom } from './rng.js'

/**
 * Port methods that can be scripted to fail (every request method of the port, and `connect`). `'*'` matches every method.
 * @example
 * ```ts
 * import { type SimMethod } from '@perpkit/sim'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue
 * venue.faults.fail('cancelOrder' satisfies SimMethod, { kind: 'http-5xx-after-accept' })
 * ```
 */
export type SimMethod = ExchangeMethod | 'connect'

/**
 * What a scripted call fault does.
 * - `reject`: the venue answers with an error (`code`/`venueCode`/`message`); the request has no effect.
 * - `network`: the request provably never left (connection refused) → `network`.
 * - `timeout-before`: the request times out before reaching the venue → caller sees `unknown-outcome`, nothing happened.
 * - `timeout-after-accept`: the venue processes the request, the caller sees `unknown-outcome`.
 * - `http-5xx-after-accept`: the venue processes the request, the caller sees an HTTP 5xx (`unknown-outcome`).
 * - `rate-limited`: HTTP 429 with `retryAfterMs`; nothing happened.
 * - `ip-banned`: HTTP 418 (Binance) / banned IP (Bybit) with `retryAfterMs`; nothing happened.
 * - `clock-skew`: timestamp outside recvWindow (-1021 / 10002); nothing happened.
 * - `late-accept`: the caller sees a timeout (`unknown-outcome`) at once, and the request reaches the venue
 *   `delayMs` later (default: seeded, uniform in 1,500–4,000 ms) and executes then — unless the delay exceeds the
 *   venue's `recvWindowMs`, in which case the venue refuses it and it never executes. Until it arrives,
 *   queries do not find it.
 * @example
 * ```ts
 * import { type CallFaultKind } from '@perpkit/sim'
 * const kind: CallFaultKind = 'timeout-after-accept'
 * ```
 */
export type CallFaultKind =
  | 'reject'
  | 'network'
  | 'timeout-before'
  | 'timeout-after-accept'
  | 'http-5xx-after-accept'
  | 'rate-limited'
  | 'ip-banned'
  | 'clock-skew'
  | 'late-accept'

/**
 * A scripted call fault.
 * @example
 * ```ts
 * import { type CallFaultSpec } from '@perpkit/sim'
 * const spec: CallFaultSpec = { kind: 'rate-limited', retryAfterMs: 2000, times: 3 }
 * ```
 */
export interface CallFaultSpec {
  readonly kind: CallFaultKind
  /** How many matching calls fail (default 1). `Infinity` = every call until cleared. */
  readonly times?: number
  /** Let this many matching calls through before failing (default 0). */
  readonly skip?: number
  /** Each matching call fails with this probability, drawn from the seeded generator (default 1). */
  readonly probability?: number
  /** For `reject`: the core error code (default `venue-rejected`). */
  readonly code?: ErrorCode
  /** For `reject`: the venue code to report. */
  readonly venueCode?: number | string
  /** For `reject`: the message. */
  readonly message?: string
  /** For `rate-limited` / `ip-banned`: the retry delay reported (default 1,000 / 60,000 ms). */
  readonly retryAfterMs?: number
  /** For `late-accept`: how long after the call the request reaches the venue (default: seeded, 1,500–4,000 ms). */
  readonly delayMs?: number
}

/**
 * A fault chosen for one call.
 * @example
 * ```ts
 * import { type ChosenCallFault } from '@perpkit/sim'
 * import type { FaultEngine } from '@perpkit/sim'
 * declare const engine: FaultEngine
 * const chosen: ChosenCallFault | undefined = engine.takeCallFault('createOrder')
 * ```
 */
export interface ChosenCallFault {
  readonly spec: CallFaultSpec
  /** For `late-accept`: the delay drawn for this call. */
  readonly delayMs: number
}

/**
 * Stream delivery faults and call faults, all deterministic for a given seed and script.
 * @example
 * ```ts
 * import type { Clock } from '@perpkit/core'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue, clock: Clock
 * venue.faults.disconnect({ fromMs: clock.now() + 1000, toMs: clock.now() + 5000 })
 * venue.faults.dropNext(2)
 * ```
 */
export interface FaultInjector {
  /** Script a failure of `method` (or `'*'`). Faults are consumed in the order they were added. */
  fail(method: SimMethod | '*', spec: CallFaultSpec): void
  /** Deliver each of the next `n` user-stream events twice. */
  duplicateNext(n: number): void
  /** Hold the next `n` events and deliver them in a seeded shuffled order once `n` are held. */
  reorderNext(n: number): void
  /** Silently drop the next `n` events (never delivered; the venue state still changes). */
  dropNext(n: number): void
  /**
   * Keep the stream open but deliver nothing (no `connection` event, no disconnect) until the clock reaches
   * `untilMs` — a half-open socket. `Infinity` keeps it silent until {@link FaultInjector.clear}. Events emitted
   * meanwhile are lost to listeners (they stay in the event log).
   */
  silence(args: { readonly untilMs: number }): void
  /** Close the stream at `fromMs` (`connection: closed`), drop events until `toMs`, then `connecting` → `open`. */
  disconnect(args: { readonly fromMs: number; readonly toMs: number }): void
  /** Remove every scripted fault not yet consumed. */
  clear(): void
  /** Number of scripted call faults not yet consumed. */
  pendingCallFaults(): number
}

/**
 * Internal view used by the venue.
 * @example
 * ```ts
 * import { createFaultEngine, createSeededRandom, type FaultEngine } from '@perpkit/sim'
 * const engine: FaultEngine = createFaultEngine({ random: createSeededRandom(7) })
 * ```
 */
export interface FaultEngine extends FaultInjector {
  /** Decide whether this call of `method` fails; consumes script entries. */
  takeCallFault(method: SimMethod): ChosenCallFault | undefined
  /** Stream faults for the next delivered event. */
  readonly stream: StreamFaultState
}

/**
 * Mutable stream fault state (read by the delivery pipeline).
 * @example
 * ```ts
 * import type { FaultEngine } from '@perpkit/sim'
 * declare const engine: FaultEngine
 * engine.stream.drop // events still to drop
 * ```
 */
export interface StreamFaultState {
  duplicate: number
  reorder: number
  reorderTarget: number
  drop: number
  silenceUntilMs: number
  windows: { fromMs: number; toMs: number }[]
}

/** Default delay range of a `late-accept` (inside the 5 s default recvWindow of Binance and Bybit). */
const LATE_ACCEPT_MIN_MS = 1_500
const LATE_ACCEPT_MAX_MS = 4_000

interface Scripted {
  readonly method: SimMethod | '*'
  readonly spec: CallFaultSpec
  remaining: number
  skip: number
}

function count(n: number, path: string): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidInputError('must be an integer >= 0', { path })
  return n
}

/**
 * Create a fault engine (the simulator creates one per venue; exposed as `venue.faults`).
 *
 * @param args.random - the venue's seeded generator (used for `probability` and reorder shuffles)
 * @returns a {@link FaultEngine}
 * @throws InvalidInputError for negative counts or an inverted window
 * @example
 * ```ts
 * import { createFaultEngine, createSeededRandom } from '@perpkit/sim'
 * const faults = createFaultEngine({ random: createSeededRandom(1) })
 * faults.fail('createOrder', { kind: 'timeout-after-accept' })
 * faults.takeCallFault('createOrder')?.spec.kind // 'timeout-after-accept'
 * ```
 */
export function createFaultEngine(args: { readonly random: SeededRandom }): FaultEngine {
  let scripts: Scripted[] = []
  const stream: StreamFaultState = { duplicate: 0, reorder: 0, reorderTarget: 0, drop: 0, silenceUntilMs: -1, windows: [] }
  return {
    stream,
    fail(method, spec) {
      const times = spec.times ?? 1
      if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) throw new InvalidInputError('must be a positive integer or Infinity', { path: 'times' })
      const skip = count(spec.skip ?? 0, 'skip')
      if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) throw new InvalidInputError('must be in [0, 1]', { path: 'probability' })
      if (spec.delayMs !== undefined && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) throw new InvalidInputError('must be a finite delay >= 0', { path: 'delayMs' })
      scripts.push({ method, spec, remaining: times, skip })
    },
    duplicateNext(n) {
      stream.duplicate += count(n, 'n')
    },
    reorderNext(n) {
      stream.reorder += count(n, 'n')
      stream.reorderTarget = stream.reorder
    },
    dropNext(n) {
      stream.drop += count(n, 'n')
    },
    silence({ untilMs }) {
      if (Number.isNaN(untilMs)) throw new InvalidInputError('must be a time or Infinity', { path: 'untilMs' })
      stream.silenceUntilMs = Math.max(stream.silenceUntilMs, untilMs)
    },
    disconnect({ fromMs, toMs }) {
      if (!(Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs > fromMs)) throw new InvalidInputError('need finite fromMs < toMs', { path: 'toMs' })
      stream.windows.push({ fromMs, toMs })
      stream.windows.sort((a, b) => a.fromMs - b.fromMs)
    },
    clear() {
      scripts = []
      stream.duplicate = 0
      stream.reorder = 0
      stream.reorderTarget = 0
      stream.drop = 0
      stream.silenceUntilMs = -1
      stream.windows = []
    },
    pendingCallFaults: () => scripts.length,
    takeCallFault(method) {
      for (let i = 0; i < scripts.length; i++) {
        const s = scripts[i]
        if (s === undefined || (s.method !== '*' && s.method !== method)) continue
        if (s.skip > 0) {
          s.skip--
          continue
        }
        if (s.spec.probability !== undefined && args.random.next() >= s.spec.probability) continue
        s.remaining--
        if (s.remaining <= 0) scripts.splice(i, 1)
        const delayMs = s.spec.delayMs ?? (s.spec.kind === 'late-accept' ? LATE_ACCEPT_MIN_MS + Math.floor(args.random.next() * (LATE_ACCEPT_MAX_MS - LATE_ACCEPT_MIN_MS + 1)) : 0)
        return { spec: s.spec, delayMs }
      }
      return undefined
    },
  }
}
