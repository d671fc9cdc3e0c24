import { type Timeframe, timeframeMs, type TradeTick } from '@perpkit/core'
import type { CandleEvent } from '../candles/candle-event.js'
import type { PositionView, Strategy, StrategyContext, StrategyRequirements } from './types.js'

/**
 * Readiness of a strategy's history, per timeframe and for trades.
 * @example
 * ```ts
 * import { createWarmupTracker, type WarmupReport } from '@perpkit/strategy'
 * const t = createWarmupTracker({ timeframes: ['1h'], warmupBars: { '1h': 24 }, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 })
 * const report: WarmupReport = t.report() // { ready: false, missing: ['1h: 0/24 bars'], ... }
 * ```
 */
export interface WarmupReport {
  /** True when every declared minimum is met. */
  readonly ready: boolean
  /** Closed bars seen vs needed, per declared timeframe. */
  readonly timeframes: Readonly<Partial<Record<Timeframe, { readonly have: number; readonly need: number }>>>
  /** Trades seen vs needed. */
  readonly trades: { readonly have: number; readonly need: number }
  /** One line per unmet requirement, e.g. `1h: 12/50 bars`. Empty when ready. */
  readonly missing: readonly string[]
}

/**
 * Counts history against a strategy's declared warm-up requirements.
 * @example
 * ```ts
 * import { createWarmupTracker, type WarmupTracker } from '@perpkit/strategy'
 * const t: WarmupTracker = createWarmupTracker({ timeframes: [], warmupBars: {}, formingBars: false, trades: true, warmupTrades: 100, timerIntervalMs: 0 })
 * t.onTrade()
 * t.isReady // false
 * ```
 */
export interface WarmupTracker {
  /** Counts a closed bar of a declared timeframe (forming bars and other timeframes are ignored). */
  onCandle(event: CandleEvent): void
  /** Counts one trade. */
  onTrade(): void
  readonly isReady: boolean
  report(): WarmupReport
}

/**
 * Creates a warm-up tracker: a strategy declares its minimum history per timeframe
 * (`requirements.warmupBars`, and `warmupTrades`) and the runner trades only once all are met.
 *
 * @param requirements - the strategy's declared requirements.
 * @returns the tracker.
 * @example
 * ```ts
 * import { createWarmupTracker } from '@perpkit/strategy'
 * const t = createWarmupTracker({ timeframes: ['5m'], warmupBars: { '5m': 2 }, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 })
 * t.onCandle({ timeframe: '5m', closed: true, baseBarCount: 1, candle: { openTimeMs: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 } })
 * t.report().missing // ['5m: 1/2 bars']
 * ```
 */
export function createWarmupTracker(requirements: StrategyRequirements): WarmupTracker {
  const need = Object.entries(requirements.warmupBars) as [Timeframe, number][]
  const have = new Map<Timeframe, number>(need.map(([tf]) => [tf, 0]))
  let trades = 0
  const isReady = (): boolean => trades >= requirements.warmupTrades && need.every(([tf, n]) => (have.get(tf) ?? 0) >= n)
  return {
    onCandle(event) {
      if (!event.closed) return
      const n = have.get(event.timeframe)
      if (n !== undefined) have.set(event.timeframe, n + 1)
    },
    onTrade() {
      trades++
    },
    get isReady() {
      return isReady()
    },
    report() {
      const timeframes: Partial<Record<Timeframe, { have: number; need: number }>> = {}
      const missing: string[] = []
      for (const [tf, n] of need) {
        const h = have.get(tf) ?? 0
        timeframes[tf] = { have: h, need: n }
        if (h < n) missing.push(`${tf}: ${h}/${n} bars`)
      }
      if (trades < requirements.warmupTrades) missing.push(`trades: ${trades}/${requirements.warmupTrades}`)
      return { ready: missing.length === 0, timeframes, trades: { have: trades, need: requirements.warmupTrades }, missing }
    },
  }
}

/**
 * Input of {@link seedStrategy}.
 * @example
 * ```ts
 * import { seedStrategy, type SeedStrategyInput, type Strategy } from '@perpkit/strategy'
 * declare const strategy: Strategy
 * const input: SeedStrategyInput = { strategy, symbol: 'BTC/USDT:USDT', candles: [], trades: [] }
 * seedStrategy(input).ready
 * ```
 */
export interface SeedStrategyInput {
  readonly strategy: Strategy
  readonly symbol: string
  /** Historical candle events, oldest first (closed bars; any timeframes — undeclared ones are skipped). */
  readonly candles?: readonly CandleEvent[]
  /** Historical trades, oldest first. */
  readonly trades?: readonly TradeTick[]
  /** The position open at seeding time, if any (default `null`). */
  readonly position?: PositionView | null
}

/**
 * Seeds a strategy with history before trading: feeds closed candles of its declared timeframes and
 * (if it wants them) trades, merged in time order (a bar counts at its close time), with `ctx.warmingUp = true`;
 * every returned intent is discarded.
 *
 * @param input - the strategy, its symbol, the history.
 * @returns whether the declared minimum history was reached, with per-timeframe counts.
 * @example
 * ```ts
 * import { seedStrategy, createBuiltinRegistry, buildStrategy, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   config: parseStrategyConfig({ yaml: 'strategy: {id: s1, name: S, class: SmaCrossover}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 5m}' }),
 *   registry: createBuiltinRegistry(),
 * })
 * const report = seedStrategy({ strategy, symbol: 'BTC/USDT:USDT', candles: [] })
 * report.ready // false: it needs 50 closed 5m bars
 * ```
 */
export function seedStrategy(input: SeedStrategyInput): WarmupReport {
  const { strategy } = input
  const req = strategy.requirements
  const tracker = createWarmupTracker(req)
  const candles = (input.candles ?? []).filter((e) => e.closed && req.timeframes.includes(e.timeframe))
  const trades = req.trades ? (input.trades ?? []) : []
  const ctx: { symbol: string; nowMs: number; position: PositionView | null; warmingUp: boolean } = {
    symbol: input.symbol,
    nowMs: 0,
    position: input.position ?? null,
    warmingUp: true,
  }
  const context: StrategyContext = ctx
  let i = 0
  let j = 0
  while (i < candles.length || j < trades.length) {
    const c = candles[i]
    const t = trades[j]
    const cTime = c === undefined ? Infinity : c.candle.openTimeMs + timeframeMs(c.timeframe)
    if (t === undefined || cTime <= t.timestampMs) {
      const e = c as CandleEvent
      ctx.nowMs = cTime
      strategy.onCandle(context, e)
      tracker.onCandle(e)
      i++
    } else {
      ctx.nowMs = t.timestampMs
      strategy.onTrade(context, t)
      tracker.onTrade()
      j++
    }
  }
  return tracker.report()
}
