import type { Candle, Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD } from '@perpkit/core/testing'
import { verifyDecision } from '@perpkit/risk'
import { describe, expect, it } from 'vitest'
import { candlesToColumns } from '../data/candles.js'
import { runBacktest } from './backtest.js'
import type { EngineCandleEvent, EngineEvent, EngineIntent, EngineStrategy } from './types.js'

const T0 = Date.UTC(2025, 0, 1)
const M5 = 300_000
// the synthetic bars trade near 100, far below BTC's price: the fixture with its 100 USDT minimum notional off
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0 }
const bar = (i: number, o: number, h: number, l: number, c: number): Candle => ({ openTimeMs: T0 + i * M5, open: o, high: h, low: l, close: c, volume: 10 })
const flat = (i: number): Candle => bar(i, 100, 100.5, 99.5, 100)

/** Enters long on the close of the given bars (by baseBarCount). */
function enterOn(bars: readonly number[], seen: EngineCandleEvent[] = []): EngineStrategy {
  return {
    id: 'test',
    className: 'Test',
    onCandle(_ctx, ev) {
      seen.push(ev)
      return bars.includes(ev.baseBarCount) && ev.timeframe === '5m'
        ? ([{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' } }] satisfies EngineIntent[])
        : []
    },
  }
}

async function run(candles: Candle[], strategy: EngineStrategy, extra: Partial<Parameters<typeof runBacktest>[0]> = {}) {
  const events: EngineEvent[] = []
  const result = await runBacktest({
    symbol: ins.symbol, instrument: ins, timeframe: '5m', candles: candlesToColumns({ candles, source: 'synthetic' }), strategy, initialBalance: 10_000,
    venueProfile: 'binance-usdm', leverage: 2, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.03, onEvent: (e) => events.push(e), ...extra,
  })
  return { result, events }
}

describe('runSession', () => {
  it('fills at the next open, protects with a stop, and books a stop-loss exit with fees', async () => {
    // entry decided on bar 2's close, filled at bar 3's open (100); stop 3 % below the close → 97; bar 5 trades down to 90
    const candles = [flat(0), flat(1), flat(2), flat(3), bar(4, 100, 100.2, 90, 92), bar(5, 92, 93, 91, 92)]
    const { result, events } = await run(candles, enterOn([2]))
    expect(result.trades).toHaveLength(1)
    const t = result.trades[0]
    expect(t?.entryTimeMs).toBe(T0 + 2 * M5)
    expect(t?.entryPrice).toBe(100)
    expect(t?.exitReason).toBe('stop')
    expect(t?.exitPrice).toBe(97)
    expect(t?.grossPnl).toBeCloseTo(-3, 9)
    expect(t?.fees).toBeCloseTo(100 * 0.0005 + 97 * 0.0005, 9)
    expect(t?.netPnl).toBeCloseTo(-3 - 0.0985, 9)
    expect(result.metrics.finalEquity).toBeCloseTo(10_000 - 3.0985, 6)
    const decisions = events.filter((e) => e.type === 'decision')
    expect(decisions).toHaveLength(1)
    const d = decisions[0]
    if (d?.type !== 'decision') throw new Error('no decision')
    expect(d.decision.action).toBe('enter')
    expect(verifyDecision({ decision: d.decision })).toBe(true)
    expect(t?.entryDecision?.signature).toBe(d.decision.signature)
    expect(events.filter((e) => e.type === 'daily').length).toBeGreaterThan(0)
  })

  it('an emergency drop HALTs before the strategy is asked, and entries are denied while halted', async () => {
    // bar 3 closes 25 % below bar 2 (5-minute drop ≤ −20 %): HALT; the strategy's entry on bar 3 is skipped
    const candles = [flat(0), flat(1), flat(2), bar(3, 100, 100, 74, 75), bar(4, 75, 76, 74, 75), bar(5, 75, 76, 74, 75)]
    const { result, events } = await run(candles, enterOn([4]))
    const halts = events.filter((e) => e.type === 'halt')
    expect(halts).toHaveLength(1)
    if (halts[0]?.type !== 'halt') throw new Error('no halt')
    expect(halts[0].transition.type).toBe('halt-entered')
    expect(halts[0].transition.context).toHaveProperty('observation')
    expect(result.halts).toEqual([{ fromMs: T0 + 4 * M5, toMs: null, reason: expect.stringContaining('5m') }])
    const d = events.find((e) => e.type === 'decision')
    if (d?.type !== 'decision') throw new Error('no decision')
    expect(d.decision.action).toBe('skip')
    expect(d.decision.verdict.reasons.map((r) => r.code)).toContain('halted')
    expect(result.trades).toEqual([])
    expect(result.metrics.haltPeriods).toBe(1)
  })

  it('delivers higher timeframes built from the base candles to strategies that ask for them', async () => {
    const candles = Array.from({ length: 36 }, (_, i) => bar(i, 100 + i, 101 + i, 99 + i, 100.5 + i))
    const seen: EngineCandleEvent[] = []
    const s = enterOn([], seen)
    await run(candles, { ...s, requirements: { timeframes: ['5m', '1h'] } })
    const hours = seen.filter((e) => e.timeframe === '1h')
    expect(hours.map((e) => e.candle.openTimeMs)).toEqual([T0, T0 + 3_600_000, T0 + 7_200_000])
    expect(hours[0]?.candle).toEqual({ openTimeMs: T0, open: 100, high: 112, low: 99, close: 111.5, volume: 120 })
    expect(seen.filter((e) => e.timeframe === '5m')).toHaveLength(36)
  })
})

describe('runSession take-profit levels off the tick grid', () => {
  it('a take-profit between ticks is sent on the grid toward the entry (long: 103.05 → 103.0) and fills there', async () => {
    const tp: EngineStrategy = {
      id: 'tp',
      className: 'Tp',
      onCandle: (_ctx, ev) => (ev.baseBarCount === 2 ? [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' }, takeProfitPrice: 103.05 }] : []),
    }
    const candles = [flat(0), flat(1), flat(2), flat(3), bar(4, 100, 104, 99.8, 103.5), bar(5, 103.5, 103.6, 103.4, 103.5)]
    const { result } = await run(candles, tp)
    expect(result.trades).toHaveLength(1)
    expect(result.trades[0]?.exitReason).toBe('take-profit')
    expect(result.trades[0]?.exitPrice).toBe(103)
  })
})

describe('runSession partial exits', () => {
  it('a partial-exit intent closes part of the position through the OMS; the stop is resized and the ledger books both parts', async () => {
    // entry decided on bar 2, filled at bar 3's open (100), qty 1, stop 97; on bar 4's close (105) the strategy
    // takes half off (exit-manager style), filled at bar 5's open (105); bar 6 trades down through the stop (97)
    const strategy: EngineStrategy = {
      id: 'tp-half',
      className: 'TpHalf',
      onCandle(_ctx, ev) {
        if (ev.timeframe !== '5m') return []
        if (ev.baseBarCount === 2) return [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' } }] satisfies EngineIntent[]
        if (ev.baseBarCount === 5) return [{ type: 'partial-exit', fraction: 0.5, reason: 'take-profit-1', detail: 'first target' }] satisfies EngineIntent[]
        return []
      },
    }
    const candles = [flat(0), flat(1), flat(2), flat(3), bar(4, 100, 106, 100, 105), bar(5, 105, 105.5, 104.5, 105), bar(6, 105, 105, 90, 92), bar(7, 92, 93, 91, 92)]
    const { result, events } = await run(candles, strategy, { forwardLibraryEvents: true })
    expect(events.filter((e) => e.type === 'execution-refused')).toEqual([])
    const fills = events.flatMap((e) => (e.type === 'fill' ? [e.fill] : []))
    const partial = fills.find((f) => f.clientOrderId.includes('_rd'))
    expect(partial).toMatchObject({ side: 'sell', qty: 0.5, price: 105 })
    // the stop was resized from 1 to the remaining 0.5 after the partial close
    const stopQtys = events.flatMap((e) => (e.type === 'oms' && e.event.type === 'stop-updated' ? [e.event.qty] : []))
    expect(stopQtys[0]).toBe(1)
    expect(stopQtys.at(-1)).toBe(0.5)
    const stopFill = fills.find((f) => f.clientOrderId.includes('_sl'))
    expect(stopFill).toMatchObject({ side: 'sell', qty: 0.5, price: 97 })
    // one trade, both exits booked: 0.5 × (105 − 100) + 0.5 × (97 − 100) = 1
    expect(result.trades).toHaveLength(1)
    const t = result.trades[0]
    expect(t?.qty).toBe(1)
    expect(t?.exitPrice).toBeCloseTo(101, 9)
    expect(t?.grossPnl).toBeCloseTo(1, 9)
    expect(t?.fees).toBeCloseTo(100 * 0.0005 + 0.5 * 105 * 0.0005 + 0.5 * 97 * 0.0005, 9)
    expect(t?.exitReason).toBe('stop')
    const decisions = events.flatMap((e) => (e.type === 'decision' ? [e] : []))
    expect(decisions.map((d) => d.decision.action)).toEqual(['enter', 'exit'])
    expect(decisions[1]?.sizedQty).toBe(0.5)
    expect(t?.exitDecision?.signature).toBe(decisions[1]?.decision.signature)
  })
})

describe('runSession with a trade tape', () => {
  it('feeds trades to the venue and onTrade; an order decided on a trade fills at the next trade', async () => {
    const { readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { parseTradeCsv, tradesToCandles } = await import('../data/trades.js')
    const text = readFileSync(join(import.meta.dirname, '../../test/fixtures/binance_usdm_BTCUSDT_trades_head2000.csv'), 'latin1')
    const trades = parseTradeCsv({ text, source: 'trades' })
    const bars = tradesToCandles({ trades, timeframeMs: 60_000 })
    // independent aggregation of the same rows
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(','))
    const first = rows.filter((r) => Math.floor(Number(r[2]) / 60_000) === Math.floor(Number(rows[0]?.[2]) / 60_000))
    expect(bars.open[0]).toBe(Number(first[0]?.[4]))
    expect(bars.close[0]).toBe(Number(first[first.length - 1]?.[4]))
    expect(bars.high[0]).toBe(Math.max(...first.map((r) => Number(r[4]))))
    expect(bars.volume[0]).toBeCloseTo(first.reduce((a, r) => a + Number(r[5]), 0), 9)
    let n = 0
    const strategy: EngineStrategy = {
      id: 'tape',
      className: 'Tape',
      onCandle: () => [],
      onTrade: (ctx) => {
        n++
        if (n === 100 && ctx.position === null) return [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'tick 100' } }]
        if (n === 400 && ctx.position !== null) return [{ type: 'exit', reason: 'signal', detail: 'tick 400' }]
        return []
      },
    }
    const fills: { side: string; price: number; t: number }[] = []
    const result = await runBacktest({
      symbol: ins.symbol, instrument: { ...ins, makerFeeRate: 0, takerFeeRate: 0 }, timeframe: '1m', candles: bars, trades, strategy, initialBalance: 100_000,
      venueProfile: 'binance-usdm', leverage: 2, sizing: { mode: 'fixed-qty', qty: 0.5 }, defaultStopPct: 0.05,
      onEvent: (e) => {
        if (e.type === 'fill') fills.push({ side: e.fill.side, price: e.fill.price, t: e.fill.timestampMs })
      },
    })
    expect(n).toBe(2000)
    expect(fills).toEqual([
      { side: 'buy', price: trades.price[100], t: trades.timestampMs[100] },
      { side: 'sell', price: trades.price[400], t: trades.timestampMs[400] },
    ])
    expect(result.trades[0]?.grossPnl).toBeCloseTo(((trades.price[400] as number) - (trades.price[100] as number)) * 0.5, 9)
  })
})

describe('runSession liquidation', () => {
  // Bybit's BTCUSD inverse perpetual: 1 USD contracts, 0.5 USD tick, settled in BTC
  const inverse: Instrument = BYBIT_BTCUSD
  const b = (i: number, o: number, h: number, l: number, c: number): Candle => ({ openTimeMs: T0 + i * M5, open: o, high: h, low: l, close: c, volume: 10 })
  const calm = (i: number, p: number): Candle => b(i, p, p + 50, p - 50, p)

  it('a Bybit inverse liquidation is booked as such (origin from the port, not the client id) and HALTs the bot with reason liquidation', async () => {
    // 0.01 BTC wallet, 5,000 USD long at 50,000 (10x notional): a position loss of ~0.009 BTC (price ~45,500) takes
    // the whole margin; the protective stop is 50 % away, so the venue's liquidation closes the position first
    const candles = [calm(0, 50_000), calm(1, 50_000), calm(2, 50_000), calm(3, 50_000), b(4, 50_000, 50_000, 42_000, 44_000), calm(5, 44_000), calm(6, 44_000)]
    const { result, events } = await run(candles, enterOn([2, 6]), {
      symbol: inverse.symbol, instrument: inverse, venueProfile: 'bybit-inverse', initialBalance: 0.01, leverage: 20, sizing: { mode: 'fixed-qty', qty: 5_000 }, defaultStopPct: 0.5,
    })
    const fills = events.flatMap((e) => (e.type === 'fill' ? [e.fill] : []))
    expect(fills).toHaveLength(2)
    const liq = fills[1]
    expect(liq?.origin).toBe('liquidation')
    expect(liq?.clientOrderId.startsWith('autoclose')).toBe(false) // Bybit's close-out ids are not Binance's
    expect(liq?.price).toBeLessThan(46_000)
    expect(liq?.price).toBeGreaterThan(42_000)
    expect(result.trades).toHaveLength(1)
    expect(result.trades[0]?.exitReason).toBe('liquidation')
    expect(result.metrics.liquidations).toBe(1)
    const halts = events.flatMap((e) => (e.type === 'halt' ? [e.transition] : []))
    expect(halts.map((h) => [h.type, h.reason])).toEqual([['halt-entered', 'liquidation']])
    expect(result.halts).toEqual([{ fromMs: liq?.timestampMs, toMs: null, reason: 'liquidation' }])
    // the HALT is manual-only: calm bars do not lift it, and the strategy's next entry is refused
    const decisions = events.flatMap((e) => (e.type === 'decision' ? [e.decision] : []))
    expect(decisions.map((d) => d.action)).toEqual(['enter', 'skip'])
    expect(decisions[1]?.verdict.reasons.map((r) => r.code)).toContain('halted')
  })
})

describe('runSession emergency checks on 1-minute data', () => {
  const M1 = 60_000
  const minute = (i: number, o: number, h: number, l: number, c: number): Candle => ({ openTimeMs: T0 + i * M1, open: o, high: h, low: l, close: c, volume: 10 })
  // 1-minute bars: flat at 100, a −10.5 % minute at 00:10, then flat at 89.5 for the rest of the hour
  const minutes: Candle[] = Array.from({ length: 60 }, (_, i) =>
    i < 10 ? minute(i, 100, 100.2, 99.8, 100) : i === 10 ? minute(i, 100, 100, 89, 89.5) : minute(i, 89.5, 89.7, 89.3, 89.5),
  )
  const fiveMinutes: Candle[] = []
  for (let k = 0; k < minutes.length; k += 5) {
    const g = minutes.slice(k, k + 5)
    fiveMinutes.push({ openTimeMs: (g[0] as Candle).openTimeMs, open: (g[0] as Candle).open, high: Math.max(...g.map((c) => c.high)), low: Math.min(...g.map((c) => c.low)), close: (g[4] as Candle).close, volume: 50 })
  }
  /** A 5-minute strategy that asks to enter long at every 5-minute close in `atMs`. */
  const fiveMinuteEntries = (atMs: readonly number[]): EngineStrategy => ({
    id: 'five',
    className: 'Five',
    requirements: { timeframes: ['5m'] },
    onCandle: (ctx, ev) =>
      ev.timeframe === '5m' && ev.closed && atMs.includes(ctx.nowMs) ? [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' } }] : [],
  })

  it('a −10 % minute inside a 5-minute bar HALTs (1 m bars fed, aggregated up to the strategy), and the HALT lifts after 5 calm minutes', async () => {
    const at = [T0 + 15 * M1, T0 + 25 * M1, T0 + 55 * M1]
    const { result, events } = await run(minutes, fiveMinuteEntries(at), { timeframe: '1m' })
    const halts = events.flatMap((e) => (e.type === 'halt' ? [e.transition] : []))
    expect(halts.map((h) => [h.type, h.timestampMs])).toEqual([
      ['halt-entered', T0 + 11 * M1], // the close of the crash minute
      // calm needs the 1 m change above −5 % and the 5 m change above −10 %: from 00:16's close (5 m back is the
      // crash close), 5 minutes of calm later
      ['halt-lifted', T0 + 21 * M1],
    ])
    expect(halts[0]?.reason).toContain('1m change')
    expect(result.halts).toEqual([{ fromMs: T0 + 11 * M1, toMs: T0 + 21 * M1, reason: expect.stringContaining('1m change') }])
    // decisions at 5-minute closes: halted, then in the 30-minute cooldown after the lift, then permitted
    const decisions = events.flatMap((e) => (e.type === 'decision' ? [e] : []))
    expect(decisions.map((d) => [d.timestampMs, d.decision.action])).toEqual([
      [T0 + 15 * M1, 'skip'],
      [T0 + 25 * M1, 'skip'],
      [T0 + 55 * M1, 'enter'],
    ])
    expect(decisions[0]?.decision.verdict.reasons.map((r) => r.code)).toContain('halted')
    expect(decisions[1]?.decision.verdict.reasons.map((r) => r.code)).toEqual(['cooldown'])
  })

  it('the same market as 5-minute bars cannot see the crash minute (−10.5 % over 5 m is above the −20 % 5 m trigger)', async () => {
    const { result, events } = await run(fiveMinutes, fiveMinuteEntries([T0 + 15 * M1]))
    expect(events.filter((e) => e.type === 'halt')).toEqual([])
    expect(result.halts).toEqual([])
  })
})
