import { describe, expect, it } from 'vitest'
import { BINANCE_1H, BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createCandleAggregator } from '../candles/aggregator.js'
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

function build(params: string, timeframes = '[5m]') {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({
      yaml: `strategy: { id: rsi-1, name: RSI, class: RsiMeanReversion }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m, timeframes: ${timeframes} }\nparameters: ${params}`,
    }),
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

  it('multi-timeframe trend filter: 5m entries only with the 1h trend (1h bars built by the aggregator, checked against Binance 1h bars)', () => {
    const s = build('{ allowShort: true, trendFilter: { timeframe: 1h, smaPeriod: 20 } }', '[5m, 1h]')
    expect(s.requirements).toMatchObject({ timeframes: ['5m', '1h'], warmupBars: { '5m': 15, '1h': 20 } })
    const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['5m', '1h'], emitForming: false })
    const h = createHarness(s)
    candles.forEach((c, i) => {
      for (const e of agg.push(c)) h.event(i, e)
    })
    // independent: Binance's own 1h closes and a plain-loop SMA(20)
    const hours = loadFreqtradeCandles(BINANCE_1H)
    const lastHourEnd = (hours[hours.length - 1]?.openTimeMs as number) + 3_600_000
    const trendAt = (timestampMs: number): number => {
      let j = -1
      while (j + 1 < hours.length && (hours[j + 1]?.openTimeMs as number) + 3_600_000 <= timestampMs) j++
      if (j < 19) return 0
      let sum = 0
      for (let k = j - 19; k <= j; k++) sum += hours[k]?.close as number
      return Math.sign((hours[j]?.close as number) - sum / 20)
    }
    const enters = h.log.filter((l) => l.intent.type === 'enter' && l.timestampMs <= lastHourEnd)
    expect(enters.length).toBeGreaterThan(20)
    let longs = 0
    let shorts = 0
    for (const e of enters) {
      if (e.intent.type !== 'enter') continue
      const t = trendAt(e.timestampMs)
      expect(t).toBe(e.intent.side === 'long' ? 1 : -1)
      if (e.intent.side === 'long') longs++
      else shorts++
    }
    expect(longs).toBeGreaterThan(0)
    expect(shorts).toBeGreaterThan(0)
    expect(() => build('{ trendFilter: { timeframe: 1h } }')).toThrow(expect.objectContaining({ path: 'parameters.trendFilter.timeframe' }))
  })
})
