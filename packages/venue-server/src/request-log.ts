/**
 * The request log: every HTTP request and WebSocket message that reached the server, so tests can assert
 * "nothing was sent" (or exactly what was).
 * @module
 */

/**
 * One request as the server received it.
 * @example
 * ```ts
 * import { type RequestLogEntry } from '@perpkit/venue-server'
 * const e: RequestLogEntry = { seq: 1, timestampMs: 0, transport: 'http', method: 'GET', path: '/fapi/v1/time', route: 'time', params: {}, status: 200, accepted: false }
 * ```
 */
export interface RequestLogEntry {
  readonly seq: number
  /** Server clock time of arrival. */
  readonly timestampMs: number
  readonly transport: 'http' | 'ws'
  /** HTTP method; `CONNECT` for a WebSocket connection, `MESSAGE` for a text frame it sent. */
  readonly method: string
  readonly path: string
  /** Matched route name (undefined: no route). */
  readonly route?: string
  /** Parameters without the signature: query string, form body, and the top-level scalar fields of a JSON body. */
  readonly params: Readonly<Record<string, string>>
  /** API key header, if any. */
  readonly apiKey?: string
  /** HTTP status answered (undefined: no answer was sent, e.g. an injected timeout). */
  status?: number
  /** Whether the venue acted on it. */
  accepted: boolean
  /** The injected fault, if any. */
  fault?: string
}

/**
 * Append-only request log.
 * @example
 * ```ts
 * import { createRequestLog } from '@perpkit/venue-server'
 * const log = createRequestLog()
 * log.entries().filter((e) => e.route === 'order.create').length // 0: nothing was sent
 * ```
 */
export interface RequestLog {
  /** Add an entry (seq assigned); returns it so the pipeline can fill in status and outcome. */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry
  entries(): readonly RequestLogEntry[]
  /** Next sequence number. */
  nextSeq(): number
}

const SECRET_PARAMS = new Set(['signature', 'sign'])

/**
 * Parameters as a plain record, without signature fields (secrets never enter the log).
 *
 * @param params - parsed parameters
 * @returns a record of the remaining parameters
 * @throws never
 * @example
 * ```ts
 * import { loggableParams } from '@perpkit/venue-server'
 * loggableParams(new URLSearchParams('symbol=BTCUSDT&signature=abc')) // { symbol: 'BTCUSDT' }
 * ```
 */
export function loggableParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of params) if (!SECRET_PARAMS.has(k)) out[k] = v
  return out
}

/**
 * Create an empty request log.
 *
 * @returns a {@link RequestLog}
 * @throws never
 * @example
 * ```ts
 * import { createRequestLog } from '@perpkit/venue-server'
 * const log = createRequestLog()
 * log.add({ timestampMs: 0, transport: 'http', method: 'GET', path: '/x', params: {}, accepted: false }).seq // 1
 * ```
 */
export function createRequestLog(): RequestLog {
  const entries: RequestLogEntry[] = []
  return {
    add(entry) {
      const e: RequestLogEntry = { seq: entries.length + 1, ...entry }
      entries.push(e)
      return e
    },
    entries: () => entries,
    nextSeq: () => entries.length + 1,
  }
}
