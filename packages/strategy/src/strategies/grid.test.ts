import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { createBuiltinRegistry } from './builtins.js'
import { gridStopDistancePct } from './grid-stop-distance.js'

const candles = loadFreqtradeCandles(BINANCE_5M)

function build(params: string) {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({ yaml: `strategy: { id: g1, name: Grid, class: Grid }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: ${params}` }),
  })
}

describe('gridStopDistancePct (spacing × 1.5 clamped to 2–6 %, else 3 %)', () => {
  it('clamps spacing × 1.5 to [2 %, 6 %] and falls back to 3 %', () => {
    expect(gridStopDistancePct({ gridSpacingPct: 1 })).toBe(2)
    expect(gridStopDistancePct({ gridSpacingPct: 2 })).toBe(3)
    expect(gridStopDistancePct({ gridSpacingPct: 3.5 })).toBe(5.25)
    expect(gridStopDistancePct({ gridSpacingPct: 5 })).toBe(6)
    expect(gridStopDistancePct({})).toBe(3)
    expect(() => gridStopDistancePct({ gridSpacingPct: 0 })).toThrow(expect.objectContaining({ path: 'gridSpacingPct' }))
  })
})

describe('Grid on real Binance 5m bars', () => {
  for (const direction of ['long', 'short'] as const) {
    it(`${direction}: enters at a crossed level, exits at the next level or on a structure break`, () => {
      const h = createHarness(build(`{ spacing: { mode: fixed, pct: 0.5 }, direction: ${direction} }`))
      candles.forEach((c, i) => h.candle(i, c, '5m'))
      const long = direction === 'long'
      let entry: { level: number; next: number; stop: number } | undefined
      let tp = 0
      let breaks = 0
      for (const l of h.log) {
        const c = candles[l.index] as (typeof candles)[number]
        const prev = candles[l.index - 1] as (typeof candles)[number]
        if (l.intent.type === 'enter') {
          const m = l.intent.signal.metadata as { anchor: number; spacingPct: number; level: number; k: number }
          expect(m.spacingPct).toBe(0.5)
          expect(m.level).toBeCloseTo(m.anchor * (1 + (m.k * 0.5) / 100), 6)
          if (long) expect(prev.close > m.level && c.close <= m.level).toBe(true)
          else expect(prev.close < m.level && c.close >= m.level).toBe(true)
          const stopDist = 2 // clamp(0.5 × 1.5, 2, 6)
          expect(l.intent.stopPrice).toBeCloseTo(m.level * (long ? 1 - stopDist / 100 : 1 + stopDist / 100), 6)
          expect(l.intent.takeProfitPrice).toBeCloseTo(m.anchor * (1 + ((m.k + (long ? 1 : -1)) * 0.5) / 100), 6)
          entry = { level: m.level, next: l.intent.takeProfitPrice as number, stop: l.intent.stopPrice as number }
        } else if (l.intent.type === 'exit') {
          expect(entry).toBeDefined()
          const e = entry as { level: number; next: number; stop: number }
          if (l.intent.reason === 'take-profit') {
            tp++
            expect(long ? c.high >= e.next : c.low <= e.next).toBe(true)
          } else {
            breaks++
            expect(l.intent.reason).toBe('structure-break')
            expect(long ? c.close <= e.stop : c.close >= e.stop).toBe(true)
          }
          entry = undefined
        }
      }
      expect(tp).toBeGreaterThan(50)
      expect(breaks).toBeGreaterThan(0)
    })
  }

  it('volatility spacing = NATR(14) × multiplier at anchoring time', () => {
    const h = createHarness(build('{ spacing: { mode: volatility, atrPeriod: 14, multiplier: 2 } }'))
    candles.slice(0, 2000).forEach((c, i) => h.candle(i, c, '5m'))
    const first = h.log.find((l) => l.intent.type === 'enter')
    expect(first).toBeDefined()
    if (first?.intent.type === 'enter') {
      const s = first.intent.signal.metadata['spacingPct'] as number
      expect(s).toBeGreaterThan(0.05)
      expect(s).toBeLessThan(2)
    }
  })

  it('refuses a bad spacing with the parameter path', () => {
    try {
      build('{ spacing: { mode: fixed, pct: -1 } }')
      expect.unreachable()
    } catch (e) {
      expect(isPerpkitError(e) && e.path).toBe('parameters.spacing.pct')
    }
  })
})
