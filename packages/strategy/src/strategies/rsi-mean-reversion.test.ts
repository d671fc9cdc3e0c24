import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { createBuiltinRegistry } from './builtins.js'

const candles = loadFreqtradeCandles(BINANCE_5M)

/** Independent Wilder RSI (TA-Lib seeding: simple average of the first `n` changes), plain loop. */
function referenceRsi(closes: number[], n: number): number[] {
  const out = closes.map(() => Number.NaN)
  let gain = 0
  let loss = 0
  for (let i = 1; i < closes.length; i++) {
    const ch = (closes[i] as number) - (closes[i - 1] as number)
    const g = ch > 0 ? ch : 0
    const l = ch < 0 ? -ch : 0
    if (i <= n) {
      gain += g / n
      loss += l / n
    } else {
      gain = (gain * (n - 1) + g) / n
      loss = (loss * (n - 1) + l) / n
    }
    if (i >= n) out[i] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss)
  }
  return out
}

function build(params: string) {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({ yaml: `strategy: { id: rsi-1, name: RSI, class: RsiMeanReversion }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: ${params}` }),
  })
}

describe('RsiMeanReversion on real Binance 5m bars', () => {
  const rsi = referenceRsi(
    candles.map((c) => c.close),
    14,
  )

  it('enters only below oversold / above overbought and exits at the middle level, per an independent RSI', () => {
    const h = createHarness(build('{ period: 14, oversold: 25, overbought: 75, exitLevel: 50, allowShort: true, stopLossPct: 1 }'))
    let flat = true
    let side: 'long' | 'short' | undefined
    const expected: string[] = []
    candles.forEach((c, i) => {
      const r = rsi[i] as number
      if (!Number.isNaN(r)) {
        if (flat && (r < 25 || r > 75)) {
          side = r < 25 ? 'long' : 'short'
          expected.push(`${i}:enter-${side}`)
          flat = false
        } else if (!flat && (side === 'long' ? r >= 50 : r <= 50)) {
          expected.push(`${i}:exit`)
          flat = true
        }
      }
      h.candle(i, c, '5m')
    })
    const got = h.log.map((l) => `${l.index}:${l.intent.type === 'enter' ? `enter-${l.intent.side}` : l.intent.type}`)
    expect(expected.length).toBeGreaterThan(100)
    expect(got).toEqual(expected)
    const firstEnter = h.log.find((l) => l.intent.type === 'enter')
    expect(firstEnter?.index).toBeGreaterThanOrEqual(14)
    if (firstEnter?.intent.type === 'enter') {
      expect(firstEnter.intent.stopPrice).toBeCloseTo(firstEnter.price * (firstEnter.intent.side === 'long' ? 0.99 : 1.01), 6)
      expect(firstEnter.intent.signal.metadata['rsi']).toBeCloseTo(rsi[firstEnter.index] as number, 9)
    }
  })

  it('long-only by default', () => {
    const h = createHarness(build('{}'))
    candles.slice(0, 3000).forEach((c, i) => h.candle(i, c, '5m'))
    expect(h.log.some((l) => l.intent.type === 'enter')).toBe(true)
    expect(h.log.every((l) => l.intent.type !== 'enter' || l.intent.side === 'long')).toBe(true)
  })

  it('refuses inconsistent levels with the parameter path', () => {
    expect(() => build('{ oversold: 60, exitLevel: 50 }')).toThrow(expect.objectContaining({ code: 'invalid-input', path: 'parameters.exitLevel' }))
    expect(() => build('{ period: 1 }')).toThrow(expect.objectContaining({ path: 'parameters.period' }))
  })
})
