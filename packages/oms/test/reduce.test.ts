import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { deriveClientOrderId, type ReduceArgs } from '../src/index.js'
import { advance, BINANCE_BTC, createCalls, createWorld, longEntry, venuePositionQty, venueStops } from './harness.js'

const SYM = BINANCE_BTC.symbol
const long = longEntry
const takeProfits = (w: Awaited<ReturnType<typeof createWorld>>): number[] =>
  w.venue
    .state()
    .openOrders.filter((o) => o.symbol === SYM && o.type.startsWith('take-profit'))
    .map((o) => o.qty)

describe('reduce(): partial closes', () => {
  it('33 % then 50 % of the remainder then a full exit; stop and take-profit follow the position each time', async () => {
    const w = await createWorld({})
    await w.oms.submitEntry(long({ takeProfitPrice: 66000 }))
    await advance(w.clock, 1000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.01, 12)
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.01])

    // 33 % of 0.010 = 0.0033 → floored to the 0.001 lot step: 0.003
    const r1 = await w.oms.reduce({ symbol: SYM, fraction: 0.33, reason: 'tp1' })
    expect(r1).toMatchObject({ ok: true, value: { clientOrderId: deriveClientOrderId({ signalId: 'sig-1', direction: 'long', role: 'reduce', generation: 1 }) } })
    await advance(w.clock, 3000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.007, 12)
    expect(w.oms.status().symbols[0]).toMatchObject({ qty: 0.007, phase: 'IN_POSITION', stopStatus: 'ACTIVE' })
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.007])
    expect(takeProfits(w)).toEqual([0.007])

    // 50 % of 0.007 = 0.0035 → 0.003
    const r2 = await w.oms.reduce({ symbol: SYM, fraction: 0.5 })
    expect(r2.ok).toBe(true)
    await advance(w.clock, 3000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.004, 12)
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.004])
    expect(takeProfits(w)).toEqual([0.004])

    const r3 = await w.oms.exit({ symbol: SYM })
    expect(r3.ok).toBe(true)
    await advance(w.clock, 3000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
    expect(w.venue.state().openOrders).toHaveLength(0)
    const reduces = createCalls(w.venue).filter((c) => c.clientOrderId.includes('_rd'))
    expect(reduces).toHaveLength(2)
    expect(reduces.every((c) => c.reduceOnly)).toBe(true)
    expect(new Set(reduces.map((c) => c.clientOrderId)).size).toBe(2)
  })

  it('qty form; fraction 1 or qty ≥ position closes it all like exit()', async () => {
    const w = await createWorld({})
    await w.oms.submitEntry(long())
    await advance(w.clock, 1000)
    expect((await w.oms.reduce({ symbol: SYM, qty: 0.002 })).ok).toBe(true)
    await advance(w.clock, 2000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.008, 12)
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.008])
    const r = await w.oms.reduce({ symbol: SYM, qty: 5 })
    expect(r).toMatchObject({ ok: true, value: { clientOrderId: expect.stringContaining('_ex') as unknown } })
    await advance(w.clock, 2000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
    expect(w.venue.state().openOrders).toHaveLength(0)

    const w2 = await createWorld({})
    await w2.oms.submitEntry(long())
    await advance(w2.clock, 1000)
    expect(await w2.oms.reduce({ symbol: SYM, fraction: 1 })).toMatchObject({ ok: true, value: { clientOrderId: expect.stringContaining('_ex') as unknown } })
    await advance(w2.clock, 2000)
    expect(venuePositionQty(w2.venue, SYM)).toBe(0)
  })

  it('refusals are values and make no venue call: no position, below min qty, exit pending, reduce pending', async () => {
    const w = await createWorld({})
    let before = w.venue.callLog().length
    expect(await w.oms.reduce({ symbol: SYM, fraction: 0.5 })).toMatchObject({ ok: false, reason: 'no-position' })
    expect(w.venue.callLog().length).toBe(before)
    await w.oms.submitEntry(long())
    await advance(w.clock, 1000)
    before = w.venue.callLog().length
    // 5 % of 0.010 = 0.0005 → floored to 0: nothing to send
    expect(await w.oms.reduce({ symbol: SYM, fraction: 0.05 })).toMatchObject({ ok: false, reason: 'below-min-qty' })
    expect(await w.oms.reduce({ symbol: SYM, qty: 0.0009 })).toMatchObject({ ok: false, reason: 'below-min-qty' })
    expect(w.venue.callLog().length).toBe(before)

    // an unresolved reduce blocks the next one; an unresolved exit blocks reduces
    w.venue.faults.fail('createOrder', { kind: 'timeout-before' })
    expect((await w.oms.reduce({ symbol: SYM, qty: 0.002 })).ok).toBe(true)
    const mid = w.venue.callLog().length
    expect(await w.oms.reduce({ symbol: SYM, qty: 0.002 })).toMatchObject({ ok: false, reason: 'reduce-pending' })
    expect(w.venue.callLog().length).toBe(mid)
    await advance(w.clock, 8000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.008, 12)
    w.venue.faults.fail('createOrder', { kind: 'timeout-before' })
    expect((await w.oms.exit({ symbol: SYM })).ok).toBe(true)
    const mid2 = w.venue.callLog().length
    expect(await w.oms.reduce({ symbol: SYM, fraction: 0.5 })).toMatchObject({ ok: false, reason: 'exit-pending' })
    expect(w.venue.callLog().length).toBe(mid2)
    await advance(w.clock, 8000)
    expect(venuePositionQty(w.venue, SYM)).toBe(0)
  })

  const bad: [string, Omit<ReduceArgs, 'symbol'>, string][] = [
    ['neither fraction nor qty', {}, 'fraction'],
    ['both fraction and qty', { fraction: 0.5, qty: 0.001 }, 'qty'],
    ['NaN fraction', { fraction: Number.NaN }, 'fraction'],
    ['zero fraction', { fraction: 0 }, 'fraction'],
    ['negative fraction', { fraction: -0.25 }, 'fraction'],
    ['fraction above 1', { fraction: 1.5 }, 'fraction'],
    ['infinite fraction', { fraction: Number.POSITIVE_INFINITY }, 'fraction'],
    ['NaN qty', { qty: Number.NaN }, 'qty'],
    ['zero qty', { qty: 0 }, 'qty'],
    ['negative qty', { qty: -0.001 }, 'qty'],
  ]
  it.each(bad)('bad input: %s → InvalidInputError, no venue call', async (_name, args, path) => {
    const w = await createWorld({})
    await w.oms.submitEntry(long())
    await advance(w.clock, 1000)
    const before = w.venue.callLog().length
    const err = await w.oms.reduce({ symbol: SYM, ...args }).catch((e: unknown) => e)
    expect(isPerpkitError(err, 'invalid-input')).toBe(true)
    expect((err as { path?: string }).path).toBe(path)
    expect(w.venue.callLog().length).toBe(before)
    const unknown = await w.oms.reduce({ symbol: 'DOGE/USDT:USDT', fraction: 0.5 }).catch((e: unknown) => e)
    expect(isPerpkitError(unknown, 'unknown-symbol')).toBe(true)
  })

  it('timeout after acceptance of a reduce: resolved by query, never sent twice', async () => {
    const w = await createWorld({})
    await w.oms.submitEntry(long())
    await advance(w.clock, 1000)
    w.venue.faults.fail('createOrder', { kind: 'timeout-after-accept' })
    const r = await w.oms.reduce({ symbol: SYM, fraction: 0.5 })
    expect(r.ok).toBe(true)
    const id = r.ok ? r.value.clientOrderId : ''
    await advance(w.clock, 3000)
    expect(createCalls(w.venue).filter((c) => c.clientOrderId === id)).toHaveLength(1)
    expect(w.oms.order(id)?.state).toBe('filled')
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.005, 12)
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.005])
  })

  it('allowed while REDUCING and while HALTED (exposure-reducing, like exit)', async () => {
    let mode: 'normal' | 'reducing' | 'halted' = 'normal'
    const w = await createWorld({ options: { tradingState: () => mode } })
    await w.oms.submitEntry(long())
    await advance(w.clock, 1000)
    mode = 'reducing'
    expect((await w.oms.reduce({ symbol: SYM, qty: 0.004 })).ok).toBe(true)
    await advance(w.clock, 2000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.006, 12)
    mode = 'halted'
    w.oms.halt({ symbol: SYM, reason: 'test' })
    expect((await w.oms.reduce({ symbol: SYM, qty: 0.003 })).ok).toBe(true)
    await advance(w.clock, 2000)
    expect(venuePositionQty(w.venue, SYM)).toBeCloseTo(0.003, 12)
    expect(venueStops(w.venue, SYM).map((s) => s.qty)).toEqual([0.003])
    expect(createCalls(w.venue).filter((c) => !c.reduceOnly)).toHaveLength(1)
  })
})
