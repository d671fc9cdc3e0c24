/**
 * Parameter parsing with Binance's own rejections: -1102 (mandatory parameter missing), -1121 (invalid symbol),
 * -1100 (illegal characters), -1111 (more decimals than the asset allows), -4014 / -4023 (not on tick / step).
 * @module
 */
import { decimalsOf, type Instrument } from '@perpkit/core'
import type { VenueRequest, VenueResponse } from '../dialect.js'
import type { VenueState } from '../venue-state.js'
import { binanceError } from './errors.js'

/**
 * A parsed value or the error answer to send.
 * @example
 * ```ts
 * const r: Parsed<number> = { ok: true, value: 1 }
 * ```
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: VenueResponse }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const no = <T>(response: VenueResponse): Parsed<T> => ({ ok: false, response })

/**
 * The instrument named by the `symbol` parameter.
 * @param req - request
 * @param venue - venue state
 * @param required - whether a missing symbol is an error (-1102)
 * @returns the instrument, undefined when absent and optional, or the error
 * @throws never
 * @example
 * ```ts
 * const s = symbolParam(req, ctx.venue, true)
 * ```
 */
export function symbolParam(req: VenueRequest, venue: VenueState, required: true): Parsed<Instrument>
export function symbolParam(req: VenueRequest, venue: VenueState, required: false): Parsed<Instrument | undefined>
export function symbolParam(req: VenueRequest, venue: VenueState, required: boolean): Parsed<Instrument | undefined> {
  const text = req.params.get('symbol')
  if (text === null || text.length === 0) return required ? no(binanceError(-1102, 'symbol')) : ok(undefined)
  const ins = venue.findByVenueSymbol(text.toUpperCase(), 'binance-usdm')
  return ins === undefined || text !== text.toUpperCase() ? no(binanceError(-1121)) : ok(ins)
}

/**
 * A decimal parameter checked against a step: more decimals than the step → -1111, off-step → `offStepCode`.
 * @param args.req - request
 * @param args.name - parameter name
 * @param args.step - tick or lot step
 * @param args.offStepCode - -4014 (price) or -4023 (quantity)
 * @param args.required - -1102 when missing
 * @returns the number, undefined when absent and optional, or the error
 * @throws never
 * @example
 * ```ts
 * decimalParam({ req, name: 'price', step: 0.1, offStepCode: -4014, required: false })
 * ```
 */
export function decimalParam(args: {
  readonly req: VenueRequest
  readonly name: string
  readonly step: number
  readonly offStepCode: -4014 | -4023
  readonly required: boolean
}): Parsed<number | undefined> {
  const text = args.req.params.get(args.name)
  if (text === null || text.length === 0) return args.required ? no(binanceError(-1102, args.name)) : ok(undefined)
  if (!/^-?\d+(\.\d+)?$/.test(text)) return no(binanceError(-1102, args.name))
  const value = Number(text)
  const dot = text.indexOf('.')
  const decimals = dot < 0 ? 0 : text.replace(/0+$/, '').length - dot - 1
  if (decimals > decimalsOf(args.step)) return no(binanceError(-1111))
  const units = value / args.step
  if (Math.abs(units - Math.round(units)) > 1e-9) return no(binanceError(args.offStepCode))
  return ok(value)
}

/**
 * A plain positive number parameter (no step), e.g. a trigger price checked later, or `limit`.
 * @param req - request
 * @param name - parameter name
 * @returns the number, undefined when absent, or -1102
 * @throws never
 * @example
 * ```ts
 * numberParam(req, 'limit')
 * ```
 */
export function numberParam(req: VenueRequest, name: string): Parsed<number | undefined> {
  const text = req.params.get(name)
  if (text === null || text.length === 0) return ok(undefined)
  const value = Number(text)
  return Number.isFinite(value) ? ok(value) : no(binanceError(-1102, name))
}

/**
 * A boolean parameter (`true` / `false`, any case).
 * @param req - request
 * @param name - parameter name
 * @returns the value (default false) or -1102
 * @throws never
 * @example
 * ```ts
 * boolParam(req, 'reduceOnly')
 * ```
 */
export function boolParam(req: VenueRequest, name: string): Parsed<boolean> {
  const text = req.params.get(name)
  if (text === null || text.length === 0) return ok(false)
  const lower = text.toLowerCase()
  if (lower === 'true') return ok(true)
  if (lower === 'false') return ok(false)
  return no(binanceError(-1102, name))
}
