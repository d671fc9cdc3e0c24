import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createHarness, type LoggedIntent } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { createBuiltinRegistry } from './builtins.js'

const candles = loadFreqtradeCandles(BINANCE_5M)

function run(cooldownMs: number): LoggedIntent[] {
  const s = buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({
      yaml: `strategy: { id: scalp-1, name: Scalp, class: Scalping }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: { fastPeriod: 9, slowPeriod: 21, takeProfitPct: 0.4, stopLossPct: 0.25, cooldownMs: ${cooldownMs} }`,
    }),
  })
  const h = createHarness(s)
  candles.forEach((c, i) => h.candle(i, c, '5m'))
  return h.log
}

describe('Scalping on real Binance 5m bars', () => {
  const cooldownMs = 2 * 3_600_000
  const log = run(cooldownMs)
  const free = run(0)

  it('respects the cooldown after every exit', () => {
    const enters = log.filter((l) => l.intent.type === 'enter')
    expect(enters.length).toBeGreaterThan(20)
    let lastExit: number | null = null
    for (const l of log) {
      if (l.intent.type === 'exit') lastExit = l.timestampMs
      if (l.intent.type === 'enter' && lastExit !== null) expect(l.timestampMs - lastExit).toBeGreaterThanOrEqual(cooldownMs)
    }
  })

  it('the cooldown is binding: without it there are more trades, and some re-entries come sooner', () => {
    const n = (x: LoggedIntent[]) => x.filter((l) => l.intent.type === 'enter').length
    expect(n(free)).toBeGreaterThan(n(log))
    let lastExit: number | null = null
    let quick = 0
    for (const l of free) {
      if (l.intent.type === 'exit') lastExit = l.timestampMs
      if (l.intent.type === 'enter' && lastExit !== null && l.timestampMs - lastExit < cooldownMs) quick++
    }
    expect(quick).toBeGreaterThan(0)
  })

  it('every entry satisfies the EMA rule, every exit is a stop or take-profit at the configured distance', () => {
    for (const l of log) {
      const i = l.intent
      if (i.type === 'enter') {
        const m = i.signal.metadata as { emaFast: number; emaSlow: number; close: number }
        if (i.side === 'long') expect(m.emaFast > m.emaSlow && m.close > m.emaFast).toBe(true)
        else expect(m.emaFast < m.emaSlow && m.close < m.emaFast).toBe(true)
        expect(l.index).toBeGreaterThanOrEqual(21)
      }
      if (i.type === 'exit') expect(['stop-loss', 'take-profit']).toContain(i.reason)
    }
    const stops = log.filter((l) => l.intent.type === 'move-stop' && l.intent.reason === 'stop-loss')
    expect(stops.length).toBeGreaterThan(0)
  })
})
