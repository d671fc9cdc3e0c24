/**
 * Failures the long-run campaign (`npm run campaign`) found after every named safety class was fixed, each as a
 * focused scenario against the simulated venue, plus a replay of the campaign run that first showed it. Every
 * assertion reads the venue's own records (call log, open orders, positions), never the order manager's view.
 */
import { createTestClock, roundToStep } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRequestBudget, type EntryIntent } from '../src/index.js'
import { advance, BINANCE_BTC, BYBIT_BTCUSD, createCalls, createWorld, type Profile, venueOrdersByClientId, venuePositionQty, venueStops, type World } from './harness.js'
import { createCoverageTracker } from './invariants.js'
import { type Action, longRunArb, runModel } from './model.js'

const BIN = BINANCE_BTC.symbol
const BYB = BYBIT_BTCUSD.symbol

function expectOneVenueOrderPerClientId(w: World): void {
  for (const [id, venueIds] of venueOrdersByClientId(w.venue)) expect({ id, orders: venueIds.size }).toEqual({ id, orders: 1 })
}

/** Advance in 100 ms steps, sampling protection coverage from the venue; returns the first violation. */
async function watchCoverage(w: World, ms: number): Promise<string | undefined> {
  const coverage = createCoverageTracker(w)
  let first: string | undefined
  for (let t = 0; t < ms; t += 100) {
    await advance(w.clock, 100, 100)
    first ??= coverage.sample()
  }
  return first
}

describe('campaign: a stop whose create outcome is unknown does not hold protection back', () => {
  it('the stop vanishes, its replacement times out: the next generation is on the book within 2 s (no 6 s wait for proof)', async () => {
    const w = await createWorld({})
    await w.oms.submitEntry({ signalId: 'unk-stop', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    await advance(w.clock, 2000)
    const [stop] = venueStops(w.venue, BIN)
    expect(stop).toBeDefined()
    // the stop disappears (canceled outside the OMS) and the create of its replacement times out before reaching the venue
    w.venue.faults.fail('createOrder', { kind: 'timeout-before', times: 1 })
    await w.venue.cancelOrder({ symbol: BIN, clientOrderId: stop!.clientOrderId })
    expect(await watchCoverage(w, 5000)).toBeUndefined()
    expect(venuePositionQty(w.venue, BIN)).toBeCloseTo(0.01, 12)
    expect(venueStops(w.venue, BIN).reduce((a, o) => a + o.qty, 0)).toBeCloseTo(0.01, 12)
    expectOneVenueOrderPerClientId(w)
  })
})

describe('campaign: a flatten is not held back by the entry cancels that go with it', () => {
  it('the flatten create reaches the venue before an entry cancel that needs retries completes', async () => {
    const w = await createWorld({ participation: 0.3 })
    const limit = roundToStep({ value: w.price * 0.9995, step: BINANCE_BTC.tickSize })
    await w.oms.submitEntry({ signalId: 'fl-cancel', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.02, type: 'limit', price: limit, stopPrice: 64_000 })
    await advance(w.clock, 1000)
    w.setPrice(roundToStep({ value: limit * 0.999, step: BINANCE_BTC.tickSize }), 0.01) // a partial fill: a position plus a working entry
    await advance(w.clock, 1000)
    expect(venuePositionQty(w.venue, BIN)).toBeGreaterThan(0)
    // the stop disappears and cannot be replaced (rejected three times): protection gives up and flattens; the entry
    // cancel that goes with the flatten meets a refused connection twice (the gateway retries it with backoff)
    const [stop] = venueStops(w.venue, BIN)
    w.venue.faults.fail('createOrder', { kind: 'reject', code: 'venue-rejected', message: 'rejected', times: 3 })
    w.venue.faults.fail('cancelOrder', { kind: 'network', times: 2, skip: 1 })
    await w.venue.cancelOrder({ symbol: BIN, clientOrderId: stop!.clientOrderId })
    await advance(w.clock, 10_000)
    const log = w.venue.callLog()
    const flattenAt = log.findIndex((c) => c.method === 'createOrder' && c.outcome === 'ok' && (c.args as { reduceOnly?: boolean; type: string }).reduceOnly === true && (c.args as { type: string }).type === 'market')
    const entryCanceledAt = log.findIndex((c) => c.method === 'cancelOrder' && c.outcome === 'ok' && (c.args as { clientOrderId: string }).clientOrderId.endsWith('_en0'))
    expect(flattenAt).toBeGreaterThanOrEqual(0)
    expect(entryCanceledAt).toBeGreaterThanOrEqual(0)
    expect(flattenAt).toBeLessThan(entryCanceledAt)
    expect(venuePositionQty(w.venue, BIN)).toBe(0)
  })
})

describe('campaign: an amend that lands late is not taken for the last word', () => {
  it('an older stop amend executed by the venue after a newer one is corrected: stop qty = position', async () => {
    const w = await createWorld({ profile: 'bybit-inverse' })
    await w.oms.submitEntry({ signalId: 'late-amend', signalTimeMs: w.clock.now(), symbol: BYB, direction: 'long', qty: 100, type: 'market', stopPrice: 60_000 })
    await advance(w.clock, 3000)
    expect(venuePositionQty(w.venue, BYB)).toBe(100)
    // the venue deleverages 25: the stop amend to 75 times out for us and executes 3 s later, after the amend to 37
    w.venue.faults.fail('amendOrder', { kind: 'late-accept', delayMs: 3000, times: 1 })
    w.venue.autoDeleverage({ symbol: BYB, qty: 25 })
    await advance(w.clock, 1000)
    expect((await w.oms.reduce({ symbol: BYB, qty: 38 })).ok).toBe(true)
    await advance(w.clock, 15_000)
    expect(venuePositionQty(w.venue, BYB)).toBe(37)
    expect(venueStops(w.venue, BYB).map((o) => o.qty)).toEqual([37])
  })
})

describe('campaign: a wall clock stepped forward shortens no window', () => {
  it('a timed-out create is not declared absent early: one venue order under its client id', async () => {
    const w = await createWorld({})
    // the first create is the pre-placed stop; the entry times out for us and executes 3 s later
    w.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 3000, skip: 1 })
    const entry: EntryIntent = { signalId: 'wall-fwd', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 }
    await w.oms.submitEntry(entry)
    w.stepOmsWall(10_000) // NTP steps the order manager's wall clock forward; 10 s read, 0 s elapsed
    await advance(w.clock, 20_000)
    expectOneVenueOrderPerClientId(w)
    expect(venuePositionQty(w.venue, BIN)).toBeCloseTo(0.01, 12)
    expect(createCalls(w.venue).filter((c) => c.clientOrderId.endsWith('_en0')).length).toBe(1)
  })

  it('the request budget keeps counting requests the venue still counts', () => {
    const clock = createTestClock(1_758_240_000_000)
    const budget = createRequestBudget({ clock, config: { venueLimit: 10, windowMs: 60_000 } })
    for (let i = 0; i < budget.cap; i++) expect(budget.tryAcquire(1)).toBe(true)
    clock.stepWall(61_000) // the wall reads a minute later; no time has passed for the venue
    expect(budget.tryAcquire(1)).toBe(false)
    clock.advance(60_000)
    expect(budget.tryAcquire(1)).toBe(true)
  })
})

describe('campaign: a stop that fired while the stream was silent is asked how it ended', () => {
  it('the stop closes a first partial fill and its remainder expires unseen; the rest of the entry fills: a new stop within 2 s', async () => {
    const w = await createWorld({ participation: 1 })
    await w.oms.submitEntry({ signalId: 'fired-unseen', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'limit', price: 64_967.5, stopPrice: 64_500 })
    await advance(w.clock, 1000)
    expect(venueStops(w.venue, BIN).map((o) => o.qty)).toEqual([0.01])
    // silent stream: 0.002 of the entry fills, the stop fires and closes it, its reduce-only remainder expires
    w.venue.faults.silence({ untilMs: w.clock.now() + 1000 })
    w.setPrice(64_000, 0.002)
    await advance(w.clock, 1500)
    expect(venuePositionQty(w.venue, BIN)).toBe(0)
    expect(venueStops(w.venue, BIN)).toEqual([])
    // the stream is back: the rest of the entry fills, and that is delivered
    w.setPrice(63_900, 0.008)
    expect(venuePositionQty(w.venue, BIN)).toBeCloseTo(0.008, 12)
    expect(await watchCoverage(w, 5000)).toBeUndefined()
  })
})

describe('campaign: a wall clock stepped backwards stretches no grace', () => {
  it('a stop create that timed out is proven absent in a few queries, not polled every 200 ms for the 30 s the clock went back', async () => {
    const w = await createWorld({ profile: 'bybit-inverse' })
    w.venue.faults.fail('createOrder', { kind: 'timeout-before', times: 1 }) // the pre-placed stop never reaches the venue
    await w.oms.submitEntry({ signalId: 'wall-back', signalTimeMs: w.clock.now(), symbol: BYB, direction: 'long', qty: 100, type: 'market', stopPrice: 60_000 })
    w.stepOmsWall(-30_000) // NTP steps the order manager's wall clock back; no time passed for the venue
    await advance(w.clock, 20_000)
    const queries = w.venue.callLog().filter((c) => c.method === 'fetchOrder' && (c.args as { clientOrderId: string }).clientOrderId.endsWith('_sl1'))
    // one query right after the timeout, then the validity window (6 s), then three "not found" answers to prove absence
    expect(queries.length).toBeLessThanOrEqual(6)
    expect(venuePositionQty(w.venue, BYB)).toBe(100)
    expect(venueStops(w.venue, BYB).map((o) => o.qty)).toEqual([100])
  })
})

describe('campaign: "unknown order" inside the validity window is not proof of absence', () => {
  it('an entry canceled while its create was in doubt, which then lands and fills, is still covered by the stop', async () => {
    const w = await createWorld({})
    // the first create is the pre-placed stop; the market entry times out for us and executes 2 s later
    w.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 2000, skip: 1 })
    await w.oms.submitEntry({ signalId: 'cancel-in-window', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    await advance(w.clock, 300)
    await w.oms.exit({ symbol: BIN }) // cancels the working entry: the venue answers "unknown order" (not there yet)
    expect(await watchCoverage(w, 10_000)).toBeUndefined()
    expectOneVenueOrderPerClientId(w)
  })
})

/** Venue stop qty never above the venue position (a stop sized for fills counted twice), sampled every 100 ms. */
async function watchStopSize(w: World, symbol: string, ms: number): Promise<string | undefined> {
  let first: string | undefined
  for (let t = 0; t < ms; t += 100) {
    await advance(w.clock, 100, 100)
    const pos = Math.abs(venuePositionQty(w.venue, symbol))
    const stops = venueStops(w.venue, symbol).reduce((a, o) => a + o.qty, 0)
    if (first === undefined && stops > pos + 1e-12 && pos > 0) first = `stop ${stops} above position ${pos} at +${t} ms`
  }
  return first
}

describe('campaign: fills are caught up on the venue\'s clock', () => {
  it('our wall clock 70 s ahead of the venue\'s, the stream loses the entry\'s fill: it is caught up, the exit closes it, no stop is left', async () => {
    const w = await createWorld({})
    w.stepOmsWall(70_000) // NTP stepped our wall clock; the venue stamps fills on its own clock, 70 s earlier
    w.venue.faults.dropNext(4) // the stop's and the entry's order events and the entry's fill never reach us
    await w.oms.submitEntry({ signalId: 'skew-fill', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    expect(await watchStopSize(w, BIN, 5000)).toBeUndefined()
    expect(venuePositionQty(w.venue, BIN)).toBeCloseTo(0.01, 12)
    await w.oms.exit({ symbol: BIN })
    await advance(w.clock, 10_000)
    expect(venuePositionQty(w.venue, BIN)).toBe(0)
    expect(venueStops(w.venue, BIN)).toEqual([])
  })

  it('a restart while the venue\'s trade history lags a filled entry adopts the position once: stop = position, nothing left after the exit', async () => {
    const w = await createWorld({})
    // the order reads filled before its trades can be queried: the venue's trade history lags its order status by 20 s
    const fetchFills = w.venue.fetchFills.bind(w.venue)
    const visibleFrom = w.clock.now() + 20_000
    w.venue.fetchFills = async (query) => (w.clock.now() < visibleFrom ? (await fetchFills(query)).filter((f) => !f.clientOrderId.endsWith('_en0')) : fetchFills(query))
    w.venue.faults.dropNext(4) // the stop's and the entry's order events and the entry's fill never reach us
    await w.oms.submitEntry({ signalId: 'lagging-history', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    await advance(w.clock, 1000)
    await w.restart() // the start-up reconcile finds a position of 0.01 that holds the entry fill not yet applied
    expect(await watchStopSize(w, BIN, 25_000)).toBeUndefined()
    expect(venueStops(w.venue, BIN).map((o) => o.qty)).toEqual([0.01])
    await w.oms.exit({ symbol: BIN })
    await advance(w.clock, 10_000)
    expect(venuePositionQty(w.venue, BIN)).toBe(0)
    expect(venueStops(w.venue, BIN)).toEqual([])
  })
})

// The campaign runs that first showed each failure (`npm run campaign -- --runs 1 --seed N --venue V`)
const REPLAYS: readonly { readonly venue: Profile; readonly seed: number; readonly showed: string }[] = [
  { venue: 'binance-usdm', seed: 353, showed: 'flatten sent only after a retried entry cancel' },
  { venue: 'binance-usdm', seed: 1110, showed: 'unknown stop create blocked protection until the watchdog' },
  { venue: 'bybit-inverse', seed: 238, showed: 'late stop amend left stop qty above the position' },
  { venue: 'bybit-inverse', seed: 1330, showed: 'request budget aged out by a forward wall step' },
  { venue: 'binance-usdm', seed: 4326, showed: 'entry canceled inside its window landed late and filled unprotected' },
  { venue: 'bybit-inverse', seed: 1435, showed: 'absence declared early after a forward wall step: two venue orders under one id' },
  { venue: 'binance-usdm', seed: 5426, showed: 'a stop fired unseen (silent stream) kept protection waiting; the rest of the entry filled unprotected' },
  { venue: 'binance-usdm', seed: 8418, showed: 'a stop fired unseen (silent stream) kept protection waiting; the rest of the entry filled unprotected' },
  { venue: 'bybit-inverse', seed: 9189, showed: 'absence grace measured on a wall clock stepped back: 200 ms polling drained the request budget, a fill found no stop' },
  { venue: 'binance-usdm', seed: 6506, showed: 'fill outside a catch-up window built on our clock, then adopted and counted twice: stop left after close' },
]

describe('campaign replays', () => {
  it.each(REPLAYS)('$venue seed $seed ($showed): no violation', async ({ venue, seed }) => {
    const [actions] = fc.sample(longRunArb, { seed, numRuns: 1 }) as [Action[]]
    const run = await runModel({ profile: venue, actions, seed })
    expect(run.violations).toEqual([])
  })
})
