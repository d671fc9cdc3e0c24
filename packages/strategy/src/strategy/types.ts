import type { PositionSide, Timeframe, TradeTick } from '@perpkit/core'
import type { CandleEvent } from '../candles/candle-event.js'
import type { StrategyIntent } from './intents.js'

/**
 * The strategy's read-only view of its open position (one-way mode: at most one per symbol).
 * @example
 * ```ts
 * import type { PositionView } from '@perpkit/strategy'
 * const position: PositionView = { side: 'long', qty: 0.0475, entryPrice: 42165.75, openedAtMs: 1758240000000 }
 * ```
 */
export interface PositionView {
  readonly side: PositionSide
  /** Open quantity in the instrument's unit (> 0). */
  readonly qty: number
  /** Average entry price. */
  readonly entryPrice: number
  /** When the position was opened (epoch ms). */
  readonly openedAtMs: number
}

/**
 * What a strategy may look at during a call. The runner owns it (it may reuse one object and mutate it between
 * calls); a strategy must not keep a reference to it across calls.
 * @example
 * ```ts
 * import type { StrategyContext } from '@perpkit/strategy'
 * const ctx: StrategyContext = { symbol: 'BTC/USDT:USDT', nowMs: 1758240300000, position: null, warmingUp: false }
 * ```
 */
export interface StrategyContext {
  /** Unified symbol traded, e.g. `BTC/USDT:USDT`. */
  readonly symbol: string
  /** Clock time of the event being delivered (epoch ms): the only "now" a strategy may use. */
  readonly nowMs: number
  /** The open position, or `null` when flat. */
  readonly position: PositionView | null
  /** True while the runner seeds history: intents returned are discarded. */
  readonly warmingUp: boolean
}

/**
 * What a strategy needs from the runner.
 * @example
 * ```ts
 * import type { StrategyRequirements } from '@perpkit/strategy'
 * const req: StrategyRequirements = { timeframes: ['5m', '1h'], warmupBars: { '5m': 50, '1h': 20 }, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 }
 * ```
 */
export interface StrategyRequirements {
  /** Timeframes whose candles it wants (`onCandle`). Empty for trade-only strategies. */
  readonly timeframes: readonly Timeframe[]
  /** Minimum closed bars per timeframe before it can trade (warm-up). */
  readonly warmupBars: Readonly<Partial<Record<Timeframe, number>>>
  /** Whether it wants `closed: false` forming-bar events. */
  readonly formingBars: boolean
  /** Whether it wants `onTrade` (the public trade stream). */
  readonly trades: boolean
  /** Minimum number of trades before it can trade (trade-driven strategies), 0 otherwise. */
  readonly warmupTrades: number
  /** Interval of `onTimer` calls in ms, or 0 for none. */
  readonly timerIntervalMs: number
}

/**
 * Plain-JSON state a strategy persists across restarts (decision state, not indicator history).
 * @example
 * ```ts
 * import type { Strategy, StrategySnapshot } from '@perpkit/strategy'
 * declare const strategy: Strategy
 * const saved: StrategySnapshot = JSON.parse(JSON.stringify(strategy.snapshot()))
 * strategy.restore(saved)
 * ```
 */
export type StrategySnapshot = Readonly<Record<string, unknown>>

/**
 * A trading strategy: a deterministic function of its inputs that returns intents and never touches a venue.
 *
 * Contract (the runner relies on it):
 * - Deterministic: same parameters + same event sequence (and contexts) ⇒ same intents. No `Date.now()`, no timers,
 *   no randomness, no I/O; time comes from `ctx.nowMs` and the events.
 * - Calls are synchronous and never overlap. Events arrive in time order; candle events of several timeframes at the
 *   same instant arrive longest timeframe first (as `createCandleAggregator` emits them), so the primary (shortest)
 *   timeframe decides with every higher timeframe already up to date.
 * - Returns {@link NO_INTENTS} (or any empty array) when it has nothing to say. It emits `enter` only when
 *   `ctx.position` is `null`, and exit intents only for an open position.
 * - While `ctx.warmingUp` is true it updates indicators but returns no intents (the runner also discards them).
 * - `snapshot()` captures decision state (cooldowns, anchors); indicator state is rebuilt by warm-up. After a restart:
 *   create → seed history (`seedStrategy`) → `restore(snapshot)`.
 * @example
 * ```ts
 * import { createBuiltinRegistry, buildStrategy, parseStrategyConfig, type Strategy } from '@perpkit/strategy'
 * const strategy: Strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: 'strategy: {id: s, name: S, class: SmaCrossover}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 5m}' }),
 * })
 * const ctx = { symbol: 'BTC/USDT:USDT', nowMs: 1758240300000, position: null, warmingUp: false }
 * const candle = { openTimeMs: 1758240000000, open: 1, high: 1, low: 1, close: 1, volume: 1 }
 * strategy.onCandle(ctx, { timeframe: '5m', candle, closed: true, baseBarCount: 1 }) // [] until warmed up
 * ```
 */
export interface Strategy {
  /** Instance id (from config `strategy.id`), stamped on every signal. */
  readonly id: string
  /** Registered class name, e.g. `SmaCrossover`. */
  readonly className: string
  readonly requirements: StrategyRequirements
  /** A tagged candle (closed, or forming if `requirements.formingBars`). */
  onCandle(ctx: StrategyContext, event: CandleEvent): readonly StrategyIntent[]
  /** A public trade (only if `requirements.trades`). */
  onTrade(ctx: StrategyContext, trade: TradeTick): readonly StrategyIntent[]
  /** A timer tick every `requirements.timerIntervalMs` (only if > 0). */
  onTimer(ctx: StrategyContext): readonly StrategyIntent[]
  /** Current indicator values by name (for logs and reports); `NaN` while not ready. */
  indicators(): Readonly<Record<string, number>>
  snapshot(): StrategySnapshot
  restore(snapshot: StrategySnapshot): void
}
