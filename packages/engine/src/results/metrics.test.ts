import { describe, expect, it } from 'vitest'
import { computeMetrics, dailyEquity, drawdownOf } from './metrics.js'
import type { TradeRecord } from './types.js'

const DAY = 86_400_000
const NOON = DAY / 2

function trade(p: Partial<TradeRecord> & { netPnl: number }): TradeRecord {
  return {
    id: 1, symbol: 'BTC/USDT:USDT', side: 'long', qty: 1, entryTimeMs: 0, entryPrice: 100, exitTimeMs: 0, exitPrice: 100,
    grossPnl: p.netPnl, fees: 0, funding: 0, slippage: 0, exitReason: 'signal', openAtEnd: false, ...p,
  }
}

describe('metrics (hand-computed cases)', () => {
  // one sample per day at noon: 100, 110, 99, 121, 110
  const curve = { timestampMs: [0, 1, 2, 3, 4].map((d) => d * DAY + NOON), equity: [100, 110, 99, 121, 110] }

  it('daily equity and drawdown', () => {
    expect(dailyEquity(curve)).toEqual([100, 100, 110, 99, 121, 110])
    const dd = drawdownOf(curve)
    expect(dd.maxDrawdown).toBeCloseTo(0.1, 15) // 110 → 99
    expect(dd.maxDrawdownDurationMs).toBe(2 * DAY) // peak day 1, regained day 3
    expect(dd.drawdown[4]).toBeCloseTo(11 / 121, 15)
  })

  it('returns, ratios and trade statistics', () => {
    const trades = [
      trade({ netPnl: 10, fees: 1, funding: 0.5, slippage: 0.2, entryTimeMs: NOON, exitTimeMs: NOON + DAY }),
      trade({ netPnl: -5, fees: 1, funding: -0.25, slippage: 0.1, entryTimeMs: 2 * DAY + NOON, exitTimeMs: 3 * DAY, exitReason: 'liquidation' }),
      trade({ netPnl: 20, fees: 2, funding: 0, slippage: 0, entryTimeMs: 3 * DAY + NOON, exitTimeMs: 4 * DAY + NOON }),
    ]
    const m = computeMetrics({ curve, trades, halts: [{ fromMs: DAY, toMs: DAY + 3_600_000, reason: 'drop' }, { fromMs: 4 * DAY, toMs: null, reason: 'x' }] })
    expect(m.totalReturn).toBeCloseTo(0.1, 15)
    // daily returns r = [0, .1, -.1, 22/99, -11/121]; mean/sd(n-1)·√365 and mean/√(Σmin(r,0)²/n)·√365 (computed by hand in Python)
    expect(m.sharpe).toBeCloseTo(3.6839766485533216, 12)
    expect(m.sortino).toBeCloseTo(8.301682814067792, 12)
    expect(m.cagr).toBeCloseTo(1.1 ** (365 / 4) - 1, 6)
    expect(m.calmar).toBeCloseTo((1.1 ** (365 / 4) - 1) / 0.1, 3)
    expect(m.maxDrawdown).toBeCloseTo(0.1, 15)
    expect(m.trades).toBe(3)
    expect(m.winRate).toBeCloseTo(2 / 3, 15)
    expect(m.profitFactor).toBeCloseTo(30 / 5, 15)
    expect(m.expectancy).toBeCloseTo(25 / 3, 15)
    expect(m.fees).toBe(4)
    expect(m.funding).toBe(0.25)
    expect(m.slippage).toBeCloseTo(0.3, 15)
    expect(m.liquidations).toBe(1)
    // in position: 1 day + 0.5 day + 1 day over a 4-day span
    expect(m.exposure).toBeCloseTo(2.5 / 4, 15)
    expect(m.haltPeriods).toBe(2)
    expect(m.haltTimeMs).toBe(3_600_000 + NOON)
  })

  it('undefined ratios are null, not NaN or Infinity', () => {
    const m = computeMetrics({ curve: { timestampMs: [0, DAY], equity: [100, 100] }, trades: [trade({ netPnl: 5 })] })
    expect(m.profitFactor).toBeNull()
    expect(m.sharpe).toBeNull()
    expect(m.calmar).toBeNull()
    expect(m.winRate).toBe(1)
    expect(JSON.stringify(m)).not.toMatch(/NaN|Infinity/)
  })

  it('rejects an empty or non-finite curve', () => {
    expect(() => computeMetrics({ curve: { timestampMs: [], equity: [] }, trades: [] })).toThrow(/empty/)
    expect(() => computeMetrics({ curve: { timestampMs: [0], equity: [Number.NaN] }, trades: [] })).toThrow(/not finite/)
  })
})
