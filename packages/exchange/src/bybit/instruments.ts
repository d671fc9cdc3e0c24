/**
 * Instruments from Bybit v5 `GET /v5/market/instruments-info` (one category: `linear` or `inverse`): perpetual
 * contracts as core `Instrument`s — tick (`priceFilter.tickSize`), step, minimum and maximum quantity
 * (`lotSizeFilter`), maximum market quantity (`maxMktOrderQty`), minimum order value (`minNotionalValue`, linear
 * only), maximum leverage, settle coin, and the contract: a linear contract is 1 unit of the base coin, an inverse
 * contract is worth 1 USD (the endpoint has no contract-size field; 1 USD is the product's definition).
 * @module
 */
import { type Instrument, type InstrumentStatus, instrumentSchema, parseOrThrow, perpSymbol } from '@perpkit/core'
import type { FeeRates } from '../shared/fees.js'
import { num, type Raw, str } from '../shared/raw.js'

/** Bybit's documented per-symbol order limits: 500 active orders and 10 conditional orders (Place Order page). */
const MAX_OPEN_ORDERS = 500
const MAX_CONDITIONAL_ORDERS = 10

/** Bybit instrument status → core status (Trading; PreLaunch; Settling; Delivering / Closed). */
function statusOf(raw: string): InstrumentStatus {
  if (raw === 'Trading') return 'trading'
  if (raw === 'PreLaunch') return 'pre-trading'
  if (raw === 'Settling') return 'halted'
  return 'delisted'
}

/**
 * Map `instruments-info` entries of one category to instruments.
 * @param args.list - the `result.list` entries
 * @param args.category - `linear` or `inverse`
 * @param args.fees - fee rates to attach (the endpoint carries none)
 * @returns perpetual instruments of that category, validated by core's schema
 * @throws PerpkitError `invalid-input` (from the schema) when the venue's answer lacks a filter an order needs
 */
export function bybitInstruments(args: { readonly list: readonly Raw[]; readonly category: 'linear' | 'inverse'; readonly fees: FeeRates }): Instrument[] {
  const wanted = args.category === 'inverse' ? 'InversePerpetual' : 'LinearPerpetual'
  return args.list
    .filter((e) => e['contractType'] === wanted)
    .map((e) => {
      const price = (e['priceFilter'] ?? {}) as Raw
      const lot = (e['lotSizeFilter'] ?? {}) as Raw
      const leverage = (e['leverageFilter'] ?? {}) as Raw
      const base = str(e['baseCoin'])
      const quote = str(e['quoteCoin'])
      const settle = str(e['settleCoin']) || (args.category === 'inverse' ? base : quote)
      const maxMarket = num(lot['maxMktOrderQty'])
      const candidate = {
        symbol: perpSymbol(base, settle, quote),
        venue: args.category === 'inverse' ? 'bybit-inverse' : 'bybit-linear',
        venueSymbol: str(e['symbol']),
        kind: args.category,
        base,
        quote,
        settle,
        contractSize: 1,
        tickSize: num(price['tickSize']),
        lotStep: num(lot['qtyStep']),
        minQty: num(lot['minOrderQty']),
        minNotional: args.category === 'linear' ? num(lot['minNotionalValue']) : 0,
        maxLeverage: num(leverage['maxLeverage']) || 1,
        makerFeeRate: args.fees.makerFeeRate,
        takerFeeRate: args.fees.takerFeeRate,
        status: statusOf(str(e['status'])),
        ...(num(lot['maxOrderQty']) > 0 ? { maxQty: num(lot['maxOrderQty']) } : {}),
        ...(maxMarket > 0 ? { maxMarketQty: maxMarket } : {}),
        maxOpenOrders: MAX_OPEN_ORDERS,
        maxAlgoOrders: MAX_CONDITIONAL_ORDERS,
      }
      return parseOrThrow(instrumentSchema, candidate, `Bybit instrument ${str(e['symbol'])}`)
    })
}
