// The "strategy from scratch" example of README.md, kept compiling and working here.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { BINANCE_5M, loadFreqtradeCandles } from '../test/fixtures/load.js'
import { createHarness } from '../test/harness.js'
import { buildStrategy, createBuiltinRegistry, createEma, createSignal, defineStrategy, NO_INTENTS, parseStrategyConfig } from './index.js'

// --- README example start ---
export const EmaTrend = defineStrategy({
  className: 'EmaTrend',
  summary: 'long while the close is above EMA(period)',
  parameters: z.object({ period: z.number().int().min(2).default(50) }).strict(),
  create: ({ id, market, params }) => {
    const tf = market.primaryTimeframe
    const ema = createEma({ period: params.period })
    return {
      id,
      className: 'EmaTrend',
      requirements: { timeframes: [tf], warmupBars: { [tf]: params.period }, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 },
      onCandle(ctx, { candle, closed, timeframe }) {
        if (!closed || timeframe !== tf) return NO_INTENTS
        const value = ema.update(candle.close)
        if (!ema.isReady || ctx.warmingUp) return NO_INTENTS
        const above = candle.close > value
        if (above && ctx.position === null) {
          const signal = createSignal({ type: 'buy', source: 'technical', confidence: 0.6, reason: `close above EMA(${params.period})`, timestampMs: ctx.nowMs, symbol: ctx.symbol, strategyId: id })
          return [{ type: 'enter', side: 'long', signal }]
        }
        if (!above && ctx.position?.side === 'long') return [{ type: 'exit', reason: 'signal', detail: 'close below EMA' }]
        return NO_INTENTS
      },
      onTrade: () => NO_INTENTS,
      onTimer: () => NO_INTENTS,
      indicators: () => ({ ema: ema.value }),
      snapshot: () => ({}),
      restore: () => {},
    }
  },
})
// --- README example end ---

describe('README example strategy', () => {
  it('registers, loads from YAML and alternates entries and exits on real bars', () => {
    const registry = createBuiltinRegistry()
    registry.register(EmaTrend)
    const strategy = buildStrategy({
      registry,
      config: parseStrategyConfig({ yaml: 'strategy: { id: ema-1, name: EMA trend, class: EmaTrend }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: { period: 50 }' }),
    })
    const h = createHarness(strategy)
    loadFreqtradeCandles(BINANCE_5M)
      .slice(0, 2000)
      .forEach((c, i) => h.candle(i, c, '5m'))
    const types = h.log.map((l) => l.intent.type)
    expect(types.length).toBeGreaterThan(10)
    types.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? 'enter' : 'exit'))
    expect(h.log[0]?.index).toBeGreaterThanOrEqual(49)
  })
})
