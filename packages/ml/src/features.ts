/**
 * The streaming feature pipeline: one object fed one closed bar at a time, used unchanged by training (over
 * history) and by a live or replayed strategy, so features can never differ between backtest and live.
 * @module
 */
import { type Candle, InvalidInputError } from '@perpkit/core'
import { createBollinger, createNatr, createRollingVwap, createRsi, createSma } from '@perpkit/strategy'

/** Options of {@link createFeaturePipeline}; every field has a default. */
export interface FeaturePipelineOptions {
  /** Number of lagged one-bar log returns (`ret_lag0` = the latest bar), default 5. */
  readonly lags?: number
  /** RSI period (Wilder), default 14. */
  readonly rsiPeriod?: number
  /** NATR period (Wilder), default 14. */
  readonly natrPeriod?: number
  /** Bollinger window, default 20 (bands at ±2 standard deviations). */
  readonly bollingerPeriod?: number
  /** Rolling VWAP window in ms, default one day. */
  readonly vwapWindowMs?: number
  /** Window of the volume average for the volume ratio, default 20 bars. */
  readonly volumePeriod?: number
}

/**
 * A streaming feature pipeline. `update(bar)` consumes one closed bar and returns whether the feature vector is
 * ready; the vector is then read from `values` (one reused `Float64Array`, copy it to keep it).
 */
export interface FeaturePipeline {
  /** Feature names, in the order of `values`. */
  readonly names: readonly string[]
  /** The latest feature vector (all `NaN` until ready). Reused: copy it to keep it. */
  readonly values: Float64Array
  /** Append one closed bar; true once every feature is defined. */
  update(bar: Candle): boolean
  /** True once every feature is defined. */
  readonly isReady: boolean
  /** Bars seen. */
  readonly count: number
  /** Forget all bars. */
  reset(): void
}

function intOption(value: number | undefined, fallback: number, path: string, min: number): number {
  const v = value ?? fallback
  if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`${path} must be an integer >= ${min}, got ${String(v)}`, { path })
  return v
}

/**
 * Create the streaming feature pipeline over closed bars, built from `@perpkit/strategy`'s incremental indicators
 * (TA-Lib-exact): lagged one-bar log returns, RSI, NATR, Bollinger %B, deviation from a rolling VWAP and the volume
 * ratio. With candles only, the VWAP is fed one trade per bar at the typical price (high + low + close) / 3 with
 * the bar's volume. Every feature at bar `t` depends only on bars `≤ t`.
 *
 * @param options - periods, see {@link FeaturePipelineOptions}.
 * @returns a {@link FeaturePipeline}
 * @throws InvalidInputError for a non-integer or too small period; on `update`, for a bar out of time order or
 *   with a non-positive close
 * @example
 * ```ts
 * import { createFeaturePipeline } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const pipeline = createFeaturePipeline({ lags: 3 })
 * for (const bar of bars) if (pipeline.update(bar)) console.log(pipeline.names[0], pipeline.values[0])
 * ```
 */
export function createFeaturePipeline(options: FeaturePipelineOptions = {}): FeaturePipeline {
  const lags = intOption(options.lags, 5, 'lags', 1)
  const rsiPeriod = intOption(options.rsiPeriod, 14, 'rsiPeriod', 2)
  const natrPeriod = intOption(options.natrPeriod, 14, 'natrPeriod', 1)
  const bbPeriod = intOption(options.bollingerPeriod, 20, 'bollingerPeriod', 2)
  const volumePeriod = intOption(options.volumePeriod, 20, 'volumePeriod', 1)
  const vwapWindowMs = options.vwapWindowMs ?? 86_400_000
  if (!(vwapWindowMs > 0) || !Number.isFinite(vwapWindowMs)) throw new InvalidInputError(`vwapWindowMs must be a finite number > 0, got ${String(vwapWindowMs)}`, { path: 'vwapWindowMs' })

  const names = [...Array.from({ length: lags }, (_, k) => `ret_lag${k}`), 'rsi', 'natr', 'bb_pctb', 'vwap_dev', 'volume_ratio']
  const values = new Float64Array(names.length).fill(Number.NaN)
  const rets = new Float64Array(lags) // ring of the last `lags` returns
  const rsi = createRsi({ period: rsiPeriod })
  const natr = createNatr({ period: natrPeriod })
  const bb = createBollinger({ period: bbPeriod })
  const vwap = createRollingVwap({ windowMs: vwapWindowMs })
  const volSma = createSma({ period: volumePeriod })
  const trade = { price: 0, qty: 0, timestampMs: 0 }
  let count = 0
  let prevClose = Number.NaN
  let lastOpenMs = Number.NEGATIVE_INFINITY
  let ready = false

  return {
    names,
    values,
    get isReady() {
      return ready
    },
    get count() {
      return count
    },
    update(bar) {
      const { close, openTimeMs } = bar
      if (!(close > 0) || !Number.isFinite(close)) throw new InvalidInputError(`bar.close must be a finite number > 0, got ${String(close)}`, { path: 'bar.close' })
      if (!(openTimeMs > lastOpenMs)) throw new InvalidInputError(`bar at ${openTimeMs} is not after the previous bar at ${lastOpenMs}`, { path: 'bar.openTimeMs' })
      lastOpenMs = openTimeMs
      const ret = count > 0 ? Math.log(close / prevClose) : Number.NaN
      rets[count % lags] = ret
      prevClose = close
      count++
      const r = rsi.update(close)
      const n = natr.update(bar)
      bb.update(close)
      trade.price = (bar.high + bar.low + close) / 3
      trade.qty = bar.volume
      trade.timestampMs = openTimeMs
      const vw = vwap.update(trade)
      const volAvg = volSma.update(bar.volume)
      for (let k = 0; k < lags; k++) values[k] = count - 1 - k >= 1 ? (rets[(count - 1 - k) % lags] as number) : Number.NaN
      values[lags] = r / 100 - 0.5
      values[lags + 1] = n / 100
      const width = bb.upper - bb.lower
      values[lags + 2] = width > 0 ? (close - bb.lower) / width - 0.5 : bb.isReady ? 0 : Number.NaN
      values[lags + 3] = vw > 0 ? close / vw - 1 : Number.NaN
      values[lags + 4] = volAvg > 0 ? bar.volume / volAvg - 1 : volSma.isReady ? 0 : Number.NaN
      ready = true
      for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) ready = false
      return ready
    },
    reset() {
      for (const ind of [rsi, natr, bb, vwap, volSma]) ind.reset()
      values.fill(Number.NaN)
      count = 0
      prevClose = Number.NaN
      lastOpenMs = Number.NEGATIVE_INFINITY
      ready = false
    },
  }
}

/**
 * How many closed bars the pipeline needs before its first feature vector: the longest look-back among the lagged
 * returns (`lags + 1` closes), Wilder RSI and NATR (`period + 1` bars, TA-Lib's first value), Bollinger and the
 * volume average (`period` bars). A strategy asks the runner for this warm-up.
 *
 * @param options - the pipeline options (defaults as {@link createFeaturePipeline})
 * @returns the number of bars after which `update` first returns true
 * @example
 * ```ts
 * import { featureWarmupBars } from '@perpkit/ml'
 * featureWarmupBars({}) // 20 with the defaults (Bollinger and volume windows of 20 bars; RSI and NATR 14 need 15)
 * ```
 */
export function featureWarmupBars(options: FeaturePipelineOptions = {}): number {
  return Math.max((options.lags ?? 5) + 1, (options.rsiPeriod ?? 14) + 1, (options.natrPeriod ?? 14) + 1, options.bollingerPeriod ?? 20, options.volumePeriod ?? 20)
}

/** A feature matrix over a series: row `i` is the vector after bar `rowIndex[i]`. */
export interface FeatureMatrix {
  readonly names: readonly string[]
  /** One copied vector per ready bar, oldest first. */
  readonly rows: readonly Float64Array[]
  /** Index of the bar each row was computed after. */
  readonly rowIndex: readonly number[]
}

/**
 * Features of a whole series, through the streaming pipeline (so training sees exactly what a live strategy sees).
 *
 * @param input - `{ bars, options? }`: closed bars, oldest first, and the pipeline options.
 * @returns a {@link FeatureMatrix} with one row per bar once the pipeline is ready
 * @throws InvalidInputError as {@link createFeaturePipeline}
 * @example
 * ```ts
 * import { computeFeatures } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const { names, rows, rowIndex } = computeFeatures({ bars })
 * ```
 */
export function computeFeatures(input: { readonly bars: readonly Candle[]; readonly options?: FeaturePipelineOptions }): FeatureMatrix {
  const pipeline = createFeaturePipeline(input.options)
  const rows: Float64Array[] = []
  const rowIndex: number[] = []
  input.bars.forEach((bar, i) => {
    if (pipeline.update(bar)) {
      rows.push(Float64Array.from(pipeline.values))
      rowIndex.push(i)
    }
  })
  return { names: pipeline.names, rows, rowIndex }
}
