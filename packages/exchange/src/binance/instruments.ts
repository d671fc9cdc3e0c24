/**
 * Instruments from Binance USDⓈ-M `GET /fapi/v1/exchangeInfo` (filters) and `GET /fapi/v1/leverageBracket`
 * (maximum leverage): perpetuals margined in the environment's settle coin, as core `Instrument`s.
 * @module
 */
import { type Instrument, type InstrumentStatus, instrumentSchema, parseOrThrow, perpSymbol } from '@perpkit/core'
import type { FeeRates } from '../shared/fees.js'

interface RawFilter {
  readonly filterType: string
  readonly [k: string]: unknown
}
interface RawSymbol {
  readonly symbol: string
  readonly contractType: string
  readonly status: string
  readonly baseAsset: string
  readonly quoteAsset: string
  readonly marginAsset: string
  readonly filters: readonly RawFilter[]
}

/** Binance symbol status → core status (TRADING; PENDING_TRADING; BREAK / SETTLING / PRE_SETTLE; CLOSE / PRE_DELIVERING / DELIVERING / DELIVERED). */
function statusOf(raw: string): InstrumentStatus {
  if (raw === 'TRADING') return 'trading'
  if (raw === 'PENDING_TRADING') return 'pre-trading'
  if (raw === 'BREAK' || raw === 'SETTLING' || raw === 'PRE_SETTLE') return 'halted'
  return 'delisted'
}

const num = (v: unknown): number | undefined => (typeof v === 'string' || typeof v === 'number' ? Number(v) : undefined)

/**
 * Map exchangeInfo + leverage brackets to instruments of one settle coin.
 * @param args.exchangeInfo - the parsed `exchangeInfo` body
 * @param args.brackets - the parsed `leverageBracket` body
 * @param args.settle - `USDT` (testnet) or `USDC` (production)
 * @param args.fees - fee rates to attach
 * @returns perpetual instruments margined in `settle`, validated by core's schema
 * @throws PerpkitError `corrupt-data` when the venue's answer lacks a filter an order needs
 */
export function binanceInstruments(args: { readonly exchangeInfo: unknown; readonly brackets: unknown; readonly settle: string; readonly fees: FeeRates }): Instrument[] {
  const symbols = ((args.exchangeInfo as { symbols?: readonly RawSymbol[] }).symbols ?? []).filter((s) => s.contractType === 'PERPETUAL' && s.marginAsset === args.settle)
  const maxLeverage = new Map<string, number>()
  for (const b of (Array.isArray(args.brackets) ? args.brackets : []) as { symbol: string; brackets: { initialLeverage: number }[] }[]) {
    maxLeverage.set(b.symbol, Math.max(...b.brackets.map((x) => x.initialLeverage)))
  }
  return symbols.map((s) => {
    const f = (type: string): RawFilter | undefined => s.filters.find((x) => x.filterType === type)
    const price = f('PRICE_FILTER')
    const lot = f('LOT_SIZE')
    const market = f('MARKET_LOT_SIZE')
    const percent = f('PERCENT_PRICE')
    const up = num(percent?.['multiplierUp'])
    const down = num(percent?.['multiplierDown'])
    const maxOrders = num(f('MAX_NUM_ORDERS')?.['limit'])
    const maxAlgo = num(f('MAX_NUM_ALGO_ORDERS')?.['limit'])
    const candidate = {
      symbol: perpSymbol(s.baseAsset, s.marginAsset, s.quoteAsset),
      venue: 'binance-usdm',
      venueSymbol: s.symbol,
      kind: 'linear',
      base: s.baseAsset,
      quote: s.quoteAsset,
      settle: s.marginAsset,
      contractSize: 1,
      tickSize: num(price?.['tickSize']),
      lotStep: num(lot?.['stepSize']),
      minQty: num(lot?.['minQty']),
      maxQty: num(lot?.['maxQty']),
      minNotional: num(f('MIN_NOTIONAL')?.['notional']) ?? 0,
      maxLeverage: maxLeverage.get(s.symbol) ?? 20,
      makerFeeRate: args.fees.makerFeeRate,
      takerFeeRate: args.fees.takerFeeRate,
      status: statusOf(s.status),
      ...(market?.['maxQty'] === undefined ? {} : { maxMarketQty: num(market['maxQty']) }),
      ...(up === undefined || down === undefined ? {} : { percentPrice: { multiplierUp: up, multiplierDown: down } }),
      ...(maxOrders === undefined ? {} : { maxOpenOrders: maxOrders }),
      ...(maxAlgo === undefined ? {} : { maxAlgoOrders: maxAlgo }),
    }
    return parseOrThrow(instrumentSchema, candidate, `Binance instrument ${s.symbol}`)
  })
}
