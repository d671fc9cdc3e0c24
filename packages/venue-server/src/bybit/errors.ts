/**
 * Bybit v5 error answers: the retCode / retMsg pairs the dialect sends and the mapping of the simulated
 * venue's errors onto them. Clients must map on `retCode`; the texts follow the docs' error table.
 * @module
 */
import { isPerpkitError } from '@perpkit/core'

/**
 * A request the dialect refuses with a Bybit retCode (HTTP 200 with a non-zero retCode unless `httpStatus` says otherwise).
 * @example
 * ```ts
 * throw new BybitApiError(10001, 'params error: symbol invalid')
 * ```
 */
export class BybitApiError extends Error {
  /** Bybit's `retCode`. */
  readonly retCode: number
  /** HTTP status of the answer (200 for almost every Bybit error). */
  readonly httpStatus: number
  /** Extra response headers (e.g. the rate-limit reset). */
  readonly headers: Readonly<Record<string, string>>
  constructor(retCode: number, retMsg: string, options: { readonly httpStatus?: number; readonly headers?: Readonly<Record<string, string>> } = {}) {
    super(retMsg)
    this.name = 'BybitApiError'
    this.retCode = retCode
    this.httpStatus = options.httpStatus ?? 200
    this.headers = options.headers ?? {}
  }
}

/**
 * The retCodes the dialect answers with, and their docs text.
 * @example
 * ```ts
 * BYBIT_RET.paramsError // 10001
 * ```
 */
export const BYBIT_RET = {
  paramsError: 10001,
  timestampOrRecvWindow: 10002,
  invalidApiKey: 10003,
  invalidSign: 10004,
  permissionDenied: 10005,
  tooManyVisits: 10006,
  internalError: 10016,
  routeNotFound: 10017,
  orderNotExist: 110001,
  insufficientBalance: 110007,
  reduceOnlyNotSatisfied: 110017,
  existingPositionModeLocked: 110024,
  positionModeNotModified: 110025,
  openOrdersModeLocked: 110028,
  hedgeModeUnavailable: 110029,
  leverageNotModified: 110043,
  amendQtyNotAboveFilled: 110063,
  minOrderValue: 110094,
  setMarginModeFailed: 3400045,
} as const

/**
 * Translate an error thrown by the simulated venue (a core `PerpkitError` carrying Bybit's `venueCode`) or by
 * core's input validation into the Bybit answer. Anything else is a bug and is rethrown.
 *
 * @param error - what the venue call threw
 * @returns the Bybit error to answer with
 * @throws the original error when it is not a `PerpkitError`
 * @example
 * ```ts
 * try { await venue.createOrder(request) } catch (e) { throw toBybitApiError(e) }
 * ```
 */
export function toBybitApiError(error: unknown): BybitApiError {
  if (error instanceof BybitApiError) return error
  if (!isPerpkitError(error)) throw error
  const venueCode = error.venueCode
  if (typeof venueCode === 'number') {
    // The simulator labels "amended qty not above the filled qty" 110064; the docs' table lists that text under 110063.
    const retCode = venueCode === 110064 ? BYBIT_RET.amendQtyNotAboveFilled : venueCode
    return new BybitApiError(retCode, error.message)
  }
  if (error.code === 'invalid-input') return new BybitApiError(BYBIT_RET.paramsError, `params error: ${error.message}`)
  if (error.code === 'order-not-found') return new BybitApiError(BYBIT_RET.orderNotExist, 'Order does not exist')
  if (error.code === 'invalid-state') return new BybitApiError(BYBIT_RET.paramsError, `params error: ${error.message}`)
  return new BybitApiError(BYBIT_RET.paramsError, error.message)
}
