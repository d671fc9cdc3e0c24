import type { TradeTick } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { loadBinanceTrades } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { createBuiltinRegistry } from './builtins.js'
import { createPumpDetector } from './pump-detector.js'

const trades = loadBinanceTrades()

/** Independent reference: O(n·w) rescan of the window for every buy trade. */
function referenceDetections(list: TradeTick[], windowMs: number, minRate: number, minShare: number, cooldownMs: number): number[] {
  const out: number[] = []
  let last = -Infinity
  list.forEach((t, i) => {
    if (t.side !== 'buy') return
    let buys = 0
    let all = 0
    for (let j = i; j >= 0 && (list[j] as TradeTick).timestampMs > t.timestampMs - windowMs; j--) {
      all++
      if ((list[j] as TradeTick).side === 'buy') buys++
    }
    if ((buys * 1000) / windowMs >= minRate && buys / all >= minShare && t.timestampMs - last >= cooldownMs) {
      out.push(i)
      last = t.timestampMs
    }
  })
  return out
}

describe('createPumpDetector on the real Binance trade tape (21,313 trades)', () => {
  it('fires exactly where an independent rescan says buys/s crossed the threshold', () => {
    for (const [minRate, share, cooldown] of [
      [300, 0.6, 10_000],
      [150, 0, 2_000],
      [600, 0.8, 0],
    ] as const) {
      const d = createPumpDetector({ minBuysPerSecond: minRate, minBuyShare: share, cooldownMs: cooldown })
      const got: number[] = []
      trades.forEach((t, i) => {
        if (d.update(t) !== null) got.push(i)
      })
      const ref = referenceDetections(trades, 1000, minRate, share, cooldown)
      expect(ref.length).toBeGreaterThan(2)
      expect(got).toEqual(ref)
    }
  })

  it('refuses out-of-order trades and bad options', () => {
    const d = createPumpDetector({ minBuysPerSecond: 10 })
    d.update(trades[1] as TradeTick)
    expect(() => d.update(trades[0] as TradeTick)).toThrow(expect.objectContaining({ path: 'trade.timestampMs' }))
    expect(() => createPumpDetector({ minBuysPerSecond: 0 })).toThrow(expect.objectContaining({ path: 'minBuysPerSecond' }))
  })
})

describe('PumpMomentum strategy on the real trade tape', () => {
  it('enters on detections only after warm-up, and exits by stop / take-profit / time', () => {
    const s = buildStrategy({
      registry: createBuiltinRegistry(),
      config: parseStrategyConfig({
        yaml: 'strategy: { id: p1, name: Pump, class: PumpMomentum }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 1m }\nparameters: { minBuysPerSecond: 300, minBuyShare: 0.6, cooldownMs: 10000, warmupTrades: 2000, maxHoldMs: 30000, takeProfitPct: 0.05, stopLossPct: 0.05 }',
      }),
    })
    expect(s.requirements).toMatchObject({ trades: true, warmupTrades: 2000 })
    const h = createHarness(s)
    trades.forEach((t, i) => h.trade(i, t))
    const detections = new Set(referenceDetections(trades, 1000, 300, 0.6, 10_000))
    const enters = h.log.filter((l) => l.intent.type === 'enter')
    expect(enters.length).toBeGreaterThan(0)
    for (const e of enters) {
      expect(e.index).toBeGreaterThanOrEqual(2000)
      expect(detections.has(e.index)).toBe(true)
      if (e.intent.type === 'enter') expect(e.intent.signal).toMatchObject({ type: 'buy', source: 'orderbook' })
    }
    const exits = h.log.filter((l) => l.intent.type === 'exit')
    expect(exits.length).toBeGreaterThanOrEqual(enters.length - 1)
    for (const x of exits) if (x.intent.type === 'exit') expect(['stop-loss', 'take-profit', 'time']).toContain(x.intent.reason)
  })
})
