/**
 * The venue's own error codes and message shapes, turned into core `PerpkitError`s exactly as a venue
 * adapter maps them. Binance answers `{"code":-2021,"msg":"Order would immediately trigger."}`, Bybit
 * `{"retCode":110072,"retMsg":"OrderLinkedID is duplicate"}`; the error's `venueCode` is that code.
 * @module
 */
import { type ErrorCode, PerpkitError } from '@perpkit/core'
import type { VenueProfileId } from './profiles.js'

/**
 * Situations in which the simulated venue answers with an error.
 * @example
 * ```ts
 * import { type SimErrorKind } from '@perpkit/sim'
 * const kind: SimErrorKind = 'would-trigger-rising'
 * ```
 */
export type SimErrorKind =
  | 'invalid-client-order-id'
  | 'duplicate-client-order-id'
  | 'would-trigger-rising'
  | 'would-trigger-falling'
  | 'unknown-order-cancel'
  | 'unknown-order-amend'
  | 'reduce-only-rejected'
  | 'post-only-rejected'
  | 'insufficient-margin'
  | 'invalid-leverage'
  | 'position-mode-mismatch'
  | 'amend-qty-not-above-filled'
  | 'margin-mode-with-position'
  | 'position-mode-with-position'
  | 'clock-skew'
  | 'rate-limited'
  | 'ip-banned'
  | 'server-error'
  | 'timeout'

/**
 * Context values used in message templates.
 * @example
 * ```ts
 * import { simVenueError } from '@perpkit/sim'
 * simVenueError({ profile: 'bybit-linear', kind: 'would-trigger-falling', context: { triggerPrice: 64000, currentPrice: 63000, triggerBy: 'mark' } })
 * ```
 */
export interface SimErrorContext {
  readonly triggerPrice?: number
  readonly currentPrice?: number
  readonly triggerBy?: 'mark' | 'last' | 'index'
  readonly leverage?: number
  readonly retryAfterMs?: number
  readonly untilMs?: number
  readonly clientOrderId?: string
}

interface Entry {
  readonly code: ErrorCode
  readonly venueCode: number | string | undefined
  readonly message: (ctx: SimErrorContext) => string
}

const e = (code: ErrorCode, venueCode: number | string | undefined, message: string | ((ctx: SimErrorContext) => string)): Entry => ({
  code,
  venueCode,
  message: typeof message === 'string' ? () => message : message,
})

// Bybit encodes prices in trigger messages as integers scaled by 1e4 (e.g. trigger_price[190000000] for 19000).
const bybitPx = (v: number | undefined): string => (v === undefined ? '0' : String(Math.round(v * 10_000)))
const bybitBy = (by: SimErrorContext['triggerBy']): string => (by === 'mark' ? 'MarkPrice' : by === 'index' ? 'IndexPrice' : 'LastPrice')

const BINANCE: Readonly<Record<SimErrorKind, Entry>> = {
  'invalid-client-order-id': e('invalid-input', -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."),
  'duplicate-client-order-id': e('duplicate-client-order-id', -4116, 'ClientOrderId is duplicated.'),
  'would-trigger-rising': e('would-immediately-trigger', -2021, 'Order would immediately trigger.'),
  'would-trigger-falling': e('would-immediately-trigger', -2021, 'Order would immediately trigger.'),
  'unknown-order-cancel': e('order-not-found', -2011, 'Unknown order sent.'),
  'unknown-order-amend': e('order-not-found', -2013, 'Order does not exist.'),
  'reduce-only-rejected': e('reduce-only-rejected', -2022, 'ReduceOnly Order is rejected.'),
  'post-only-rejected': e(
    'post-only-rejected',
    -5022,
    'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
  ),
  'insufficient-margin': e('insufficient-margin', -2019, 'Margin is insufficient.'),
  'invalid-leverage': e('venue-rejected', -4028, (c) => `Leverage ${c.leverage ?? ''} is not valid`),
  'position-mode-mismatch': e('venue-rejected', -4061, "Order's position side does not match user's setting."),
  'amend-qty-not-above-filled': e('venue-rejected', -4003, 'Quantity less than or equal to zero.'),
  'margin-mode-with-position': e('venue-rejected', -4048, 'Margin type cannot be changed if there exists position.'),
  'position-mode-with-position': e('venue-rejected', -4068, 'Position side cannot be changed if there exists position.'),
  'clock-skew': e('clock-skew', -1021, 'Timestamp for this request is outside of the recvWindow.'),
  'rate-limited': e('rate-limited', -1003, 'Too many requests; current limit is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.'),
  'ip-banned': e('ip-banned', -1003, (c) => `Way too many requests; IP banned until ${c.untilMs ?? 0}. Please use the websocket for live updates to avoid bans.`),
  'server-error': e('unknown-outcome', 503, 'Service Unavailable.'),
  'timeout': e('unknown-outcome', -1007, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.'),
}

const BYBIT: Readonly<Record<SimErrorKind, Entry>> = {
  'invalid-client-order-id': e('invalid-input', 10001, 'params error: orderLinkId is invalid'),
  'duplicate-client-order-id': e('duplicate-client-order-id', 110072, 'OrderLinkedID is duplicate'),
  'would-trigger-rising': e(
    'would-immediately-trigger',
    110092,
    (c) => `expect Rising, but trigger_price[${bybitPx(c.triggerPrice)}] <= current[${bybitPx(c.currentPrice)}]??${bybitBy(c.triggerBy)}`,
  ),
  'would-trigger-falling': e(
    'would-immediately-trigger',
    110093,
    (c) => `expect Falling, but trigger_price[${bybitPx(c.triggerPrice)}] >= current[${bybitPx(c.currentPrice)}]??${bybitBy(c.triggerBy)}`,
  ),
  'unknown-order-cancel': e('order-not-found', 110001, 'Order does not exist'),
  'unknown-order-amend': e('order-not-found', 110001, 'Order does not exist'),
  'reduce-only-rejected': e('reduce-only-rejected', 110017, 'Reduce-only rule not satisfied'),
  // Bybit does not reject crossing post-only orders synchronously (see VenueProfile.postOnlyCross); kept for amends.
  'post-only-rejected': e('post-only-rejected', 'EC_PostOnlyWillTakeLiquidity', 'EC_PostOnlyWillTakeLiquidity'),
  'insufficient-margin': e('insufficient-margin', 110007, 'ab not enough for new order'),
  'invalid-leverage': e('venue-rejected', 10001, (c) => `leverage invalid: ${c.leverage ?? ''}`),
  'position-mode-mismatch': e('venue-rejected', 10001, 'position idx not match position mode'),
  'amend-qty-not-above-filled': e('venue-rejected', 110064, 'The number of contracts modified cannot be less than or equal to the filled quantity'),
  'margin-mode-with-position': e('venue-rejected', 10001, 'params error: cannot switch margin mode while a position is open'),
  'position-mode-with-position': e('venue-rejected', 110024, 'You have an existing position, so position mode cannot be switched'),
  'clock-skew': e('clock-skew', 10002, 'invalid request, please check your server timestamp or recv_window param'),
  'rate-limited': e('rate-limited', 10006, 'Too many visits!'),
  'ip-banned': e('ip-banned', 10009, 'IP has been banned'),
  'server-error': e('unknown-outcome', 10016, 'Server error'),
  'timeout': e('unknown-outcome', 10000, 'Server Timeout'),
}

/**
 * Build the error a venue answers with in a given situation, as a core `PerpkitError` carrying the venue's
 * code (`venueCode`) and message.
 *
 * @param args.profile - which venue
 * @param args.kind - the situation
 * @param args.context - values for message templates (prices, leverage, retry delay)
 * @returns a `PerpkitError` (not thrown)
 * @example
 * ```ts
 * import { simVenueError } from '@perpkit/sim'
 * const err = simVenueError({ profile: 'binance-usdm', kind: 'duplicate-client-order-id' })
 * err.code // 'duplicate-client-order-id'; err.venueCode // -4116
 * ```
 */
export function simVenueError(args: { readonly profile: VenueProfileId; readonly kind: SimErrorKind; readonly context?: SimErrorContext }): PerpkitError {
  const table = args.profile === 'binance-usdm' ? BINANCE : BYBIT
  const entry = table[args.kind]
  const ctx = args.context ?? {}
  const retryAfterMs = ctx.retryAfterMs
  return new PerpkitError(entry.code, entry.message(ctx), {
    ...(entry.venueCode === undefined ? {} : { venueCode: entry.venueCode }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: { venue: args.profile, kind: args.kind, ...(ctx.clientOrderId === undefined ? {} : { clientOrderId: ctx.clientOrderId }) },
    ...(entry.code === 'venue-rejected' || entry.code === 'insufficient-margin' || entry.code === 'duplicate-client-order-id' ||
    entry.code === 'would-immediately-trigger' || entry.code === 'reduce-only-rejected' || entry.code === 'post-only-rejected' ||
    entry.code === 'order-not-found' || entry.code === 'invalid-input'
      ? { retryable: false }
      : {}),
  })
}
