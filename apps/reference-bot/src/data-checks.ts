/**
 * Checks of a run's inputs against each other before anything runs: the data's market (read from the file name)
 * against the configured symbol, and the fixed order size against what any venue accepts.
 * @module
 */
import { basename } from 'node:path'
import { PerpkitError } from '@perpkit/core'
import { MAX_ACCOUNT_USD } from './config.js'

const QUOTES = ['USDT', 'USDC', 'BUSD', 'USD'] as const

/**
 * The base asset a data file's name says it holds, e.g. `BTC` for `binance_usdm_BTCUSDT_5m_….csv.gz`,
 * `BTC_USDT-5m-futures.json` (freqtrade) or `ETHUSD_PERP-1m.csv`; undefined when the name names no market.
 */
export function baseInFileName(path: string): string | undefined {
  const tokens = basename(path).toUpperCase().split(/[^A-Z0-9]+/)
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string
    for (const q of QUOTES) {
      if (t.length > q.length && t.endsWith(q)) {
        const base = t.slice(0, -q.length)
        if (/^[A-Z0-9]{2,15}$/.test(base) && /[A-Z]/.test(base)) return base
      }
    }
    const next = tokens[i + 1]
    if (next !== undefined && (QUOTES as readonly string[]).includes(next) && /^[A-Z0-9]{2,15}$/.test(t) && /[A-Z]/.test(t)) return t
  }
  return undefined
}

/**
 * Refuse data whose file name names another market than the configured one (`symbols: [ETH]` on BTCUSDT data).
 *
 * @throws PerpkitError `invalid-input` naming the config, the symbol and the file.
 */
export function checkDataSymbol(args: { readonly configFile: string; readonly base: string; readonly files: readonly (string | undefined)[] }): void {
  for (const file of args.files) {
    if (file === undefined) continue
    const found = baseInFileName(file)
    if (found !== undefined && found !== args.base) {
      throw new PerpkitError('invalid-input', `${args.configFile}: symbols: [${args.base}] but ${basename(file)} is ${found} data (by its name); run it with symbols: [${found}] or give ${args.base} data`, {
        details: { file, configured: args.base, found },
      })
    }
  }
}

/**
 * Refuse a fixed order size whose value at the data's first price is beyond what any venue accepts.
 *
 * @throws PerpkitError `invalid-input` naming the config field.
 */
export function checkOrderValue(args: { readonly configFile: string; readonly qty?: number; readonly kind: 'linear' | 'inverse'; readonly contractSize: number; readonly price: number }): void {
  if (args.qty === undefined) return
  const valueUsd = args.kind === 'linear' ? args.qty * args.contractSize * args.price : args.qty * args.contractSize
  if (!(valueUsd <= MAX_ACCOUNT_USD)) {
    throw new PerpkitError('invalid-input', `${args.configFile}: sizing.qty: ${args.qty} is worth ${valueUsd.toExponential(3)} at the first price ${args.price}; no venue accepts an order above ${MAX_ACCOUNT_USD.toExponential()}`, {
      details: { qty: args.qty, valueUsd },
    })
  }
}
