/**
 * Binance USDⓈ-M error bodies `{ code, msg }` with the venue's own codes and texts, and their HTTP statuses.
 * @module
 */
import type { VenueResponse } from '../dialect.js'

/**
 * The error codes this dialect answers with, and the message the venue sends for each.
 * @example
 * ```ts
 * BINANCE_ERRORS[-1021] // 'Timestamp for this request is outside of the recvWindow.'
 * ```
 */
export const BINANCE_ERRORS = {
  [-1000]: 'An unknown error occured while processing the request.',
  [-1001]: 'Internal error; unable to process your request. Please try again.',
  [-1003]: 'Too many requests; current limit is %s requests per minute. Please use the websocket for live updates to avoid polling the API.',
  [-1008]: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
  [-1015]: 'Too many new orders; current limit is %s orders per %s.',
  [-1021]: 'Timestamp for this request is outside of the recvWindow.',
  [-1022]: 'Signature for this request is not valid.',
  [-1100]: "Illegal characters found in parameter '%s'; legal range is '%s'.",
  [-1102]: "Mandatory parameter '%s' was not sent, was empty/null, or malformed.",
  [-1104]: 'Not all sent parameters were read; read %s parameter(s) but was sent %s.',
  [-1106]: "Parameter '%s' sent when not required.",
  [-1111]: 'Precision is over the maximum defined for this asset.',
  [-1116]: 'Invalid orderType.',
  [-1117]: 'Invalid side.',
  [-1120]: 'Invalid interval.',
  [-1121]: 'Invalid symbol.',
  [-1125]: 'This listenKey does not exist.',
  [-2011]: 'Unknown order sent.',
  [-2013]: 'Order does not exist.',
  [-2014]: 'API-key format invalid.',
  [-2015]: 'Invalid API-key, IP, or permissions for action, request ip: %s',
  [-2019]: 'Margin is insufficient.',
  [-2021]: 'Order would immediately trigger.',
  [-2022]: 'ReduceOnly Order is rejected.',
  [-4002]: 'Price greater than max price.',
  [-4003]: 'Quantity less than or equal to zero.',
  [-4004]: 'Quantity less than min quantity.',
  [-4005]: 'Quantity greater than max quantity.',
  [-4013]: 'Price less than min price.',
  [-4014]: 'Price not increased by tick size.',
  [-4016]: "Limit price can't be higher than %s.",
  [-4023]: 'Quantity not increased by step size.',
  [-4024]: "Limit price can't be lower than %s.",
  [-4028]: 'Leverage %s is not valid',
  [-4046]: 'No need to change margin type.',
  [-4048]: 'Margin type cannot be changed if there exists position.',
  [-4059]: 'No need to change position side.',
  [-4061]: "Order's position side does not match user's setting.",
  [-4116]: 'ClientOrderId is duplicated.',
  [-4120]: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
  [-4164]: 'Order\'s notional must be no smaller than %s (unless you choose reduce only).',
  [-5022]: 'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
} as const satisfies Record<number, string>

/**
 * A Binance error code this dialect knows.
 * @example
 * ```ts
 * const code: BinanceErrorCode = -2019
 * ```
 */
export type BinanceErrorCode = keyof typeof BINANCE_ERRORS

/**
 * HTTP statuses: 4XX for malformed / rejected requests, 401 for bad keys, 403 for WAF, 429 / 418 for limits, 503
 * for -1001 / -1008 when the venue cannot tell whether it acted.
 */
const STATUS_OF: Partial<Record<BinanceErrorCode, number>> = {
  [-1001]: 503,
  [-1003]: 429,
  [-1008]: 503,
  [-2014]: 401,
  [-2015]: 401,
}

/**
 * Build a success answer (HTTP 200 with a JSON body).
 *
 * @param body - the JSON body
 * @param accepted - true when the venue acted on the request (an order was placed or cancelled): faults that strike
 *   "after accept" apply only to such answers
 * @returns a {@link VenueResponse}
 * @throws never
 * @example
 * ```ts
 * binanceOk({ serverTime: 1758240000000 }).status // 200
 * ```
 */
export const binanceOk = (body: unknown, accepted = false): VenueResponse => ({ status: 200, body, accepted })

/**
 * Build an error answer. `%s` placeholders in the message are filled from `args` in order.
 *
 * @param code - the Binance code
 * @param args - values for the `%s` placeholders
 * @returns a {@link VenueResponse} with `{ code, msg }`
 * @throws never
 * @example
 * ```ts
 * binanceError(-1102, 'symbol').body // { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." }
 * ```
 */
export function binanceError(code: BinanceErrorCode, ...args: readonly (string | number)[]): VenueResponse {
  let i = 0
  const msg = BINANCE_ERRORS[code].replace(/%s/g, () => String(args[i++] ?? ''))
  return { status: STATUS_OF[code] ?? 400, body: { code, msg } }
}
