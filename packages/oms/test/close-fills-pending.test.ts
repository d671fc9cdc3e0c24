/**
 * An exit the venue reports filled (over REST: the answer to a query after a timed-out create, or a reconcile)
 * before its fills reach us: the position still looks open for a moment, but the fills are on their way. The
 * OMS must fetch them before it decides the exit "left a remainder" — a flatten sent into a venue that is
 * already flat is refused (Binance -2022, reduce-only rejected) and is a second close order for one decision.
 */
import { describe, expect, it } from 'vitest'
import { advance, createCalls, createWorld, longEntry, venuePositionQty } from './harness.js'

describe.each(['binance-usdm', 'bybit-inverse'] as const)('%s: an exit reported filled before its fills arrive', (profile) => {
  it('catches the fills up instead of flattening a position that is already closed', async () => {
    const w = await createWorld({ profile })
    const sym = w.instrument.symbol
    const qty = profile === 'binance-usdm' ? 0.01 : 100
    await w.oms.submitEntry(longEntry({ symbol: sym, qty }))
    await advance(w.clock, 500)
    expect(Math.abs(venuePositionQty(w.venue, sym))).toBeCloseTo(qty, 12)
    // the exit's create times out although the venue executed it, and its stream events are lost: the OMS learns
    // of it from a query (status filled, whole qty filled) while its own position still holds the whole qty
    w.venue.faults.dropNext(10)
    w.venue.faults.fail('createOrder', { kind: 'timeout-after-accept' })
    expect((await w.oms.exit({ symbol: sym, reason: 'signal' })).ok).toBe(true)
    await advance(w.clock, 5000)
    expect(venuePositionQty(w.venue, sym)).toBe(0)
    expect(w.oms.status().symbols.find((x) => x.symbol === sym)?.qty ?? 0).toBe(0)
    const closes = createCalls(w.venue).filter((c) => c.reduceOnly && !c.clientOrderId.includes('_sl'))
    expect(closes, JSON.stringify(closes)).toHaveLength(1)
    expect(w.events.filter((e) => e.type === 'flatten')).toEqual([])
  })
})
