/**
 * Sweep results as CSV and as a table of the best rows.
 * @module
 */
import type { GridPoint } from './grid.js'
import type { SweepRow } from './point.js'

const METRICS = ['finalEquity', 'totalReturn', 'maxDrawdown', 'sharpe', 'trades', 'winRate', 'profitFactor', 'fees'] as const

const cell = (v: number | string | boolean | null): string => {
  if (v === null) return ''
  const t = String(v)
  return /[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t
}

/** Parameter names of the rows, in the grid's order. */
export const paramNames = (rows: readonly SweepRow[]): string[] => Object.keys((rows[0]?.params ?? {}) as GridPoint)

/**
 * The rows as CSV: `index`, one column per parameter, then the metrics (full precision; empty = not defined).
 *
 * @example
 * ```ts
 * writeFileSync('sweep.csv', sweepCsv(rows))
 * ```
 */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const names = paramNames(rows)
  const lines = [['index', ...names, ...METRICS].join(',')]
  for (const r of rows) lines.push([String(r.index), ...names.map((n) => cell(r.params[n] ?? null)), ...METRICS.map((m) => cell(r.metrics[m]))].join(','))
  return `${lines.join('\n')}\n`
}

/** The `top` rows by total return (ties: grid order), for the terminal. */
export function bestRows(rows: readonly SweepRow[], top: number): SweepRow[] {
  return [...rows].sort((a, b) => b.metrics.totalReturn - a.metrics.totalReturn || a.index - b.index).slice(0, top)
}
