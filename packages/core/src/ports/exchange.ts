/**
 * The venue port. A ccxt adapter (`@perpkit/exchange`) and the simulator (`@perpkit/sim`) both implement
 * {@link ExchangeClient}; the OMS and engine only ever see this interface.
 * @module
 */
import type { Balance, Position } from '../schemas/account.js'
import type { MarginMode, PositionMode, VenueId } from '../schemas/enums.js'
import type { Instrument } from '../schemas/instrument.js'
import type { FundingRate, MarkPrice } from '../schemas/market.js'
import type { AmendRequest, Fill, Order, OrderRef, OrderRequest } from '../schemas/order.js'

/**
 * Version of the {@link ExchangeClient} contract. An implementation declares the version it implements in
 * `portVersion`; a caller built against another version refuses it instead of misreading it.
 *
 * Version 2 added the lifecycle (`connect` / `close`), rate-limit usage, the conditional order book
 * (`Order.book`, `Order.triggeredOrderId`, `Instrument.maxAlgoOrders`), `Order.updateId`, closed connection
 * reasons, instrument status and limits, `cancelAllOrders`, `fetchMarkPrice`, `fetchFundingRate` and the
 * `reduceOnlyStopWithoutPosition` capability. Version 3 added `requestLimits`: the request budget a caller keeps
 * under, as data from the venue instead of a table keyed by venue name in the caller.
 * @example
 * ```ts
 * import { EXCHANGE_PORT_VERSION, type ExchangeClient } from '@perpkit/core'
 * function accept(venue: ExchangeClient): void {
 *   if (venue.portVersion !== EXCHANGE_PORT_VERSION) throw new Error(`port v${venue.portVersion} not supported`)
 * }
 * ```
 */
export const EXCHANGE_PORT_VERSION = 3 as const

/** Unsubscribes a listener; calling it twice is harmless. */
export type Unsubscribe = () => void

/** State of a venue stream connection. `stale`: open but silent beyond the health threshold. */
export type ConnectionState = 'connecting' | 'open' | 'stale' | 'closed'

/**
 * Why a stream connection changed state (closed union; see {@link CONNECTION_REASONS}).
 *
 * - `connect`: first connection (or `connect()` after `close()`).
 * - `reconnect`: a new connection after a drop; the consumer must reconcile before trading resumes.
 * - `dropped`: the socket closed or errored without being asked to.
 * - `heartbeat-timeout`: no pong / no frame within the heartbeat window; the adapter closed the socket.
 * - `stale`: open, but silent beyond the health threshold.
 * - `listen-key-expired`: the venue expired the user-stream key (Binance `listenKeyExpired`).
 * - `listen-key-rotated`: the adapter replaced the user-stream key before its 24 h lifetime ended.
 * - `auth-failed`: the private stream refused the credentials.
 * - `server-closed`: the venue closed the connection on purpose (maintenance, 24 h limit).
 * - `client-closed`: the caller called `close()` or unsubscribed.
 */
export type ConnectionReason =
  | 'connect'
  | 'reconnect'
  | 'dropped'
  | 'heartbeat-timeout'
  | 'stale'
  | 'listen-key-expired'
  | 'listen-key-rotated'
  | 'auth-failed'
  | 'server-closed'
  | 'client-closed'

/**
 * Every {@link ConnectionReason}, in a stable order.
 * @example
 * ```ts
 * import { CONNECTION_REASONS } from '@perpkit/core'
 * CONNECTION_REASONS.includes('listen-key-expired') // true
 * ```
 */
export const CONNECTION_REASONS: readonly ConnectionReason[] = [
  'connect',
  'reconnect',
  'dropped',
  'heartbeat-timeout',
  'stale',
  'listen-key-expired',
  'listen-key-rotated',
  'auth-failed',
  'server-closed',
  'client-closed',
]

/**
 * Events of the private user stream, in the order the venue sent them. Discriminated on `type`.
 *
 * - `order`: any change of an order (accepted, triggered, partially filled, filled, canceled, expired, rejected).
 * - `fill`: one execution, unique per `fill.tradeId`. Venues send an `order` update for the same execution too.
 * - `position`: the position of a symbol after a change; `position: null` means flat.
 * - `balance`: the balance of one asset after a change (fills, fees, funding).
 * - `funding`: a funding payment; `amount` < 0 means the account paid.
 * - `liquidation`: the venue liquidated (or auto-deleveraged) a position.
 * - `connection`: the stream's connection changed state; after `open` following a drop, callers must reconcile.
 *   Liveness: a heartbeat answer (pong) proves the connection alive exactly as an event does. An adapter may report
 *   it as a repeated `{ type: 'connection', state: 'open' }` without a `reason`; consumers that detect a silent
 *   (half-open) stream by the time since the last event count it as an event, and do not treat it as a reconnect
 *   when they were not disconnected.
 */
export type UserStreamEvent =
  | { readonly type: 'order'; readonly timestampMs: number; readonly order: Order }
  | { readonly type: 'fill'; readonly timestampMs: number; readonly fill: Fill }
  | { readonly type: 'position'; readonly timestampMs: number; readonly symbol: string; readonly position: Position | null }
  | { readonly type: 'balance'; readonly timestampMs: number; readonly balance: Balance }
  | {
      readonly type: 'funding'
      readonly timestampMs: number
      readonly symbol: string
      readonly rate: number
      readonly amount: number
      readonly asset: string
    }
  | {
      readonly type: 'liquidation'
      readonly timestampMs: number
      readonly symbol: string
      readonly side: 'long' | 'short'
      readonly qty: number
      readonly price: number
    }
  | { readonly type: 'connection'; readonly timestampMs: number; readonly state: ConnectionState; readonly reason?: ConnectionReason }

/** The `type` tags of {@link UserStreamEvent}. */
export type UserStreamEventType = UserStreamEvent['type']

/** What a venue adapter can do; callers pick strategies (amend vs replace) from it. */
export interface ExchangeCapabilities {
  /** Price/qty amend of resting limit orders. */
  readonly amendOrder: boolean
  /** Trigger-price amend of conditional orders (Bybit yes; Binance USDⓈ-M no: cancel/replace). */
  readonly amendConditionalOrder: boolean
  /** Venue supports `closePosition` stop orders. */
  readonly closePositionOrders: boolean
  /** Trailing stops. */
  readonly trailingStop: boolean
  /**
   * A reduce-only (or close-position) stop may be placed while the symbol has no position, so a protective stop
   * can rest before the entry. When false, callers place the entry first and the stop right after its fill.
   */
  readonly reduceOnlyStopWithoutPosition: boolean
}

/**
 * One rate limit of the venue and how much of it is used, as last reported by the venue (response headers such
 * as Binance `X-MBX-USED-WEIGHT-1M` / `X-MBX-ORDER-COUNT-10S`, Bybit `X-Bapi-Limit-Status`) or counted locally.
 * @example
 * ```ts
 * import type { RateLimitUsage } from '@perpkit/core'
 * const u: RateLimitUsage = { kind: 'request-weight', intervalMs: 60_000, used: 120, limit: 2400, timestampMs: 1758240000000 }
 * const share = u.used / u.limit // 0.05
 * ```
 */
export interface RateLimitUsage {
  /** `request-weight`: weighted requests per interval; `orders`: order placements per interval. */
  readonly kind: 'request-weight' | 'orders'
  /** Length of the limit's window in ms. */
  readonly intervalMs: number
  /** Units used in the current window. */
  readonly used: number
  /** Units allowed per window. */
  readonly limit: number
  /** When `used` was last reported (epoch ms). */
  readonly timestampMs: number
}

/**
 * The methods of {@link ExchangeClient} that send a request to the venue (the keys of
 * {@link RequestLimits.weights}).
 */
export type ExchangeMethod =
  | 'loadInstruments'
  | 'fetchBalances'
  | 'fetchPositions'
  | 'fetchOpenOrders'
  | 'fetchOrder'
  | 'fetchFills'
  | 'createOrder'
  | 'amendOrder'
  | 'cancelOrder'
  | 'cancelAllOrders'
  | 'fetchMarkPrice'
  | 'fetchFundingRate'
  | 'setLeverage'
  | 'setMarginMode'
  | 'getPositionMode'
  | 'fetchServerTime'

/**
 * The request allowance a caller of this venue budgets against, as data of the venue: one rolling window of
 * weighted requests over every call of one account, and the weight of each call. A caller (the OMS) keeps its
 * own use below a share of `limit`; the adapter's own limiter, fed by the venue's headers, still guards each
 * request ({@link ExchangeClient.rateLimitUsage}).
 * @example
 * ```ts
 * import type { RequestLimits } from '@perpkit/core'
 * const limits: RequestLimits = {
 *   limit: 2_400,
 *   intervalMs: 60_000,
 *   weights: { fetchPositions: 5, fetchFills: 5, fetchBalances: 5 },
 *   allSymbolsWeights: { fetchOpenOrders: 40 },
 * }
 * const weightOfOpenOrders = limits.allSymbolsWeights?.fetchOpenOrders ?? limits.weights.fetchOpenOrders ?? 1 // 40
 * ```
 */
export interface RequestLimits {
  /** Units (weight) allowed per window. */
  readonly limit: number
  /** Length of the window in ms. */
  readonly intervalMs: number
  /** Weight of one call of each method; a method not listed weighs 1. */
  readonly weights: Readonly<Partial<Record<ExchangeMethod, number>>>
  /** Weight of a list call without a symbol filter, where it differs from `weights` (Binance `openOrders`: 40). */
  readonly allSymbolsWeights?: Readonly<Partial<Record<ExchangeMethod, number>>>
}

/** Query for fills of one symbol. */
export interface FillQuery {
  readonly symbol: string
  /** Only fills at or after this time. */
  readonly sinceMs?: number
  /** Maximum number of fills returned (venue may cap it). */
  readonly limit?: number
}

/**
 * A perpetual-futures venue as perpkit sees it.
 *
 * Contract every implementer must honour (the OMS relies on each point):
 * 1. **Errors are `PerpkitError`s** with the right code. Throw a definite rejection code (`venue-rejected`,
 *    `insufficient-margin`, `duplicate-client-order-id`, `would-immediately-trigger`, `reduce-only-rejected`,
 *    `post-only-rejected`, `invalid-input`) **only** when the venue's answer proves the request did not take
 *    effect. A timeout after the request may have left, an HTTP 5xx or a dropped connection is
 *    `unknown-outcome`. 429 → `rate-limited` with `retryAfterMs`; 418 → `ip-banned`; bad key → `authentication`;
 *    clock skew → `clock-skew`. Set `venueCode` to the venue's own code.
 * 2. **No hidden retries of `createOrder`.** An adapter never re-sends a create on its own.
 * 3. **Client order ids are echoed**: every `Order` and `Fill` of an order created with a client id carries it.
 *    `fetchOrder` finds orders by client id in both the normal and the conditional (algo/stop) books, open or
 *    recently closed; it returns `null` only when the venue says no such order exists.
 * 4. **Open orders include conditional ones** (`fetchOpenOrders` merges the venue's stop/algo book).
 * 5. **Quantities and prices are exact**: values returned are the venue's decimal values parsed once.
 * 6. **The user stream** delivers events in venue order; it emits `connection` events on every state change and
 *    never silently drops a listener. A consumer that sees `connection: open` after a drop must reconcile.
 * 7. **One-way mode** only: `getPositionMode()` reports what the account is set to; positions are one per symbol.
 * 8. No secret (API key or signature) ever appears in an error message, `details` or event.
 * 9. **Lifecycle**: `connect()` resolves once the venue is usable (instruments loaded, user stream open and
 *    authenticated) and rejects with a `PerpkitError` when it cannot become so; `close()` releases sockets and
 *    timers and is safe to call twice. Calls made before `connect()` may fail with `invalid-state`.
 * 10. **Two books, one client id**: a conditional order stays reported under its own client id after it fires;
 *    `book` says which book holds it and `triggeredOrderId` links the regular order it became. Its fills carry
 *    its client id.
 */
export interface ExchangeClient {
  /** Which venue this is. */
  readonly venue: VenueId
  /** The version of this contract the implementation follows; see {@link EXCHANGE_PORT_VERSION}. */
  readonly portVersion: typeof EXCHANGE_PORT_VERSION
  /** What the venue supports. */
  readonly capabilities: ExchangeCapabilities
  /** Make the venue usable: resolves when ready, rejects with a `PerpkitError` when it cannot be. */
  connect(): Promise<void>
  /** Release connections and timers; the user stream ends with `connection: closed` (`client-closed`). */
  close(): Promise<void>
  /** The request allowance a caller budgets against (window, limit, weight of each call); see {@link RequestLimits}. */
  readonly requestLimits: RequestLimits
  /** Current usage of each rate limit the venue reports or the adapter counts (empty when none). */
  rateLimitUsage(): readonly RateLimitUsage[]
  /** Load (or reload) tradable instruments. */
  loadInstruments(): Promise<readonly Instrument[]>
  /** Balances of every asset with a non-zero balance. */
  fetchBalances(): Promise<readonly Balance[]>
  /** Open (non-flat) positions, optionally only for `symbols`. */
  fetchPositions(symbols?: readonly string[]): Promise<readonly Position[]>
  /** Open orders including conditional (untriggered stop / take-profit / trailing) ones. */
  fetchOpenOrders(symbol?: string): Promise<readonly Order[]>
  /** One order by client id, open or recently closed; `null` when the venue says it does not exist. */
  fetchOrder(ref: OrderRef): Promise<Order | null>
  /** Fills (own trades) of a symbol, oldest first. */
  fetchFills(query: FillQuery): Promise<readonly Fill[]>
  /** Place an order. Resolves with the venue's view of it right after acceptance. */
  createOrder(request: OrderRequest): Promise<Order>
  /** Amend price / qty / trigger of a live order. Throws `not-supported` where the venue cannot. */
  amendOrder(request: AmendRequest): Promise<Order>
  /** Cancel an order by client id. Throws `order-not-found` when the venue does not know it. */
  cancelOrder(ref: OrderRef): Promise<Order>
  /**
   * Cancel every open order of `symbol` in both books (regular and conditional). Resolves with the orders
   * canceled, as far as the venue reports them (some venues answer with a count only: then the list is what
   * `fetchOpenOrders` returned just before).
   */
  cancelAllOrders(symbol: string): Promise<readonly Order[]>
  /** The current mark (and index, when known) price of a symbol. */
  fetchMarkPrice(symbol: string): Promise<MarkPrice>
  /** The funding rate of the next (or current) funding time of a symbol. */
  fetchFundingRate(symbol: string): Promise<FundingRate>
  /** Set leverage for a symbol (1 … instrument.maxLeverage). */
  setLeverage(args: { readonly symbol: string; readonly leverage: number }): Promise<void>
  /** Set isolated or cross margin for a symbol. */
  setMarginMode(args: { readonly symbol: string; readonly marginMode: MarginMode }): Promise<void>
  /** The account's position mode; perpkit requires `one-way`. */
  getPositionMode(): Promise<PositionMode>
  /** The venue's clock in epoch ms (for offset estimation). */
  fetchServerTime(): Promise<number>
  /** Subscribe to the private user stream; see {@link UserStreamEvent}. */
  subscribeUserStream(listener: (event: UserStreamEvent) => void): Unsubscribe
}
