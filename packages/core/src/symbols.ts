/**
 * Perpetual symbol helpers (unified `BASE/QUOTE:SETTLE` symbols) and the testnet/production settle switch.
 * @module
 */
import { InvalidInputError } from './errors.js'

/** Parts of a unified perpetual symbol. */
export interface PerpSymbolParts {
  readonly base: string
  readonly quote: string
  readonly settle: string
}

const PART = /^[A-Z0-9]{1,20}$/

/**
 * Build the unified symbol of a linear perpetual settled in `settle` (quote = settle), or an inverse one when
 * `quote` is given (e.g. `perpSymbol('BTC', 'BTC', 'USD')` → `BTC/USD:BTC`).
 *
 * @throws InvalidInputError on empty or malformed asset codes
 * @example
 * ```ts
 * import { perpSymbol } from '@perpkit/core'
 * perpSymbol('BTC', 'USDC') // 'BTC/USDC:USDC'
 * perpSymbol('btc', 'BTC', 'USD') // 'BTC/USD:BTC'
 * ```
 */
export function perpSymbol(base: string, settle: string, quote?: string): string {
  const b = normalise(base, 'base')
  const s = normalise(settle, 'settle')
  const q = quote === undefined ? s : normalise(quote, 'quote')
  return `${b}/${q}:${s}`
}

/**
 * Parse a unified perpetual symbol into base, quote and settle.
 *
 * @throws InvalidInputError when the text is not `BASE/QUOTE:SETTLE`
 * @example
 * ```ts
 * import { parsePerpSymbol } from '@perpkit/core'
 * parsePerpSymbol('ETH/USDT:USDT') // { base: 'ETH', quote: 'USDT', settle: 'USDT' }
 * ```
 */
export function parsePerpSymbol(symbol: string): PerpSymbolParts {
  const m = /^([A-Z0-9]{1,20})\/([A-Z0-9]{1,20}):([A-Z0-9]{1,20})$/.exec(symbol)
  if (!m) throw new InvalidInputError(`not a unified perp symbol BASE/QUOTE:SETTLE: ${JSON.stringify(symbol)}`, { path: 'symbol' })
  return { base: m[1] as string, quote: m[2] as string, settle: m[3] as string }
}

/** Settle coins perpkit switches between on Binance USDⓈ-M. */
export type SettleCoin = 'USDT' | 'USDC'

/**
 * Settle coin for Binance USDⓈ-M by environment: USDT on testnet (the testnet has no USDC
 * perps), USDC in production, unless `override` is given.
 *
 * @example
 * ```ts
 * import { settleCoinFor } from '@perpkit/core'
 * settleCoinFor({ testnet: true }) // 'USDT'
 * settleCoinFor({ testnet: false }) // 'USDC'
 * settleCoinFor({ testnet: false, override: 'USDT' }) // 'USDT'
 * ```
 */
export function settleCoinFor(args: { readonly testnet: boolean; readonly override?: SettleCoin }): SettleCoin {
  return args.override ?? (args.testnet ? 'USDT' : 'USDC')
}

/**
 * Default base assets traded by the reference bot: BTC, ETH, BNB, SOL, ADA.
 * @example
 * ```ts
 * import { DEFAULT_BASES, perpSymbol } from '@perpkit/core'
 * DEFAULT_BASES.map((b) => perpSymbol(b, 'USDT'))
 * ```
 */
export const DEFAULT_BASES: readonly string[] = ['BTC', 'ETH', 'BNB', 'SOL', 'ADA']

/**
 * Default symbol list: each of {@link DEFAULT_BASES} as a linear perp settled in `settle`.
 *
 * @example
 * ```ts
 * import { defaultPerpSymbols } from '@perpkit/core'
 * defaultPerpSymbols('USDC') // ['BTC/USDC:USDC', 'ETH/USDC:USDC', 'BNB/USDC:USDC', 'SOL/USDC:USDC', 'ADA/USDC:USDC']
 * ```
 */
export function defaultPerpSymbols(settle: string): string[] {
  return DEFAULT_BASES.map((b) => perpSymbol(b, settle))
}

/** The minimum a market description needs for {@link filterPerpMarkets} (ccxt markets satisfy it). */
export interface MarketLike {
  readonly symbol: string
  readonly settle?: string | null | undefined
  readonly contract?: boolean | null | undefined
  readonly swap?: boolean | null | undefined
  readonly active?: boolean | null | undefined
}

/**
 * Keep perpetual swap markets whose settle coin is `settle` ("contract and settle == X"), dropping
 * inactive ones and dated futures.
 *
 * @example
 * ```ts
 * import { filterPerpMarkets } from '@perpkit/core'
 * filterPerpMarkets([{ symbol: 'BTC/USDC:USDC', settle: 'USDC', contract: true, swap: true }], 'USDC').length // 1
 * ```
 */
export function filterPerpMarkets<M extends MarketLike>(markets: readonly M[], settle: string): M[] {
  const s = normalise(settle, 'settle')
  return markets.filter((m) => m.contract === true && m.swap !== false && m.active !== false && m.settle === s && !m.symbol.includes('-'))
}

function normalise(code: string, path: string): string {
  const up = typeof code === 'string' ? code.trim().toUpperCase() : ''
  if (!PART.test(up)) throw new InvalidInputError(`expected an asset code like BTC, got ${JSON.stringify(code)}`, { path })
  return up
}
