/**
 * A venue that cannot hold a reduce-only stop before any position exists (`capabilities.reduceOnlyStopWithoutPosition`
 * false, as the live Binance USDⓈ-M and Bybit adapters report): the entry goes out first and the stop follows the
 * first fill, within 2 s, and is resized with later fills. What is checked is read from the simulated venue (its
 * call log, event log and book), never from the order manager.
 */
import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { deriveClientOrderId, type EntryIntent } from '../src/index.js'
import { advance, BINANCE_BTC, createCalls, createWorld, T0, venuePositionQty, venueStops, type World } from './harness.js'

const SYM = BINANCE_BTC.symbol
const CANNOT = { reduceOnlyStopWithoutPosition: false } as const
const STOP_WITHIN_MS = 2_000
const long = (over: Partial<EntryIntent> = {}): EntryIntent => ({ signalId: 'sig-1', signalTimeMs: T0, symbol: SYM, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, ...over })
const entryId = deriveClientOrderId({ signalId: 'sig-1', direction: 'long' })

/** Reduce-only sell stops on the venue covering at least the venue's position. */
function covered(w: World): boolean {
  const pos = venuePositionQty(w.venue, SYM)
  const cover = venueStops(w.venue, SYM).filter((o) => o.side === 'sell').reduce((a, o) => a + o.qty - o.filledQty, 0)
  return cover >= pos - 1e-12
}

/** Virtual ms, in 50 ms steps, until the venue's position is covered by its stops (Infinity when not within `maxMs`). */
async function msUntilCovered(w: World, maxMs = 5_000): Promise<number> {
  for (let t = 0; t <= maxMs; t += 50) {
    if (covered(w)) return t
    await advance(w.clock, 50, 50)
  }
  return Number.POSITIVE_INFINITY
}

/** Venue fill times of the entry, from the venue's event log. */
function entryFillTimes(w: World): number[] {
  return w.venue
    .eventLog()
    .flatMap((e) => (e.type === 'fill' && e.fill.clientOrderId === entryId ? [e.fill.timestampMs] : []))
}

describe('entry then stop on a venue without reduce-only stops before a position', () => {
  it('market entry: the entry is created first, the stop for the filled qty follows within 2 s', async () => {
    const w = await createWorld({ capabilities: CANNOT })
    const r = await w.oms.submitEntry(long())
    expect(r.ok).toBe(true)
    const fills = entryFillTimes(w)
    expect(fills.length).toBeGreaterThan(0)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expect(await msUntilCovered(w)).toBeLessThanOrEqual(STOP_WITHIN_MS)
    const calls = createCalls(w.venue)
    const entryAt = calls.findIndex((c) => c.clientOrderId === entryId)
    const firstStop = calls.findIndex((c) => c.clientOrderId.includes('_sl'))
    expect(entryAt).toBe(0)
    expect(firstStop).toBeGreaterThan(entryAt)
    expect((calls[firstStop]?.timestampMs ?? Infinity) - (fills[0] ?? 0)).toBeLessThanOrEqual(STOP_WITHIN_MS)
    expect(venueStops(w.venue, SYM).map((o) => o.qty)).toEqual([0.01])
  })

  it('resting limit entry: nothing protective while it rests; a partial fill gets a stop within 2 s, the rest of the fill a resized one', async () => {
    const w = await createWorld({ capabilities: CANNOT, participation: 1 })
    await w.oms.submitEntry(long({ type: 'limit', price: 64990 }))
    await advance(w.clock, 500)
    expect(w.venue.state().openOrders.map((o) => o.clientOrderId)).toEqual([entryId])
    expect(createCalls(w.venue).map((c) => c.clientOrderId)).toEqual([entryId])

    w.setPrice(64980, 0.004) // trades through the limit: 0.004 of 0.01 fills
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.004, 12)
    expect(await msUntilCovered(w)).toBeLessThanOrEqual(STOP_WITHIN_MS)
    expect(venueStops(w.venue, SYM).map((o) => o.qty)).toEqual([0.004]) // the position only, not the unfilled rest

    await advance(w.clock, 1_000)
    w.setPrice(64980, 0.006) // the rest fills
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expect(await msUntilCovered(w)).toBeLessThanOrEqual(STOP_WITHIN_MS)
    await advance(w.clock, 2_000)
    const stops = venueStops(w.venue, SYM)
    expect(stops.map((o) => o.qty)).toEqual([0.01]) // replaced new-before-old (Binance): one stop left
    const calls = createCalls(w.venue)
    expect(calls[0]?.clientOrderId).toBe(entryId)
    expect(calls.filter((c) => c.clientOrderId.includes('_sl')).every((c) => c.reduceOnly)).toBe(true)
  })

  it('a stop the venue keeps failing to take after the fill: the position is flattened, not left uncovered', async () => {
    const w = await createWorld({ capabilities: CANNOT })
    w.venue.faults.fail('createOrder', { kind: 'reject', skip: 1, times: 3, message: 'Internal error; unable to process your request.' }) // the entry passes, 3 stops fail
    const t0 = w.clock.now()
    await w.oms.submitEntry(long())
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    await advance(w.clock, 5_000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
    const flatten = createCalls(w.venue).find((c) => c.clientOrderId.includes('_fl'))
    expect(flatten?.reduceOnly).toBe(true)
    expect((flatten?.timestampMs ?? Infinity) - t0).toBeLessThanOrEqual(STOP_WITHIN_MS)
  })

  it('explicit protectWorkingEntries: true on such a venue is a typed config error; false on a capable venue is honoured', async () => {
    const err = await createWorld({ capabilities: CANNOT, config: { protectWorkingEntries: true } }).catch((e: unknown) => e)
    expect(isPerpkitError(err, 'invalid-input')).toBe(true)
    expect((err as { path?: string }).path).toBe('config.protectWorkingEntries')

    const w = await createWorld({ config: { protectWorkingEntries: false } })
    await w.oms.submitEntry(long())
    await advance(w.clock, 500)
    expect(createCalls(w.venue)[0]?.clientOrderId).toBe(entryId)
  })
})
