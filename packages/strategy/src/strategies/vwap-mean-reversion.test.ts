import { describe, expect, it } from 'vitest'
import { loadBinanceTrades } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { createBuiltinRegistry } from './builtins.js'

const trades = loadBinanceTrades()

function build(params: string) {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({ yaml: `strategy: { id: v1, name: VWAP, class: VwapMeanReversion }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 1m }\nparameters: ${params}` }),
  })
}

describe('VwapMeanReversion on the real Binance trade tape', () => {
  // Independent reference: Σ price·qty / Σ qty with a plain loop (the whole tape lies inside one UTC day).
  const ref: number[] = []
  let pq = 0
  let q = 0
  for (const t of trades) {
    pq += t.price * t.qty
    q += t.qty
    ref.push(pq / q)
  }

  it('enters beyond the deviation band and exits back at the VWAP, per an independent VWAP', () => {
    const h = createHarness(build('{ entryDeviationPct: 0.05, warmupTrades: 1000, entryCooldownMs: 0 }'))
    trades.forEach((t, i) => h.trade(i, t))
    const enters = h.log.filter((l) => l.intent.type === 'enter')
    const exits = h.log.filter((l) => l.intent.type === 'exit')
    expect(enters.length).toBeGreaterThan(2)
    expect(exits.length).toBeGreaterThanOrEqual(enters.length - 1)
    for (const l of h.log) {
      const w = ref[l.index] as number
      expect(l.index).toBeGreaterThanOrEqual(1000)
      if (l.intent.type === 'enter') {
        expect(l.intent.signal.metadata['vwap']).toBeCloseTo(w, 6)
        if (l.intent.side === 'long') expect(l.price).toBeLessThanOrEqual(w * (1 - 0.0005) * (1 + 1e-12))
        else expect(l.price).toBeGreaterThanOrEqual(w * (1 + 0.0005) * (1 - 1e-12))
      }
    }
    // after each entry, the exit is the first trade back at the VWAP
    for (const e of enters) {
      const x = exits.find((l) => l.index > e.index)
      if (x === undefined || e.intent.type !== 'enter') continue
      const long = e.intent.side === 'long'
      for (let i = e.index + 1; i < x.index; i++) {
        const t = trades[i] as (typeof trades)[number]
        expect(long ? t.price < (ref[i] as number) : t.price > (ref[i] as number)).toBe(true)
      }
    }
  })

  it('rolling-window mode and parameter validation', () => {
    const h = createHarness(build('{ vwap: { mode: rolling, windowMs: 30000 }, entryDeviationPct: 0.05, allowShort: false, stopLossPct: 0.1 }'))
    trades.forEach((t, i) => h.trade(i, t))
    expect(h.log.some((l) => l.intent.type === 'enter')).toBe(true)
    expect(h.log.every((l) => l.intent.type !== 'enter' || l.intent.side === 'long')).toBe(true)
    expect(() => build('{ entryDeviationPct: 0.1, exitDeviationPct: 0.2 }')).toThrow(expect.objectContaining({ path: 'parameters.exitDeviationPct' }))
    expect(() => build('{ vwap: { mode: rolling } }')).toThrow(expect.objectContaining({ path: 'parameters.vwap.windowMs' }))
  })
})
