/**
 * Safety scenarios found by adversarial testing, one per class of hole. Each asserts the invariant that broke
 * (one venue order per client id; every position protected or flattened; no id reused), read from the simulated
 * venue's own records, never from the order manager's view of itself.
 */
import { describe, expect, it } from 'vitest'
import { createMemoryBudgetLedger, type EntryIntent } from '../src/index.js'
import { advance, BINANCE_BTC, createCalls, createWorld, reconcileSettled, T0, venueOrdersByClientId, venuePositionQty, venueStops } from './harness.js'

const SYM = BINANCE_BTC.symbol
const long = (over: Partial<EntryIntent> = {}): EntryIntent => ({ signalId: 'sig-1', signalTimeMs: T0, symbol: SYM, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, ...over })

function expectOneVenueOrderPerClientId(w: Awaited<ReturnType<typeof createWorld>>): void {
  for (const [id, venueIds] of venueOrdersByClientId(w.venue)) expect({ id, orders: venueIds.size }).toEqual({ id, orders: 1 })
}

describe('safety: orphan flatten ids carry a generation', () => {
  it('a foreign position that appears a second time is flattened again, under a new client id', async () => {
    const w = await createWorld({ config: { mismatchChecksRequired: 1, mismatchCooldownMs: 0 } })
    for (const round of [1, 2]) {
      await w.venue.createOrder({ symbol: SYM, clientOrderId: `manual-${round}`, side: 'buy', type: 'market', qty: 0.02 })
      expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.02, 12)
      await reconcileSettled(w)
      await advance(w.clock, 10_000)
      expect({ round, qty: venuePositionQty(w.venue, SYM) }).toEqual({ round, qty: 0 })
    }
    const flattens = createCalls(w.venue).filter((c) => c.reduceOnly && c.outcome === 'ok')
    expect(new Set(flattens.map((c) => c.clientOrderId)).size).toBe(flattens.length)
    expectOneVenueOrderPerClientId(w)
  })
})

describe('safety: ids depend only on OMS-owned data', () => {
  it('a second entry with the same signal but another caller client id is refused; no client id gets two venue orders', async () => {
    const w = await createWorld({})
    expect((await w.oms.submitEntry(long({ clientOrderId: 'mine-1' }))).ok).toBe(true)
    await advance(w.clock, 1000)
    expect((await w.oms.exit({ symbol: SYM })).ok).toBe(true)
    await advance(w.clock, 60_000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
    const again = await w.oms.submitEntry(long({ clientOrderId: 'mine-2' }))
    expect(again).toMatchObject({ ok: false, reason: 'duplicate-intent' })
    await advance(w.clock, 5000)
    expectOneVenueOrderPerClientId(w)
  })
})

describe('safety: late accept', () => {
  it('a create executed by the venue 3 s after the client timed out is found, not re-sent: one fill, one stop', async () => {
    const w = await createWorld({})
    // the first create is the pre-placed stop; the entry times out for us and executes 3 s later
    w.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 3000, skip: 1 })
    await w.oms.submitEntry(long())
    await advance(w.clock, 20_000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expectOneVenueOrderPerClientId(w)
    expect(w.oms.status().symbols[0]).toMatchObject({ phase: 'IN_POSITION', stopStatus: 'ACTIVE' })
  })

  it('a create refused by the venue for arriving after its validity window is re-sent once the window has passed', async () => {
    const w = await createWorld({})
    w.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 60_000, skip: 1 }) // never arrives in time
    await w.oms.submitEntry(long())
    await advance(w.clock, 20_000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expect(w.events.some((e) => e.type === 'order-absent' && e.resend)).toBe(true)
    expectOneVenueOrderPerClientId(w)
  })
})

describe('safety: used ids survive retention and restart', () => {
  it('a signal replayed after its orders left the retained window and the process restarted is refused', async () => {
    const w = await createWorld({ config: { makerOnly: false, snapshotEveryRecords: 5, retainTerminalMs: 120_000 } })
    for (let k = 0; k < 6; k++) {
      expect((await w.oms.submitEntry(long({ signalId: `replay${k}` }))).ok).toBe(true)
      await advance(w.clock, 1000)
      expect((await w.oms.exit({ symbol: SYM })).ok).toBe(true)
      await advance(w.clock, 59_000)
    }
    await w.restart()
    await advance(w.clock, 1000)
    const calls = createCalls(w.venue).length
    const again = await w.oms.submitEntry(long({ signalId: 'replay0' }))
    expect(again).toMatchObject({ ok: false, reason: 'duplicate-intent' })
    await advance(w.clock, 5000)
    expect(createCalls(w.venue)).toHaveLength(calls)
    expectOneVenueOrderPerClientId(w)
  })
})

describe('safety: the request budget survives restarts', () => {
  /** Most venue calls inside any 60 s window, from the venue's own call log. */
  const worstMinute = (w: Awaited<ReturnType<typeof createWorld>>): number => {
    const times = w.venue.callLog().map((c) => c.timestampMs)
    let worst = 0
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[j] as number) <= (times[i] as number) - 60_000) j++
      worst = Math.max(worst, i - j + 1)
    }
    return worst
  }
  const crashLoop = async (ledger: boolean): Promise<number> => {
    const budgetLedger = createMemoryBudgetLedger()
    const w = await createWorld({ profile: 'bybit-inverse', start: false, config: { reconcileIntervalMs: 1_000, degradedReconcileIntervalMs: 500 } })
    for (let restart = 0; restart < 40; restart++) {
      await w.restart(ledger ? { budgetLedger } : {})
      await advance(w.clock, 1_500)
    }
    return worstMinute(w)
  }

  it('a crash loop of 40 restarts in 60 s stays under the venue limit (Bybit 120 / min, cap 90) with a ledger', async () => {
    expect(await crashLoop(true)).toBeLessThanOrEqual(90)
  })

  it('control: without a ledger the same crash loop exceeds the venue limit', async () => {
    expect(await crashLoop(false)).toBeGreaterThan(120)
  })
})

describe('safety: a silent stream is detected', () => {
  it('a half-open stream while an entry works: the fill it never delivers is protected within seconds, not at the 30 s reconcile', async () => {
    const w = await createWorld({})
    const r = await w.oms.submitEntry(long({ type: 'limit', price: 64_990, qty: 0.01 }))
    expect(r.ok).toBe(true)
    await advance(w.clock, 1000)
    const stop = venueStops(w.venue, SYM)[0]
    expect(stop).toBeDefined()
    // the stream goes silent without a disconnect, and the pre-placed stop disappears (expired on the venue)
    w.venue.faults.silence({ untilMs: Number.POSITIVE_INFINITY })
    await w.venue.cancelOrder({ symbol: SYM, clientOrderId: (stop as { clientOrderId: string }).clientOrderId })
    await advance(w.clock, 1000)
    w.setPrice(64_980, 1) // the entry fills; the manager hears nothing
    const filledAt = w.clock.now()
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    let protectedAfterMs = Number.POSITIVE_INFINITY
    for (let t = 0; t <= 40_000; t += 500) {
      await advance(w.clock, 500)
      if (venueStops(w.venue, SYM).some((o) => o.qty >= 0.01 - 1e-12)) {
        protectedAfterMs = w.clock.now() - filledAt
        break
      }
    }
    expect(protectedAfterMs).toBeLessThanOrEqual(12_000)
    expect(w.events.some((e) => e.type === 'degraded' && e.on && e.reason.startsWith('stream stale'))).toBe(true)
  })
})

describe('safety: a late-accepted order nobody wants is canceled', () => {
  it('a take-profit that arrives after the exit (its cancel answered "unknown order") is canceled, not left to act on the next trade', async () => {
    const w = await createWorld({})
    // creates: pre-placed stop, entry, then the take-profit — which times out and reaches the venue 3 s later
    w.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 3000, skip: 2 })
    await w.oms.submitEntry(long({ takeProfitPrice: 66_000 }))
    await advance(w.clock, 300)
    expect((await w.oms.exit({ symbol: SYM })).ok).toBe(true)
    await advance(w.clock, 20_000)
    await reconcileSettled(w)
    await advance(w.clock, 5_000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
    expect(w.venue.state().openOrders).toEqual([])
  })
})

describe('safety: reconcile snapshots are ordered against stream events', () => {
  it('a 429 on fill history at start-up while a stream fill lands: the stale position snapshot does not win', async () => {
    const w = await createWorld({})
    expect((await w.oms.submitEntry(long({ type: 'limit', price: 64_990 }))).ok).toBe(true)
    await advance(w.clock, 1000)
    // restart; the start-up reconcile's fill-history request is rate limited for 2 s
    w.venue.faults.fail('fetchFills', { kind: 'rate-limited', retryAfterMs: 2000 })
    await w.restart()
    await advance(w.clock, 300)
    w.setPrice(64_980, 1) // meanwhile the resting entry fills; the stream delivers it
    await advance(w.clock, 10_000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expect(w.oms.status().symbols[0]?.qty).toBeCloseTo(0.01, 12)
    expect(venueStops(w.venue, SYM).reduce((a, o) => a + o.qty, 0)).toBeGreaterThanOrEqual(0.01 - 1e-12)
  })
})
