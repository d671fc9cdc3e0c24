/**
 * Durations the order manager waits on are elapsed time: a wall clock stepped backwards (an NTP correction) must
 * not make a stale entry look young enough to re-send, nor delay the verdict on a silent stream. Assertions read
 * the simulated venue's own call log, or the manager's events where the venue cannot see the verdict.
 */
import { describe, expect, it } from 'vitest'
import { advance, BINANCE_BTC, createCalls, createWorld } from './harness.js'

const BIN = BINANCE_BTC.symbol

describe('re-send after proof of absence: the entry age is elapsed time', () => {
  it('an entry in doubt for 70 s (queries failing) is not re-sent after the wall clock stepped back 40 s', async () => {
    const w = await createWorld({})
    // the first create is the pre-placed stop; the entry's create never reaches the venue, but times out for us
    w.venue.faults.fail('createOrder', { kind: 'timeout-before', times: 1, skip: 1 })
    // and every query by client id fails, so its absence cannot be proven for a while
    w.venue.faults.fail('fetchOrder', { kind: 'network', times: Number.POSITIVE_INFINITY })
    const r = await w.oms.submitEntry({ signalId: 'wall-back-ttl', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    expect(r.ok).toBe(true)
    await advance(w.clock, 1_000)
    w.stepOmsWall(-40_000) // NTP steps the order manager's wall clock 40 s back; no time passed for the venue
    await advance(w.clock, 69_000)
    w.venue.faults.clear()
    await advance(w.clock, 20_000)
    const entryCreates = createCalls(w.venue).filter((c) => c.clientOrderId.endsWith('_en0'))
    // 70 s after it was accepted the entry is older than the 60 s a re-send allows: one create, never a second
    expect(entryCreates.length).toBe(1)
    expect(w.events.some((e) => e.type === 'order-absent' && e.clientOrderId.endsWith('_en0') && !e.resend)).toBe(true)
  })

  it('control: the same entry proven absent after 20 s in doubt is re-sent', async () => {
    const w = await createWorld({})
    w.venue.faults.fail('createOrder', { kind: 'timeout-before', times: 1, skip: 1 })
    w.venue.faults.fail('fetchOrder', { kind: 'network', times: Number.POSITIVE_INFINITY })
    await w.oms.submitEntry({ signalId: 'wall-back-ttl', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    await advance(w.clock, 1_000)
    w.stepOmsWall(-40_000)
    await advance(w.clock, 19_000)
    w.venue.faults.clear()
    await advance(w.clock, 20_000)
    expect(createCalls(w.venue).filter((c) => c.clientOrderId.endsWith('_en0')).length).toBe(2)
  })
})

describe('stream staleness: the silence is elapsed time', () => {
  it('a silent stream with a protected position turns DEGRADED within 6 s although the wall clock stepped back 40 s', async () => {
    const w = await createWorld({})
    await w.oms.submitEntry({ signalId: 'wall-back-silent', signalTimeMs: w.clock.now(), symbol: BIN, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64_000 })
    await advance(w.clock, 2_000)
    expect(w.oms.status().symbols.find((s) => s.symbol === BIN)?.stopStatus).toBe('ACTIVE')
    const from = w.events.length
    w.venue.faults.silence({ untilMs: Number.POSITIVE_INFINITY }) // a half-open socket: nothing, not even a disconnect
    w.stepOmsWall(-40_000)
    await advance(w.clock, 6_000)
    expect(w.events.slice(from).some((e) => e.type === 'degraded' && e.on && e.reason === 'stream stale')).toBe(true)
    w.venue.faults.clear()
  })
})
