import type { Candle, Timeframe } from '@perpkit/core'

/**
 * A candle tagged with its timeframe, as delivered to `Strategy.onCandle` and emitted by the
 * {@link CandleAggregator}. `closed: false` marks a forming (still-changing) bar: the next event of the same
 * timeframe and `openTimeMs` replaces it (use an indicator's `replaceLast`).
 */
export interface CandleEvent {
  /** Timeframe of `candle`. */
  readonly timeframe: Timeframe
  /** The bar (open time, OHLCV). */
  readonly candle: Candle
  /** True once the bar is final. */
  readonly closed: boolean
  /**
   * How many base bars built this bar (1 for the base timeframe). A closed higher bar with fewer than
   * `timeframeMs(timeframe) / timeframeMs(base)` bars was built across a gap in the input.
   */
  readonly baseBarCount: number
}
