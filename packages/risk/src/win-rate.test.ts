import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import { evaluateWinRate } from './win-rate.js'

const config = parseRiskConfig().winRate
const history = (n: number, wins: number) => Array.from({ length: n }, (_, i) => i < wins)

describe('win-rate gating', () => {
  it.each([
    // N, wins, backtest, mode, allowEntry, multiplier, action
    [9, 0, 0.55, 'backtest', true, 1, 'none'],
    [9, 9, 0.5499, 'backtest', false, 1, 'none'],
    [10, 3, 0.9, 'soft', true, 0.5, 'warn'], // 30 % < 40 %
    [10, 4, 0.9, 'soft', true, 1, 'none'], // 40 % is not below 40 %
    [29, 11, undefined, 'soft', true, 0.5, 'warn'], // 37.9 %
    [29, 12, undefined, 'soft', true, 1, 'none'], // 41.4 %
    [30, 13, undefined, 'hard', false, 1, 'halt'], // 43.3 % < 45 %
    [30, 14, undefined, 'hard', true, 1, 'none'], // 46.7 %
  ] as const)('N=%i wins=%i backtest=%s -> %s', (n, wins, backtestWinRate, mode, allowEntry, sizeMultiplier, action) => {
    const v = evaluateWinRate({ outcomes: history(n, wins), backtestWinRate, config })
    expect(v).toMatchObject({ mode, allowEntry, sizeMultiplier, action, closedTrades: n })
  })

  it('N < 10 without a backtest win rate is denied (fail-closed)', () => {
    expect(evaluateWinRate({ outcomes: [], config })).toMatchObject({ allowEntry: false, denial: 'missing-backtest-win-rate' })
  })

  it('the live rate uses only the last 50 trades', () => {
    const outcomes = [...history(50, 0), ...history(50, 50)] // 50 losses then 50 wins
    expect(evaluateWinRate({ outcomes, config }).liveWinRate).toBe(1)
  })

  it('closedTrades may exceed the stored window', () => {
    expect(evaluateWinRate({ outcomes: history(50, 20), closedTrades: 400, config })).toMatchObject({ mode: 'hard', liveWinRate: 0.4, action: 'halt' })
    expect(() => evaluateWinRate({ outcomes: history(5, 1), closedTrades: 3, config })).toThrow(/closedTrades/)
  })
})
