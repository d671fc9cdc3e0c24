/**
 * The simulated private user stream: an append-only event log (what the venue emitted) and a delivery
 * pipeline to listeners that applies the scripted stream faults (duplicate, reorder, drop, silence,
 * disconnect windows with `connection` events).
 * @module
 */
import { createHash } from 'node:crypto'
import { type Clock, PerpkitError, type Unsubscribe, type UserStreamEvent } from '@perpkit/core'
import type { StreamFaultState } from './fault-injector.js'
import type { SeededRandom } from './rng.js'

/**
 * The user stream of one simulated venue.
 * @example
 * ```ts
 * import type { SimUserStream } from '@perpkit/sim'
 * declare const stream: SimUserStream
 * const hash: string = stream.hash()
 * ```
 */
export interface SimUserStream {
  /** Record an event in the log and deliver it through the fault pipeline. */
  emit(event: UserStreamEvent): void
  /** Add a listener. */
  subscribe(listener: (event: UserStreamEvent) => void): Unsubscribe
  /** Apply disconnect-window edges due at the current clock time (emits `connection` events). */
  poll(): void
  /**
   * Every event the venue emitted, in order (independent of delivery faults).
   * @throws PerpkitError `invalid-state` when the stream was created without `keepLog`
   */
  log(): readonly UserStreamEvent[]
  /**
   * SHA-256 (hex) of the log serialised as one JSON line per event.
   * @throws PerpkitError `invalid-state` when the stream was created without `keepLog`
   */
  hash(): string
  /** Number of listener exceptions swallowed (a throwing listener never stops delivery to others). */
  listenerErrors(): number
  /** Reopen after {@link SimUserStream.close}: `connection` `connecting` then `open` (reason `connect`); no-op while open. */
  open(): void
  /** Close on the client's request: `connection: closed` (reason `client-closed`); nothing is delivered until `open`. */
  close(): void
}

/**
 * Create a user stream.
 *
 * @param args.clock - the venue clock (drives silence and disconnect windows)
 * @param args.faults - stream fault state shared with the fault injector
 * @param args.random - seeded generator for reorder shuffles
 * @param args.keepLog - keep every emitted event for {@link SimUserStream.log} / {@link SimUserStream.hash} (default false: events are delivered, not kept)
 * @returns a {@link SimUserStream}
 * @throws never
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createFaultEngine, createSeededRandom, createSimUserStream } from '@perpkit/sim'
 * const random = createSeededRandom(1)
 * const stream = createSimUserStream({ clock: createTestClock(0), faults: createFaultEngine({ random }).stream, random, keepLog: true })
 * stream.subscribe((e) => console.log(e.type))
 * stream.emit({ type: 'connection', timestampMs: 0, state: 'open' })
 * ```
 */
export function createSimUserStream(args: {
  readonly clock: Clock
  readonly faults: StreamFaultState
  readonly random: SeededRandom
  readonly keepLog?: boolean
}): SimUserStream {
  const { clock, faults, random } = args
  const keepLog = args.keepLog === true
  const events: UserStreamEvent[] = []
  // copy-on-write: delivery iterates the array current when it started (a listener added or removed during
  // delivery takes effect from the next event), without copying the listeners for every event
  let listeners: readonly ((event: UserStreamEvent) => void)[] = []
  let held: UserStreamEvent[] = []
  let connected = true
  let activeWindow: { fromMs: number; toMs: number } | undefined
  let closedByClient = false
  let errors = 0

  const deliver = (event: UserStreamEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch {
        errors++
      }
    }
  }
  const record = (event: UserStreamEvent): void => {
    if (keepLog) events.push(event)
  }
  const kept = (): UserStreamEvent[] => {
    if (!keepLog) throw new PerpkitError('invalid-state', 'the event log is not kept: create the venue with record: { events: true }')
    return events
  }
  const publish = (event: UserStreamEvent): void => {
    record(event)
    deliver(event)
  }
  const poll = (): void => {
    if (closedByClient) return
    const now = clock.now()
    for (;;) {
      if (activeWindow !== undefined) {
        if (now < activeWindow.toMs) return
        const at = activeWindow.toMs
        activeWindow = undefined
        connected = true
        const connecting: UserStreamEvent = { type: 'connection', timestampMs: at, state: 'connecting', reason: 'reconnect' }
        const open: UserStreamEvent = { type: 'connection', timestampMs: at, state: 'open', reason: 'reconnect' }
        record(connecting)
        deliver(connecting)
        record(open)
        deliver(open)
        continue
      }
      const next = faults.windows[0]
      if (next === undefined || now < next.fromMs) return
      faults.windows.shift()
      activeWindow = next
      connected = false
      held = []
      const closed: UserStreamEvent = { type: 'connection', timestampMs: next.fromMs, state: 'closed', reason: 'dropped' }
      record(closed)
      deliver(closed)
    }
  }

  return {
    emit(event) {
      poll()
      record(event)
      if (!connected) return
      if (clock.now() < faults.silenceUntilMs) return
      if (faults.drop > 0) {
        faults.drop--
        return
      }
      const copies = faults.duplicate > 0 ? 2 : 1
      if (faults.duplicate > 0) faults.duplicate--
      if (faults.reorder > 0) {
        for (let i = 0; i < copies; i++) held.push(event)
        faults.reorder--
        if (faults.reorder === 0) {
          const batch = held
          held = []
          for (let i = batch.length - 1; i > 0; i--) {
            const j = Math.floor(random.next() * (i + 1))
            const a = batch[i] as UserStreamEvent
            batch[i] = batch[j] as UserStreamEvent
            batch[j] = a
          }
          for (const e of batch) deliver(e)
        }
        return
      }
      for (let i = 0; i < copies; i++) deliver(event)
    },
    subscribe(listener) {
      if (!listeners.includes(listener)) listeners = [...listeners, listener]
      return () => {
        listeners = listeners.filter((l) => l !== listener)
      }
    },
    poll,
    log: kept,
    hash() {
      const h = createHash('sha256')
      for (const e of kept()) h.update(`${JSON.stringify(e)}\n`)
      return h.digest('hex')
    },
    listenerErrors: () => errors,
    open() {
      if (!closedByClient) return
      closedByClient = false
      connected = true
      const at = clock.now()
      publish({ type: 'connection', timestampMs: at, state: 'connecting', reason: 'connect' })
      publish({ type: 'connection', timestampMs: at, state: 'open', reason: 'connect' })
      poll()
    },
    close() {
      if (closedByClient) return
      poll()
      const wasDelivering = connected
      closedByClient = true
      connected = false
      activeWindow = undefined
      held = []
      const closed: UserStreamEvent = { type: 'connection', timestampMs: clock.now(), state: 'closed', reason: 'client-closed' }
      record(closed)
      if (wasDelivering) deliver(closed)
    },
  }
}
