/**
 * Candle data validation: gaps, duplicate or out-of-order timestamps, OHLC sanity, non-finite or absurd values and
 * price jumps beyond a bound.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { CandleColumns } from './candles.js'

/** A problem found in one row; `row` is the 0-based row index, `line` the 1-based source line (0 if none). */
export interface CandleIssue {
  readonly kind: 'duplicate-timestamp' | 'out-of-order' | 'ohlc-violation' | 'non-positive-price' | 'negative-volume' | 'non-finite' | 'absurd-value' | 'price-jump'
  readonly row: number
  readonly line: number
  readonly openTimeMs: number
  readonly message: string
}

/** A hole in the series: bars missing between row `afterRow` and the next one. */
export interface CandleGap {
  readonly afterRow: number
  readonly line: number
  readonly fromMs: number
  readonly toMs: number
  readonly missingBars: number
}

/** Outcome of {@link validateCandles}. `ok` is false when any issue (not gap) was found. */
export interface CandleValidationReport {
  readonly rows: number
  readonly timeframeMs: number
  readonly firstMs: number
  readonly lastMs: number
  readonly gaps: readonly CandleGap[]
  readonly issues: readonly CandleIssue[]
  readonly ok: boolean
}

/**
 * Infer the bar interval as the most common positive difference between consecutive open times.
 *
 * @param columns - candle columns.
 * @returns interval in ms, or 0 when fewer than two rows.
 * @example
 * ```ts
 * import { type CandleColumns, inferTimeframeMs } from '@perpkit/engine'
 * declare const cols: CandleColumns // e.g. from loadCandles()
 * inferTimeframeMs(cols) // 300000 for 5m bars
 * ```
 */
export function inferTimeframeMs(columns: CandleColumns): number {
  const counts = new Map<number, number>()
  const t = columns.openTimeMs
  const limit = Math.min(columns.length, 5000)
  for (let i = 1; i < limit; i++) {
    const d = (t[i] as number) - (t[i - 1] as number)
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1)
  }
  let best = 0
  let bestN = 0
  for (const [d, n] of counts) if (n > bestN || (n === bestN && d < best)) [best, bestN] = [d, n]
  return best
}

/**
 * Default bound of {@link validateCandles}' price-jump check: a bar with any price more than 5× or less than 1/5 of
 * the previous close is refused. It catches a shifted decimal point (10×) or a garbage print, and lets through the
 * deepest real one-bar wicks of liquid perpetuals (about −80 % on some altcoins in the October 2025 crash).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_JUMP_FACTOR, validateCandles } from '@perpkit/engine'
 * declare const columns: Parameters<typeof validateCandles>[0]['columns']
 * validateCandles({ columns, maxJumpFactor: DEFAULT_MAX_JUMP_FACTOR * 2 }) // twice as tolerant
 * ```
 */
export const DEFAULT_MAX_JUMP_FACTOR = 5

/**
 * Largest price or volume accepted: beyond 2^53 − 1 a float no longer holds every integer, and no market quotes
 * anything near it; a value like 1e308 is corrupt data, not a price.
 *
 * @example
 * ```ts
 * import { MAX_CANDLE_VALUE } from '@perpkit/engine'
 * 1e308 > MAX_CANDLE_VALUE // true: refused by validateCandles
 * ```
 */
export const MAX_CANDLE_VALUE = Number.MAX_SAFE_INTEGER

/**
 * Validate candle columns: every duplicate or out-of-order timestamp, OHLC violation, non-finite or absurd value
 * (above {@link MAX_CANDLE_VALUE}) and price jump (a price more than `maxJumpFactor`× above or below the previous
 * close) is reported with its row and source line; gaps (missing bars) are listed separately because real venue
 * data has legitimate outages.
 *
 * @param args - `{ columns, timeframeMs? }` (inferred when omitted), `maxJumpFactor` (default
 *   {@link DEFAULT_MAX_JUMP_FACTOR}; `Infinity` turns the check off), `maxIssues` caps the list (default 1000).
 * @returns a {@link CandleValidationReport}.
 * @example
 * ```ts
 * import { type CandleColumns, validateCandles } from '@perpkit/engine'
 * declare const cols: CandleColumns // e.g. from loadCandles()
 * const report = validateCandles({ columns: cols, maxJumpFactor: 10 })
 * if (!report.ok) console.error(report.issues[0]?.message)
 * ```
 */
export function validateCandles(args: { readonly columns: CandleColumns; readonly timeframeMs?: number; readonly maxIssues?: number; readonly maxJumpFactor?: number }): CandleValidationReport {
  const c = args.columns
  const tf = args.timeframeMs ?? inferTimeframeMs(c)
  const max = args.maxIssues ?? 1000
  const jump = args.maxJumpFactor ?? DEFAULT_MAX_JUMP_FACTOR
  if (!(jump > 1)) throw new InvalidInputError(`maxJumpFactor must be > 1, got ${jump}`, { path: 'maxJumpFactor' })
  const issues: CandleIssue[] = []
  const gaps: CandleGap[] = []
  const src = c.source
  const add = (kind: CandleIssue['kind'], i: number, msg: string): void => {
    if (issues.length >= max) return
    const line = c.line[i] ?? 0
    issues.push({ kind, row: i, line, openTimeMs: c.openTimeMs[i] as number, message: `${src}${line > 0 ? `:${line}` : ` row ${i}`}: ${msg}` })
  }
  for (let i = 0; i < c.length; i++) {
    const o = c.open[i] as number
    const h = c.high[i] as number
    const l = c.low[i] as number
    const cl = c.close[i] as number
    const t = c.openTimeMs[i] as number
    const v = c.volume[i] as number
    if (!(Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(cl) && Number.isFinite(v))) add('non-finite', i, `non-finite value (o=${o} h=${h} l=${l} c=${cl} v=${v})`)
    else if (o > MAX_CANDLE_VALUE || h > MAX_CANDLE_VALUE || l > MAX_CANDLE_VALUE || cl > MAX_CANDLE_VALUE || v > MAX_CANDLE_VALUE) {
      add('absurd-value', i, `absurd value (o=${o} h=${h} l=${l} c=${cl} v=${v}): above ${MAX_CANDLE_VALUE}, no market quotes that`)
    } else if (!(o > 0 && h > 0 && l > 0 && cl > 0)) add('non-positive-price', i, `non-positive price (o=${o} h=${h} l=${l} c=${cl})`)
    else if (h < Math.max(o, cl) || l > Math.min(o, cl) || l > h) add('ohlc-violation', i, `OHLC violation (o=${o} h=${h} l=${l} c=${cl})`)
    else if (i > 0) {
      const ref = c.close[i - 1] as number
      if (ref > 0 && ref <= MAX_CANDLE_VALUE && (h > ref * jump || l < ref / jump)) {
        const far = h > ref * jump ? h : l
        add('price-jump', i, `price jump: ${far} is ${far > ref ? `${(far / ref).toPrecision(3)}× above` : `${(ref / far).toPrecision(3)}× below`} the previous close ${ref} (line ${c.line[i - 1] ?? 0}); the bound is ${jump}×`)
      }
    }
    if (v < 0) add('negative-volume', i, `negative volume ${v}`)
    if (i > 0) {
      const prev = c.openTimeMs[i - 1] as number
      if (t === prev) add('duplicate-timestamp', i, `duplicate timestamp ${new Date(t).toISOString()} (same as line ${c.line[i - 1] ?? 0})`)
      else if (t < prev) add('out-of-order', i, `timestamp ${new Date(t).toISOString()} is before the previous row's ${new Date(prev).toISOString()}`)
      else if (tf > 0 && t - prev > tf) {
        gaps.push({ afterRow: i - 1, line: c.line[i - 1] ?? 0, fromMs: prev + tf, toMs: t, missingBars: Math.round((t - prev) / tf) - 1 })
      }
    }
  }
  return {
    rows: c.length,
    timeframeMs: tf,
    firstMs: c.length > 0 ? (c.openTimeMs[0] as number) : 0,
    lastMs: c.length > 0 ? (c.openTimeMs[c.length - 1] as number) : 0,
    gaps,
    issues,
    ok: issues.length === 0,
  }
}
