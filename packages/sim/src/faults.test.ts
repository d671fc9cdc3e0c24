import { isDefiniteRejection, type UserStreamEvent } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { rejection, rig } from '../test/helpers.js'

const S = 'BTC/USDT:USDT'
const req = (id: string) => ({ symbol: S, clientOrderId: id, side: 'buy' as const, type: 'limit' as const, qty: 0.01, price: 90_000 })

describe('call faults', () => {
  it('reject with a scripted code: nothing happens, the call log records it', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    r.venue.faults.fail('createOrder', { kind: 'reject', code: 'insufficient-margin', venueCode: -2019, message: 'Margin is insufficient.' })
    const e = await rejection(r.venue.createOrder(req('a')))
    expect([e.code, e.venueCode]).toEqual(['insufficient-margin', -2019])
    expect(await r.venue.fetchOpenOrders()).toHaveLength(0)
    const log = r.venue.callLog()
    expect(log[0]).toMatchObject({ seq: 1, method: 'createOrder', outcome: 'error', errorCode: 'insufficient-margin', fault: 'reject', reachedVenue: false })
    expect(log[1]).toMatchObject({ seq: 2, method: 'fetchOpenOrders', outcome: 'ok' })
  })

  it('timeout before the venue: unknown-outcome and no order; timeout after accept: unknown-outcome but the order exists', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    r.venue.faults.fail('createOrder', { kind: 'timeout-before' })
    r.venue.faults.fail('createOrder', { kind: 'timeout-after-accept' })
    const e1 = await rejection(r.venue.createOrder(req('a')))
    expect(e1.code).toBe('unknown-outcome')
    expect(isDefiniteRejection(e1)).toBe(false)
    expect(await r.venue.fetchOrder({ symbol: S, clientOrderId: 'a' })).toBeNull()
    const e2 = await rejection(r.venue.createOrder(req('b')))
    expect(e2.code).toBe('unknown-outcome')
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'b' }))?.status).toBe('open')
    // the retry with the same id is a duplicate: exactly what the OMS must reconcile
    expect((await rejection(r.venue.createOrder(req('b')))).code).toBe('duplicate-client-order-id')
  })

  it('5xx after accept on cancel: the order is canceled but the caller sees unknown-outcome', async () => {
    const r = rig('bybit-linear')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder(req('a'))
    r.venue.faults.fail('cancelOrder', { kind: 'http-5xx-after-accept' })
    const e = await rejection(r.venue.cancelOrder({ symbol: S, clientOrderId: 'a' }))
    expect([e.code, e.venueCode]).toEqual(['unknown-outcome', 10016])
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'a' }))?.status).toBe('canceled')
    expect(r.venue.callLog().find((c) => c.method === 'cancelOrder')?.reachedVenue).toBe(true)
  })

  it('429 carries retryAfterMs; 418 bans every call until it expires; clock skew is -1021 / 10002', async () => {
    const r = rig('binance-usdm')
    r.venue.faults.fail('*', { kind: 'rate-limited', retryAfterMs: 2_000 })
    const e = await rejection(r.venue.fetchBalances())
    expect([e.code, e.retryAfterMs]).toEqual(['rate-limited', 2_000])
    r.venue.faults.fail('fetchPositions', { kind: 'ip-banned', retryAfterMs: 60_000 })
    expect((await rejection(r.venue.fetchPositions())).code).toBe('ip-banned')
    const banned = await rejection(r.venue.fetchServerTime())
    expect([banned.code, banned.retryAfterMs]).toEqual(['ip-banned', 60_000])
    r.clock.advance(60_000)
    expect(await r.venue.fetchServerTime()).toBe(r.clock.now())
    r.venue.faults.fail('createOrder', { kind: 'clock-skew' })
    expect((await rejection(r.venue.createOrder(req('x')))).venueCode).toBe(-1021)
    const y = rig('bybit-inverse')
    y.venue.faults.fail('fetchBalances', { kind: 'clock-skew' })
    expect((await rejection(y.venue.fetchBalances())).venueCode).toBe(10002)
  })

  it('late accept: the caller times out at once, the order is not found, then executes 1.5–4 s later', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    r.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 2_500 })
    const e = await rejection(r.venue.createOrder(req('late')))
    expect(e.code).toBe('unknown-outcome')
    expect(isDefiniteRejection(e)).toBe(false)
    for (let i = 0; i < 3; i++) {
      r.clock.advance(600)
      expect(await r.venue.fetchOrder({ symbol: S, clientOrderId: 'late' })).toBeNull() // "not found" three times
    }
    r.clock.advance(700) // 2,500 ms after the call: it arrives and rests
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'late' }))?.status).toBe('open')
    expect(r.venue.callLog()[0]).toMatchObject({ method: 'createOrder', outcome: 'error', fault: 'late-accept', reachedVenue: true })
    // a re-send under the same id after arrival is a duplicate; a re-send before it would have made two orders
    expect((await rejection(r.venue.createOrder(req('late')))).code).toBe('duplicate-client-order-id')
  })

  it('late accept: the default delay is seeded in 1,500–4,000 ms; past recvWindow the venue refuses it forever', async () => {
    const delays: number[] = []
    for (let seed = 1; seed <= 20; seed++) {
      const r = rig('binance-usdm', { seed })
      r.candle(100_000, 100_100, 99_900, 100_000)
      r.venue.faults.fail('createOrder', { kind: 'late-accept' })
      await rejection(r.venue.createOrder(req('x')))
      let t = 0
      while ((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'x' })) === null && t < 10_000) {
        r.clock.advance(100)
        t += 100
      }
      delays.push(t)
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_500)
    expect(Math.max(...delays)).toBeLessThanOrEqual(4_000)
    expect(new Set(delays).size).toBeGreaterThan(3)
    const r = rig('bybit-linear', { recvWindowMs: 5_000 })
    r.candle(100_000, 100_100, 99_900, 100_000)
    r.venue.faults.fail('createOrder', { kind: 'late-accept', delayMs: 5_001 })
    await rejection(r.venue.createOrder(req('gone')))
    r.clock.advance(60_000)
    expect(await r.venue.fetchOrder({ symbol: S, clientOrderId: 'gone' })).toBeNull()
    expect(r.venue.callLog()[0]).toMatchObject({ fault: 'late-accept', reachedVenue: false })
  })

  it('times / skip / probability script faults deterministically for a seed', async () => {
    const outcomes = async (seed: number): Promise<string[]> => {
      const r = rig('binance-usdm', { seed })
      r.venue.faults.fail('fetchServerTime', { kind: 'network', times: Number.POSITIVE_INFINITY, probability: 0.5 })
      const out: string[] = []
      for (let i = 0; i < 32; i++) out.push(await r.venue.fetchServerTime().then(() => 'ok', (e: { code: string }) => e.code))
      return out
    }
    const a = await outcomes(7)
    expect(await outcomes(7)).toEqual(a)
    expect(a).toContain('network')
    expect(a).toContain('ok')
    expect(await outcomes(8)).not.toEqual(a)
    const r = rig('binance-usdm')
    r.venue.faults.fail('fetchServerTime', { kind: 'network', skip: 1, times: 2 })
    const seq: string[] = []
    for (let i = 0; i < 4; i++) seq.push(await r.venue.fetchServerTime().then(() => 'ok', (e: { code: string }) => e.code))
    expect(seq).toEqual(['ok', 'network', 'network', 'ok'])
    expect(r.venue.faults.pendingCallFaults()).toBe(0)
  })
})

describe('stream faults', () => {
  const setup = () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    const got: UserStreamEvent[] = []
    r.venue.subscribeUserStream((e) => got.push(e))
    return { r, got }
  }

  it('duplicates, drops and reorders delivered events while the event log keeps the truth', async () => {
    const { r, got } = setup()
    r.venue.faults.duplicateNext(1)
    await r.venue.createOrder(req('a'))
    expect(got).toHaveLength(2)
    expect(got[0]).toEqual(got[1])
    r.venue.faults.dropNext(1)
    await r.venue.createOrder(req('b'))
    expect(got).toHaveLength(2)
    const logged = r.venue.eventLog().length
    r.venue.faults.reorderNext(3)
    await r.venue.createOrder(req('c'))
    await r.venue.createOrder(req('d'))
    expect(got).toHaveLength(2)
    await r.venue.createOrder(req('e'))
    expect(got).toHaveLength(5)
    const ids = got.slice(2).map((e) => (e.type === 'order' ? e.order.clientOrderId : ''))
    expect([...ids].sort()).toEqual(['c', 'd', 'e'])
    expect(r.venue.eventLog().length).toBe(logged + 3)
  })

  it('silence: the stream stays open but delivers nothing until the given time', async () => {
    const { r, got } = setup()
    r.venue.faults.silence({ untilMs: r.clock.now() + 10_000 })
    await r.venue.createOrder(req('a'))
    expect(got).toHaveLength(0)
    r.clock.advance(10_000)
    await r.venue.createOrder(req('b'))
    expect(got.map((e) => e.type)).toEqual(['order'])
  })

  it('silence without end: a half-open stream delivers nothing and never reports a disconnect, until cleared', async () => {
    const { r, got } = setup()
    r.venue.faults.silence({ untilMs: Number.POSITIVE_INFINITY })
    await r.venue.createOrder(req('a'))
    r.clock.advance(3_600_000)
    await r.venue.createOrder(req('b'))
    expect(got).toHaveLength(0)
    expect(r.venue.eventLog().filter((e) => e.type === 'order')).toHaveLength(2)
    r.venue.faults.clear()
    await r.venue.createOrder(req('c'))
    expect(got.map((e) => (e.type === 'order' ? e.order.clientOrderId : e.type))).toEqual(['c'])
    expect(() => r.venue.faults.silence({ untilMs: Number.NaN })).toThrow()
  })

  it('disconnect windows emit closed → connecting → open and lose the events in between', async () => {
    const { r, got } = setup()
    const t = r.clock.now()
    r.venue.faults.disconnect({ fromMs: t + 1_000, toMs: t + 5_000 })
    r.clock.advance(1_000)
    await r.venue.createOrder(req('a'))
    r.clock.advance(4_000)
    await r.venue.createOrder(req('b'))
    expect(got.map((e) => (e.type === 'connection' ? e.state : e.type === 'order' ? e.order.clientOrderId : e.type))).toEqual(['closed', 'connecting', 'open', 'b'])
    expect(r.venue.eventLog().some((e) => e.type === 'order' && e.order.clientOrderId === 'a')).toBe(true)
  })

  it('a throwing listener never stops delivery to the others', async () => {
    const { r, got } = setup()
    r.venue.subscribeUserStream(() => {
      throw new Error('boom')
    })
    await r.venue.createOrder(req('a'))
    expect(got).toHaveLength(1)
  })
})
