import { type Candle, createTestClock, type Instrument, type MarketDataEvent, type MarketDataFeed } from '@perpkit/core'
import { createSimVenue } from '@perpkit/sim'
import { describe, expect, it } from 'vitest'
import { createBacktestJournal } from './backtest-journal.js'
import { runLive } from './live.js'
import type { EngineEvent, EngineStrategy } from './types.js'

const T0 = Date.UTC(2025, 0, 1)
const M5 = 300_000
const ins: Instrument = {
  symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT',
  contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 0, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005,
}
const bar = (i: number, price: number): Candle => ({ openTimeMs: T0 + i * M5, open: price, high: price + 0.5, low: price - 0.5, close: price, volume: 10 })

describe('runLive (the session loop without a market driver)', () => {
  it('waits for each pushed bar, sends on the close, skips a redelivered bar and ends when aborted', async () => {
    // the "live" market: a simulated venue the test moves itself, as the real market moves without the engine
    const clock = createTestClock(T0)
    const venue = createSimVenue({ profile: 'binance-usdm', instruments: [ins], balances: { USDT: 10_000 }, clock, defaultLeverage: 2 })
    venue.applyCandle({ symbol: ins.symbol, candle: bar(0, 100) })
    let listener: ((e: MarketDataEvent) => void) | undefined
    const feed: MarketDataFeed = {
      subscribe(_sub, l) {
        listener = l
        return () => (listener = undefined)
      },
      fetchCandles: () => Promise.resolve([bar(0, 100)]),
    }
    const seen: number[] = []
    const strategy: EngineStrategy = {
      id: 'live-test',
      className: 'Test',
      onCandle(ctx, ev) {
        seen.push(ev.baseBarCount)
        return !ctx.warmingUp && ev.baseBarCount === 2 ? [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' } }] : []
      },
    }
    const events: EngineEvent[] = []
    const stop = new AbortController()
    clock.advanceTo(T0 + M5)
    const done = runLive({
      symbol: ins.symbol, instrument: ins, timeframe: '5m', strategy, exchange: venue, feed, clock, journal: createBacktestJournal(),
      leverage: 2, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.03, warmupBars: 1, onEvent: (e) => events.push(e), signal: stop.signal,
      oms: { streamStaleAfterMs: 0 },
    })
    const push = async (c: Candle): Promise<void> => {
      for (let k = 0; k < 50 && listener === undefined; k++) await new Promise((r) => setImmediate(r))
      clock.advanceTo(c.openTimeMs + M5)
      listener?.({ type: 'candle', symbol: ins.symbol, timeframe: '5m', candle: c, closed: true })
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r))
    }
    venue.applyCandle({ symbol: ins.symbol, candle: bar(1, 101) })
    await push(bar(1, 101))
    await push(bar(1, 101)) // redelivered after a reconnect: not run again
    expect(venue.state().positions).toHaveLength(1) // sent on bar 1's close (bar count 2 incl. the history bar), no driver
    stop.abort()
    const result = await done
    expect(seen).toEqual([1, 2])
    expect(result.meta.mode).toBe('live')
    expect(result.meta.bars).toBe(1)
    expect(events.some((e) => e.type === 'fill')).toBe(true)
  })

  it('a session stopped before its first bar resolves (no bars, a one-point curve at the equity when stopped)', async () => {
    const clock = createTestClock(T0 + M5)
    const venue = createSimVenue({ profile: 'binance-usdm', instruments: [ins], balances: { USDT: 10_000 }, clock, defaultLeverage: 2 })
    venue.applyCandle({ symbol: ins.symbol, candle: bar(0, 100) })
    const feed: MarketDataFeed = { subscribe: () => () => {}, fetchCandles: () => Promise.resolve([]) }
    const strategy: EngineStrategy = { id: 'idle', className: 'Test', onCandle: () => [] }
    const stop = new AbortController()
    const done = runLive({
      symbol: ins.symbol, instrument: ins, timeframe: '5m', strategy, exchange: venue, feed, clock, journal: createBacktestJournal(),
      leverage: 2, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.03, signal: stop.signal, oms: { streamStaleAfterMs: 0 },
    })
    for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r))
    stop.abort()
    const result = await done
    expect(result.meta.bars).toBe(0)
    expect(result.curve.equity).toEqual([10_000])
    expect(result.trades).toEqual([])
  })
})
