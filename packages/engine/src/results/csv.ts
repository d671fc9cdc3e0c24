/**
 * CSV renderings of a run's trades and equity curve.
 * @module
 */
import type { EquityCurve, TradeRecord } from './types.js'

function cell(v: unknown): string {
  if (v === undefined || v === null) return ''
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * Column order of {@link tradesToCsv}.
 * @example
 * ```ts
 * import { TRADE_CSV_COLUMNS } from '@perpkit/engine'
 * TRADE_CSV_COLUMNS.join(',') // the header line of trades.csv
 * ```
 */
export const TRADE_CSV_COLUMNS = [
  'id', 'symbol', 'side', 'qty', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'gross_pnl', 'fees', 'funding', 'slippage', 'net_pnl',
  'exit_reason', 'open_at_end', 'entry_decision_id', 'entry_decision_signature', 'exit_decision_id', 'exit_decision_signature',
] as const

/**
 * Render trades as CSV (ISO-8601 UTC times, header {@link TRADE_CSV_COLUMNS}).
 *
 * @param trades - the trade list.
 * @returns CSV text ending with a newline.
 * @example
 * ```ts
 * import { type RunResult, tradesToCsv } from '@perpkit/engine'
 * import { writeFileSync } from 'node:fs'
 * declare const result: RunResult // from runBacktest()
 * writeFileSync('trades.csv', tradesToCsv(result.trades))
 * ```
 */
export function tradesToCsv(trades: readonly TradeRecord[]): string {
  const rows = [TRADE_CSV_COLUMNS.join(',')]
  for (const t of trades) {
    rows.push(
      [
        t.id, t.symbol, t.side, t.qty, new Date(t.entryTimeMs).toISOString(), t.entryPrice, new Date(t.exitTimeMs).toISOString(), t.exitPrice,
        t.grossPnl, t.fees, t.funding, t.slippage, t.netPnl, t.exitReason, t.openAtEnd, t.entryDecision?.id, t.entryDecision?.signature,
        t.exitDecision?.id, t.exitDecision?.signature,
      ]
        .map(cell)
        .join(','),
    )
  }
  return `${rows.join('\n')}\n`
}

/**
 * Render the equity curve as CSV `time,time_ms,equity,drawdown`.
 *
 * @param curve - the equity curve.
 * @param drawdown - drawdown fraction per point (same length).
 * @returns CSV text.
 * @example
 * ```ts
 * import { drawdownOf, equityToCsv, type RunResult } from '@perpkit/engine'
 * import { writeFileSync } from 'node:fs'
 * declare const result: RunResult // from runBacktest()
 * writeFileSync('equity.csv', equityToCsv(result.curve, drawdownOf(result.curve).drawdown))
 * ```
 */
export function equityToCsv(curve: EquityCurve, drawdown: readonly number[]): string {
  const rows = ['time,time_ms,equity,drawdown']
  for (let i = 0; i < curve.timestampMs.length; i++) {
    const t = curve.timestampMs[i] as number
    rows.push(`${new Date(t).toISOString()},${t},${curve.equity[i]},${drawdown[i] ?? 0}`)
  }
  return `${rows.join('\n')}\n`
}
