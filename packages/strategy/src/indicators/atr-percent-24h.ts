/**
 * ATR % over 24 hours — the volatility measure of the risk stage gates (stage 1 entries need `ATR_pct_24h > 3 %`).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { trueRange } from './atr.js'
import type { HlcBatchInput } from './types.js'
import { checkHlc } from './validate.js'

const DAY_MS = 86_400_000

/** Input of {@link atrPercent24h}. */
export interface AtrPercent24hInput extends HlcBatchInput {
  /** Bar length in ms (e.g. 300_000 for 5m); must divide 24 h exactly. */
  readonly barMs: number
  /** Number of 24 h windows averaged (integer ≥ 1), default 1. */
  readonly days?: number
}

/**
 * ATR % over 24 h from intraday bars, defined as:
 * 1. take the most recent `days` consecutive 24 h windows ending at the LAST bar (each `86_400_000 / barMs` bars);
 * 2. collapse each window into one daily bar (high = max high, low = min low, close = last close);
 * 3. its true range uses the close of the bar just before the window: max(H − L, |H − prevClose|, |L − prevClose|);
 * 4. ATR = mean of those `days` true ranges (TA-Lib ATR's seed value); result = ATR / last close · 100.
 *
 * With `days = 1` this is "the last 24 h true range as % of price" (BTC typically 1–6 %), the quantity the risk
 * stage thresholds (3 %, 4 %, 5 %) are calibrated on — NOT the 5m NATR, which is ~0.1–0.3 %.
 *
 * @param input - `{ high, low, close, barMs, days = 1 }` (parallel arrays, oldest first, gap-free bars)
 * @returns the ATR % (e.g. `3.2` for 3.2 %), or `NaN` when fewer than `days · barsPerDay + 1` bars are given
 * @throws InvalidInputError when `barMs` does not divide 24 h, `days` is invalid, arrays differ in length, or a value
 *   is not finite
 * @example
 * ```ts
 * import { atrPercent24h } from '@perpkit/strategy'
 * declare const high: readonly number[], low: readonly number[], close: readonly number[] // oldest first
 * const pct = atrPercent24h({ high, low, close, barMs: 300_000 }) // needs ≥ 289 five-minute bars
 * const volatileEnough = pct > 3
 * ```
 */
export function atrPercent24h(input: AtrPercent24hInput): number {
  const { high, low, close, barMs } = input
  if (typeof barMs !== 'number' || !Number.isInteger(barMs) || barMs <= 0 || DAY_MS % barMs !== 0) {
    throw new InvalidInputError(`barMs must be a positive integer dividing 86400000, got ${String(barMs)}`, { path: 'barMs' })
  }
  const days = input.days ?? 1
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new InvalidInputError(`days must be an integer in [1, 3650], got ${String(days)}`, { path: 'days' })
  const n = checkHlc(high, low, close)
  const perDay = DAY_MS / barMs
  const need = days * perDay + 1
  if (n < need) return Number.NaN
  let sum = 0
  for (let k = days - 1; k >= 0; k--) {
    const end = n - k * perDay // exclusive
    const start = end - perDay
    let h = Number.NEGATIVE_INFINITY
    let l = Number.POSITIVE_INFINITY
    for (let i = start; i < end; i++) {
      const hi = high[i] as number
      const lo = low[i] as number
      if (hi > h) h = hi
      if (lo < l) l = lo
    }
    sum += trueRange(h, l, close[start - 1] as number)
  }
  const last = close[n - 1] as number
  if (!(last > 0)) throw new InvalidInputError(`the last close must be > 0, got ${last}`, { path: `close[${n - 1}]` })
  return (sum / days / last) * 100
}
