/**
 * Instrument specifications the reference bot knows without a venue connection (used by backtest/paper and
 * by `check`). Values follow the venues' published contract specs; fee rates are the base-tier defaults and can
 * be overridden in the config (`fees`).
 * @module
 */
import { type Instrument, instrumentSchema } from '@perpkit/core'
import type { BotConfig } from './config.js'

type Spec = Omit<Instrument, 'symbol' | 'venue' | 'venueSymbol' | 'base' | 'quote' | 'settle'>

const LINEAR_BINANCE: Readonly<Record<string, Spec>> = {
  BTC: { kind: 'linear', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 100, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005 },
  ETH: { kind: 'linear', contractSize: 1, tickSize: 0.01, lotStep: 0.001, minQty: 0.001, minNotional: 20, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005 },
  SOL: { kind: 'linear', contractSize: 1, tickSize: 0.01, lotStep: 1, minQty: 1, minNotional: 5, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.0005 },
}
const LINEAR_BYBIT: Readonly<Record<string, Spec>> = {
  BTC: { kind: 'linear', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 5, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.00055 },
  ETH: { kind: 'linear', contractSize: 1, tickSize: 0.01, lotStep: 0.01, minQty: 0.01, minNotional: 5, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.00055 },
}
const INVERSE_BYBIT: Readonly<Record<string, Spec>> = {
  BTC: { kind: 'inverse', contractSize: 1, tickSize: 0.5, lotStep: 1, minQty: 1, minNotional: 0, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.00055 },
}

/**
 * The instrument of `base` on the configured venue and settle coin, with config fee overrides applied.
 *
 * @returns the instrument, or undefined when the bot has no spec for that market.
 */
export function instrumentFor(args: { readonly config: BotConfig; readonly base: string; readonly settle: string; readonly symbol: string }): Instrument | undefined {
  const { config, base, settle, symbol } = args
  const table = config.venue === 'binance-usdm' ? LINEAR_BINANCE : config.venue === 'bybit-linear' ? LINEAR_BYBIT : INVERSE_BYBIT
  const spec = table[base]
  if (spec === undefined) return undefined
  const quote = config.venue === 'bybit-inverse' ? 'USD' : settle
  return instrumentSchema.parse({
    ...spec,
    ...(config.fees.makerRate !== undefined ? { makerFeeRate: config.fees.makerRate } : {}),
    ...(config.fees.takerRate !== undefined ? { takerFeeRate: config.fees.takerRate } : {}),
    symbol,
    venue: config.venue,
    venueSymbol: `${base}${quote}`,
    base,
    quote,
    settle,
  })
}

/** Bases the bot has specs for on a venue. */
export function knownBases(venue: BotConfig['venue']): readonly string[] {
  return Object.keys(venue === 'binance-usdm' ? LINEAR_BINANCE : venue === 'bybit-linear' ? LINEAR_BYBIT : INVERSE_BYBIT)
}
