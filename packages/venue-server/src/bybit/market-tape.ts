/**
 * The public market history as Bybit serves it (`market/kline`, `market/tickers`, `publicTrade`, …), read from
 * the server's {@link VenueState} (which records every candle and trade fed to the venue) and addressed by
 * Bybit symbol. Klines of longer intervals are aggregated from the recorded bars.
 * @module
 */
import type { Candle, Instrument } from '@perpkit/core'
import type { VenueState } from '../venue-state.js'

/** A Bybit kline interval: minutes as digits, or `D` / `W` / `M`. */
export type BybitKlineInterval = '1' | '3' | '5' | '15' | '30' | '60' | '120' | '240' | '360' | '720' | 'D' | 'W' | 'M'

const MINUTE = 60_000
const INTERVAL_MS: Readonly<Record<Exclude<BybitKlineInterval, 'M'>, number>> = {
  '1': MINUTE,
  '3': 3 * MINUTE,
  '5': 5 * MINUTE,
  '15': 15 * MINUTE,
  '30': 30 * MINUTE,
  '60': 60 * MINUTE,
  '120': 120 * MINUTE,
  '240': 240 * MINUTE,
  '360': 360 * MINUTE,
  '720': 720 * MINUTE,
  D: 1_440 * MINUTE,
  W: 10_080 * MINUTE,
}

/**
 * Length of a kline interval in ms (`M`, calendar months, is not served: `undefined`).
 * @example
 * ```ts
 * klineIntervalMs('15') // 900000
 * ```
 */
export function klineIntervalMs(interval: string): number | undefined {
  return Object.hasOwn(INTERVAL_MS, interval) ? INTERVAL_MS[interval as keyof typeof INTERVAL_MS] : undefined
}

/** One aggregated kline: start time, OHLC, volume and turnover (value traded in the settle asset). */
export interface TapeKline {
  readonly startMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  readonly turnover: number
  /** Whether every recorded bar of the interval has been seen. */
  readonly complete: boolean
}

/**
 * Market history by Bybit symbol.
 * @example
 * ```ts
 * const tape = createMarketTape({ venue: ctx.venue, instruments })
 * tape.klines({ symbol: 'BTCUSD', intervalMs: 300_000, limit: 200 })
 * ```
 */
export interface MarketTape {
  /** Klines of `intervalMs` (a multiple of the recorded bar length), newest first, starting within [startMs, endMs], at most `limit`. */
  klines(args: { readonly symbol: string; readonly intervalMs: number; readonly startMs?: number; readonly endMs?: number; readonly limit: number }): readonly TapeKline[]
  /** The still-forming kline of `intervalMs` that contains the forming bar `candle` (`complete: false`). */
  formingKline(args: { readonly symbol: string; readonly intervalMs: number; readonly candle: Candle }): TapeKline | undefined
  /** The kline of `intervalMs` containing `timeMs`. */
  klineAt(args: { readonly symbol: string; readonly intervalMs: number; readonly timeMs: number }): TapeKline | undefined
  lastPrice(symbol: string): number | undefined
  /** The last price before the latest change (for the tick direction). */
  previousLastPrice(symbol: string): number | undefined
  markPrice(symbol: string): number | undefined
  /** Time of the latest bar close or trade of `symbol` (0 before any). */
  lastTimeMs(symbol: string): number
  /** Price of the last bar close or trade at or before `timeMs`. */
  priceAt(symbol: string, timeMs: number): number | undefined
  /** High, low, volume and turnover of the bars opened in (fromMs − bar, toMs]. */
  stats(args: { readonly symbol: string; readonly fromMs: number; readonly toMs: number }): { high: number; low: number; volume: number; turnover: number } | undefined
}

/**
 * Create a {@link MarketTape} over the server's venue state for `instruments` (the Bybit ones).
 * @example
 * ```ts
 * const tape = createMarketTape({ venue: ctx.venue, instruments: ctx.venue.instruments })
 * ```
 */
export function createMarketTape(args: { readonly venue: VenueState; readonly instruments: readonly Instrument[] }): MarketTape {
  const { venue } = args
  const bar = venue.timeframeMs
  const bySymbol = new Map(args.instruments.map((i) => [i.venueSymbol, i]))
  const previous = new Map<string, number>()
  const current = new Map<string, number>()
  venue.onMarket((e) => {
    if (e.type === 'mark' || (e.type === 'candle' && !e.closed)) return
    const price = e.type === 'candle' ? e.candle.close : e.trade.price
    const before = current.get(e.symbol)
    if (before !== undefined && before !== price) previous.set(e.symbol, before)
    current.set(e.symbol, price)
  })
  const unified = (symbol: string): string | undefined => bySymbol.get(symbol)?.symbol
  const candlesOf = (symbol: string): readonly Candle[] => {
    const u = unified(symbol)
    return u === undefined ? [] : venue.candles(u)
  }
  const turnoverOf = (symbol: string, c: Candle): number => {
    const typical = (c.high + c.low + c.close) / 3
    return bySymbol.get(symbol)?.kind === 'inverse' ? c.volume / typical : c.volume * typical
  }
  const aggregate = (symbol: string, candles: readonly Candle[], intervalMs: number): TapeKline[] => {
    if (intervalMs % bar !== 0) return []
    const out: TapeKline[] = []
    let k: { startMs: number; open: number; high: number; low: number; close: number; volume: number; turnover: number; bars: number } | undefined
    const flush = (): void => {
      if (k !== undefined) out.push({ startMs: k.startMs, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume, turnover: k.turnover, complete: k.bars * bar >= intervalMs })
    }
    for (const c of candles) {
      const startMs = Math.floor(c.openTimeMs / intervalMs) * intervalMs
      if (k === undefined || k.startMs !== startMs) {
        flush()
        k = { startMs, open: c.open, high: c.high, low: c.low, close: c.close, volume: 0, turnover: 0, bars: 0 }
      }
      k.high = Math.max(k.high, c.high)
      k.low = Math.min(k.low, c.low)
      k.close = c.close
      k.volume += c.volume
      k.turnover += turnoverOf(symbol, c)
      k.bars += 1
    }
    flush()
    return out
  }
  return {
    klines: ({ symbol, intervalMs, startMs, endMs, limit }) =>
      aggregate(symbol, candlesOf(symbol), intervalMs)
        .filter((k) => (startMs === undefined || k.startMs >= startMs) && (endMs === undefined || k.startMs <= endMs))
        .slice(-limit)
        .reverse(),
    klineAt: ({ symbol, intervalMs, timeMs }) => {
      const startMs = Math.floor(timeMs / intervalMs) * intervalMs
      return aggregate(symbol, candlesOf(symbol).filter((c) => c.openTimeMs >= startMs && c.openTimeMs < startMs + intervalMs), intervalMs)[0]
    },
    formingKline: ({ symbol, intervalMs, candle }) => {
      const startMs = Math.floor(candle.openTimeMs / intervalMs) * intervalMs
      const k = aggregate(symbol, [...candlesOf(symbol).filter((c) => c.openTimeMs >= startMs && c.openTimeMs < candle.openTimeMs), candle], intervalMs)[0]
      return k === undefined ? undefined : { ...k, complete: false }
    },
    lastPrice: (symbol) => {
      const u = unified(symbol)
      return u === undefined ? undefined : venue.lastPrice(u)
    },
    previousLastPrice: (symbol) => {
      const u = unified(symbol)
      return u === undefined ? undefined : previous.get(u)
    },
    markPrice: (symbol) => {
      const u = unified(symbol)
      return u === undefined ? undefined : (venue.markPrice(u) ?? venue.lastPrice(u))
    },
    lastTimeMs: (symbol) => {
      const u = unified(symbol)
      if (u === undefined) return 0
      const c = venue.candles(u).at(-1)
      const t = venue.trades(u).at(-1)
      return Math.max(c === undefined ? 0 : c.openTimeMs + bar - 1, t?.timestampMs ?? 0)
    },
    priceAt: (symbol, timeMs) => {
      const u = unified(symbol)
      if (u === undefined) return undefined
      let price: number | undefined
      let at = -Infinity
      for (const c of venue.candles(u)) {
        const end = c.openTimeMs + bar - 1
        if (end <= timeMs && end >= at) {
          price = c.close
          at = end
        }
      }
      for (const t of venue.trades(u)) {
        if (t.timestampMs <= timeMs && t.timestampMs >= at) {
          price = t.price
          at = t.timestampMs
        }
      }
      return price
    },
    stats: ({ symbol, fromMs, toMs }) => {
      const inRange = candlesOf(symbol).filter((c) => c.openTimeMs > fromMs - bar && c.openTimeMs <= toMs)
      if (inRange.length === 0) return undefined
      return {
        high: Math.max(...inRange.map((c) => c.high)),
        low: Math.min(...inRange.map((c) => c.low)),
        volume: inRange.reduce((a, c) => a + c.volume, 0),
        turnover: inRange.reduce((a, c) => a + turnoverOf(symbol, c), 0),
      }
    },
  }
}
