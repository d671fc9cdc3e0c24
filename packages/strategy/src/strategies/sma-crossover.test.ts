import { describe, expect, it } from 'vitest'
import { BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createHarness } from '../../test/harness.js'
import { buildStrategy, parseStrategyConfig } from '../strategy/loader.js'
import { seedStrategy } from '../strategy/warmup.js'
import { createBuiltinRegistry } from './builtins.js'

const candles = loadFreqtradeCandles(BINANCE_5M)
const closes = candles.map((c) => c.close)

/** Independent reference: plain-loop SMAs and the "sign flips against the last non-zero value" rule. */
function referenceCrosses(fast: number, slow: number): Map<number, 1 | -1> {
  const avg = (i: number, n: number) => {
    let s = 0
    for (let k = i - n + 1; k <= i; k++) s += closes[k] as number
    return s / n
  }
  const out = new Map<number, 1 | -1>()
  let last = 0
  for (let i = slow - 1; i < closes.length; i++) {
    const d = avg(i, fast) - avg(i, slow)
    const sign = d > 0 ? 1 : d < 0 ? -1 : 0
    if (sign === 0) continue
    if (last !== 0 && sign !== last) out.set(i, sign)
    last = sign
  }
  return out
}

function build(mode: 'long-only' | 'long-short') {
  return buildStrategy({
    registry: createBuiltinRegistry(),
    config: parseStrategyConfig({
      yaml: `strategy: { id: sma-1, name: SMA 20/50, class: SmaCrossover }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: { fastPeriod: 20, slowPeriod: 50, mode: ${mode} }`,
    }),
  })
}

describe('SmaCrossover on 11,123 real Binance 5m bars', () => {
  const ref = referenceCrosses(20, 50)

  it('long-short: one entry per crossover, on exactly the reference bars', () => {
    const h = createHarness(build('long-short'))
    candles.forEach((c, i) => h.candle(i, c, '5m'))
    const enters = h.log.filter((l) => l.intent.type === 'enter')
    expect(ref.size).toBeGreaterThan(100)
    expect(enters.map((l) => l.index)).toEqual([...ref.keys()])
    expect(enters.map((l) => (l.intent.type === 'enter' ? (l.intent.side === 'long' ? 1 : -1) : 0))).toEqual([...ref.values()])
    expect(Math.min(...h.log.map((l) => l.index))).toBeGreaterThanOrEqual(50)
  })

  it('long-only (backtrader SmaCross): buy every up-cross, close on every down-cross while long', () => {
    const h = createHarness(build('long-only'))
    candles.forEach((c, i) => h.candle(i, c, '5m'))
    const ups = [...ref].filter(([, s]) => s === 1).map(([i]) => i)
    const firstUp = ups[0] as number
    const downs = [...ref].filter(([i, s]) => s === -1 && i > firstUp).map(([i]) => i)
    expect(h.log.filter((l) => l.intent.type === 'enter').map((l) => l.index)).toEqual(ups)
    expect(h.log.filter((l) => l.intent.type === 'exit').map((l) => l.index)).toEqual(downs)
    expect(h.log.every((l) => l.intent.type !== 'enter' || l.intent.side === 'long')).toBe(true)
  })

  it('seeded with history, it trades only after the warm-up and agrees with an unseeded run', () => {
    const s = build('long-short')
    const history = candles.slice(0, 3000).map((candle) => ({ timeframe: '5m' as const, candle, closed: true, baseBarCount: 1 }))
    const tooShort = seedStrategy({ strategy: build('long-short'), symbol: 'BTC/USDT:USDT', candles: history.slice(0, 49) })
    expect(tooShort).toMatchObject({ ready: false, missing: ['5m: 49/50 bars'] })
    expect(seedStrategy({ strategy: s, symbol: 'BTC/USDT:USDT', candles: history }).ready).toBe(true)
    const h = createHarness(s)
    for (let i = 3000; i < candles.length; i++) h.candle(i, candles[i] as (typeof candles)[number], '5m')
    const expected = [...ref.keys()].filter((i) => i >= 3000)
    expect(h.log.filter((l) => l.intent.type === 'enter').map((l) => l.index)).toEqual(expected)
  })

  it('snapshot/restore keeps the crossover memory', () => {
    const a = build('long-only')
    const h = createHarness(a)
    candles.slice(0, 500).forEach((c, i) => h.candle(i, c, '5m'))
    expect(a.snapshot()).toEqual({ lastSign: expect.any(Number) })
    const b = build('long-only')
    b.restore(JSON.parse(JSON.stringify(a.snapshot())))
    expect(b.snapshot()).toEqual(a.snapshot())
  })
})
