/**
 * The server's fault plan: scripted or seeded failures on the wire — per HTTP request (by route name) and per
 * WebSocket stream family. Deterministic for a given seed and script.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { SeededRandom } from '@perpkit/sim'
import type { WsChannel } from './dialect.js'

/**
 * What an injected HTTP fault does.
 * - `timeout-after-accept`: the venue acts on the request (the order exists) but no answer is ever sent; the
 *   connection stays open until the client gives up (or the server closes).
 * - `timeout-before-accept`: no answer and the venue does not act.
 * - `http-5xx-after-accept`: the venue acts, then answers with its 5xx (Binance 503 "Unknown error…").
 * - `http-5xx-before-accept`: 5xx and the venue does not act.
 * - `slow`: the request is served normally after `delayMs` of server-clock time.
 * - `rate-limited`: HTTP 429 with Retry-After (each one counts towards the venue's ban rule).
 * - `maintenance`: the venue's maintenance answer (Binance -1001 / -1008, Bybit 10016).
 * @example
 * ```ts
 * import { type HttpFaultKind } from '@perpkit/venue-server'
 * const kind: HttpFaultKind = 'timeout-after-accept'
 * ```
 */
export type HttpFaultKind =
  | 'timeout-after-accept'
  | 'timeout-before-accept'
  | 'http-5xx-after-accept'
  | 'http-5xx-before-accept'
  | 'slow'
  | 'rate-limited'
  | 'maintenance'

/**
 * A scripted HTTP fault.
 * @example
 * ```ts
 * import { type HttpFault } from '@perpkit/venue-server'
 * const fault: HttpFault = { kind: 'rate-limited', retryAfterSec: 3, times: 5 }
 * ```
 */
export interface HttpFault {
  readonly kind: HttpFaultKind
  /** How many matching requests fail (default 1); `Infinity` = until cleared. */
  readonly times?: number
  /** Let this many matching requests through first (default 0). */
  readonly skip?: number
  /** Each matching request fails with this probability, drawn from the seeded generator (default 1). */
  readonly probability?: number
  /** For `slow`: the delay in server-clock ms (default 1,000). */
  readonly delayMs?: number
  /** For `rate-limited`: the Retry-After seconds (default 1). */
  readonly retryAfterSec?: number
  /** For `maintenance`: which of the venue's maintenance codes (Binance `-1001` default or `-1008`). */
  readonly venueCode?: number
}

/**
 * What an injected WebSocket fault does.
 * - `drop`: terminate the matching connections (no close frame).
 * - `silence`: keep them open but send nothing until `untilMs`, not even the answer to a WebSocket ping (a
 *   half-open, stale connection).
 * - `skip`: swallow the next `count` frames of the channel (a kline frame that never arrives: a skipped bar).
 * - `duplicate`: send each of the next `count` frames twice.
 * - `reorder`: hold the next `count` frames and send them in a seeded shuffled order.
 * - `expire-user-stream`: expire every user-stream session now (Binance: the listen keys expire and the
 *   stream sends `listenKeyExpired`); the dialect implements it.
 * @example
 * ```ts
 * import { type WsFault } from '@perpkit/venue-server'
 * const fault: WsFault = { kind: 'reorder', channel: 'user', count: 3 }
 * ```
 */
export interface WsFault {
  readonly kind: 'drop' | 'silence' | 'skip' | 'duplicate' | 'reorder' | 'expire-user-stream'
  /** Stream family (default every channel). */
  readonly channel?: WsChannel | 'all'
  /** For `skip` / `duplicate` / `reorder`: number of frames (default 1). */
  readonly count?: number
  /** For `silence`: server-clock time when frames flow again. */
  readonly untilMs?: number
}

/**
 * Route target of an HTTP fault: a route name (`order.create`), `METHOD /path`, or `'*'` for every route.
 * @example
 * ```ts
 * import { type FaultTarget } from '@perpkit/venue-server'
 * const target: FaultTarget = 'POST /fapi/v1/order'
 * ```
 */
export type FaultTarget = string

/**
 * The fault plan of one server (also `handle.faults`).
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm' })
 * server.handle.faults.http('order.create', { kind: 'timeout-after-accept' })
 * server.handle.faults.ws({ kind: 'drop', channel: 'user' })
 * ```
 */
export interface FaultPlan {
  /** Script an HTTP fault for `target`. Faults are consumed in the order they were added. */
  http(target: FaultTarget, fault: HttpFault): void
  /** Apply a WebSocket fault (drop happens immediately; others shape the next frames). */
  ws(fault: WsFault): void
  /** Remove every HTTP fault not yet consumed and every pending stream shaping. */
  clear(): void
  /** Scripted HTTP faults not yet consumed. */
  pendingHttpFaults(): number
}

/**
 * The server-side view of the fault plan.
 * @example
 * ```ts
 * import { type FaultEngine } from '@perpkit/venue-server'
 * declare const engine: FaultEngine // what the server hands its dialect as `faults`
 * const fault = engine.takeHttpFault({ name: 'order.create', method: 'POST', path: '/fapi/v1/order' })
 * ```
 */
export interface FaultEngine extends FaultPlan {
  /** Decide whether this request fails; consumes script entries. */
  takeHttpFault(route: { readonly name: string; readonly method: string; readonly path: string }): HttpFault | undefined
  /** Shape the frames of one send on `channel`: returns the frames to put on the wire now (0, 1, 2 or many). */
  shapeFrames(channel: WsChannel, frame: string, nowMs: number): readonly string[]
  /** Whether `channel` is silenced at `nowMs` (pings go unanswered too). */
  isSilent(channel: WsChannel, nowMs: number): boolean
  /** Be told of `drop` (the server terminates sockets) and `expire-user-stream` (the dialect) faults. */
  onWsFault(listener: (fault: WsFault) => void): void
}

interface ScriptedHttp {
  readonly target: FaultTarget
  readonly fault: HttpFault
  remaining: number
  skip: number
}

interface ChannelShaping {
  duplicate: number
  reorder: number
  held: string[]
  silenceUntilMs: number
  skip: number
}

const CHANNELS: readonly WsChannel[] = ['market', 'user', 'unknown']

function nonNegativeInt(n: number, path: string): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new InvalidInputError('must be an integer >= 0', { path })
  return n
}

/**
 * Create a fault engine drawing probabilities and shuffles from `random`.
 *
 * @param args.random - the server's seeded generator
 * @returns a {@link FaultEngine}
 * @throws InvalidInputError for invalid counts, probabilities or unknown kinds
 * @example
 * ```ts
 * import { createFaultEngine } from '@perpkit/venue-server'
 * import { createSeededRandom } from '@perpkit/sim'
 * const faults = createFaultEngine({ random: createSeededRandom(1) })
 * faults.http('*', { kind: 'http-5xx-before-accept', probability: 0.1, times: Infinity })
 * ```
 */
export function createFaultEngine(args: { readonly random: SeededRandom }): FaultEngine {
  const { random } = args
  let scripts: ScriptedHttp[] = []
  const shaping = new Map<WsChannel, ChannelShaping>(CHANNELS.map((c) => [c, { duplicate: 0, reorder: 0, held: [], silenceUntilMs: -1, skip: 0 }]))
  const wsListeners: ((fault: WsFault) => void)[] = []
  const channelsOf = (channel: WsChannel | 'all' | undefined): readonly WsChannel[] =>
    channel === undefined || channel === 'all' ? CHANNELS : [channel]
  const matches = (target: FaultTarget, route: { readonly name: string; readonly method: string; readonly path: string }): boolean =>
    target === '*' || target === route.name || target === `${route.method} ${route.path}`

  return {
    http(target, fault) {
      const times = fault.times ?? 1
      if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) throw new InvalidInputError('must be a positive integer or Infinity', { path: 'times' })
      if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) throw new InvalidInputError('must be in [0, 1]', { path: 'probability' })
      if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) throw new InvalidInputError('must be a finite number >= 0', { path: 'delayMs' })
      scripts.push({ target, fault, remaining: times, skip: nonNegativeInt(fault.skip ?? 0, 'skip') })
    },
    ws(fault) {
      const count = nonNegativeInt(fault.count ?? 1, 'count')
      const targets = channelsOf(fault.channel)
      switch (fault.kind) {
        case 'drop':
        case 'expire-user-stream':
          for (const l of wsListeners) l(fault)
          return
        case 'silence': {
          const untilMs = fault.untilMs
          if (untilMs === undefined || !Number.isFinite(untilMs)) throw new InvalidInputError('silence needs a finite untilMs', { path: 'untilMs' })
          for (const c of targets) {
            const s = shaping.get(c)
            if (s !== undefined) s.silenceUntilMs = Math.max(s.silenceUntilMs, untilMs)
          }
          return
        }
        case 'skip':
        case 'duplicate':
        case 'reorder':
          for (const c of targets) {
            const s = shaping.get(c)
            if (s !== undefined) s[fault.kind] += count
          }
          return
        default:
          throw new InvalidInputError(`unknown WebSocket fault kind ${String((fault as { kind: unknown }).kind)}`, { path: 'kind' })
      }
    },
    clear() {
      scripts = []
      for (const s of shaping.values()) {
        s.duplicate = 0
        s.reorder = 0
        s.held = []
        s.silenceUntilMs = -1
        s.skip = 0
      }
    },
    pendingHttpFaults: () => scripts.length,
    takeHttpFault(route) {
      for (let i = 0; i < scripts.length; i++) {
        const s = scripts[i]
        if (s === undefined || !matches(s.target, route)) continue
        if (s.skip > 0) {
          s.skip--
          continue
        }
        if (s.fault.probability !== undefined && random.next() >= s.fault.probability) continue
        s.remaining--
        if (s.remaining <= 0) scripts.splice(i, 1)
        return s.fault
      }
      return undefined
    },
    shapeFrames(channel, frame, nowMs) {
      const s = shaping.get(channel)
      if (s === undefined) return [frame]
      if (nowMs < s.silenceUntilMs) return []
      if (s.skip > 0) {
        s.skip--
        return []
      }
      if (s.reorder > 0) {
        s.held.push(frame)
        if (s.held.length < s.reorder) return []
        const out = s.held
        s.held = []
        s.reorder = 0
        for (let i = out.length - 1; i > 0; i--) {
          const j = Math.floor(random.next() * (i + 1))
          const a = out[i] as string
          out[i] = out[j] as string
          out[j] = a
        }
        return out
      }
      if (s.duplicate > 0) {
        s.duplicate--
        return [frame, frame]
      }
      return [frame]
    },
    isSilent: (channel, nowMs) => nowMs < (shaping.get(channel)?.silenceUntilMs ?? -1),
    onWsFault(listener) {
      wsListeners.push(listener)
    },
  }
}
