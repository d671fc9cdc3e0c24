/**
 * The contract a venue dialect implements. The shared server (`startVenueServer`) owns the sockets, the
 * request pipeline (logging, fault plan, loopback binding), the venue state over `@perpkit/sim`, the clock
 * and the wire event log; a dialect only speaks its venue's wire format:
 *
 * 1. `defaults(flavour)` — the instruments and starting balances the venue has when the caller gives none.
 * 2. `create(context)` — called once per server start with a {@link DialectContext}; returns a
 *    {@link DialectInstance}: an HTTP route table, a WebSocket connection handler, the venue's rendering of
 *    injected HTTP faults, and `close()` to cancel its timers.
 *
 * Rules every dialect follows:
 * - Parse and answer exactly as the venue's official API docs give it (paths, parameter names, field names and
 *   types, error bodies and codes, rate-limit headers). Real clients (ccxt) must parse the output.
 * - Every state change goes through the simulated venue in `context.venue`; never keep a second copy of orders,
 *   positions or balances. Dialect-only state (listen keys, algo ids, rate-limit windows) lives in the dialect.
 * - Time only from `context.clock`, randomness only from `context.random`, so the same seed and inputs give
 *   the same bytes on the wire.
 * - Send WebSocket frames through {@link WsPeer.send} (it applies the fault plan and records the event log).
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Clock, Instrument, VenueId } from '@perpkit/core'
import type { SeededRandom } from '@perpkit/sim'
import type { FaultEngine, HttpFault } from './fault-plan.js'
import type { KeyStore } from './keys.js'
import type { WireEventLog } from './event-log.js'
import type { VenueState } from './venue-state.js'

/**
 * Names of the dialects the server speaks.
 * @example
 * ```ts
 * import { type DialectName } from '@perpkit/venue-server'
 * const name: DialectName = 'binance-usdm'
 * ```
 */
export type DialectName = 'binance-usdm' | 'bybit'

/**
 * Which environment of the venue is imitated. Binance USDⓈ-M: `testnet` is USDT-margined, `production`
 * USDC-margined (see the dialect's README section).
 * @example
 * ```ts
 * import { type Flavour } from '@perpkit/venue-server'
 * const flavour: Flavour = 'testnet'
 * ```
 */
export type Flavour = 'testnet' | 'production'

/**
 * HTTP methods a route can answer.
 * @example
 * ```ts
 * import { type HttpMethod } from '@perpkit/venue-server'
 * const m: HttpMethod = 'DELETE'
 * ```
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * One parsed HTTP request as a route handler sees it.
 * @example
 * ```ts
 * import { type VenueRequest } from '@perpkit/venue-server'
 * const handler = (req: VenueRequest) => ({ status: 200, body: { symbol: req.params.get('symbol') } })
 * ```
 */
export interface VenueRequest {
  readonly method: HttpMethod
  /** Path without the query string, e.g. `/fapi/v1/order`. */
  readonly path: string
  /** Query-string and form-body parameters merged (query first), in arrival order. */
  readonly params: URLSearchParams
  /** The raw query string (without `?`), exactly as received — signatures are computed over raw bytes. */
  readonly rawQuery: string
  /** The raw request body. */
  readonly body: string
  readonly headers: IncomingHttpHeaders
  /** Server clock time when the request arrived. */
  readonly receivedAtMs: number
  /** Request number (1-based), also its request-log `seq`. */
  readonly seq: number
}

/**
 * What a route answers. `body` is serialised with `JSON.stringify` unless it is a string.
 * @example
 * ```ts
 * import { type VenueResponse } from '@perpkit/venue-server'
 * const res: VenueResponse = { status: 400, body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." } }
 * ```
 */
export interface VenueResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body: unknown
  /**
   * Whether the venue acted on the request (an order was placed or canceled, a setting changed). The server
   * records it in the request log; `...-after-accept` faults only make sense when it is true.
   */
  readonly accepted?: boolean
}

/**
 * One entry of a dialect's route table.
 * @example
 * ```ts
 * import { systemClock } from '@perpkit/core'
 * import { type Route } from '@perpkit/venue-server'
 * const clock = systemClock
 * const time: Route = { method: 'GET', path: '/fapi/v1/time', name: 'time', handle: () => ({ status: 200, body: { serverTime: clock.now() } }) }
 * ```
 */
export interface Route {
  readonly method: HttpMethod
  readonly path: string
  /** Short stable name used by the fault plan and the request log (e.g. `order.create`). */
  readonly name: string
  handle(request: VenueRequest): VenueResponse | Promise<VenueResponse>
}

/**
 * A server-side WebSocket connection as a dialect sees it.
 * @example
 * ```ts
 * import { type WsPeer } from '@perpkit/venue-server'
 * const onConnection = (peer: WsPeer) => peer.onMessage((text) => peer.send({ echo: text }))
 * ```
 */
export interface WsPeer {
  /** Connection number (1-based, per server). */
  readonly id: number
  /** Path of the upgrade request, e.g. `/ws/<listenKey>`. */
  readonly path: string
  readonly query: URLSearchParams
  /** Which stream family this connection belongs to (set by the dialect; the fault plan targets it). */
  channel: WsChannel
  /**
   * Send one frame (objects are JSON-serialised). Goes through the WebSocket fault plan (silence, duplicate,
   * reorder) and is recorded in the wire event log.
   */
  send(frame: unknown): void
  /** Called for each text frame the client sends. */
  onMessage(listener: (text: string) => void): void
  /** Called once when the connection ends (either side). */
  onClose(listener: () => void): void
  /** Close with a WebSocket close code. */
  close(code?: number, reason?: string): void
  /** Drop the TCP connection without a close frame. */
  terminate(): void
  /** Whether the connection is open. */
  isOpen(): boolean
}

/**
 * Stream families a WebSocket fault can target.
 * @example
 * ```ts
 * import { type WsChannel } from '@perpkit/venue-server'
 * const channel: WsChannel = 'user'
 * ```
 */
export type WsChannel = 'market' | 'user' | 'unknown'

/**
 * Everything the server hands a dialect when it starts.
 * @example
 * ```ts
 * import { type DialectContext, type DialectInstance } from '@perpkit/venue-server'
 * const create = (ctx: DialectContext): DialectInstance => ({ routes: [], notFound: () => ({ status: 404, body: '' }), onWsConnection: (p) => p.close(), renderFault: () => ({ status: 503, body: '' }), close() {} })
 * ```
 */
export interface DialectContext {
  readonly flavour: Flavour
  /** The server clock (a `TestClock` in tests, the system clock otherwise). */
  readonly clock: Clock
  /** Seeded randomness (ids, fault probabilities, reorder shuffles). */
  readonly random: SeededRandom
  /** The simulated venue(s), instruments, recorded candles and market-event listeners. */
  readonly venue: VenueState
  /** API keys with their secrets and permissions. */
  readonly keys: KeyStore
  /** The fault plan (the server applies HTTP faults and drops; dialects subscribe to `expire-user-stream`). */
  readonly faults: FaultEngine
  /** Wire event log (the server records HTTP answers and WS frames; dialects may add venue-side notes). */
  readonly eventLog: WireEventLog
}

/**
 * A running dialect.
 * @example
 * ```ts
 * import { type DialectContext, type DialectInstance, binanceUsdmDialect } from '@perpkit/venue-server'
 * declare const context: DialectContext // what the server hands the dialect
 * const instance: DialectInstance = binanceUsdmDialect.create(context)
 * instance.routes.map((r) => `${r.method} ${r.path}`)
 * ```
 */
export interface DialectInstance {
  readonly routes: readonly Route[]
  /** Answer for a path no route matches. */
  notFound(request: VenueRequest): VenueResponse
  /** A new WebSocket connection (any path); the dialect decides what it is and may close it. */
  onWsConnection(peer: WsPeer): void
  /** The venue's own rendering of an injected HTTP fault (5xx page, 429 body, maintenance code). */
  renderFault(fault: HttpFault, request: VenueRequest): VenueResponse
  /** Headers added to every HTTP answer of this request (rate-limit usage); called after the route ran. */
  responseHeaders?(request: VenueRequest, response: VenueResponse): Readonly<Record<string, string>>
  /** Cancel timers; the server closes sockets itself. */
  close(): void
}

/**
 * Starting point of a dialect when the caller gives no instruments or balances.
 * @example
 * ```ts
 * import { type DialectDefaults, binanceUsdmDialect } from '@perpkit/venue-server'
 * const d: DialectDefaults = binanceUsdmDialect.defaults('testnet')
 * ```
 */
export interface DialectDefaults {
  readonly instruments: readonly Instrument[]
  /** Starting wallet balances per simulated venue profile. */
  readonly balances: Partial<Record<VenueId, Readonly<Record<string, number>>>>
}

/**
 * A venue dialect: registered by name, instantiated once per server.
 * @example
 * ```ts
 * import { type Dialect, startVenueServer } from '@perpkit/venue-server'
 * declare const myDialect: Dialect // your own dialect object
 * const server = await startVenueServer({ dialect: myDialect })
 * ```
 */
export interface Dialect {
  readonly name: DialectName
  /** Which simulated venue profile serves each of the dialect's instruments (by `instrument.venue`). */
  readonly venues: readonly VenueId[]
  defaults(flavour: Flavour): DialectDefaults
  create(context: DialectContext): DialectInstance
}
