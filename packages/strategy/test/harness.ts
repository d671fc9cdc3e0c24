/**
 * Test-only runner: feeds events to a strategy and fills every intent immediately at the event price, so tests can
 * check the strategy's decisions on real data. Not the engine.
 */
import { type Candle, type Timeframe, timeframeMs, type TradeTick } from '@perpkit/core'
import type { CandleEvent } from '../src/candles/candle-event.js'
import type { StrategyIntent } from '../src/strategy/intents.js'
import type { PositionView, Strategy, StrategyContext } from '../src/strategy/types.js'

export interface LoggedIntent {
  readonly index: number
  readonly timestampMs: number
  readonly price: number
  readonly intent: StrategyIntent
}

export interface Harness {
  readonly log: LoggedIntent[]
  position: PositionView | null
  candle(index: number, candle: Candle, timeframe: Timeframe): readonly StrategyIntent[]
  event(index: number, event: CandleEvent): readonly StrategyIntent[]
  trade(index: number, trade: TradeTick): readonly StrategyIntent[]
}

export function createHarness(strategy: Strategy, symbol = 'BTC/USDT:USDT'): Harness {
  const ctx: { symbol: string; nowMs: number; position: PositionView | null; warmingUp: boolean } = { symbol, nowMs: 0, position: null, warmingUp: false }
  const h: Harness = {
    log: [],
    position: null,
    candle(index, candle, timeframe) {
      ctx.nowMs = candle.openTimeMs + timeframeMs(timeframe)
      ctx.position = h.position
      const event: CandleEvent = { timeframe, candle, closed: true, baseBarCount: 1 }
      const out = strategy.onCandle(ctx as StrategyContext, event)
      apply(index, ctx.nowMs, candle.close, out)
      return out
    },
    event(index, event) {
      ctx.nowMs = event.candle.openTimeMs + timeframeMs(event.timeframe)
      ctx.position = h.position
      const out = strategy.onCandle(ctx as StrategyContext, event)
      apply(index, ctx.nowMs, event.candle.close, out)
      return out
    },
    trade(index, trade) {
      ctx.nowMs = trade.timestampMs
      ctx.position = h.position
      const out = strategy.onTrade(ctx as StrategyContext, trade)
      apply(index, ctx.nowMs, trade.price, out)
      return out
    },
  }
  const apply = (index: number, timestampMs: number, price: number, out: readonly StrategyIntent[]): void => {
    for (const intent of out) {
      h.log.push({ index, timestampMs, price, intent })
      if (intent.type === 'enter') h.position = { side: intent.side, qty: 1, entryPrice: price, openedAtMs: timestampMs }
      else if (intent.type === 'exit') h.position = null
      else if (intent.type === 'partial-exit' && h.position) h.position = { ...h.position, qty: h.position.qty * (1 - intent.fraction) }
    }
  }
  return h
}
