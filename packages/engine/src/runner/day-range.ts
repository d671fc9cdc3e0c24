/**
 * The volatility input of risk's account-builder volatility gate: the true range of the trailing 24 hours as a
 * percent of the last close — (highest high, or the close 24 h ago if higher) − (lowest low, or that close if
 * lower) — from the base bars, in O(1) amortised per bar (monotonic queues).
 * @module
 */

const DAY_MS = 86_400_000

/** What {@link createDayRange} returns. */
export interface DayRange {
  /** Add a closed base bar (bars in time order). */
  push(openTimeMs: number, closeTimeMs: number, high: number, low: number, close: number): void
  /** The 24-hour true range in percent of the last close; undefined until 24 hours of bars were seen. */
  pct(): number | undefined
}

/**
 * Create a trailing 24-hour true-range tracker.
 *
 * @returns the tracker.
 * @example
 * ```ts
 * const range = createDayRange()
 * range.push(0, 300_000, 101, 99, 100)
 * range.pct() // undefined until a full day is covered
 * ```
 */
export function createDayRange(): DayRange {
  // bars inside the window: parallel arrays used as queues (head index), compacted now and then
  const times: number[] = []
  const closes: number[] = []
  let head = 0
  const maxQ: { t: number; v: number }[] = []
  const minQ: { t: number; v: number }[] = []
  let maxHead = 0
  let minHead = 0
  let firstOpenMs = Number.NaN
  let lastClose = Number.NaN
  let lastCloseMs = Number.NaN
  let prevClose = Number.NaN
  const compact = (): void => {
    if (head > 1024 && head * 2 > times.length) {
      times.splice(0, head)
      closes.splice(0, head)
      head = 0
    }
    if (maxHead > 1024 && maxHead * 2 > maxQ.length) {
      maxQ.splice(0, maxHead)
      maxHead = 0
    }
    if (minHead > 1024 && minHead * 2 > minQ.length) {
      minQ.splice(0, minHead)
      minHead = 0
    }
  }
  return {
    push(openTimeMs, closeTimeMs, high, low, close) {
      if (Number.isNaN(firstOpenMs)) firstOpenMs = openTimeMs
      while (maxQ.length > maxHead && (maxQ[maxQ.length - 1] as { v: number }).v <= high) maxQ.pop()
      maxQ.push({ t: openTimeMs, v: high })
      while (minQ.length > minHead && (minQ[minQ.length - 1] as { v: number }).v >= low) minQ.pop()
      minQ.push({ t: openTimeMs, v: low })
      times.push(openTimeMs)
      closes.push(close)
      const from = closeTimeMs - DAY_MS
      // bars that opened before the window leave; the last of them gives the close 24 h ago
      while (head < times.length && (times[head] as number) < from) {
        prevClose = closes[head] as number
        head++
      }
      while (maxHead < maxQ.length && (maxQ[maxHead] as { t: number }).t < from) maxHead++
      while (minHead < minQ.length && (minQ[minHead] as { t: number }).t < from) minHead++
      lastClose = close
      lastCloseMs = closeTimeMs
      compact()
    },
    pct() {
      if (!(lastCloseMs - firstOpenMs >= DAY_MS) || maxHead >= maxQ.length) return undefined
      let hi = (maxQ[maxHead] as { v: number }).v
      let lo = (minQ[minHead] as { v: number }).v
      if (!Number.isNaN(prevClose)) {
        hi = Math.max(hi, prevClose)
        lo = Math.min(lo, prevClose)
      }
      return ((hi - lo) / lastClose) * 100
    },
  }
}
