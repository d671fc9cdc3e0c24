/**
 * Public market payloads in Bybit's words: `instruments-info` entries, `tickers` entries, kline rows, and the
 * public WebSocket messages (`kline`, `publicTrade`, `tickers`).
 * @module
 */
import { decimalsOf, type Instrument, type TradeTick } from '@perpkit/core'
import { money, onStep, rate } from './decimals.js'
import type { MarketTape, TapeKline } from './market-tape.js'

/**
 * One `instruments-info` entry. For inverse contracts `minOrderQty` is the contract value (1 USD): ccxt takes an
 * inverse market's contract size from it, since the endpoint has no contract-size field.
 * @example
 * ```ts
 * const entry = bybitInstrumentJson({ instrument, launchTimeMs: 0, fundingIntervalMin: 480 })
 * ```
 */
export function bybitInstrumentJson(args: { readonly instrument: Instrument; readonly launchTimeMs: number; readonly fundingIntervalMin: number }): Record<string, unknown> {
  const ins = args.instrument
  const maxQty = ins.maxQty ?? ins.minQty * 1_000_000
  const maxPrice = ins.tickSize * Math.floor(2_000_000 / ins.tickSize)
  return {
    symbol: ins.venueSymbol,
    contractType: ins.kind === 'inverse' ? 'InversePerpetual' : 'LinearPerpetual',
    status: 'Trading',
    baseCoin: ins.base,
    quoteCoin: ins.quote,
    launchTime: String(args.launchTimeMs),
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(decimalsOf(ins.tickSize)),
    leverageFilter: { minLeverage: '1', maxLeverage: onStep(ins.maxLeverage, 0.01), leverageStep: '0.01' },
    priceFilter: { minPrice: onStep(ins.tickSize, ins.tickSize), maxPrice: onStep(maxPrice, ins.tickSize), tickSize: onStep(ins.tickSize, ins.tickSize) },
    lotSizeFilter: {
      maxOrderQty: onStep(maxQty, ins.lotStep),
      minOrderQty: onStep(ins.minQty, ins.lotStep),
      qtyStep: onStep(ins.lotStep, ins.lotStep),
      postOnlyMaxOrderQty: onStep(maxQty, ins.lotStep),
      maxMktOrderQty: onStep(maxQty, ins.lotStep),
      ...(ins.kind === 'linear' ? { minNotionalValue: String(ins.minNotional) } : {}),
    },
    unifiedMarginTrade: true,
    fundingInterval: args.fundingIntervalMin,
    settleCoin: ins.settle,
    copyTrading: 'none',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    symbolType: '',
  }
}

/**
 * One kline row of `market/kline`: `[start, open, high, low, close, volume, turnover]` as strings.
 * @example
 * ```ts
 * bybitKlineRow(kline, instrument) // ['1670608800000', '17071', …]
 * ```
 */
export function bybitKlineRow(k: TapeKline, ins: Instrument): [string, string, string, string, string, string, string] {
  return [String(k.startMs), onStep(k.open, ins.tickSize), onStep(k.high, ins.tickSize), onStep(k.low, ins.tickSize), onStep(k.close, ins.tickSize), onStep(k.volume, ins.lotStep), money(k.turnover)]
}

/** What a ticker needs beside the tape. */
export interface TickerContext {
  readonly nowMs: number
  readonly fundingRate: number
  readonly nextFundingTimeMs: number
  /** Open interest in contracts (the account's own open position: the only one the venue has). */
  readonly openInterest: number
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

function tickFields(tape: MarketTape, ins: Instrument, ctx: TickerContext) {
  const sym = ins.venueSymbol
  const last = tape.lastPrice(sym) ?? 0
  const mark = tape.markPrice(sym) ?? last
  const prev24 = tape.priceAt(sym, ctx.nowMs - DAY_MS) ?? last
  const prev1h = tape.priceAt(sym, ctx.nowMs - HOUR_MS) ?? last
  const stats = tape.stats({ symbol: sym, fromMs: ctx.nowMs - DAY_MS, toMs: ctx.nowMs }) ?? { high: last, low: last, volume: 0, turnover: 0 }
  const pcnt = prev24 > 0 ? (last - prev24) / prev24 : 0
  const oiValue = last > 0 ? (ins.kind === 'inverse' ? ctx.openInterest / last : ctx.openInterest * last) : 0
  return {
    symbol: sym,
    lastPrice: onStep(last, ins.tickSize),
    indexPrice: onStep(mark, ins.tickSize),
    markPrice: onStep(mark, ins.tickSize),
    prevPrice24h: onStep(prev24, ins.tickSize),
    price24hPcnt: rate(Number(pcnt.toFixed(6))),
    highPrice24h: onStep(stats.high, ins.tickSize),
    lowPrice24h: onStep(stats.low, ins.tickSize),
    prevPrice1h: onStep(prev1h, ins.tickSize),
    openInterest: onStep(ctx.openInterest, ins.lotStep),
    openInterestValue: money(oiValue),
    turnover24h: money(stats.turnover),
    volume24h: onStep(stats.volume, ins.lotStep),
    fundingRate: rate(ctx.fundingRate),
    nextFundingTime: String(ctx.nextFundingTimeMs),
    // The simulated venue has no order book: best bid and ask are both the last price, sizes 0.
    bid1Price: onStep(last, ins.tickSize),
    bid1Size: '0',
    ask1Price: onStep(last, ins.tickSize),
    ask1Size: '0',
  }
}

/**
 * One `market/tickers` entry for a linear or inverse contract.
 * @example
 * ```ts
 * const t = bybitTickerJson({ tape, instrument, context })
 * ```
 */
export function bybitTickerJson(args: { readonly tape: MarketTape; readonly instrument: Instrument; readonly context: TickerContext }): Record<string, unknown> {
  return {
    ...tickFields(args.tape, args.instrument, args.context),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    basis: '',
    fundingIntervalHour: '8',
  }
}

/**
 * The `tickers.{symbol}` WebSocket snapshot.
 * @example
 * ```ts
 * const msg = bybitWsTickerMessage({ tape, instrument, context, cs: 1 })
 * ```
 */
export function bybitWsTickerMessage(args: { readonly tape: MarketTape; readonly instrument: Instrument; readonly context: TickerContext; readonly cs: number }): Record<string, unknown> {
  const sym = args.instrument.venueSymbol
  const last = args.tape.lastPrice(sym)
  const prev = args.tape.previousLastPrice(sym)
  const tickDirection = prev === undefined || last === undefined || last === prev ? 'ZeroPlusTick' : last > prev ? 'PlusTick' : 'MinusTick'
  const { symbol, lastPrice, prevPrice24h, highPrice24h, lowPrice24h, prevPrice1h, markPrice, indexPrice, openInterest, openInterestValue, turnover24h, volume24h, nextFundingTime, fundingRate, bid1Price, bid1Size, ask1Price, ask1Size, price24hPcnt } =
    tickFields(args.tape, args.instrument, args.context)
  return {
    topic: `tickers.${sym}`,
    type: 'snapshot',
    data: { symbol, tickDirection, price24hPcnt, lastPrice, prevPrice24h, highPrice24h, lowPrice24h, prevPrice1h, markPrice, indexPrice, openInterest, openInterestValue, turnover24h, volume24h, nextFundingTime, fundingRate, bid1Price, bid1Size, ask1Price, ask1Size },
    cs: args.cs,
    ts: args.context.nowMs,
  }
}

/**
 * The `kline.{interval}.{symbol}` WebSocket message for one kline.
 * @example
 * ```ts
 * const msg = bybitWsKlineMessage({ kline, interval: '5', intervalMs: 300_000, instrument, nowMs })
 * ```
 */
export function bybitWsKlineMessage(args: { readonly kline: TapeKline; readonly interval: string; readonly intervalMs: number; readonly instrument: Instrument; readonly nowMs: number }): Record<string, unknown> {
  const { kline: k, instrument: ins } = args
  const [, open, high, low, close, volume, turnover] = bybitKlineRow(k, ins)
  return {
    topic: `kline.${args.interval}.${ins.venueSymbol}`,
    data: [{ start: k.startMs, end: k.startMs + args.intervalMs - 1, interval: args.interval, open, close, high, low, volume, turnover, confirm: k.complete, timestamp: args.nowMs }],
    ts: args.nowMs,
    type: 'snapshot',
  }
}

/**
 * The `publicTrade.{symbol}` WebSocket message for trades.
 * @example
 * ```ts
 * const msg = bybitWsTradeMessage({ trades: [trade], previousPrice: undefined, instrument, nowMs })
 * ```
 */
export function bybitWsTradeMessage(args: { readonly trades: readonly TradeTick[]; readonly previousPrice: number | undefined; readonly instrument: Instrument; readonly nowMs: number }): Record<string, unknown> {
  const ins = args.instrument
  let prev = args.previousPrice
  const data = args.trades.map((t) => {
    const L = prev === undefined || prev === t.price ? 'ZeroPlusTick' : t.price > prev ? 'PlusTick' : 'MinusTick'
    prev = t.price
    return { T: t.timestampMs, s: ins.venueSymbol, S: t.side === 'buy' ? 'Buy' : 'Sell', v: onStep(t.qty, ins.lotStep), p: onStep(t.price, ins.tickSize), L, i: t.tradeId, BT: false }
  })
  return { topic: `publicTrade.${ins.venueSymbol}`, type: 'snapshot', ts: args.nowMs, data }
}
