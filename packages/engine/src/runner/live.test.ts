import { type Candle, createTestClock, type Fill, type Instrument, type MarketDataEvent, type MarketDataFeed, type OrderRequest } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { createMemoryJournal, createMemoryJournalStore } from '@perpkit/oms'
import { createSimVenue } from '@perpkit/sim'
import { describe, expect, it } from 'vitest'
import { createBacktestJournal } from './backtest-journal.js'
import { type LiveServices, runLive } from './live.js'
import type { EngineEvent, EngineStrategy } from './types.js'

const T0 = Date.UTC(2025, 0, 1)
const M5 = 300_000
// the synthetic bars trade near 100, far below BTC's price: the fixture with its 100 USDT minimum notional off
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0 }
const bar = (i: number, price: number): Candle => ({ openTimeMs: T0 + i * M5, open: price, high: price + 0.5, low: price - 0.5, close: price, volume: 10 })

/** A simulated venue opened at bar 0 and a feed of bars the test pushes itself (the venue and the loop see them). */
function pushedMarket(startMs: number) {
  const clock = createTestClock(startMs)
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
  return { clock, venue, feed, listener: () => listener }
}

describe('runLive (the session loop without a market driver)', () => {
  it('waits for each pushed bar, sends on the close, skips a redelivered bar and ends when aborted', async () => {
    // the "live" market: a simulated venue the test moves itself, as the real market moves without the engine
    const { clock, venue, feed, listener } = pushedMarket(T0)
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
      for (let k = 0; k < 50 && listener() === undefined; k++) await new Promise((r) => setImmediate(r))
      clock.advanceTo(c.openTimeMs + M5)
      listener()?.({ type: 'candle', symbol: ins.symbol, timeframe: '5m', candle: c, closed: true })
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

  it('a session restarted mid-position starts from the position the OMS recovered: the strategy sees it from its first bar and exits it by its rules, once', async () => {
    const clock = createTestClock(T0)
    const venue = createSimVenue({ profile: 'binance-usdm', instruments: [ins], balances: { USDT: 10_000 }, clock, defaultLeverage: 2, record: { calls: true } })
    // what the venue did, as the venue reports it (the reference for prices, fees and balances)
    const venueFills: Fill[] = []
    venue.subscribeUserStream((e) => {
      if (e.type === 'fill') venueFills.push(e.fill)
    })
    const recorded = [bar(0, 100), bar(1, 101), bar(2, 102), bar(3, 100.5)]
    venue.applyCandle({ symbol: ins.symbol, candle: recorded[0] as Candle })
    let listener: ((e: MarketDataEvent) => void) | undefined
    const feed: MarketDataFeed = {
      subscribe(_sub, l) {
        listener = l
        return () => (listener = undefined)
      },
      fetchCandles: ({ fromMs, toMs }) => Promise.resolve(recorded.filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < toMs)),
    }
    const push = async (c: Candle): Promise<void> => {
      for (let k = 0; k < 50 && listener === undefined; k++) await new Promise((r) => setImmediate(r))
      venue.applyCandle({ symbol: ins.symbol, candle: c })
      clock.advanceTo(c.openTimeMs + M5)
      listener?.({ type: 'candle', symbol: ins.symbol, timeframe: '5m', candle: c, closed: true })
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r))
    }
    // the same rules in both processes: enter long when flat on a rising close, exit a long on a falling close
    const positionsSeen: (string | null)[] = []
    const strategy = (): EngineStrategy => {
      let prev: number | undefined
      return {
        id: 'restart-test',
        className: 'Test',
        onCandle(ctx, ev) {
          const before = prev
          prev = ev.candle.close
          if (ctx.warmingUp || before === undefined) return []
          positionsSeen.push(ctx.position === null ? null : `${ctx.position.side} ${ctx.position.qty} @ ${ctx.position.entryPrice}`)
          if (ctx.position === null && ev.candle.close > before) return [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'rising' } }]
          if (ctx.position?.side === 'long' && ev.candle.close < before) return [{ type: 'exit', reason: 'falling', detail: 'close below the previous close' }]
          return []
        },
      }
    }
    const store = createMemoryJournalStore()
    const session = (events: EngineEvent[], stop: AbortController) =>
      runLive({
        symbol: ins.symbol, instrument: ins, timeframe: '5m', strategy: strategy(), exchange: venue, feed, clock, journal: createMemoryJournal({ store }),
        leverage: 2, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.03, warmupBars: 2, onEvent: (e) => events.push(e), signal: stop.signal,
        oms: { streamStaleAfterMs: 0 },
      })
    const creates = (): OrderRequest[] => venue.callLog().filter((c) => c.method === 'createOrder' && c.outcome === 'ok').map((c) => c.args as OrderRequest)

    // the first process: enters on bar 1's close, then stops mid-position (as a killed process, its OMS journal stays)
    clock.advanceTo(T0 + M5)
    const events1: EngineEvent[] = []
    const stop1 = new AbortController()
    const first = session(events1, stop1)
    await push(recorded[1] as Candle)
    stop1.abort()
    await first
    const entryFill = venueFills.find((f) => f.side === 'buy')
    const stopOrder = venue.state().openOrders.find((o) => o.type === 'stop-market')
    expect(venue.state().positions).toMatchObject([{ side: 'long', qty: 1 }])
    expect(entryFill).toBeDefined()
    expect(stopOrder).toBeDefined()
    const entryDecision = events1.find((e) => e.type === 'decision' && e.decision.action === 'enter')
    const createsBefore = creates().length
    const balanceAtRestart = venue.state().balances.USDT as number

    // the second process on the same journal and venue
    const events2: EngineEvent[] = []
    const stop2 = new AbortController()
    positionsSeen.length = 0
    const second = session(events2, stop2)
    await push(recorded[2] as Candle) // rising: a flat strategy would enter; this one holds the recovered long
    await push(recorded[3] as Candle) // falling: the strategy's exit rule closes it
    stop2.abort()
    const result = await second

    const recovered = events2.find((e) => e.type === 'position-recovered')
    expect(recovered?.type === 'position-recovered' ? recovered.position : undefined).toEqual({
      symbol: ins.symbol, side: 'long', qty: 1, entryPrice: entryFill?.price, openedAtMs: T0 + 2 * M5,
      signalId: entryDecision?.type === 'decision' ? entryDecision.decision.proposal.signalId : 'no entry decision', stopPrice: stopOrder?.triggerPrice,
    })
    // from its first bar the strategy sees the position the first process opened; after the exit, flat
    expect(positionsSeen).toEqual([`long 1 @ ${entryFill?.price}`, `long 1 @ ${entryFill?.price}`])
    // one order sent by the second process: the reduce-only market exit (no entry, nothing sent twice)
    const sent = creates().slice(createsBefore)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ side: 'sell', type: 'market', qty: 1, reduceOnly: true })
    expect(events2.filter((e) => e.type === 'execution-refused')).toEqual([])
    expect(events2.some((e) => e.type === 'decision' && e.decision.action === 'enter')).toBe(false)
    expect(venue.state().positions).toEqual([])
    // the trade appears once, with the first process's entry price and the PnL the venue booked
    const exitFill = venueFills.find((f) => f.side === 'sell')
    expect(exitFill).toBeDefined()
    const exit = exitFill as Fill
    const entryPrice = (entryFill as Fill).price
    expect(result.trades).toHaveLength(1)
    const trade = result.trades[0]
    expect(trade).toMatchObject({ side: 'long', qty: 1, entryPrice, exitPrice: exit.price, entryTimeMs: T0 + 2 * M5, exitReason: 'signal', openAtEnd: false, recovered: true })
    expect(trade?.grossPnl).toBeCloseTo(exit.price - entryPrice, 9)
    expect(trade?.fees).toBeCloseTo(exit.feeAmount, 9)
    expect(trade?.netPnl).toBeCloseTo(exit.price - entryPrice - exit.feeAmount, 9)
    // the run's equity is the venue's balance: the trade's net PnL is what the account made in this session
    expect(result.metrics.initialEquity).toBe(balanceAtRestart)
    expect(result.metrics.finalEquity).toBeCloseTo(venue.state().balances.USDT as number, 9)
    expect(result.metrics.finalEquity - result.metrics.initialEquity).toBeCloseTo(trade?.netPnl as number, 9)
  })
  it('hands its OMS and risk session to onServices: an operator HALT refuses the entry, lifting it lets the next one go', async () => {
    const { clock, venue, feed, listener } = pushedMarket(T0 + M5)
    const strategy: EngineStrategy = {
      id: 'operator-test',
      className: 'Test',
      onCandle: (ctx, ev) => (!ctx.warmingUp && ev.baseBarCount >= 2 && ctx.position === null ? [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' } }] : []),
    }
    const events: EngineEvent[] = []
    let services: LiveServices | undefined
    const stop = new AbortController()
    const done = runLive({
      symbol: ins.symbol, instrument: ins, timeframe: '5m', strategy, exchange: venue, feed, clock, journal: createBacktestJournal(),
      leverage: 2, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.03, warmupBars: 1, onEvent: (e) => events.push(e), signal: stop.signal,
      oms: { streamStaleAfterMs: 0 },
      onServices: (s) => {
        services = s
        s.risk.engine.halt({ reason: 'operator: test' })
      },
    })
    const push = async (c: Candle): Promise<void> => {
      for (let k = 0; k < 50 && listener() === undefined; k++) await new Promise((r) => setImmediate(r))
      venue.applyCandle({ symbol: ins.symbol, candle: c })
      clock.advanceTo(c.openTimeMs + M5)
      listener()?.({ type: 'candle', symbol: ins.symbol, timeframe: '5m', candle: c, closed: true })
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r))
    }
    await push(bar(1, 101))
    expect(venue.state().positions).toEqual([])
    const refused = events.find((e) => e.type === 'decision')
    expect(refused?.type === 'decision' && refused.decision.action).not.toBe('enter')
    expect(services?.risk.engine.lift({ id: 'manual' }).ok).toBe(true)
    await push(bar(2, 102))
    expect(venue.state().positions).toHaveLength(1)
    stop.abort()
    await done
    // placed before the loop subscribed, the HALT itself is not reported; its lift is
    expect(events.filter((e) => e.type === 'halt').map((e) => e.type === 'halt' && e.transition.type)).toEqual(['halt-lifted'])
  })
})
