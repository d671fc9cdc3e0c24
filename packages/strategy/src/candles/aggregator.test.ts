import { type Candle, isPerpkitError, type Timeframe } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { BINANCE_15M, BINANCE_1H, BINANCE_5M, loadFreqtradeCandles } from '../../test/fixtures/load.js'
import { createCandleAggregator } from './aggregator.js'
import type { CandleEvent } from './candle-event.js'

const five = loadFreqtradeCandles(BINANCE_5M)
const venue15 = loadFreqtradeCandles(BINANCE_15M)
const venue1h = loadFreqtradeCandles(BINANCE_1H)

function closedOf(events: readonly CandleEvent[], tf: Timeframe): Candle[] {
  return events.filter((e) => e.closed && e.timeframe === tf).map((e) => e.candle)
}

// Binance reports volume with 3 decimals (0.001 BTC step); sums are compared at that precision.
const vol = (v: number) => Math.round(v * 1000)

function diff(ours: Candle[], venue: Candle[]): string[] {
  const byTime = new Map(ours.map((c) => [c.openTimeMs, c]))
  const out: string[] = []
  for (const v of venue) {
    const o = byTime.get(v.openTimeMs)
    if (o === undefined) out.push(`${v.openTimeMs}: missing`)
    else if (o.open !== v.open || o.high !== v.high || o.low !== v.low || o.close !== v.close || vol(o.volume) !== vol(v.volume)) {
      out.push(`${v.openTimeMs}: ours ${JSON.stringify(o)} venue ${JSON.stringify(v)}`)
    }
  }
  return out
}

describe('createCandleAggregator on real Binance USDⓈ-M BTCUSDT bars', () => {
  const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['1h', '5m', '15m'] })
  const events: CandleEvent[] = []
  for (const c of five) for (const e of agg.push(c)) events.push(e)

  it('builds 15m bars equal to Binance’s own 15m bars (zero differences)', () => {
    expect(venue15.length).toBe(3355)
    expect(diff(closedOf(events, '15m'), venue15)).toEqual([])
  })
  it('builds 1h bars equal to Binance’s own 1h bars (zero differences)', () => {
    expect(venue1h.length).toBe(838)
    expect(diff(closedOf(events, '1h'), venue1h)).toEqual([])
  })
  it('tags every event, passes base bars through and emits forming updates before each close', () => {
    expect(closedOf(events, '5m')).toEqual(five)
    expect(agg.timeframes).toEqual(['5m', '15m', '1h'])
    const hourForming = events.filter((e) => e.timeframe === '1h' && !e.closed)
    expect(hourForming.length).toBe(five.length - closedOf(events, '1h').length)
    expect(closedOf(events, '15m').every((c, i, a) => i === 0 || c.openTimeMs - (a[i - 1] as Candle).openTimeMs === 900_000)).toBe(true)
  })
})

describe('createCandleAggregator behaviour', () => {
  const t0 = Date.UTC(2025, 8, 19, 0, 0)
  const bar = (k: number, o: number, h: number, l: number, c: number, v: number): Candle => ({ openTimeMs: t0 + k * 300_000, open: o, high: h, low: l, close: c, volume: v })

  it('forming base bars update the forming higher bar without committing it', () => {
    const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['15m'] })
    expect(agg.push(bar(0, 10, 12, 9, 11, 1))).toEqual([{ timeframe: '15m', candle: { openTimeMs: t0, open: 10, high: 12, low: 9, close: 11, volume: 1 }, closed: false, baseBarCount: 1 }])
    const f1 = agg.push(bar(1, 11, 15, 10, 14, 2), false)
    expect(f1[0]).toMatchObject({ closed: false, candle: { high: 15, close: 14, volume: 3 }, baseBarCount: 2 })
    const f2 = agg.push(bar(1, 11, 13, 8, 12, 2.5), false) // replaces the previous forming version
    expect(f2[0]).toMatchObject({ closed: false, candle: { high: 13, low: 8, close: 12, volume: 3.5 } })
    agg.push(bar(1, 11, 13, 8, 12, 2.5))
    const done = agg.push(bar(2, 12, 12, 7, 7.5, 1))
    expect(done).toEqual([{ timeframe: '15m', candle: { openTimeMs: t0, open: 10, high: 13, low: 7, close: 7.5, volume: 4.5 }, closed: true, baseBarCount: 3 }])
  })

  it('gaps: a missing bar is not invented; the higher bar closes from what exists', () => {
    const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['15m'], emitForming: false })
    // bucket 0 misses its first bar; bucket 1 misses its last bar
    expect(agg.push(bar(1, 20, 22, 19, 21, 1))).toEqual([])
    expect(agg.push(bar(2, 21, 23, 20, 22, 1))).toEqual([{ timeframe: '15m', candle: { openTimeMs: t0, open: 20, high: 23, low: 19, close: 22, volume: 2 }, closed: true, baseBarCount: 2 }])
    expect(agg.push(bar(3, 22, 24, 21, 23, 1))).toEqual([])
    expect(agg.push(bar(4, 23, 25, 22, 24, 1))).toEqual([])
    const next = agg.push(bar(6, 24, 26, 23, 25, 1))
    expect(next).toEqual([{ timeframe: '15m', candle: { openTimeMs: t0 + 900_000, open: 22, high: 25, low: 21, close: 24, volume: 2 }, closed: true, baseBarCount: 2 }])
    expect(agg.flush()).toEqual([{ timeframe: '15m', candle: { openTimeMs: t0 + 1_800_000, open: 24, high: 26, low: 23, close: 25, volume: 1 }, closed: true, baseBarCount: 1 }])
  })

  it('real data with every 7th bar removed: each 15m bar equals the aggregate of the bars that remain', () => {
    const kept = five.slice(0, 3000).filter((_, i) => i % 7 !== 3)
    const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['15m'], emitForming: false })
    const out: CandleEvent[] = []
    for (const c of kept) out.push(...agg.push(c))
    out.push(...agg.flush())
    const groups = new Map<number, Candle[]>()
    for (const c of kept) {
      const k = c.openTimeMs - (c.openTimeMs % 900_000)
      groups.set(k, [...(groups.get(k) ?? []), c])
    }
    expect(out.length).toBe(groups.size)
    for (const e of out) {
      const g = groups.get(e.candle.openTimeMs) as Candle[]
      expect(e.baseBarCount).toBe(g.length)
      expect(e.candle.open).toBe(g[0]?.open)
      expect(e.candle.close).toBe(g[g.length - 1]?.close)
      expect(e.candle.high).toBe(Math.max(...g.map((c) => c.high)))
      expect(e.candle.low).toBe(Math.min(...g.map((c) => c.low)))
    }
  })

  it('snapshot/restore continues a bucket across a restart', () => {
    const a = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['1h'], emitForming: false })
    for (const c of five.slice(0, 7)) a.push(c)
    const snap = JSON.parse(JSON.stringify(a.snapshot()))
    const b = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['1h'], emitForming: false })
    b.restore(snap)
    const out = five.slice(7, 12).flatMap((c) => b.push(c))
    expect(out.map((e) => e.candle)).toEqual([venue1h[0]].map((v) => ({ ...v, volume: out[0]?.candle.volume })))
    expect(Math.round((out[0]?.candle.volume ?? 0) * 1000)).toBe(Math.round((venue1h[0]?.volume ?? 0) * 1000))
  })

  it('refuses bad input with a path', () => {
    const path = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return isPerpkitError(e) ? e.path : 'other'
      }
      return undefined
    }
    expect(path(() => createCandleAggregator({ baseTimeframe: '15m', timeframes: ['5m'] }))).toBe('timeframes[0]')
    expect(path(() => createCandleAggregator({ baseTimeframe: '1h', timeframes: ['1d', '8h'] }))).toBeUndefined()
    const agg = createCandleAggregator({ baseTimeframe: '5m', timeframes: ['15m'] })
    expect(path(() => agg.push({ ...bar(0, 1, 1, 1, 1, 1), openTimeMs: t0 + 1 }))).toBe('candle.openTimeMs')
    expect(path(() => agg.push(bar(0, Number.NaN, 1, 1, 1, 1)))).toBe('candle.open')
    expect(path(() => agg.push(bar(0, 1, 1, 1, 1, -1)))).toBe('candle.volume')
    agg.push(bar(1, 1, 1, 1, 1, 1))
    expect(path(() => agg.push(bar(1, 1, 1, 1, 1, 1)))).toBe('candle.openTimeMs')
  })
})
