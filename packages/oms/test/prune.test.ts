import { describe, expect, it } from 'vitest'
import { advance, createWorld, venuePositionQty } from './harness.js'

/** Round trips: entry (market) → exit, `n` times, one minute apart. Returns the entry client ids. */
async function roundTrips(w: Awaited<ReturnType<typeof createWorld>>, n: number, prefix: string): Promise<string[]> {
  const sym = w.instrument.symbol
  const ids: string[] = []
  for (let k = 0; k < n; k++) {
    const r = await w.oms.submitEntry({ signalId: `${prefix}${k}`, signalTimeMs: w.clock.now(), symbol: sym, direction: 'long', qty: 0.01, type: 'market', stopPrice: 60000 })
    expect(r.ok).toBe(true)
    if (r.ok) ids.push(r.value.clientOrderId)
    await advance(w.clock, 1000)
    expect(venuePositionQty(w.venue, sym)).toBeCloseTo(0.01, 12)
    const x = await w.oms.exit({ symbol: sym, reason: 'test' })
    expect(x.ok).toBe(true)
    await advance(w.clock, 59_000)
    expect(venuePositionQty(w.venue, sym)).toBe(0)
  }
  return ids
}

describe('pruneCompactedOrders', () => {
  it('default: terminal orders stay in memory after snapshots (getOrder finds them)', async () => {
    const w = await createWorld({ config: { makerOnly: false, snapshotEveryRecords: 5, retainTerminalMs: 120_000 } })
    const ids = await roundTrips(w, 6, 'keep')
    expect(Object.keys(w.oms.snapshot().orders).length).toBeGreaterThanOrEqual(18) // entry + stop + exit per trip
    for (const id of ids) expect(w.oms.order(id)?.state).toBe('filled')
  })

  it('on: memory holds only the retained window, the position flow is unchanged, old signals are still refused as duplicates', async () => {
    const w = await createWorld({ config: { makerOnly: false, snapshotEveryRecords: 5, retainTerminalMs: 120_000, pruneCompactedOrders: true } })
    const ids = await roundTrips(w, 6, 'prune')
    const orders = Object.values(w.oms.snapshot().orders)
    // only orders younger than retainTerminalMs (plus the snapshot cadence lag) remain: at most the last ~3 trips
    expect(orders.length).toBeLessThan(12)
    for (const o of orders) expect(o.updatedAtMs).toBeGreaterThanOrEqual(w.clock.now() - 120_000 - 3 * 60_000)
    const first = ids[0] as string
    expect(w.oms.order(first)).toBeUndefined()
    const again = await w.oms.submitEntry({ signalId: 'prune0', signalTimeMs: w.clock.now(), symbol: w.instrument.symbol, direction: 'long', qty: 0.01, type: 'market', stopPrice: 60000 })
    expect(again.ok).toBe(false)
    if (!again.ok) expect(again.reason).toBe('duplicate-intent')
    // the snapshot in the journal store is what a restart would see: same retained window
    expect(w.oms.status().symbols[0]?.phase).toBe('FLAT')
  })

  it('on: pruned trade ids are still refused when a catch-up re-fetches their fills', async () => {
    // a lookback covering the whole session makes reconciliation re-fetch every old fill
    const w = await createWorld({ config: { makerOnly: false, snapshotEveryRecords: 5, retainTerminalMs: 120_000, fillLookbackMs: 86_400_000, pruneCompactedOrders: true } })
    await roundTrips(w, 6, 'fills')
    const trades = Object.keys(w.oms.snapshot().tradeIds).length
    expect(trades).toBeLessThan(12) // 6 trips × 2 fills were applied; older ones left memory
    const ignoredBefore = w.events.filter((e) => e.type === 'fill-ignored' && e.reason === 'duplicate').length
    await w.oms.reconcile()
    const ignoredAfter = w.events.filter((e) => e.type === 'fill-ignored' && e.reason === 'duplicate').length
    expect(ignoredAfter - ignoredBefore).toBeGreaterThanOrEqual(12 - trades)
    expect(w.oms.status().symbols[0]?.qty).toBe(0)
    expect(venuePositionQty(w.venue, w.instrument.symbol)).toBe(0)
  })

  it('rejects a non-boolean value', async () => {
    await expect(createWorld({ config: { pruneCompactedOrders: 'yes' as never } })).rejects.toMatchObject({ code: 'invalid-input', path: 'config.pruneCompactedOrders' })
  })
})
