/**
 * Win-rate gating: backtest gate for young accounts, soft gate (size × 0.5), hard gate (HALT).
 * @module
 */
import { assertFinite, InvalidInputError } from '@perpkit/core'
import type { RiskConfig } from './config.js'

/**
 * Which rule applies: `backtest` (N < 10), `soft` (10 ≤ N < 30) or `hard` (N ≥ 30).
 *
 * @example
 * ```ts
 * import { evaluateWinRate, parseRiskConfig, type WinRateMode } from '@perpkit/risk'
 * const mode: WinRateMode = evaluateWinRate({ outcomes: [], backtestWinRate: 0.6, config: parseRiskConfig().winRate }).mode // 'backtest'
 * ```
 */
export type WinRateMode = 'backtest' | 'soft' | 'hard'

/**
 * Verdict of {@link evaluateWinRate}.
 *
 * @example
 * ```ts
 * import { evaluateWinRate, parseRiskConfig, type RiskEngine, type WinRateVerdict } from '@perpkit/risk'
 * declare const outcomes: readonly boolean[] // closed trades, oldest first, true = win
 * declare const engine: RiskEngine // from createRiskEngine()
 * const v: WinRateVerdict = evaluateWinRate({ outcomes, config: parseRiskConfig().winRate })
 * if (v.action === 'halt') engine.halt({ reason: 'win rate' })
 * ```
 */
export interface WinRateVerdict {
  readonly mode: WinRateMode
  readonly closedTrades: number
  /** Win rate over the last `windowTrades` closed trades (null with no trades). */
  readonly liveWinRate: number | null
  readonly allowEntry: boolean
  /** 1, or `softSizeMultiplier` (0.5) when the soft gate warns. */
  readonly sizeMultiplier: number
  readonly action: 'none' | 'warn' | 'halt'
  readonly denial: 'missing-backtest-win-rate' | 'backtest-win-rate-too-low' | 'live-win-rate-too-low' | null
}

/**
 * Apply the win-rate rules to the closed-trade history.
 *
 * @param args.outcomes - closed trades oldest first, `true` = win (at least the last `windowTrades`)
 * @param args.closedTrades - total number N of closed trades (defaults to `outcomes.length`)
 * @param args.backtestWinRate - backtest win rate 0..1; required while N < `softMinTrades` (missing = deny)
 * @param args.config - `config.winRate`
 * @returns the verdict
 * @throws InvalidInputError when `closedTrades` < outcomes.length or a rate is outside 0..1
 * @example
 * ```ts
 * import { evaluateWinRate, parseRiskConfig } from '@perpkit/risk'
 * const config = parseRiskConfig().winRate
 * evaluateWinRate({ outcomes: [], backtestWinRate: 0.6, config }).allowEntry // true
 * ```
 */
export function evaluateWinRate(args: {
  readonly outcomes: readonly boolean[]
  readonly closedTrades?: number
  readonly backtestWinRate?: number | undefined
  readonly config: RiskConfig['winRate']
}): WinRateVerdict {
  const c = args.config
  const n = args.closedTrades ?? args.outcomes.length
  if (!Number.isInteger(n) || n < args.outcomes.length) {
    throw new InvalidInputError('closedTrades must be an integer >= outcomes.length', { path: 'closedTrades' })
  }
  const window = args.outcomes.slice(-c.windowTrades)
  const liveWinRate = window.length === 0 ? null : window.filter(Boolean).length / window.length
  const base = { closedTrades: n, liveWinRate }
  if (n < c.softMinTrades) {
    if (args.backtestWinRate === undefined) return { ...base, mode: 'backtest', allowEntry: false, sizeMultiplier: 1, action: 'none', denial: 'missing-backtest-win-rate' }
    const bt = assertFinite(args.backtestWinRate, 'backtestWinRate')
    if (bt < 0 || bt > 1) throw new InvalidInputError('backtestWinRate must be within 0..1', { path: 'backtestWinRate' })
    const allow = bt >= c.backtestMinWinRate
    return { ...base, mode: 'backtest', allowEntry: allow, sizeMultiplier: 1, action: 'none', denial: allow ? null : 'backtest-win-rate-too-low' }
  }
  // n >= softMinTrades >= 1 and outcomes must cover the window for a live rate
  if (liveWinRate === null) throw new InvalidInputError('outcomes are required once closedTrades >= softMinTrades', { path: 'outcomes' })
  if (n < c.hardMinTrades) {
    const warn = liveWinRate < c.softMinWinRate
    return { ...base, mode: 'soft', allowEntry: true, sizeMultiplier: warn ? c.softSizeMultiplier : 1, action: warn ? 'warn' : 'none', denial: null }
  }
  const halt = liveWinRate < c.hardMinWinRate
  return { ...base, mode: 'hard', allowEntry: !halt, sizeMultiplier: 1, action: halt ? 'halt' : 'none', denial: halt ? 'live-win-rate-too-low' : null }
}
