/**
 * The venue state behind the Bybit dialect: one simulated venue per product category (a Bybit account trades
 * linear contracts against its USDT wallet and inverse contracts against its coin wallet) and lookups from
 * Bybit's `category` + `symbol` to the simulator's instrument.
 * @module
 */
import type { Instrument } from '@perpkit/core'
import type { SimVenue } from '@perpkit/sim'
import { BybitApiError, BYBIT_RET } from './errors.js'

/** The derivative categories the dialect serves (`spot` and `option` answer empty lists). */
export type BybitDerivativeCategory = 'linear' | 'inverse'

/**
 * One category's simulated venue and its instruments.
 * @example
 * ```ts
 * const book: BybitBook = { category: 'inverse', venue: inverseSim, instruments: [btcusd] }
 * ```
 */
export interface BybitBook {
  readonly category: BybitDerivativeCategory
  /** A `@perpkit/sim` venue with profile `bybit-linear` or `bybit-inverse`. */
  readonly venue: SimVenue
  readonly instruments: readonly Instrument[]
}

/**
 * Both categories (either may be absent).
 * @example
 * ```ts
 * const books: BybitBooks = { inverse: { category: 'inverse', venue, instruments } }
 * ```
 */
export interface BybitBooks {
  readonly linear?: BybitBook
  readonly inverse?: BybitBook
}

/** A resolved instrument: its book and the simulator's instrument. */
export interface BybitMarketRef {
  readonly book: BybitBook
  readonly instrument: Instrument
}

/**
 * Parse the `category` request parameter.
 * @throws BybitApiError 10001 when it is missing or not a category
 * @example
 * ```ts
 * categoryParam('linear') // 'linear'
 * ```
 */
export function categoryParam(value: unknown): 'spot' | 'option' | BybitDerivativeCategory {
  if (value === 'linear' || value === 'inverse' || value === 'spot' || value === 'option') return value
  throw new BybitApiError(BYBIT_RET.paramsError, value === undefined ? 'params error: category is required' : `params error: category invalid: ${String(value)}`)
}

/**
 * The book of a derivative category, or 10001 when the category is not a derivative one this server lists.
 * @example
 * ```ts
 * const book = bookOf(books, 'inverse')
 * ```
 */
export function bookOf(books: BybitBooks, category: unknown): BybitBook {
  const c = categoryParam(category)
  const book = c === 'linear' ? books.linear : c === 'inverse' ? books.inverse : undefined
  if (book === undefined) throw new BybitApiError(BYBIT_RET.paramsError, `params error: category ${c} is not supported`)
  return book
}

/**
 * Resolve `category` + `symbol` (Bybit's id, e.g. `BTCUSD`) to the instrument.
 * @throws BybitApiError 10001 `params error: symbol invalid` for an unknown symbol
 * @example
 * ```ts
 * const { instrument } = marketOf(books, 'inverse', 'BTCUSD')
 * ```
 */
export function marketOf(books: BybitBooks, category: unknown, symbol: unknown): BybitMarketRef {
  const book = bookOf(books, category)
  const instrument = book.instruments.find((i) => i.venueSymbol === symbol)
  if (instrument === undefined) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: symbol invalid')
  return { book, instrument }
}

/**
 * Every book present, linear first.
 * @example
 * ```ts
 * for (const book of allBooks(books)) console.log(book.category)
 * ```
 */
export function allBooks(books: BybitBooks): readonly BybitBook[] {
  return [books.linear, books.inverse].filter((b): b is BybitBook => b !== undefined)
}
