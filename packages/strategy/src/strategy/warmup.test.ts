import { timeframeMs, type TradeTick } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createCandleAggregator } from '../candles/aggregator.js'
import type { CandleEvent } from '../candles/candle-event.js'
import { NO_INTENTS, type StrategyIntent } from './intents.js'
import type { Strategy, StrategyContext, StrategyRequirements } from './types.js'
import { createWarmupTracker, seedStrategy } from './warmup.js'

const req: StrategyRequirements = { timeframes: ['5m', '1h'], warmupBars: { '5m': 30, '1h': 3 }, formingBars: false, trades: true, warmupTrades: 2, timerIntervalMs: 0 }

/** A recording strategy that would emit an intent on every call. */
function recorder(): Strategy & { calls: string[] } {
  const calls: string[] = []
  const any: readonly StrategyIntent[] = [{ type: 'exit', reason: 'signal', detail: 'x' }]
  return {
    id: 'rec',
    className: 'Recorder',
    requirements: req,
    calls,
    onCandle(ctx: StrategyContext, e: CandleEvent) {
      calls.push(`${ctx.warmingUp ? 'warm' : 'live'} ${e.timeframe}@${ctx.nowMs}`)
      return any
    },
    onTrade(ctx: StrategyContext, t: TradeTick) {
      calls.push(`${ctx.warmingUp ? 'warm' : 'live'} trade@${t.timestampMs}`)
      return any
    },
    onTimer: () => NO_INTENTS,
    indicators: () => ({}),
    snapshot: () => ({}),
    restore: () => {},
  }
}

describe('warm-up (minimum closed bars per timeframe before trading)', () => {
  const five = loadFreqtradeCandles(BINANCE_5M).slice(0, 48) // 4 hours
  const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['5m', '1h'] })
  const events = five.flatMap((c) => agg.push(c))

  it('tracks closed bars per declared timeframe and reports what is missing', () => {
    const t = createWarmupTracker(req)
    for (const e of events.slice(0, 40)) t.onCandle(e)
    expect(t.isReady).toBe(false)
    expect(t.report()).toMatchObject({ ready: false, timeframes: { '5m': { have: 20, need: 30 }, '1h': { have: 1, need: 3 } }, missing: ['5m: 20/30 bars', '1h: 1/3 bars', 'trades: 0/2'] })
    for (const e of events.slice(40)) t.onCandle(e)
    t.onTrade()
    t.onTrade()
    expect(t.report()).toMatchObject({ ready: true, missing: [] })
  })

  it('seedStrategy feeds closed declared bars and trades in time order with warmingUp = true', () => {
    const s = recorder()
    const t0 = five[0]?.openTimeMs as number
    const trades: TradeTick[] = [
      { tradeId: '1', timestampMs: t0 + 299_999, price: 1, qty: 1, side: 'buy' },
      { tradeId: '2', timestampMs: t0 + 3_600_000, price: 1, qty: 1, side: 'sell' },
    ]
    const report = seedStrategy({ strategy: s, symbol: 'BTC/USDT:USDT', candles: events, trades })
    expect(report.ready).toBe(true)
    expect(s.calls.every((c) => c.startsWith('warm'))).toBe(true)
    expect(s.calls.length).toBe(48 + 4 + 2) // forming 1h updates skipped
    expect(s.calls.slice(0, 2)).toEqual([`warm trade@${t0 + 299_999}`, `warm 5m@${t0 + timeframeMs('5m')}`])
    const hourClose = s.calls.indexOf(`warm 1h@${t0 + 3_600_000}`)
    expect(s.calls.slice(hourClose, hourClose + 3)).toEqual([`warm 1h@${t0 + 3_600_000}`, `warm 5m@${t0 + 3_600_000}`, `warm trade@${t0 + 3_600_000}`])
  })
})
