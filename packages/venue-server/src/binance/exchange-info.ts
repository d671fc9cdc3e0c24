/**
 * `GET /fapi/v1/exchangeInfo` as the Binance USDⓈ-M docs give it: rate limits, assets and one entry per
 * symbol with PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS, MIN_NOTIONAL and
 * PERCENT_PRICE filters (numbers as decimal strings).
 * @module
 */
import { decimalsOf, formatDecimal, type Instrument } from '@perpkit/core'
import { binanceExtras } from './instruments.js'

/** Binance's "perpetual" delivery date (2100-12-25). */
const PERPETUAL_DELIVERY_MS = 4133404800000

/** Request-weight and order limits the server enforces (also announced in `rateLimits`). */
export const BINANCE_LIMITS = { weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200 } as const

const fmt = (value: number, step: number): string => formatDecimal({ value, decimals: decimalsOf(step) })

function symbolEntry(ins: Instrument): Record<string, unknown> {
  const x = binanceExtras(ins)
  return {
    symbol: ins.venueSymbol,
    pair: ins.venueSymbol,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY_MS,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: ins.base,
    quoteAsset: ins.quote,
    marginAsset: ins.settle,
    pricePrecision: decimalsOf(ins.tickSize) + 1,
    quantityPrecision: decimalsOf(ins.lotStep),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: ['PoW'],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fmt(x.minPrice, ins.tickSize), maxPrice: fmt(x.maxPrice, ins.tickSize), tickSize: fmt(ins.tickSize, ins.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fmt(ins.minQty, ins.lotStep), maxQty: fmt(ins.maxQty ?? 1_000_000, ins.lotStep), stepSize: fmt(ins.lotStep, ins.lotStep) },
      { filterType: 'MARKET_LOT_SIZE', minQty: fmt(ins.minQty, ins.lotStep), maxQty: fmt(x.marketMaxQty, ins.lotStep), stepSize: fmt(ins.lotStep, ins.lotStep) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: String(ins.minNotional) },
      { filterType: 'PERCENT_PRICE', multiplierUp: x.percentUp.toFixed(4), multiplierDown: x.percentDown.toFixed(4), multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  }
}

/**
 * The exchangeInfo body.
 *
 * @param args.instruments - the server's instruments
 * @param args.serverTimeMs - server clock
 * @returns the JSON body
 * @throws never
 * @example
 * ```ts
 * exchangeInfoBody({ instruments: binanceDefaults('testnet').instruments, serverTimeMs: 0 }).symbols
 * ```
 */
export function exchangeInfoBody(args: { readonly instruments: readonly Instrument[]; readonly serverTimeMs: number }): Record<string, unknown> {
  const assets = [...new Set(args.instruments.map((i) => i.settle))].sort()
  return {
    timezone: 'UTC',
    serverTime: args.serverTimeMs,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: BINANCE_LIMITS.weightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: BINANCE_LIMITS.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: BINANCE_LIMITS.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: assets.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' })),
    symbols: args.instruments.map(symbolEntry),
  }
}
