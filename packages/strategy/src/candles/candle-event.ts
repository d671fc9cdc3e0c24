import type { Candle, Timeframe } from '@perpkit/core'

/**
 * A candle tagged with its timeframe, as delivered to `Strategy.onCandle` and emitted by the
 * {@link CandleAggregator}. `closed: false` marks a forming (still-changing) bar: the next event of the same
 * timeframe and `openTimeMs` replaces it (use an indicator's `replaceLast`).
 * @example
 * ```ts
 * import type { CandleEvent } from '@perpkit/strategy'
 * const event: CandleEvent = {
 *   timeframe: '1h', closed: true, baseBarCount: 12,
 *   candle: { openTimeMs: 1758240000000, open: 117017.1, high: 117375.1, low: 116960.8, close: 117359.9, volume: 3198.752 },
 * }
 * ```
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
