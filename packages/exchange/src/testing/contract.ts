/**
 * The `ExchangeClient` contract suite: one set of vitest cases every implementation of core's venue port must
 * pass — the simulator in-process and each live adapter over real HTTP/WebSocket to the local venue server.
 * @module
 */
import {
  EXCHANGE_PORT_VERSION,
  fundingRateSchema,
  type Instrument,
  instrumentSchema,
  isPerpkitError,
  markPriceSchema,
  type Order,
  orderBookOf,
  type OrderRequest,
  orderSchema,
  roundPrice,
  roundQty,
  type UserStreamEvent,
} from '@perpkit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ContractHarness, ContractOptions } from './harness.js'

/** The code of a rejected promise's `PerpkitError` (fails the test on success or on a foreign error). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (isPerpkitError(e)) return e.code
    throw e
  }
  throw new Error('expected the call to fail with a PerpkitError')
}

/** A quantity every venue accepts: the minimum, raised to clear the minimum notional with margin. */
function minimumQty(ins: Instrument, price: number): number {
  if (ins.kind === 'inverse') return ins.minQty
  const forNotional = ins.minNotional > 0 ? (ins.minNotional * 1.5) / (price * ins.contractSize) : 0
  return roundQty({ qty: Math.max(ins.minQty, forNotional), lotStep: ins.lotStep, mode: 'ceil' })
}

/**
 * Register the contract cases of core's `ExchangeClient` for one implementation. Call it inside a vitest test
 * file; each case gets a fresh harness from `makeClient`, connects it, trades at the reference price, runs, then
 * closes the client and disposes the harness.
 *
 * What it checks: the port version and capabilities; instruments that pass core's schema; a resting limit order
 * in the regular book and a conditional order in the conditional book, both found by client id in open orders
 * and by `fetchOrder`; `cancelAllOrders` over both books; `order-not-found`, `null` and
 * `duplicate-client-order-id` answers; bad input (NaN / zero / negative qty, off-tick price, off-step qty,
 * unknown symbol) refused with a typed error and **no request reaching the venue**; a market fill whose order
 * and fill events carry the client id with unique trade ids and non-decreasing `updateId`s; a stop that fires
 * under its own client id and closes the position; mark price and funding rate that pass core's schemas; rate
 * limit usage within its limits; and `close()` ending the stream with `client-closed`.
 *
 * @param makeClient - builds one venue under test (a new one per case)
 * @param options - suite name and patience (see {@link ContractOptions})
 * @returns nothing: the cases are registered with vitest
 * @example
 * ```ts
 * import { createTestClock, type Instrument } from '@perpkit/core'
 * import { exchangeClientContract } from '@perpkit/exchange/testing'
 * import { createSimVenue } from '@perpkit/sim'
 * declare const btcusdt: Instrument
 * exchangeClientContract(async () => {
 *   const clock = createTestClock(Date.UTC(2026, 0, 1))
 *   const venue = createSimVenue({ profile: 'binance-usdm', clock, balances: { USDT: 10_000 }, instruments: [btcusdt], record: { calls: true } })
 *   let seq = 0
 *   return {
 *     client: venue, symbol: btcusdt.symbol, referencePrice: 65_000,
 *     trade: async (price) => venue.applyTrade({ symbol: btcusdt.symbol, trade: { tradeId: String(++seq), timestampMs: clock.now(), price, qty: 1, side: 'buy' } }),
 *     orderRequestsReachingVenue: () => venue.callLog().filter((c) => c.method === 'createOrder' && c.reachedVenue).length,
 *     settle: async () => undefined,
 *     dispose: async () => undefined,
 *   }
 * }, { name: 'sim binance-usdm' })
 * ```
 */
export function exchangeClientContract(makeClient: () => Promise<ContractHarness>, options: ContractOptions = {}): void {
  const maxRounds = options.maxSettleRounds ?? 100

  describe(options.name ?? 'ExchangeClient contract', () => {
    let h: ContractHarness
    let ins: Instrument
    let events: UserStreamEvent[]
    let unsubscribe: () => void
    let cidSeq = 0
    const cid = (tag: string): string => `ct${++cidSeq}_${tag}`

    /** Settle until `predicate` holds over the events received so far. */
    const until = async (what: string, predicate: (events: readonly UserStreamEvent[]) => boolean): Promise<void> => {
      for (let i = 0; i < maxRounds; i++) {
        if (predicate(events)) return
        await h.settle()
      }
      if (!predicate(events)) throw new Error(`contract: waited ${maxRounds} settle rounds for ${what}; events: ${JSON.stringify(events.map((e) => e.type))}`)
    }
    const orderEventsOf = (clientOrderId: string): Order[] =>
      events.flatMap((e) => (e.type === 'order' && e.order.clientOrderId === clientOrderId ? [e.order] : []))
    const price = (fraction: number): number => roundPrice({ price: h.referencePrice * fraction, tickSize: ins.tickSize })
    const qty = (): number => minimumQty(ins, h.referencePrice)
    const limit = (clientOrderId: string, side: 'buy' | 'sell', at: number): OrderRequest => ({
      symbol: h.symbol, clientOrderId, side, type: 'limit', qty: qty(), price: at, timeInForce: 'GTC',
    })

    beforeEach(async () => {
      h = await makeClient()
      events = []
      unsubscribe = h.client.subscribeUserStream((e) => events.push(e))
      await h.client.connect()
      const found = (await h.client.loadInstruments()).find((i) => i.symbol === h.symbol)
      if (found === undefined) throw new Error(`contract: the venue does not list ${h.symbol}`)
      ins = found
      await h.trade(h.referencePrice)
      await h.settle()
    })
    afterEach(async () => {
      unsubscribe()
      await h.client.close()
      await h.dispose()
    })

    it('declares the port version and every capability as a boolean', () => {
      expect(h.client.portVersion).toBe(EXCHANGE_PORT_VERSION)
      const caps = h.client.capabilities
      for (const key of ['amendOrder', 'amendConditionalOrder', 'closePositionOrders', 'trailingStop', 'reduceOnlyStopWithoutPosition'] as const) {
        expect(typeof caps[key], key).toBe('boolean')
      }
    })

    it('declares its request limits: a positive integer limit per positive window, every weight a positive integer within it', () => {
      const { limit, intervalMs, weights, allSymbolsWeights } = h.client.requestLimits
      expect(Number.isInteger(limit) && limit > 0, `limit ${limit}`).toBe(true)
      expect(Number.isInteger(intervalMs) && intervalMs > 0, `intervalMs ${intervalMs}`).toBe(true)
      for (const [method, w] of [...Object.entries(weights), ...Object.entries(allSymbolsWeights ?? {})]) {
        expect(Number.isInteger(w) && (w as number) >= 1 && (w as number) <= limit, `${method}: ${w}`).toBe(true)
      }
    })

    it('lists instruments that pass core\'s schema, with positive tick and step', () => {
      expect(instrumentSchema.parse(ins)).toEqual(ins)
      expect(ins.tickSize).toBeGreaterThan(0)
      expect(ins.lotStep).toBeGreaterThan(0)
    })

    it('rests a far limit order in the regular book, found by client id in open orders and by fetchOrder', async () => {
      const id = cid('lim')
      const at = price(0.9)
      const placed = await h.client.createOrder(limit(id, 'buy', at))
      expect(orderSchema.parse(placed)).toEqual(placed)
      expect([placed.clientOrderId, placed.status, orderBookOf(placed), placed.side, placed.qty, placed.price]).toEqual([id, 'open', 'regular', 'buy', qty(), at])
      const open = await h.client.fetchOpenOrders(h.symbol)
      expect(open.map((o) => o.clientOrderId)).toContain(id)
      const fetched = await h.client.fetchOrder({ symbol: h.symbol, clientOrderId: id })
      expect([fetched?.clientOrderId, fetched?.status, fetched?.venueOrderId]).toEqual([id, 'open', placed.venueOrderId])
      await until(`an order event for ${id}`, () => orderEventsOf(id).length > 0)
    })

    it('rests a stop in the conditional book; open orders include it', async () => {
      const id = cid('stp')
      const placed = await h.client.createOrder({ symbol: h.symbol, clientOrderId: id, side: 'buy', type: 'stop-market', qty: qty(), triggerPrice: price(1.1) })
      expect([placed.clientOrderId, placed.status, orderBookOf(placed), placed.triggerPrice]).toEqual([id, 'untriggered', 'conditional', price(1.1)])
      const open = await h.client.fetchOpenOrders(h.symbol)
      const mine = open.find((o) => o.clientOrderId === id)
      expect([mine?.status, mine === undefined ? undefined : orderBookOf(mine)]).toEqual(['untriggered', 'conditional'])
      expect((await h.client.fetchOrder({ symbol: h.symbol, clientOrderId: id }))?.status).toBe('untriggered')
    })

    it('cancelAllOrders cancels both books; canceled orders stay findable', async () => {
      const lim = cid('lim')
      const stp = cid('stp')
      await h.client.createOrder(limit(lim, 'buy', price(0.9)))
      await h.client.createOrder({ symbol: h.symbol, clientOrderId: stp, side: 'buy', type: 'stop-market', qty: qty(), triggerPrice: price(1.1) })
      const canceled = await h.client.cancelAllOrders(h.symbol)
      expect(canceled.map((o) => o.clientOrderId).sort()).toEqual([lim, stp].sort())
      expect(await h.client.fetchOpenOrders(h.symbol)).toEqual([])
      for (const id of [lim, stp]) expect((await h.client.fetchOrder({ symbol: h.symbol, clientOrderId: id }))?.status, id).toBe('canceled')
    })

    it('answers order-not-found to a cancel of an unknown client id, and null to fetchOrder', async () => {
      expect(await codeOf(h.client.cancelOrder({ symbol: h.symbol, clientOrderId: cid('ghost') }))).toBe('order-not-found')
      expect(await h.client.fetchOrder({ symbol: h.symbol, clientOrderId: cid('ghost') })).toBeNull()
    })

    it('refuses a second open order with the same client id and leaves the first untouched', async () => {
      const id = cid('dup')
      await h.client.createOrder(limit(id, 'buy', price(0.9)))
      expect(await codeOf(h.client.createOrder(limit(id, 'buy', price(0.8))))).toBe('duplicate-client-order-id')
      const open = (await h.client.fetchOpenOrders(h.symbol)).filter((o) => o.clientOrderId === id)
      expect(open.map((o) => [o.status, o.price])).toEqual([['open', price(0.9)]])
    })

    const badInputs: readonly [string, (r: OrderRequest) => Record<string, unknown>, string][] = [
      ['NaN qty', (r) => ({ ...r, qty: Number.NaN }), 'invalid-input'],
      ['zero qty', (r) => ({ ...r, qty: 0 }), 'invalid-input'],
      ['negative qty', (r) => ({ ...r, qty: -r.qty }), 'invalid-input'],
      ['off-tick price', (r) => ({ ...r, price: (r.price ?? 0) + ins.tickSize / 2 }), 'invalid-input'],
      ['qty off the lot step', (r) => ({ ...r, qty: r.qty + ins.lotStep / 2 }), 'invalid-input'],
      ['unknown symbol', (r) => ({ ...r, symbol: 'NOPE/USDT:USDT' }), 'unknown-symbol'],
    ]
    it.each(badInputs.map(([name]) => name))('refuses bad input (%s) with a typed error and sends nothing', async (name) => {
      const [, mutate, code] = badInputs.find(([n]) => n === name) as (typeof badInputs)[number]
      const before = h.orderRequestsReachingVenue()
      const bad = mutate(limit(cid('bad'), 'buy', price(0.9))) as unknown as OrderRequest
      expect(await codeOf(h.client.createOrder(bad))).toBe(code)
      expect(h.orderRequestsReachingVenue()).toBe(before)
      expect(await h.client.fetchOpenOrders(h.symbol)).toEqual([])
    })

    it('fills a market order: order and fill events carry the client id, trade ids are unique, updateIds never decrease', async () => {
      const id = cid('mkt')
      await h.client.createOrder({ symbol: h.symbol, clientOrderId: id, side: 'buy', type: 'market', qty: qty() })
      await until(`a filled order event for ${id}`, () => orderEventsOf(id).some((o) => o.status === 'filled'))
      await until(`fills of ${id} adding up to the order qty`, (evs) => {
        const total = evs.reduce((s, e) => s + (e.type === 'fill' && e.fill.clientOrderId === id ? e.fill.qty : 0), 0)
        return Math.abs(total - qty()) <= ins.lotStep / 2
      })
      const fills = events.flatMap((e) => (e.type === 'fill' && e.fill.clientOrderId === id ? [e.fill] : []))
      expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length)
      expect(fills.every((f) => f.side === 'buy' && (f.origin ?? 'user') === 'user')).toBe(true)
      const ids = orderEventsOf(id).flatMap((o) => (o.updateId === undefined ? [] : [o.updateId]))
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      const positions = await h.client.fetchPositions([h.symbol])
      expect(positions.map((p) => [p.symbol, p.side, p.qty])).toEqual([[h.symbol, 'long', qty()]])
    })

    it('fires a stop under its own client id: its fills carry that id and the position closes', async () => {
      const entry = cid('in')
      await h.client.createOrder({ symbol: h.symbol, clientOrderId: entry, side: 'buy', type: 'market', qty: qty() })
      await until('the entry fill', () => orderEventsOf(entry).some((o) => o.status === 'filled'))
      const stop = cid('sl')
      await h.client.createOrder({
        symbol: h.symbol, clientOrderId: stop, side: 'sell', type: 'stop-market', qty: qty(), triggerPrice: price(0.95), triggerPriceType: 'last', reduceOnly: true,
      })
      await h.trade(price(0.94))
      await until(`a fill of the stop ${stop}`, (evs) => evs.some((e) => e.type === 'fill' && e.fill.clientOrderId === stop))
      await until(`the stop ${stop} filled`, () => orderEventsOf(stop).some((o) => o.status === 'filled'))
      const final = orderEventsOf(stop).at(-1)
      expect([final?.status, final === undefined ? undefined : orderBookOf(final)]).toEqual(['filled', 'conditional'])
      expect(await h.client.fetchPositions([h.symbol])).toEqual([])
    })

    it('reports the mark price and the funding rate of the symbol', async () => {
      const mark = await h.client.fetchMarkPrice(h.symbol)
      expect(markPriceSchema.parse(mark)).toEqual(mark)
      expect(mark.symbol).toBe(h.symbol)
      expect(mark.markPrice).toBeGreaterThan(0)
      const funding = await h.client.fetchFundingRate(h.symbol)
      expect(fundingRateSchema.parse(funding)).toEqual(funding)
      expect(funding.symbol).toBe(h.symbol)
      expect(await codeOf(h.client.fetchMarkPrice('NOPE/USDT:USDT'))).toBe('unknown-symbol')
    })

    it('reports rate-limit usage within its limits', async () => {
      await h.client.fetchOpenOrders(h.symbol)
      for (const u of h.client.rateLimitUsage()) {
        expect(u.limit).toBeGreaterThan(0)
        expect(u.used).toBeGreaterThanOrEqual(0)
        expect(u.used).toBeLessThanOrEqual(u.limit)
        expect(u.intervalMs).toBeGreaterThan(0)
      }
    })

    it('ends the user stream with connection closed (client-closed) on close()', async () => {
      await h.client.close()
      await h.settle()
      const last = events.filter((e) => e.type === 'connection').at(-1)
      expect(last === undefined ? undefined : [last.type, last.type === 'connection' ? last.state : '', last.type === 'connection' ? last.reason : '']).toEqual([
        'connection',
        'closed',
        'client-closed',
      ])
    })
  })
}
