/**
 * Candle data validation: gaps, duplicate or out-of-order timestamps, OHLC sanity.
 * @module
 */
import type { CandleColumns } from './candles.js'

/** A problem found in one row; `row` is the 0-based row index, `line` the 1-based source line (0 if none). */
export interface CandleIssue {
  readonly kind: 'duplicate-timestamp' | 'out-of-order' | 'ohlc-violation' | 'non-positive-price' | 'negative-volume'
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
 * Validate candle columns: every duplicate or out-of-order timestamp and every OHLC violation is reported
 * with its row and source line; gaps (missing bars) are listed separately because real venue data has
 * legitimate outages.
 *
 * @param args - `{ columns, timeframeMs? }` (inferred when omitted), `maxIssues` caps the list (default 1000).
 * @returns a {@link CandleValidationReport}.
 * @example
 * ```ts
 * import { type CandleColumns, validateCandles } from '@perpkit/engine'
 * declare const cols: CandleColumns // e.g. from loadCandles()
 * const report = validateCandles({ columns: cols })
 * if (!report.ok) console.error(report.issues[0]?.message)
 * ```
 */
export function validateCandles(args: { readonly columns: CandleColumns; readonly timeframeMs?: number; readonly maxIssues?: number }): CandleValidationReport {
  const c = args.columns
  const tf = args.timeframeMs ?? inferTimeframeMs(c)
  const max = args.maxIssues ?? 1000
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
    if (!(o > 0 && h > 0 && l > 0 && cl > 0)) add('non-positive-price', i, `non-positive price (o=${o} h=${h} l=${l} c=${cl})`)
    else if (h < Math.max(o, cl) || l > Math.min(o, cl) || l > h) add('ohlc-violation', i, `OHLC violation (o=${o} h=${h} l=${l} c=${cl})`)
    if ((c.volume[i] as number) < 0) add('negative-volume', i, `negative volume ${c.volume[i]}`)
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
