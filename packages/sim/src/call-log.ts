/**
 * The port-call gate: every `ExchangeClient` call goes through it to get the IP-ban window, scripted call
 * faults (rejections, network errors, timeouts / 5xx before or after the venue acted) and, when the call log
 * is kept, a call-log entry (the log is opt-in: copying every call's arguments is the hot path's biggest cost).
 * @module
 */
import { isPerpkitError, PerpkitError } from '@perpkit/core'
import type { CallFaultSpec, FaultEngine, SimMethod } from './fault-injector.js'
import { type VenueContext, venueError } from './sim-state.js'
import type { SimCall } from './types.js'

/** A call gate and the log it records. */
export interface CallGate {
  /** Run `fn` as port call `method` (args are JSON-cloned into the log when it is kept); resolves or rejects like the venue would. */
  call<T>(method: SimMethod | 'setPositionMode', args: unknown, fn: () => T): Promise<T>
  /**
   * Every call so far, in order.
   * @throws PerpkitError `invalid-state` when the gate was created without a call log
   */
  log(): readonly SimCall[]
}

function jsonClone(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v))
}

/**
 * Create the call gate of one venue; `poll` applies due stream-fault edges before each call. With
 * `keepLog: false` nothing is copied or recorded per call and {@link CallGate.log} throws.
 */
export function createCallGate(ctx: VenueContext, faults: FaultEngine, poll: () => void, keepLog: boolean): CallGate {
  const { clock } = ctx
  const calls: SimCall[] = []
  let bannedUntilMs = Number.NEGATIVE_INFINITY

  const record = (c: Omit<SimCall, 'seq' | 'timestampMs'>): void => {
    if (keepLog) calls.push({ seq: calls.length + 1, timestampMs: clock.now(), ...c })
  }
  const faultError = (spec: CallFaultSpec): PerpkitError => {
    switch (spec.kind) {
      case 'reject':
        return new PerpkitError(spec.code ?? 'venue-rejected', spec.message ?? 'injected rejection', {
          ...(spec.venueCode === undefined ? {} : { venueCode: spec.venueCode }),
          retryable: false,
          details: { injected: true },
        })
      case 'network':
        return new PerpkitError('network', 'connect ECONNREFUSED (injected)', { details: { injected: true } })
      case 'timeout-before':
      case 'timeout-after-accept':
      case 'late-accept':
        return venueError(ctx, 'timeout')
      case 'http-5xx-after-accept':
        return venueError(ctx, 'server-error')
      case 'rate-limited':
        return venueError(ctx, 'rate-limited', { retryAfterMs: spec.retryAfterMs ?? 1_000 })
      case 'ip-banned': {
        const retryAfterMs = spec.retryAfterMs ?? 60_000
        bannedUntilMs = clock.now() + retryAfterMs
        return venueError(ctx, 'ip-banned', { retryAfterMs, untilMs: bannedUntilMs })
      }
      case 'clock-skew':
        return venueError(ctx, 'clock-skew')
    }
  }
  const call = <T>(method: SimMethod | 'setPositionMode', args: unknown, fn: () => T): Promise<T> => {
    poll()
    const cloned = keepLog ? jsonClone(args) : undefined
    const fail = (e: unknown, reachedVenue: boolean, fault?: CallFaultSpec['kind']): Promise<T> => {
      const pe = isPerpkitError(e) ? e : undefined
      record({
        method,
        args: cloned,
        outcome: 'error',
        ...(pe === undefined ? {} : { errorCode: pe.code }),
        ...(pe?.venueCode === undefined ? {} : { venueCode: pe.venueCode }),
        ...(fault === undefined ? {} : { fault }),
        reachedVenue,
      })
      return Promise.reject(e)
    }
    if (clock.now() < bannedUntilMs) return fail(venueError(ctx, 'ip-banned', { retryAfterMs: bannedUntilMs - clock.now(), untilMs: bannedUntilMs }), false)
    const chosen = method === 'setPositionMode' ? undefined : faults.takeCallFault(method)
    if (chosen !== undefined) {
      const kind = chosen.spec.kind
      if (kind === 'timeout-after-accept' || kind === 'http-5xx-after-accept') {
        try {
          fn()
        } catch {
          // the caller only sees the timeout / 5xx either way
        }
        return fail(faultError(chosen.spec), true, kind)
      }
      if (kind === 'late-accept') {
        // the client times out now; the request is still in flight and reaches the venue later — or, past the
        // request's validity window, is refused there and never executes
        const arrives = chosen.delayMs <= ctx.recvWindowMs
        if (arrives) {
          clock.setTimer(chosen.delayMs, () => {
            poll()
            try {
              fn()
            } catch {
              // the client gave up long ago; a rejection at arrival has no effect and no listener
            }
          })
        }
        return fail(faultError(chosen.spec), arrives, kind)
      }
      return fail(faultError(chosen.spec), false, kind)
    }
    try {
      const value = fn()
      if (keepLog) record({ method, args: cloned, outcome: 'ok', reachedVenue: true })
      return Promise.resolve(value)
    } catch (e) {
      return fail(e, isPerpkitError(e) && e.venueCode !== undefined, undefined)
    }
  }
  const log = (): readonly SimCall[] => {
    if (!keepLog) throw new PerpkitError('invalid-state', 'the call log is not kept: create the venue with record: { calls: true }')
    return calls
  }
  return { call, log }
}
