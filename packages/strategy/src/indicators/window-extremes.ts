/**
 * Internal: highest high / lowest low over a sliding window with TA-Lib's tracked-index scheme
 * (rescan only when the extreme leaves the window: amortised O(1), O(period) worst case), with a one-step undo
 * for `replaceLast`.
 * @module
 */

/** @internal */
export class HighLowWindow {
  highest = Number.NEGATIVE_INFINITY
  lowest = Number.POSITIVE_INFINITY
  private readonly period: number
  private readonly highs: Float64Array
  private readonly lows: Float64Array
  private n = 0
  private highestIdx = -1
  private lowestIdx = -1
  private pHighest = Number.NEGATIVE_INFINITY
  private pLowest = Number.POSITIVE_INFINITY
  private pHighestIdx = -1
  private pLowestIdx = -1

  constructor(period: number) {
    this.period = period
    this.highs = new Float64Array(period)
    this.lows = new Float64Array(period)
  }

  /** Append a bar; `highest`/`lowest` then cover the last `period` bars (fewer while warming up). */
  push(high: number, low: number): void {
    this.pHighest = this.highest
    this.pLowest = this.lowest
    this.pHighestIdx = this.highestIdx
    this.pLowestIdx = this.lowestIdx
    this.step(high, low)
  }

  /** Replace the last pushed bar. */
  replaceLast(high: number, low: number): void {
    this.highest = this.pHighest
    this.lowest = this.pLowest
    this.highestIdx = this.pHighestIdx
    this.lowestIdx = this.pLowestIdx
    this.n--
    this.step(high, low)
  }

  private step(high: number, low: number): void {
    const period = this.period
    const t = this.n++
    const slot = t % period
    this.highs[slot] = high
    this.lows[slot] = low
    const trailing = t - period + 1
    if (this.highestIdx < trailing) {
      let best = Number.NEGATIVE_INFINITY
      let bestIdx = trailing
      for (let k = trailing; k <= t; k++) {
        const x = this.highs[k % period] as number
        if (x >= best) {
          best = x
          bestIdx = k
        }
      }
      this.highest = best
      this.highestIdx = bestIdx
    } else if (high >= this.highest) {
      this.highest = high
      this.highestIdx = t
    }
    if (this.lowestIdx < trailing) {
      let best = Number.POSITIVE_INFINITY
      let bestIdx = trailing
      for (let k = trailing; k <= t; k++) {
        const x = this.lows[k % period] as number
        if (x <= best) {
          best = x
          bestIdx = k
        }
      }
      this.lowest = best
      this.lowestIdx = bestIdx
    } else if (low <= this.lowest) {
      this.lowest = low
      this.lowestIdx = t
    }
  }

  reset(): void {
    this.highest = this.pHighest = Number.NEGATIVE_INFINITY
    this.lowest = this.pLowest = Number.POSITIVE_INFINITY
    this.n = 0
    this.highestIdx = this.lowestIdx = this.pHighestIdx = this.pLowestIdx = -1
  }
}

/**
 * @internal Batch sliding max of `values` over `period` (index i covers i-period+1..i), written from index period-1.
 */
export function slidingMax(values: ArrayLike<number>, period: number, out: Float64Array): void {
  const n = values.length
  let idx = -1
  let best = Number.NEGATIVE_INFINITY
  for (let t = 0; t < n; t++) {
    const trailing = t - period + 1
    const x = values[t] as number
    if (idx < trailing) {
      best = Number.NEGATIVE_INFINITY
      for (let k = trailing; k <= t; k++) {
        const y = values[k] as number
        if (y >= best) {
          best = y
          idx = k
        }
      }
    } else if (x >= best) {
      best = x
      idx = t
    }
    if (trailing >= 0) out[t] = best
  }
}

/**
 * @internal Batch sliding min of `values` over `period`, written from index period-1.
 */
export function slidingMin(values: ArrayLike<number>, period: number, out: Float64Array): void {
  const n = values.length
  let idx = -1
  let best = Number.POSITIVE_INFINITY
  for (let t = 0; t < n; t++) {
    const trailing = t - period + 1
    const x = values[t] as number
    if (idx < trailing) {
      best = Number.POSITIVE_INFINITY
      for (let k = trailing; k <= t; k++) {
        const y = values[k] as number
        if (y <= best) {
          best = y
          idx = k
        }
      }
    } else if (x <= best) {
      best = x
      idx = t
    }
    if (trailing >= 0) out[t] = best
  }
}
