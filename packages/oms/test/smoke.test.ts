import { describe, expect, it } from 'vitest'
import { advance, createWorld, venuePositionQty, venueStops } from './harness.js'

describe('smoke: entry → stop → stop-out', () => {
  it('places a reduce-only stop for the filled qty and cleans up after the stop fills', async () => {
    const w = await createWorld({ profile: 'binance-usdm' })
    const sym = w.instrument.symbol
    const r = await w.oms.submitEntry({ signalId: 's1', signalTimeMs: w.clock.now(), symbol: sym, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, takeProfitPrice: 67000 })
    expect(r.ok).toBe(true)
    await advance(w.clock, 500)
    expect(venuePositionQty(w.venue, sym)).toBeCloseTo(0.01, 12)
    const stops = venueStops(w.venue, sym)
    expect(stops).toHaveLength(1)
    expect(stops[0]?.qty).toBeCloseTo(0.01, 12)
    expect(stops[0]?.triggerPrice).toBe(64000)
    w.setPrice(63900)
    await advance(w.clock, 1000)
    expect(venuePositionQty(w.venue, sym)).toBe(0)
    expect(w.venue.state().openOrders).toHaveLength(0)
    expect(w.oms.status().symbols[0]?.phase).toBe('FLAT')
    console.log(w.events.map((e) => e.type + ('to' in e ? `:${String(e.to)}` : '')).join(' '))
  })
})
