/**
 * Input checks that run before anything is journaled or sent: a bad input is a typed error and no venue call.
 * @module
 */
import { type Instrument, InvalidInputError, isOnStep, PerpkitError } from '@perpkit/core'
import { isValidClientOrderId } from './client-order-id.js'
import type { EntryIntent } from './types.js'

function positive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError('must be a finite number', { path })
  if (value <= 0) throw new InvalidInputError('must be > 0', { path })
  return value
}

function onTick(value: number, ins: Instrument, path: string): void {
  if (!isOnStep({ value, step: ins.tickSize })) throw new InvalidInputError(`${value} is not a multiple of tick ${ins.tickSize}`, { path })
}

/**
 * Find the instrument of `symbol`.
 * @param instruments - known instruments by symbol
 * @param symbol - unified symbol
 * @returns the instrument
 * @throws PerpkitError `unknown-symbol`
 * @example
 * ```ts
 * import { instrumentOf } from './validation.js' // internal
 * instrumentOf(new Map(), 'BTC/USDT:USDT') // throws unknown-symbol
 * ```
 */
export function instrumentOf(instruments: ReadonlyMap<string, Instrument>, symbol: string): Instrument {
  const ins = typeof symbol === 'string' ? instruments.get(symbol) : undefined
  if (ins === undefined) throw new PerpkitError('unknown-symbol', `unknown symbol ${String(symbol)}`, { details: { symbol: String(symbol) } })
  return ins
}

/**
 * Check that a stop trigger is on the protective side: below the reference for a long, above for a short.
 * @param args.direction - trade direction
 * @param args.stopPrice - stop trigger
 * @param args.referencePrice - mark price (or the entry price when no mark is known)
 * @throws InvalidInputError (`path: 'stopPrice'`) when on the wrong side
 * @example
 * ```ts
 * import { assertStopSide } from './validation.js' // internal
 * assertStopSide({ direction: 'long', stopPrice: 64000, referencePrice: 65000 }) // ok
 * ```
 */
export function assertStopSide(args: { readonly direction: 'long' | 'short'; readonly stopPrice: number; readonly referencePrice: number }): void {
  const wrong = args.direction === 'long' ? args.stopPrice >= args.referencePrice : args.stopPrice <= args.referencePrice
  if (wrong) {
    throw new InvalidInputError(
      `a ${args.direction} stop at ${args.stopPrice} is on the wrong side of ${args.referencePrice}`,
      { path: 'stopPrice', details: { stopPrice: args.stopPrice, referencePrice: args.referencePrice } },
    )
  }
}

/**
 * Validate an entry intent against its instrument and the current mark price (bad input table of issue #7):
 * NaN / negative / zero size, off-step size, off-tick prices, unknown symbol, bad client id, stop or
 * take-profit on the wrong side.
 *
 * @param args.intent - the intent
 * @param args.instruments - known instruments
 * @param args.markPrice - last mark price of the symbol, if known
 * @returns the instrument of the intent
 * @throws InvalidInputError / PerpkitError `unknown-symbol`
 * @example
 * ```ts
 * import { validateEntryIntent } from './validation.js' // internal
 * validateEntryIntent({ intent, instruments, markPrice: 65000 })
 * ```
 */
export function validateEntryIntent(args: {
  readonly intent: EntryIntent
  readonly instruments: ReadonlyMap<string, Instrument>
  readonly markPrice?: number
}): Instrument {
  const i = args.intent
  if (typeof i !== 'object' || i === null) throw new InvalidInputError('intent must be an object', { path: 'intent' })
  if (typeof i.signalId !== 'string' || i.signalId.length === 0) throw new InvalidInputError('must be a non-empty string', { path: 'signalId' })
  if (i.direction !== 'long' && i.direction !== 'short') throw new InvalidInputError('must be long or short', { path: 'direction' })
  if (typeof i.signalTimeMs !== 'number' || !Number.isFinite(i.signalTimeMs)) throw new InvalidInputError('must be a finite time in ms', { path: 'signalTimeMs' })
  const ins = instrumentOf(args.instruments, i.symbol)
  const qty = positive(i.qty, 'qty')
  if (!isOnStep({ value: qty, step: ins.lotStep })) throw new InvalidInputError(`${qty} is not a multiple of lot step ${ins.lotStep}`, { path: 'qty' })
  if (qty < ins.minQty) throw new InvalidInputError(`${qty} is below the minimum ${ins.minQty}`, { path: 'qty' })
  if (ins.maxQty !== undefined && qty > ins.maxQty) throw new InvalidInputError(`${qty} is above the maximum ${ins.maxQty}`, { path: 'qty' })
  const type = i.type ?? 'limit'
  if (type !== 'limit' && type !== 'market') throw new InvalidInputError('must be limit or market', { path: 'type' })
  if (type === 'limit') onTick(positive(i.price, 'price'), ins, 'price')
  else if (i.price !== undefined) throw new InvalidInputError('a market entry takes no price', { path: 'price' })
  const stop = positive(i.stopPrice, 'stopPrice')
  onTick(stop, ins, 'stopPrice')
  const reference = i.price ?? args.markPrice
  if (reference !== undefined) assertStopSide({ direction: i.direction, stopPrice: stop, referencePrice: reference })
  if (args.markPrice !== undefined && reference !== args.markPrice) assertStopSide({ direction: i.direction, stopPrice: stop, referencePrice: args.markPrice })
  if (i.takeProfitPrice !== undefined) {
    const tp = positive(i.takeProfitPrice, 'takeProfitPrice')
    onTick(tp, ins, 'takeProfitPrice')
    if (reference !== undefined && (i.direction === 'long' ? tp <= reference : tp >= reference)) {
      throw new InvalidInputError(`a ${i.direction} take-profit at ${tp} is on the wrong side of ${reference}`, { path: 'takeProfitPrice' })
    }
  }
  if (i.clientOrderId !== undefined && (typeof i.clientOrderId !== 'string' || !isValidClientOrderId(i.clientOrderId))) {
    throw new InvalidInputError('client order id must be 1-36 characters of [A-Za-z0-9_-]', { path: 'clientOrderId' })
  }
  if (type === 'market' && reference === undefined) {
    throw new InvalidInputError('a market entry needs a known mark price (call onMarkPrice first)', { path: 'type' })
  }
  return ins
}
