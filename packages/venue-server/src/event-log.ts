/**
 * The wire event log: every HTTP answer and WebSocket frame the server put on the wire, in order, with the
 * server-clock time. Same seed and same inputs → byte-identical log (and hash).
 * @module
 */
import { createHash } from 'node:crypto'

/**
 * One entry of the wire event log.
 * @example
 * ```ts
 * import { type WireEvent } from '@perpkit/venue-server'
 * const e: WireEvent = { seq: 1, timestampMs: 1758240000000, kind: 'http', ref: 'time', status: 200, body: '{"serverTime":1758240000000}' }
 * ```
 */
export interface WireEvent {
  readonly seq: number
  readonly timestampMs: number
  /** `http`: an answer; `ws`: a frame sent; `venue`: a dialect-side note (e.g. a listen key expired). */
  readonly kind: 'http' | 'ws' | 'venue'
  /** Route name for `http`, `<connection id>:<path>` for `ws`, a short label for `venue`. */
  readonly ref: string
  readonly status?: number
  /** The exact bytes sent (text). */
  readonly body: string
}

/**
 * Append-only wire event log.
 * @example
 * ```ts
 * import { createWireEventLog } from '@perpkit/venue-server'
 * const log = createWireEventLog()
 * log.record({ timestampMs: 0, kind: 'venue', ref: 'note', body: 'hello' })
 * log.hash() // SHA-256 hex
 * ```
 */
export interface WireEventLog {
  record(event: Omit<WireEvent, 'seq'>): void
  entries(): readonly WireEvent[]
  /** SHA-256 hex over one JSON line per entry. */
  hash(): string
}

/**
 * Create an empty wire event log.
 *
 * @returns a {@link WireEventLog}
 * @throws never
 * @example
 * ```ts
 * import { createWireEventLog } from '@perpkit/venue-server'
 * const log = createWireEventLog()
 * log.record({ timestampMs: 5, kind: 'ws', ref: '1:/ws/abc', body: '{"e":"listenKeyExpired"}' })
 * log.entries().length // 1
 * ```
 */
export function createWireEventLog(): WireEventLog {
  const events: WireEvent[] = []
  return {
    record(event) {
      events.push({ seq: events.length + 1, ...event })
    },
    entries: () => events,
    hash() {
      const h = createHash('sha256')
      for (const e of events) h.update(`${JSON.stringify(e)}\n`)
      return h.digest('hex')
    },
  }
}
