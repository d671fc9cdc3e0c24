import type { TradeTick } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadBinanceTrades, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import type { Strategy } from '../strategy/types.js'
import { seedStrategy } from '../strategy/warmup.js'
import { createBuiltinRegistry } from './builtins.js'

const candles = loadFreqtradeCandles(BINANCE_5M).slice(0, 6000)
const trades = loadBinanceTrades()

function build(cls: string, params = '{}'): Strategy {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({ yaml: `strategy: { id: r1, name: R, class: ${cls} }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: ${params}` }),
  })
}

const candleCases: [string, string][] = [
  ['SmaCrossover', '{ mode: long-short }'],
  ['RsiMeanReversion', '{ allowShort: true }'],
  ['Scalping', '{ cooldownMs: 3600000 }'],
  ['Grid', '{ spacing: { mode: volatility, atrPeriod: 14, multiplier: 3 } }'],
]
const tradeCases: [string, string][] = [
  ['VwapMeanReversion', '{ entryDeviationPct: 0.05, warmupTrades: 1000 }'],
  ['PumpMomentum', '{ minBuysPerSecond: 300, warmupTrades: 1000, takeProfitPct: 0.05, stopLossPct: 0.05, maxHoldMs: 30000 }'],
]

describe('built-in strategies: determinism and the restart contract (seed history, then restore the snapshot)', () => {
  for (const [cls, params] of candleCases) {
    it(`${cls}: a restarted instance continues with exactly the same intents`, () => {
      const split = 3000
      const sa = build(cls, params)
      const a = createHarness(sa)
      candles.slice(0, split).forEach((c, i) => a.candle(i, c, '5m'))
      const snapshot = JSON.parse(JSON.stringify(sa.snapshot()))
      // restart: new instance, seed with the same history, restore decision state, same open position
      const sb = build(cls, params)
      const history = candles.slice(0, split).map((candle) => ({ timeframe: '5m' as const, candle, closed: true, baseBarCount: 1 }))
      expect(seedStrategy({ strategy: sb, symbol: 'BTC/USDT:USDT', candles: history, position: a.position }).ready).toBe(true)
      sb.restore(snapshot)
      const b = createHarness(sb)
      b.position = a.position
      const before = a.log.length
      for (let i = split; i < candles.length; i++) {
        const c = candles[i] as (typeof candles)[number]
        a.candle(i, c, '5m')
        b.candle(i, c, '5m')
      }
      const after = a.log.slice(before)
      expect(after.length).toBeGreaterThan(0)
      expect(b.log).toEqual(after)
      // determinism: a fresh run over everything reproduces the original log
      const c = createHarness(build(cls, params))
      candles.forEach((x, i) => c.candle(i, x, '5m'))
      expect(c.log).toEqual(a.log)
    })
  }
  for (const [cls, params] of tradeCases) {
    it(`${cls}: a restarted instance continues with exactly the same intents`, () => {
      const split = 12000
      const sa = build(cls, params)
      const a = createHarness(sa)
      trades.slice(0, split).forEach((t, i) => a.trade(i, t))
      const sb = build(cls, params)
      seedStrategy({ strategy: sb, symbol: 'BTC/USDT:USDT', trades: trades.slice(0, split), position: a.position })
      sb.restore(JSON.parse(JSON.stringify(sa.snapshot())))
      const b = createHarness(sb)
      b.position = a.position
      const before = a.log.length
      for (let i = split; i < trades.length; i++) {
        const t = trades[i] as TradeTick
        a.trade(i, t)
        b.trade(i, t)
      }
      const after = a.log.slice(before)
      expect(after.length).toBeGreaterThan(0)
      expect(b.log).toEqual(after)
    })
  }
})
