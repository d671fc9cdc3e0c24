import type { Timeframe } from '@perpkit/core'
import type { StrategyRequirements } from '../strategy/types.js'

/** Requirements of a strategy that trades closed bars of one timeframe. */
export function candleRequirements(timeframe: Timeframe, warmupBars: number, extra: Partial<Record<Timeframe, number>> = {}): StrategyRequirements {
  const warm: Partial<Record<Timeframe, number>> = { ...extra, [timeframe]: warmupBars }
  return {
    timeframes: [...new Set<Timeframe>([timeframe, ...(Object.keys(extra) as Timeframe[])])],
    warmupBars: warm,
    formingBars: false,
    trades: false,
    warmupTrades: 0,
    timerIntervalMs: 0,
  }
}

/** Requirements of a strategy driven by the trade stream. */
export function tradeRequirements(warmupTrades: number): StrategyRequirements {
  return { timeframes: [], warmupBars: {}, formingBars: false, trades: true, warmupTrades, timerIntervalMs: 0 }
}

/** Clamps to 0..1. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}
