/**
 * Shared shapes of the streaming indicators.
 *
 * Every indicator comes in two forms that produce bit-identical numbers:
 * - a streaming object from a `createX(...)` factory (O(1) amortised `update`, no allocation per update),
 * - a batch function `x({ values, ... })` returning `Float64Array`s with `NaN` inside the lookback.
 * @module
 */

/**
 * A streaming indicator fed one input at a time.
 *
 * - `update(input)` appends a new (closed or forming) bar and returns the current value (`NaN` until ready).
 * - `replaceLast(input)` recomputes the still-forming bar: it replaces the last input instead of appending.
 *   Called before any `update` it behaves like `update`.
 * - Multi-output indicators (MACD, Bollinger, …) return their main value and expose the other outputs as
 *   numeric fields that are read after the call (no object is allocated per update).
 *
 * @typeParam I - the input: a `number` for single-series indicators, a bar or trade object otherwise.
 * @example
 * ```ts
 * import { createSma } from '@perpkit/strategy'
 * const sma = createSma({ period: 3 })
 * sma.update(1); sma.update(2); sma.update(3) // 2
 * sma.replaceLast(6) // 3 (the forming bar moved from 3 to 6)
 * ```
 */
export interface StreamingIndicator<I> {
  /** Append one input; returns the current value (`NaN` until {@link StreamingIndicator.isReady}). */
  update(input: I): number
  /** Replace the last appended input (forming bar) and return the recomputed value. */
  replaceLast(input: I): number
  /** Current value (`NaN` until ready). */
  readonly value: number
  /** True once the indicator has produced its first value. */
  readonly isReady: boolean
  /** Number of inputs seen (a `replaceLast` does not change it, except as the first call). */
  readonly count: number
  /** TA-Lib lookback: number of inputs consumed before the first value (first value at input index `lookback`). */
  readonly lookback: number
  /** Forget all inputs. */
  reset(): void
}

/** A bar with high, low and close (extra fields are ignored). */
export interface HlcInput {
  /** Highest price of the bar. */
  readonly high: number
  /** Lowest price of the bar. */
  readonly low: number
  /** Last price of the bar. */
  readonly close: number
}

/** A close with its traded volume (OBV). */
export interface CloseVolumeInput {
  /** Last price of the bar. */
  readonly close: number
  /** Traded volume of the bar (base units, e.g. BTC). */
  readonly volume: number
}

/** One executed trade, as used by the true (trade-based) VWAP. */
export interface TradeInput {
  /** Execution price. */
  readonly price: number
  /** Executed quantity (base units, e.g. BTC); must be ≥ 0. */
  readonly qty: number
  /** Trade time, epoch milliseconds. */
  readonly timestampMs: number
}

/** Input of the batch form of a single-series indicator. */
export interface SeriesBatchInput {
  /** The series, oldest first. Any array-like of finite numbers (a `Float64Array` is fastest). */
  readonly values: ArrayLike<number>
}

/** Input of the batch form of an OHLC indicator: parallel arrays, oldest first, same length. */
export interface HlcBatchInput {
  /** Highs, oldest first. */
  readonly high: ArrayLike<number>
  /** Lows, oldest first. */
  readonly low: ArrayLike<number>
  /** Closes, oldest first. */
  readonly close: ArrayLike<number>
}
