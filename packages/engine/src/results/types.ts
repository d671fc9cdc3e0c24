/**
 * Result types of a run: equity curve, trades, HALT periods, metrics.
 * @module
 */

/** Equity sampled over time (one point per processed bar), as parallel arrays. */
export interface EquityCurve {
  readonly timestampMs: readonly number[]
  readonly equity: readonly number[]
}

/** The (signed) decision that led to a trade, as produced by the risk chamber. */
export interface TradeDecisionRef {
  readonly id: string
  readonly action: string
  readonly signature: string
  readonly reasons: readonly string[]
}

/** One round trip (entry to exit) of a position. Money amounts are in the settle asset. */
export interface TradeRecord {
  readonly id: number
  readonly symbol: string
  readonly side: 'long' | 'short'
  readonly qty: number
  readonly entryTimeMs: number
  readonly entryPrice: number
  readonly exitTimeMs: number
  readonly exitPrice: number
  /** PnL from prices only. */
  readonly grossPnl: number
  /** Fees paid on entry and exit (negative when rebates exceeded fees). */
  readonly fees: number
  /** Funding paid while the trade was open (negative when received). */
  readonly funding: number
  /** Cost of slippage versus the reference price (bar open / last price) at each fill. */
  readonly slippage: number
  /** grossPnl − fees − funding. */
  readonly netPnl: number
  readonly exitReason: 'signal' | 'stop' | 'take-profit' | 'liquidation' | 'end-of-data' | 'halt' | 'other'
  /** True when the trade is still open at the end of the data and valued at the last close. */
  readonly openAtEnd: boolean
  /**
   * True when a previous process opened the trade and this run recovered it at start-up (a live session restarted
   * mid-position): the entry price is the recovered average, and the fees, slippage and funding of the time before
   * the restart are not in this record (`entryDecision` is absent; the signal id is in the `position-recovered` event).
   */
  readonly recovered?: boolean
  readonly entryDecision?: TradeDecisionRef
  readonly exitDecision?: TradeDecisionRef
}

/** A period during which trading was HALTED. `toMs` is null when the run ended while halted. */
export interface HaltPeriod {
  readonly fromMs: number
  readonly toMs: number | null
  readonly reason: string
}

/** Performance metrics of a run. Ratios that are undefined (no losses, zero volatility) are null. */
export interface Metrics {
  readonly startMs: number
  readonly endMs: number
  readonly initialEquity: number
  readonly finalEquity: number
  /** finalEquity / initialEquity − 1. */
  readonly totalReturn: number
  /** Compound annual growth rate over the calendar span (365-day years). */
  readonly cagr: number
  /** Largest peak-to-trough fall as a positive fraction of the peak. */
  readonly maxDrawdown: number
  /** Longest time (ms) spent below a previous equity peak. */
  readonly maxDrawdownDurationMs: number
  /** Annualised (√365) Sharpe ratio of daily returns, risk-free 0, sample standard deviation. */
  readonly sharpe: number | null
  /** Annualised (√365) Sortino ratio of daily returns: mean / √(Σ min(r,0)² / n). */
  readonly sortino: number | null
  /** CAGR / maxDrawdown. */
  readonly calmar: number | null
  readonly trades: number
  readonly winRate: number | null
  /** Σ winning netPnl / |Σ losing netPnl|. */
  readonly profitFactor: number | null
  /** Mean netPnl per trade. */
  readonly expectancy: number | null
  /** Fraction of the run's time with an open position. */
  readonly exposure: number
  readonly fees: number
  readonly funding: number
  readonly slippage: number
  readonly liquidations: number
  readonly haltPeriods: number
  readonly haltTimeMs: number
}

/** OHLC bars for charts, as parallel arrays. */
export interface ChartBars {
  readonly openTimeMs: readonly number[]
  readonly open: readonly number[]
  readonly high: readonly number[]
  readonly low: readonly number[]
  readonly close: readonly number[]
}

/** Run mode. */
export type RunMode = 'backtest' | 'paper' | 'live'

/** What was run. */
export interface RunMeta {
  readonly mode: RunMode
  readonly venue: string
  readonly symbol: string
  readonly settle: string
  readonly timeframe: string
  readonly strategy: { readonly id: string; readonly className: string; readonly parameters: Readonly<Record<string, unknown>> }
  readonly dataSource: string
  readonly bars: number
  /** Anything else worth recording (fee and slippage model, risk settings, …). */
  readonly settings?: Readonly<Record<string, unknown>>
}

/** Everything a run produced: the input to reports. */
export interface RunResult {
  readonly meta: RunMeta
  readonly metrics: Metrics
  readonly curve: EquityCurve
  readonly trades: readonly TradeRecord[]
  readonly halts: readonly HaltPeriod[]
  readonly bars?: ChartBars
}
