/**
 * Performance metrics from an equity curve and a trade list.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { EquityCurve, HaltPeriod, Metrics, TradeRecord } from './types.js'

const DAY_MS = 86_400_000
const YEAR_MS = 365 * DAY_MS

/**
 * Equity at the end of each UTC calendar day (the last sample of the day), preceded by the first sample.
 *
 * @param curve - the equity curve.
 * @returns daily closing equity values, oldest first (first element = starting equity).
 * @example
 * ```ts
 * import { dailyEquity } from '@perpkit/engine'
 * dailyEquity({ timestampMs: [0, 86_400_000], equity: [100, 110] }) // [100, 100, 110]
 * ```
 */
export function dailyEquity(curve: EquityCurve): number[] {
  const n = curve.timestampMs.length
  if (n === 0) return []
  const out: number[] = [curve.equity[0] as number]
  let day = Math.floor((curve.timestampMs[0] as number) / DAY_MS)
  let last = curve.equity[0] as number
  for (let i = 0; i < n; i++) {
    const d = Math.floor((curve.timestampMs[i] as number) / DAY_MS)
    if (d !== day) {
      out.push(last)
      day = d
    }
    last = curve.equity[i] as number
  }
  out.push(last)
  return out
}

/**
 * Maximum drawdown (fraction of the running peak) and the longest time spent under water.
 *
 * @param curve - the equity curve.
 * @returns `{ maxDrawdown, maxDrawdownDurationMs, drawdown }` (duration: from a peak until equity regains it, or until
 *   the end when it never does) where `drawdown[i]` is the fall below the peak at i (≥ 0).
 * @example
 * ```ts
 * import { drawdownOf } from '@perpkit/engine'
 * drawdownOf({ timestampMs: [0, 1, 2, 3], equity: [100, 80, 90, 120] }).maxDrawdown // 0.2
 * ```
 */
export function drawdownOf(curve: EquityCurve): { maxDrawdown: number; maxDrawdownDurationMs: number; drawdown: number[] } {
  const drawdown: number[] = []
  return { ...scanDrawdown(curve, undefined, drawdown), drawdown }
}

/**
 * The drawdown scan behind {@link drawdownOf} and {@link computeMetrics}: over `lead` (a point before the curve,
 * when given) then the curve, without copying it; each point's drawdown is appended to `out` when given.
 */
function scanDrawdown(curve: EquityCurve, lead: { readonly timestampMs: number; readonly equity: number } | undefined, out: number[] | undefined): { maxDrawdown: number; maxDrawdownDurationMs: number } {
  let peak = Number.NEGATIVE_INFINITY
  let peakTime = 0
  let maxDd = 0
  let maxDur = 0
  let under = false
  let lastT = 0
  const point = (e: number, t: number): void => {
    lastT = t
    if (e >= peak) {
      // Recovery (or a new high): the drawdown lasted from the old peak until now.
      if (under && t - peakTime > maxDur) maxDur = t - peakTime
      under = false
      peak = e
      peakTime = t
      out?.push(0)
    } else {
      under = true
      const d = peak > 0 ? (peak - e) / peak : 0
      out?.push(d)
      if (d > maxDd) maxDd = d
    }
  }
  if (lead !== undefined) point(lead.equity, lead.timestampMs)
  const n = curve.equity.length
  for (let i = 0; i < n; i++) point(curve.equity[i] as number, curve.timestampMs[i] as number)
  if (under) maxDur = Math.max(maxDur, lastT - peakTime)
  return { maxDrawdown: maxDd, maxDrawdownDurationMs: maxDur }
}

/**
 * Compute {@link Metrics} for a run.
 *
 * @param args - `{ curve, trades, halts?, initialEquity? }` (initial equity defaults to the first curve point).
 * @returns the metrics.
 * @throws InvalidInputError when the curve is empty, its arrays differ in length, or equity is not finite.
 * @example
 * ```ts
 * import { computeMetrics } from '@perpkit/engine'
 * const m = computeMetrics({ curve: { timestampMs: [0, 86_400_000], equity: [100, 110] }, trades: [] })
 * m.totalReturn // 0.1
 * ```
 */
export function computeMetrics(args: {
  readonly curve: EquityCurve
  readonly trades: readonly TradeRecord[]
  readonly halts?: readonly HaltPeriod[]
  readonly initialEquity?: number
}): Metrics {
  const { curve, trades } = args
  const n = curve.timestampMs.length
  if (n === 0) throw new InvalidInputError('the equity curve is empty', { path: 'curve' })
  if (curve.equity.length !== n) throw new InvalidInputError('curve.timestampMs and curve.equity differ in length', { path: 'curve.equity' })
  for (let i = 0; i < n; i++) if (!Number.isFinite(curve.equity[i])) throw new InvalidInputError(`equity is not finite at ${i}`, { path: `curve.equity[${i}]` })
  const startMs = curve.timestampMs[0] as number
  const endMs = curve.timestampMs[n - 1] as number
  const initialEquity = args.initialEquity ?? (curve.equity[0] as number)
  const finalEquity = curve.equity[n - 1] as number
  const totalReturn = finalEquity / initialEquity - 1
  const spanMs = endMs - startMs
  const cagr = spanMs > 0 && finalEquity > 0 ? (finalEquity / initialEquity) ** (YEAR_MS / spanMs) - 1 : totalReturn
  const { maxDrawdown, maxDrawdownDurationMs } = scanDrawdown(curve, { timestampMs: startMs, equity: initialEquity }, undefined)

  const days = dailyEquity(curve)
  days[0] = initialEquity
  const rets: number[] = []
  for (let i = 1; i < days.length; i++) rets.push((days[i] as number) / (days[i - 1] as number) - 1)
  let sharpe: number | null = null
  let sortino: number | null = null
  if (rets.length >= 2) {
    const mean = rets.reduce((a, b) => a + b, 0) / rets.length
    const variance = rets.reduce((a, r) => a + (r - mean) ** 2, 0) / (rets.length - 1)
    const sd = Math.sqrt(variance)
    if (sd > 0) sharpe = (mean / sd) * Math.sqrt(365)
    const down = Math.sqrt(rets.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / rets.length)
    if (down > 0) sortino = (mean / down) * Math.sqrt(365)
  }
  const calmar = maxDrawdown > 0 ? cagr / maxDrawdown : null

  let wins = 0
  let grossWin = 0
  let grossLoss = 0
  let fees = 0
  let funding = 0
  let slippage = 0
  let liquidations = 0
  let netSum = 0
  let inPosMs = 0
  for (const t of trades) {
    if (t.netPnl > 0) {
      wins++
      grossWin += t.netPnl
    } else grossLoss += -t.netPnl
    netSum += t.netPnl
    fees += t.fees
    funding += t.funding
    slippage += t.slippage
    if (t.exitReason === 'liquidation') liquidations++
    inPosMs += Math.max(0, Math.min(t.exitTimeMs, endMs) - Math.max(t.entryTimeMs, startMs))
  }
  const halts = args.halts ?? []
  const haltTimeMs = halts.reduce((a, h) => a + Math.max(0, (h.toMs ?? endMs) - h.fromMs), 0)
  return {
    startMs,
    endMs,
    initialEquity,
    finalEquity,
    totalReturn,
    cagr,
    maxDrawdown,
    maxDrawdownDurationMs,
    sharpe,
    sortino,
    calmar,
    trades: trades.length,
    winRate: trades.length > 0 ? wins / trades.length : null,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : null,
    expectancy: trades.length > 0 ? netSum / trades.length : null,
    exposure: spanMs > 0 ? Math.min(1, inPosMs / spanMs) : 0,
    fees,
    funding,
    slippage,
    liquidations,
    haltPeriods: halts.length,
    haltTimeMs,
  }
}
