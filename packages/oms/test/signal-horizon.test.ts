/**
 * The record of used trade keys and client ids is bounded by the signal horizon: a signal older than
 * `signalHorizonMs` is refused by its age (nothing sent), so ids of older signals are dropped from the record.
 * Assertions read the venue's call log and the snapshot the journal holds (what a restart would load).
 */
import { describe, expect, it } from 'vitest'
import { createMemoryJournal, emptyOmsState, type EntryIntent, type OmsJournalEntry, type OmsState, tradeKeyOf } from '../src/index.js'
import { advance, BINANCE_BTC, createCalls, createWorld, T0, type World } from './harness.js'

const SYM = BINANCE_BTC.symbol
const MINUTE = 60_000
const long = (signalId: string, signalTimeMs: number): EntryIntent => ({ signalId, signalTimeMs, symbol: SYM, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })

/** `n` round trips one minute apart: entry at the signal's time, exit a second later. Returns each signal's time. */
async function roundTrips(w: World, n: number, prefix: string): Promise<number[]> {
  const times: number[] = []
  for (let k = 0; k < n; k++) {
    const t = w.clock.now()
    times.push(t)
    expect((await w.oms.submitEntry(long(`${prefix}${k}`, t))).ok).toBe(true)
    await advance(w.clock, 1000)
    expect((await w.oms.exit({ symbol: SYM })).ok).toBe(true)
    await advance(w.clock, MINUTE - 1000)
  }
  return times
}

describe('signal horizon: the used-id record is bounded', () => {
  const config = { makerOnly: false, snapshotEveryRecords: 5, retainTerminalMs: 2 * MINUTE, signalHorizonMs: 10 * MINUTE, pruneCompactedOrders: true }

  it('30 trades over 30 min with a 10 min horizon: the record holds about 10 of them, an old replay is refused by age, a recent one as a duplicate', async () => {
    const w = await createWorld({ config })
    const times = await roundTrips(w, 30, 'h')
    await w.restart({ config })
    await advance(w.clock, 1000)
    const state = w.oms.snapshot()
    const retired = Object.keys(state.retired ?? {})
    // one key per trade whose orders left the 2 min window and whose signal is inside the 10 min horizon
    expect(retired.length).toBeGreaterThan(0)
    expect(retired.length).toBeLessThanOrEqual(11)
    expect(retired).not.toContain(tradeKeyOf({ signalId: 'h0', direction: 'long' }))
    expect(state.retiredBeforeMs).toBeGreaterThan(times[0] as number)
    const calls = createCalls(w.venue).length
    expect(await w.oms.submitEntry(long('h0', times[0] as number))).toMatchObject({ ok: false, reason: 'signal-expired' })
    expect(await w.oms.submitEntry(long('h25', times[25] as number))).toMatchObject({ ok: false, reason: 'duplicate-intent' })
    await advance(w.clock, 5000)
    expect(createCalls(w.venue)).toHaveLength(calls)
  })

  it('after ids were dropped, a wall clock stepped back does not reopen the horizon: the old replay is still refused', async () => {
    const w = await createWorld({ config })
    const times = await roundTrips(w, 30, 'b')
    w.stepOmsWall(-25 * MINUTE) // now − horizon reads earlier than the first signal's time
    const calls = createCalls(w.venue).length
    expect(await w.oms.submitEntry(long('b0', times[0] as number))).toMatchObject({ ok: false, reason: 'signal-expired' })
    await advance(w.clock, 5000)
    expect(createCalls(w.venue)).toHaveLength(calls)
  })

  it('a signal time far ahead of the clock is refused (it would pin its ids past the horizon)', async () => {
    const w = await createWorld({ config })
    const calls = createCalls(w.venue).length
    expect(await w.oms.submitEntry(long('future', w.clock.now() + 2 * MINUTE))).toMatchObject({ ok: false, reason: 'signal-from-future' })
    expect(createCalls(w.venue)).toHaveLength(calls)
    expect((await w.oms.submitEntry(long('near-future', w.clock.now() + 30_000))).ok).toBe(true)
  })

  it('a signal time that is not a finite number is an input error, nothing sent', async () => {
    const w = await createWorld({ config })
    const calls = createCalls(w.venue).length
    await expect(w.oms.submitEntry(long('nan', Number.NaN))).rejects.toMatchObject({ code: 'invalid-input', path: 'signalTimeMs' })
    expect(createCalls(w.venue)).toHaveLength(calls)
  })

  it('a state written before signal times existed loads: its retired ids (stamped when they left) are kept inside the horizon and dropped after it', async () => {
    const legacyKey = tradeKeyOf({ signalId: 'legacy', direction: 'long' })
    // an old snapshot: the key retired 5 min ago (its order's last update), no signal times, no retiredBeforeMs
    const old = { ...emptyOmsState(), retired: { [legacyKey]: T0 - 5 * MINUTE } }
    const w = await createWorld({ config, start: false })
    await createMemoryJournal<OmsState, OmsJournalEntry>({ store: w.store }).writeSnapshot(0, old)
    await w.restart()
    expect(await w.oms.submitEntry(long('legacy', T0 - 6 * MINUTE))).toMatchObject({ ok: false, reason: 'duplicate-intent' })
    await roundTrips(w, 8, 'after') // snapshots written 8 min later: the legacy id is past the horizon
    expect(w.oms.snapshot().retired?.[legacyKey]).toBeUndefined()
    expect(await w.oms.submitEntry(long('legacy', T0 - 6 * MINUTE))).toMatchObject({ ok: false, reason: 'signal-expired' })
  })
})
