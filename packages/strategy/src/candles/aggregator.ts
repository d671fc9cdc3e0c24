import { type Candle, InvalidInputError, type Timeframe, timeframeMs } from '@perpkit/core'
import type { CandleEvent } from './candle-event.js'

/**
 * Options of {@link createCandleAggregator}.
 * @example
 * ```ts
 * import { createCandleAggregator, type CandleAggregatorOptions } from '@perpkit/strategy'
 * const options: CandleAggregatorOptions = { baseTimeframe: '1m', timeframes: ['1m', '5m', '1h'], emitForming: false }
 * const agg = createCandleAggregator(options)
 * ```
 */
export interface CandleAggregatorOptions {
  /** Timeframe of the candles you push (e.g. `5m`). */
  readonly baseTimeframe: Timeframe
  /** Timeframes to emit; each must be a whole multiple of the base. May include the base itself. */
  readonly timeframes: readonly Timeframe[]
  /** Emit `closed: false` updates of forming higher bars after every push (default true). */
  readonly emitForming?: boolean
}

/**
 * A forming higher-timeframe bar (plain JSON).
 * @example
 * ```ts
 * import { createCandleAggregator, type AggregatorBucket } from '@perpkit/strategy'
 * const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['1h'] })
 * const forming: readonly AggregatorBucket[] = agg.snapshot().buckets
 * ```
 */
export interface AggregatorBucket {
  readonly timeframe: Timeframe
  readonly openTimeMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  readonly baseBarCount: number
}

/**
 * Restart state of a {@link CandleAggregator} (plain JSON).
 * @example
 * ```ts
 * import { createCandleAggregator, type CandleAggregatorSnapshot } from '@perpkit/strategy'
 * const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['1h'] })
 * const saved: CandleAggregatorSnapshot = JSON.parse(JSON.stringify(agg.snapshot()))
 * agg.restore(saved)
 * ```
 */
export interface CandleAggregatorSnapshot {
  readonly lastClosedOpenTimeMs: number | null
  readonly buckets: readonly AggregatorBucket[]
}

/**
 * Builds higher timeframes from one base timeframe, the way the venue does.
 * @example
 * ```ts
 * import { createCandleAggregator, type CandleAggregator } from '@perpkit/strategy'
 * const agg: CandleAggregator = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['15m'] })
 * const events = agg.push({ openTimeMs: 1758240000000, open: 1, high: 1, low: 1, close: 1, volume: 1 })
 * const tail = agg.flush() // end of data: close incomplete bars
 * ```
 */
export interface CandleAggregator {
  readonly baseTimeframe: Timeframe
  /** The emitted timeframes, shortest first. */
  readonly timeframes: readonly Timeframe[]
  /**
   * Feeds one base candle. `closed: false` (a forming base bar) updates forming higher bars without committing
   * it; the closed version of the same bar must follow.
   * @returns events ordered by timeframe, LONGEST first, so that when the base bar that completes an hour is
   *   handled, the strategy has already seen the completed hour (higher timeframes confirm the primary one); a higher
   *   bar left open by a gap is emitted closed before the next bar of its timeframe.
   */
  push(candle: Candle, closed?: boolean): readonly CandleEvent[]
  /** Emits every incomplete higher bar as closed (end of data) and clears it. */
  flush(): readonly CandleEvent[]
  snapshot(): CandleAggregatorSnapshot
  restore(snapshot: CandleAggregatorSnapshot): void
}

interface MutableBucket {
  openTimeMs: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  baseBarCount: number
}

function checkCandle(c: Candle, baseMs: number): void {
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    const v = c[k]
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InvalidInputError(`expected a finite price > 0, got ${String(v)}`, { path: `candle.${k}` })
  }
  if (typeof c.volume !== 'number' || !(c.volume >= 0) || !Number.isFinite(c.volume)) {
    throw new InvalidInputError(`expected a finite volume >= 0, got ${String(c.volume)}`, { path: 'candle.volume' })
  }
  if (c.high < c.low) throw new InvalidInputError('high is below low', { path: 'candle.high' })
  if (!Number.isInteger(c.openTimeMs) || c.openTimeMs % baseMs !== 0) {
    throw new InvalidInputError(`openTimeMs ${String(c.openTimeMs)} is not aligned to the base timeframe (${baseMs} ms)`, { path: 'candle.openTimeMs' })
  }
}

/**
 * Creates a multi-timeframe aggregator: higher bars are built exactly as Binance/Bybit build theirs —
 * open = first, high = max, low = min, close = last, volume = sum — in buckets aligned to UTC epoch multiples of the
 * timeframe (a 1h bar opens at :00, a 1d bar at 00:00 UTC). A higher bar closes on the push of its last base bar.
 *
 * Gaps: a missing base bar is not invented. The higher bar is built from the base bars that exist (its `open` is
 * then the first existing bar's open and `baseBarCount` is lower than complete); if the missing bar was the last
 * of its bucket the higher bar is emitted closed when the first base bar of a later bucket arrives (or on `flush`).
 *
 * @param options - base timeframe, timeframes to emit, whether to emit forming updates.
 * @returns the aggregator.
 * @throws InvalidInputError when a timeframe is shorter than or not a multiple of the base; `push` throws
 *   InvalidInputError for non-positive/non-finite prices, misaligned or out-of-order open times.
 * @example
 * ```ts
 * import { createCandleAggregator } from '@perpkit/strategy'
 * const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['5m', '15m', '1h'] })
 * for (const event of agg.push({ openTimeMs: 1758240000000, open: 1, high: 2, low: 1, close: 2, volume: 3 })) {
 *   console.log(event.timeframe, event.closed, event.candle.close)
 * }
 * ```
 */
export function createCandleAggregator(options: CandleAggregatorOptions): CandleAggregator {
  const baseTimeframe = options.baseTimeframe
  const baseMs = timeframeMs(baseTimeframe)
  const emitForming = options.emitForming ?? true
  if (options.timeframes.length === 0) throw new InvalidInputError('at least one timeframe is required', { path: 'timeframes' })
  const timeframes = [...new Set(options.timeframes)].sort((a, b) => timeframeMs(a) - timeframeMs(b))
  options.timeframes.forEach((tf, i) => {
    const ms = timeframeMs(tf)
    if (ms < baseMs || ms % baseMs !== 0) throw new InvalidInputError(`${tf} is not a multiple of the base ${baseTimeframe}`, { path: `timeframes[${i}]` })
  })
  const tfMs = timeframes.map((tf) => timeframeMs(tf))
  const buckets: (MutableBucket | undefined)[] = timeframes.map(() => undefined)
  let lastClosed: number | null = null

  const toCandle = (b: MutableBucket): Candle => ({ openTimeMs: b.openTimeMs, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })

  const push = (candle: Candle, closed = true): readonly CandleEvent[] => {
    checkCandle(candle, baseMs)
    const t = candle.openTimeMs
    if (lastClosed !== null && t <= lastClosed) {
      throw new InvalidInputError(`openTimeMs ${t} is not after the last closed bar ${lastClosed}`, { path: 'candle.openTimeMs' })
    }
    const events: CandleEvent[] = []
    for (let i = timeframes.length - 1; i >= 0; i--) {
      const tf = timeframes[i] as Timeframe
      const ms = tfMs[i] as number
      if (ms === baseMs) {
        events.push({ timeframe: tf, candle, closed, baseBarCount: 1 })
        continue
      }
      const bucketStart = t - (t % ms)
      let b = buckets[i]
      if (b !== undefined && b.openTimeMs !== bucketStart) {
        events.push({ timeframe: tf, candle: toCandle(b), closed: true, baseBarCount: b.baseBarCount })
        b = undefined
        buckets[i] = undefined
      }
      if (!closed) {
        if (!emitForming) continue
        const forming: Candle =
          b === undefined
            ? { openTimeMs: bucketStart, open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume }
            : {
                openTimeMs: bucketStart,
                open: b.open,
                high: Math.max(b.high, candle.high),
                low: Math.min(b.low, candle.low),
                close: candle.close,
                volume: b.volume + candle.volume,
              }
        events.push({ timeframe: tf, candle: forming, closed: false, baseBarCount: (b?.baseBarCount ?? 0) + 1 })
        continue
      }
      if (b === undefined) {
        b = { openTimeMs: bucketStart, open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, baseBarCount: 1 }
        buckets[i] = b
      } else {
        if (candle.high > b.high) b.high = candle.high
        if (candle.low < b.low) b.low = candle.low
        b.close = candle.close
        b.volume += candle.volume
        b.baseBarCount += 1
      }
      if (t + baseMs === bucketStart + ms) {
        events.push({ timeframe: tf, candle: toCandle(b), closed: true, baseBarCount: b.baseBarCount })
        buckets[i] = undefined
      } else if (emitForming) {
        events.push({ timeframe: tf, candle: toCandle(b), closed: false, baseBarCount: b.baseBarCount })
      }
    }
    if (closed) lastClosed = t
    return events
  }

  return {
    baseTimeframe,
    timeframes,
    push,
    flush() {
      const events: CandleEvent[] = []
      buckets.forEach((b, i) => {
        if (b === undefined) return
        events.push({ timeframe: timeframes[i] as Timeframe, candle: toCandle(b), closed: true, baseBarCount: b.baseBarCount })
        buckets[i] = undefined
      })
      return events
    },
    snapshot() {
      const out: AggregatorBucket[] = []
      buckets.forEach((b, i) => {
        if (b !== undefined) out.push({ timeframe: timeframes[i] as Timeframe, ...b })
      })
      return { lastClosedOpenTimeMs: lastClosed, buckets: out }
    },
    restore(snapshot) {
      buckets.fill(undefined)
      for (const b of snapshot.buckets) {
        const i = timeframes.indexOf(b.timeframe)
        if (i < 0) throw new InvalidInputError(`snapshot has a bucket for ${b.timeframe}, which this aggregator does not emit`, { path: 'snapshot.buckets' })
        buckets[i] = { openTimeMs: b.openTimeMs, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, baseBarCount: b.baseBarCount }
      }
      lastClosed = snapshot.lastClosedOpenTimeMs
    },
  }
}
