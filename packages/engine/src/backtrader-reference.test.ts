/**
 * Correctness against an outside engine: backtrader 1.9.78 on the real Binance USDⓈ-M BTCUSDT 5m candles.
 * Rules: signal on the bar close; market order filled at the next bar's open; long only; size 1; no fees;
 * cash 1,000,000; crossover = sign of (fast − slow) flips against its last non-zero value; an open position at
 * the end is valued at the last close. backtrader: SMA(20)/SMA(50) → 633 buys, 632 sells, final value 991,008.8.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { SmaCrossover } from '@perpkit/strategy'
import { describe, expect, it } from 'vitest'
import { type CandleColumns, sliceCandleColumns } from './data/candles.js'
import { parseCandles } from './data/load.js'
import { runBacktest } from './runner/backtest.js'
import type { EngineEvent } from './runner/types.js'

const FIX = join(import.meta.dirname, '../test/fixtures')
const allCandles: CandleColumns = parseCandles({
  text: gunzipSync(readFileSync(join(FIX, 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1'),
  source: 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv',
})

/** Configurable rule set so other parameter sets and fee settings can be checked the same way. */
interface Rules {
  /** Number of leading bars used (the full file has 51,840). */
  readonly bars: number
  readonly fast: number
  readonly slow: number
  readonly size: number
  readonly cash: number
  readonly takerFeeRate: number
}

function instrument(rules: Rules): Instrument {
  // the reference run's commission on every fill, and no minimum notional (the reference has none)
  return { ...BINANCE_BTCUSDT, minNotional: 0, makerFeeRate: rules.takerFeeRate, takerFeeRate: rules.takerFeeRate }
}

async function runEngine(rules: Rules): Promise<{ buys: number; sells: number; finalValue: number; fills: { side: string; price: number; t: number }[] }> {
  const candles = sliceCandleColumns({ columns: allCandles, from: 0, to: rules.bars })
  const fills: { side: string; price: number; t: number }[] = []
  const strategy = SmaCrossover.create({
    id: 'bt-ref',
    name: 'backtrader reference',
    market: { symbol: 'BTC/USDT:USDT', primaryTimeframe: '5m', timeframes: ['5m'] },
    params: { fastPeriod: rules.fast, slowPeriod: rules.slow, mode: 'long-only' },
  })
  const result = await runBacktest({
    symbol: 'BTC/USDT:USDT',
    instrument: instrument(rules),
    timeframe: '5m',
    candles,
    strategy,
    initialBalance: rules.cash,
    venueProfile: 'binance-usdm',
    leverage: 1,
    sizing: { mode: 'fixed-qty', qty: rules.size },
    // the OMS protects every entry with a stop; backtrader's rules have none, so it sits where it cannot trigger
    defaultStopPct: 0.99,
    risk: { enabled: false },
    timing: 'next-open',
    recordBars: false,
    onEvent: (e: EngineEvent) => {
      if (e.type === 'fill') fills.push({ side: e.fill.side, price: e.fill.price, t: e.fill.timestampMs })
    },
  })
  return {
    buys: fills.filter((f) => f.side === 'buy').length,
    sells: fills.filter((f) => f.side === 'sell').length,
    finalValue: result.metrics.finalEquity,
    fills,
  }
}

/** The rules written out directly, to cross-check fill prices one by one (independent of every package). */
function directLoop(rules: Rules): { side: string; price: number; t: number }[] {
  const candles = sliceCandleColumns({ columns: allCandles, from: 0, to: rules.bars })
  const out: { side: string; price: number; t: number }[] = []
  const c = candles.close
  const o = candles.open
  let pending = 0
  let pos = 0
  let last = 0
  for (let i = 0; i < candles.length; i++) {
    if (pending !== 0) {
      out.push({ side: pending > 0 ? 'buy' : 'sell', price: o[i] as number, t: candles.openTimeMs[i] as number })
      pos += pending
      pending = 0
    }
    if (i + 1 < rules.slow) continue
    let f = 0
    let s = 0
    for (let k = i - rules.fast + 1; k <= i; k++) f += c[k] as number
    for (let k = i - rules.slow + 1; k <= i; k++) s += c[k] as number
    const d = f / rules.fast - s / rules.slow
    const sg = d > 0 ? 1 : d < 0 ? -1 : 0
    if (sg === 0) continue
    if (last !== 0 && sg !== last) {
      if (sg > 0 && pos === 0) pending = 1
      else if (sg < 0 && pos > 0) pending = -1
    }
    last = sg
  }
  return out
}

describe('backtrader 1.9.78 reproduction (real engine path: SmaCrossover → risk decision → sizing → OMS → sim venue)', () => {
  it('SMA(20)/SMA(50): 633 buys, 632 sells, final value 991,008.8', async () => {
    const rules: Rules = { bars: allCandles.length, fast: 20, slow: 50, size: 1, cash: 1_000_000, takerFeeRate: 0 }
    const r = await runEngine(rules)
    expect(r.buys).toBe(633)
    expect(r.sells).toBe(632)
    // backtrader prints the value rounded to 0.1; assert the absolute difference to that figure
    expect(Math.abs(r.finalValue - 991_008.8)).toBeLessThan(0.05)
    // and every fill equals the next bar's open of the directly computed rule
    const ref = directLoop(rules)
    expect(r.fills.map((f) => [f.side, f.t])).toEqual(ref.map((f) => [f.side, f.t]))
    for (let i = 0; i < ref.length; i++) expect(r.fills[i]?.price).toBe(ref[i]?.price)
  }, 300_000)

  it.each([
    { bars: 12_000, fast: 10, slow: 30, size: 0.5, cash: 500_000, takerFeeRate: 0 },
    { bars: 12_000, fast: 20, slow: 50, size: 1, cash: 1_000_000, takerFeeRate: 0.0005 },
    { bars: 12_000, fast: 50, slow: 200, size: 0.25, cash: 100_000, takerFeeRate: 0.0002 },
  ])('other rule sets match the direct rule loop: %o', async (rules) => {
    const r = await runEngine(rules)
    const ref = directLoop(rules)
    expect(r.fills.map((f) => [f.side, f.t, f.price])).toEqual(ref.map((f) => [f.side, f.t, f.price]))
    // value = cash + Σ(sell − buy)·size − fees + open position at the last close
    let cash = rules.cash
    let pos = 0
    for (const f of ref) {
      const notional = f.price * rules.size
      cash += (f.side === 'buy' ? -notional : notional) - notional * rules.takerFeeRate
      pos += f.side === 'buy' ? rules.size : -rules.size
    }
    const expected = cash + pos * (allCandles.close[rules.bars - 1] as number)
    expect(ref.length).toBeGreaterThan(10)
    expect(Math.abs(r.finalValue - expected)).toBeLessThan(1e-6 * rules.cash)
  }, 300_000)
})
