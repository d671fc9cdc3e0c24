import { PerpkitError, type Candle } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import type { TradeStore } from '../src/index.js'

const BTC = { venue: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '1h' } as const
const HOUR = 3_600_000
// Illustrative BTC-like hourly bars (OHLC-consistent); the store must return exactly what it was given.
const bars: Candle[] = [
  { openTimeMs: 1751626800000, open: 109180.1, high: 109400, low: 109050.3, close: 109212.5, volume: 4021.55 },
  { openTimeMs: 1751626800000 + HOUR, open: 109212.5, high: 109299.9, low: 108800, close: 108940.2, volume: 5120.1 },
  { openTimeMs: 1751626800000 + 2 * HOUR, open: 108940.2, high: 109100, low: 108700.7, close: 109050, volume: 3890 },
]

function expectInvalid(p: Promise<unknown>): Promise<void> {
  return expect(p).rejects.toSatisfy((e: unknown) => e instanceof PerpkitError && e.code === 'invalid-input')
}

/** The same behaviour for every backend: `open` returns a fresh, empty store. */
export function storeContract(name: string, open: () => Promise<TradeStore>): void {
  describe(`TradeStore contract: ${name}`, () => {
    it('round-trips a run and ends it', async () => {
      const s = await open()
      await s.startRun({ id: 'r1', mode: 'backtest', strategy: 'ema-cross', venue: 'binance', symbol: 'BTC/USDT:USDT', config: { fast: 9 }, startedAtMs: 1000 })
      expect(await s.getRun('r1')).toEqual({ id: 'r1', mode: 'backtest', strategy: 'ema-cross', venue: 'binance', symbol: 'BTC/USDT:USDT', config: { fast: 9 }, startedAtMs: 1000, endedAtMs: null })
      await s.endRun('r1', 2000)
      expect((await s.listRuns()).map((r) => [r.id, r.endedAtMs])).toEqual([['r1', 2000]])
      expect(await s.getRun('nope')).toBeUndefined()
      await s.close()
    })

    it('upserts candles idempotently on open time and queries a half-open range', async () => {
      const s = await open()
      expect(await s.putCandles(BTC, bars)).toBe(3)
      const fixed = { ...bars[1]!, close: 108941, low: 108800 }
      await s.putCandles(BTC, [fixed])
      const all = await s.getCandles(BTC)
      expect(all).toHaveLength(3)
      expect(all[1]).toEqual(fixed)
      expect(await s.getCandles(BTC, { fromMs: bars[1]!.openTimeMs, toMs: bars[2]!.openTimeMs })).toEqual([fixed])
      expect(await s.getCandles({ ...BTC, timeframe: '4h' })).toEqual([])
      await s.close()
    })

    it('loads more than one chunk of candles in one call', async () => {
      const s = await open()
      const many = Array.from({ length: 1000 }, (_, i) => ({ ...bars[0]!, openTimeMs: i * HOUR }))
      expect(await s.putCandles(BTC, many)).toBe(1000)
      const back = await s.getCandles(BTC, { fromMs: 500 * HOUR })
      expect(back).toHaveLength(500)
      expect(back[0]!.openTimeMs).toBe(500 * HOUR)
      await s.close()
    })

    it('rejects bad candles before writing any of them', async () => {
      const s = await open()
      await expectInvalid(s.putCandles(BTC, [bars[0]!, { ...bars[1]!, close: Number.NaN }]))
      await expectInvalid(s.putCandles(BTC, [{ ...bars[0]!, volume: -1 }]))
      await expectInvalid(s.putCandles(BTC, [{ ...bars[0]!, high: 1 }]))
      await expectInvalid(s.putCandles(BTC, [{ ...bars[0]!, openTimeMs: 1.5 }]))
      await expectInvalid(s.putCandles({ ...BTC, timeframe: '7m' as '1h' }, bars))
      await expectInvalid(s.putCandles({ ...BTC, venue: '' }, bars))
      expect(await s.getCandles(BTC)).toEqual([])
      await s.close()
    })

    it('stores funding rates (negative rates are valid) idempotently', async () => {
      const s = await open()
      const pair = { venue: 'binance', symbol: 'BTC/USDT:USDT' }
      await s.putFunding(pair, [{ timestampMs: 8 * HOUR, rate: 0.0001 }, { timestampMs: 16 * HOUR, rate: -0.00005 }])
      await s.putFunding(pair, [{ timestampMs: 16 * HOUR, rate: -0.00006 }])
      expect(await s.getFunding(pair)).toEqual([{ timestampMs: 8 * HOUR, rate: 0.0001 }, { timestampMs: 16 * HOUR, rate: -0.00006 }])
      await expectInvalid(s.putFunding(pair, [{ timestampMs: -1, rate: 0 }]))
      await expectInvalid(s.putFunding(pair, [{ timestampMs: 0, rate: Number.POSITIVE_INFINITY }]))
      await s.close()
    })

    it('keeps records once per (run, kind, key) and filters by kind and time', async () => {
      const s = await open()
      const rec = { runId: 'r1', kind: 'fill', key: 'f-1', timestampMs: 5, payload: { qty: '0.01', price: '109000.1' } } as const
      expect(await s.putRecords([rec, { ...rec, kind: 'order', key: 'o-1', timestampMs: 4 }])).toBe(2)
      expect(await s.putRecords([{ ...rec, payload: { qty: 'changed' } }])).toBe(0)
      expect((await s.getRecords('r1')).map((r) => r.key)).toEqual(['o-1', 'f-1'])
      expect(await s.getRecords('r1', { kind: 'fill' })).toEqual([rec])
      expect(await s.getRecords('r1', { fromMs: 5 })).toEqual([rec])
      expect(await s.getRecords('r2')).toEqual([])
      await expectInvalid(s.putRecords([{ ...rec, kind: 'quote' as 'fill' }]))
      await expectInvalid(s.putRecords([{ ...rec, payload: undefined }]))
      await s.close()
    })

    it('stores the equity curve by run and time', async () => {
      const s = await open()
      await s.putEquity('r1', [{ timestampMs: 1, equityUsd: 10000 }, { timestampMs: 2, equityUsd: 10012.5 }])
      await s.putEquity('r2', [{ timestampMs: 1, equityUsd: 1 }])
      expect(await s.getEquity('r1', { toMs: 2 })).toEqual([{ timestampMs: 1, equityUsd: 10000 }])
      expect(await s.getEquity('r1')).toHaveLength(2)
      await expectInvalid(s.putEquity('r1', [{ timestampMs: 3, equityUsd: Number.NaN }]))
      await s.close()
    })

    it('a key repeated within one call: the last candle, funding rate and equity point win, the first record stays', async () => {
      const s = await open()
      const fixed = { ...bars[0]!, close: 109300, high: 109400 }
      expect(await s.putCandles(BTC, [bars[0]!, bars[1]!, fixed])).toBe(2)
      expect(await s.getCandles(BTC)).toEqual([fixed, bars[1]!])
      const pair = { venue: 'binance', symbol: 'BTC/USDT:USDT' }
      expect(await s.putFunding(pair, [{ timestampMs: 8 * HOUR, rate: 0.0001 }, { timestampMs: 8 * HOUR, rate: 0.0002 }])).toBe(1)
      expect(await s.getFunding(pair)).toEqual([{ timestampMs: 8 * HOUR, rate: 0.0002 }])
      expect(await s.putEquity('r1', [{ timestampMs: 2, equityUsd: 1 }, { timestampMs: 1, equityUsd: 2 }, { timestampMs: 2, equityUsd: 3 }])).toBe(2)
      expect(await s.getEquity('r1')).toEqual([{ timestampMs: 1, equityUsd: 2 }, { timestampMs: 2, equityUsd: 3 }])
      const rec = { runId: 'r1', kind: 'order', key: 'o-1', timestampMs: 5, payload: { n: 1 } } as const
      expect(await s.putRecords([rec, { ...rec, payload: { n: 2 } }])).toBe(1)
      expect((await s.getRecords('r1')).map((r) => r.payload)).toEqual([{ n: 1 }])
      await s.close()
    })

    it('writes records and equity points beyond one multi-row statement in one call', async () => {
      const s = await open()
      const records = Array.from({ length: 1500 }, (_, i) => ({ runId: 'r1', kind: 'fill' as const, key: `f-${i}`, timestampMs: i, payload: { i } }))
      expect(await s.putRecords(records)).toBe(1500)
      expect(await s.getRecords('r1', { fromMs: 1499 })).toEqual([records[1499]])
      const points = Array.from({ length: 2500 }, (_, i) => ({ timestampMs: i * 1000, equityUsd: 10000 + i / 8 }))
      expect(await s.putEquity('r1', points)).toBe(2500)
      expect(await s.getEquity('r1')).toEqual(points)
      await s.close()
    })

    it('rejects a run with an unknown mode or a duplicate id', async () => {
      const s = await open()
      const run = { id: 'r1', mode: 'backtest', strategy: 'x', venue: 'binance', symbol: 'BTC/USDT:USDT', config: {}, startedAtMs: 0 } as const
      await expectInvalid(s.startRun({ ...run, mode: 'replay' as 'live' }))
      await s.startRun(run)
      await expect(s.startRun(run)).rejects.toThrow()
      expect(await s.listRuns()).toHaveLength(1)
      await s.close()
    })
  })
}
