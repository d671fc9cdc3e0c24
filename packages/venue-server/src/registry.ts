/**
 * Dialects by name. Adding a dialect = one entry here plus its folder (`src/<name>/`).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { binanceUsdmDialect } from './binance/dialect.js'
import { bybitDialect } from './bybit/dialect.js'
import type { Dialect, DialectName } from './dialect.js'

const DIALECTS: Partial<Record<DialectName, Dialect>> = {
  'binance-usdm': binanceUsdmDialect,
  bybit: bybitDialect,
}

/**
 * Names of the dialects this build of the server speaks.
 *
 * @returns the registered names, sorted
 * @throws never
 * @example
 * ```ts
 * import { availableDialects } from '@perpkit/venue-server'
 * availableDialects() // ['binance-usdm', ...]
 * ```
 */
export function availableDialects(): readonly DialectName[] {
  return (Object.keys(DIALECTS) as DialectName[]).sort()
}

/**
 * Look a dialect up by name (or pass a {@link Dialect} object through).
 *
 * @param dialect - a name or a dialect
 * @returns the dialect
 * @throws InvalidInputError when no dialect has that name
 * @example
 * ```ts
 * import { resolveDialect } from '@perpkit/venue-server'
 * resolveDialect('binance-usdm').venues // ['binance-usdm']
 * ```
 */
export function resolveDialect(dialect: DialectName | Dialect): Dialect {
  if (typeof dialect !== 'string') return dialect
  const found = DIALECTS[dialect]
  if (found === undefined) throw new InvalidInputError(`unknown dialect '${String(dialect)}'; available: ${availableDialects().join(', ')}`, { path: 'dialect' })
  return found
}
