/**
 * The public market history the Bybit dialect serves (`market/kline`, `market/tickers`, `publicTrade`, …): the
 * candles and trades fed to the venue, the last and mark prices, kept per Bybit symbol. Pure bookkeeping, no
 * clock: times come from the data.
 * @module
 */
import type { Candle, TradeTick } from '@perpkit/core'

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

/** One aggregated kline: start time, OHLC, volume and turnover (quote value). */
export interface TapeKline {
  readonly startMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  readonly turnover: number
  /** Whether every base candle of the interval has been seen. */
  readonly complete: boolean
}

interface StoredCandle {
  readonly candle: Candle
  readonly intervalMs: number
  /** Value traded: volume × typical price for linear (quote), volume ÷ typical price for inverse (coin). */
  readonly turnover: number
}

interface SymbolTape {
  readonly candles: StoredCandle[]
  readonly trades: TradeTick[]
  lastPrice: number | undefined
  prevLastPrice: number | undefined
  markPrice: number | undefined
  lastTimeMs: number
}

/**
 * Per-symbol market history.
 * @example
 * ```ts
 * const tape = createMarketTape()
 * tape.recordCandle({ symbol: 'BTCUSD', candle, intervalMs: 60_000, inverse: true })
 * tape.klines({ symbol: 'BTCUSD', intervalMs: 300_000, limit: 200 })
 * ```
 */
export interface MarketTape {
  /** Record a base candle (`intervalMs` long) of `symbol`; turnover is computed in the contract's value unit. */
  recordCandle(args: { readonly symbol: string; readonly candle: Candle; readonly intervalMs: number; readonly inverse: boolean }): void
  /** Record a public trade. */
  recordTrade(args: { readonly symbol: string; readonly trade: TradeTick }): void
  /** Record a mark price. */
  recordMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs: number }): void
  /** Klines of `intervalMs` (a multiple of the base interval), newest first, within [startMs, endMs], at most `limit`. */
  klines(args: { readonly symbol: string; readonly intervalMs: number; readonly startMs?: number; readonly endMs?: number; readonly limit: number }): readonly TapeKline[]
  /** The kline of `intervalMs` containing `timeMs`. */
  klineAt(args: { readonly symbol: string; readonly intervalMs: number; readonly timeMs: number }): TapeKline | undefined
  lastPrice(symbol: string): number | undefined
  /** The previous different last price (for the tick direction). */
  previousLastPrice(symbol: string): number | undefined
  markPrice(symbol: string): number | undefined
  /** Time of the latest record of `symbol` (0 before any). */
  lastTimeMs(symbol: string): number
  /** Trades recorded for `symbol`, oldest first. */
  trades(symbol: string): readonly TradeTick[]
  /** Price of the last candle close or trade at or before `timeMs`. */
  priceAt(symbol: string, timeMs: number): number | undefined
  /** High, low, volume and turnover over (fromMs, toMs]. */
  stats(args: { readonly symbol: string; readonly fromMs: number; readonly toMs: number }): { high: number; low: number; volume: number; turnover: number } | undefined
}

/**
 * Create an empty {@link MarketTape}.
 * @example
 * ```ts
 * const tape = createMarketTape()
 * ```
 */
export function createMarketTape(): MarketTape {
  const tapes = new Map<string, SymbolTape>()
  const tapeOf = (symbol: string): SymbolTape => {
    let t = tapes.get(symbol)
    if (t === undefined) {
      t = { candles: [], trades: [], lastPrice: undefined, prevLastPrice: undefined, markPrice: undefined, lastTimeMs: 0 }
      tapes.set(symbol, t)
    }
    return t
  }
  const setLast = (t: SymbolTape, price: number, timeMs: number): void => {
    if (t.lastPrice !== undefined && t.lastPrice !== price) t.prevLastPrice = t.lastPrice
    t.lastPrice = price
    t.lastTimeMs = Math.max(t.lastTimeMs, timeMs)
  }
  const aggregate = (stored: readonly StoredCandle[], intervalMs: number): TapeKline[] => {
    const out: TapeKline[] = []
    let bucket: { startMs: number; open: number; high: number; low: number; close: number; volume: number; turnover: number; coveredMs: number } | undefined
    const flush = (): void => {
      if (bucket === undefined) return
      out.push({ ...bucket, complete: bucket.coveredMs >= intervalMs })
    }
    for (const s of stored) {
      if (intervalMs % s.intervalMs !== 0) continue
      const startMs = Math.floor(s.candle.openTimeMs / intervalMs) * intervalMs
      if (bucket === undefined || bucket.startMs !== startMs) {
        flush()
        bucket = { startMs, open: s.candle.open, high: s.candle.high, low: s.candle.low, close: s.candle.close, volume: 0, turnover: 0, coveredMs: 0 }
      }
      bucket.high = Math.max(bucket.high, s.candle.high)
      bucket.low = Math.min(bucket.low, s.candle.low)
      bucket.close = s.candle.close
      bucket.volume += s.candle.volume
      bucket.turnover += s.turnover
      bucket.coveredMs += s.intervalMs
    }
    flush()
    return out
  }
  return {
    recordCandle: ({ symbol, candle, intervalMs, inverse }) => {
      const t = tapeOf(symbol)
      const typical = (candle.high + candle.low + candle.close) / 3
      t.candles.push({ candle, intervalMs, turnover: inverse ? candle.volume / typical : candle.volume * typical })
      setLast(t, candle.close, candle.openTimeMs + intervalMs - 1)
      t.markPrice = candle.close
    },
    recordTrade: ({ symbol, trade }) => {
      const t = tapeOf(symbol)
      t.trades.push(trade)
      setLast(t, trade.price, trade.timestampMs)
      t.markPrice = trade.price
    },
    recordMarkPrice: ({ symbol, markPrice, timestampMs }) => {
      const t = tapeOf(symbol)
      t.markPrice = markPrice
      t.lastTimeMs = Math.max(t.lastTimeMs, timestampMs)
    },
    klines: ({ symbol, intervalMs, startMs, endMs, limit }) => {
      const all = aggregate(tapeOf(symbol).candles, intervalMs)
      const within = all.filter((k) => (startMs === undefined || k.startMs >= startMs) && (endMs === undefined || k.startMs <= endMs))
      return within.slice(-limit).reverse()
    },
    klineAt: ({ symbol, intervalMs, timeMs }) => {
      const startMs = Math.floor(timeMs / intervalMs) * intervalMs
      const inBucket = tapeOf(symbol).candles.filter((s) => s.candle.openTimeMs >= startMs && s.candle.openTimeMs < startMs + intervalMs)
      return aggregate(inBucket, intervalMs)[0]
    },
    lastPrice: (symbol) => tapeOf(symbol).lastPrice,
    previousLastPrice: (symbol) => tapeOf(symbol).prevLastPrice,
    markPrice: (symbol) => tapeOf(symbol).markPrice ?? tapeOf(symbol).lastPrice,
    lastTimeMs: (symbol) => tapeOf(symbol).lastTimeMs,
    trades: (symbol) => tapeOf(symbol).trades,
    priceAt: (symbol, timeMs) => {
      const t = tapeOf(symbol)
      let price: number | undefined
      let at = -Infinity
      for (const s of t.candles) {
        const end = s.candle.openTimeMs + s.intervalMs - 1
        if (end <= timeMs && end >= at) {
          price = s.candle.close
          at = end
        }
      }
      for (const tr of t.trades) {
        if (tr.timestampMs <= timeMs && tr.timestampMs >= at) {
          price = tr.price
          at = tr.timestampMs
        }
      }
      return price
    },
    stats: ({ symbol, fromMs, toMs }) => {
      const inRange = tapeOf(symbol).candles.filter((s) => s.candle.openTimeMs > fromMs - s.intervalMs && s.candle.openTimeMs <= toMs)
      if (inRange.length === 0) return undefined
      return {
        high: Math.max(...inRange.map((s) => s.candle.high)),
        low: Math.min(...inRange.map((s) => s.candle.low)),
        volume: inRange.reduce((a, s) => a + s.candle.volume, 0),
        turnover: inRange.reduce((a, s) => a + s.turnover, 0),
      }
    },
  }
}
