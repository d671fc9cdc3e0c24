/**
 * The recorded-data market feed: closed candles of one symbol and timeframe replayed from columns, behind core's
 * `MarketDataFeed` port. Backtests and paper replays run the session loop over it; a live run runs the same loop
 * over a live feed.
 * @module
 */
import { type Candle, InvalidInputError, type MarketDataEvent, type MarketDataFeed, type MarketDataSubscription, type Timeframe, type Unsubscribe } from '@perpkit/core'
import { candleAt, type CandleColumns } from '../data/candles.js'

/**
 * A {@link MarketDataFeed} over recorded candles. Nothing is delivered until the consumer pulls: each
 * {@link ReplayFeed.pump} delivers the next closed candle to the subscribers synchronously, so a backtest runs as
 * fast as its consumer and never waits on a timer.
 */
export interface ReplayFeed extends MarketDataFeed {
  readonly symbol: string
  readonly timeframe: Timeframe
  /** The recording (oldest first). */
  readonly candles: CandleColumns
  /** Number of bars the feed replays. */
  readonly length: number
  /** Index of the bar the next {@link ReplayFeed.pump} delivers (= bars delivered so far). */
  position(): number
  /** Deliver the next closed candle to the candle subscribers; `false` (and nothing delivered) once the recording is exhausted. */
  pump(): boolean
}

/** Options of {@link createReplayFeed}. */
export interface ReplayFeedOptions {
  readonly symbol: string
  readonly timeframe: Timeframe
  readonly candles: CandleColumns
  /** Replay only the first `maxBars` bars. */
  readonly maxBars?: number
}

/**
 * Create a replay feed over recorded candles.
 *
 * Subscriptions: `candles` of the feed's symbol and timeframe receive every closed candle, in order, once;
 * `trades`, `mark` and `funding` of the symbol are accepted and receive nothing (a candle recording has none).
 * A subscription to another symbol, or to candles of another timeframe, is refused: the recording cannot serve it.
 *
 * @param options - see {@link ReplayFeedOptions}.
 * @returns the feed.
 * @throws InvalidInputError when `maxBars` is negative or not an integer.
 * @example
 * ```ts
 * import { candlesToColumns, createReplayFeed } from '@perpkit/engine'
 * const candles = candlesToColumns({ candles: [{ openTimeMs: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }], source: 'example' })
 * const feed = createReplayFeed({ symbol: 'BTC/USDT:USDT', timeframe: '5m', candles })
 * const closes: number[] = []
 * feed.subscribe({ channel: 'candles', symbol: 'BTC/USDT:USDT', timeframe: '5m' }, (e) => {
 *   if (e.type === 'candle') closes.push(e.candle.close)
 * })
 * while (feed.pump()) {}
 * // closes = [1.5]
 * ```
 */
export function createReplayFeed(options: ReplayFeedOptions): ReplayFeed {
  const { symbol, timeframe, candles: cols } = options
  const max = options.maxBars
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new InvalidInputError('must be an integer ≥ 0', { path: 'maxBars' })
  const length = max === undefined ? cols.length : Math.min(cols.length, max)
  const listeners: ((event: MarketDataEvent) => void)[] = []
  let next = 0

  const check = (sub: MarketDataSubscription): void => {
    if (sub.symbol !== symbol) throw new InvalidInputError(`this recording holds ${symbol} only`, { path: 'subscription.symbol' })
    if (sub.channel === 'candles' && sub.timeframe !== timeframe) throw new InvalidInputError(`this recording holds ${timeframe} candles only`, { path: 'subscription.timeframe' })
  }

  return {
    symbol,
    timeframe,
    candles: cols,
    length,
    position: () => next,
    subscribe(subscription, listener): Unsubscribe {
      check(subscription)
      if (subscription.channel !== 'candles') return () => {}
      listeners.push(listener)
      return () => {
        const k = listeners.indexOf(listener)
        if (k >= 0) listeners.splice(k, 1)
      }
    },
    pump() {
      if (next >= length) return false
      const candle = candleAt(cols, next++)
      const event: MarketDataEvent = { type: 'candle', symbol, timeframe, candle, closed: true }
      for (const l of listeners) l(event)
      return true
    },
    fetchCandles(args): Promise<readonly Candle[]> {
      check({ channel: 'candles', symbol: args.symbol, timeframe: args.timeframe })
      const out: Candle[] = []
      for (let i = 0; i < length; i++) {
        const t = cols.openTimeMs[i] as number
        if (t >= args.toMs) break
        if (t >= args.fromMs) out.push(candleAt(cols, i))
      }
      return Promise.resolve(out)
    },
  }
}
