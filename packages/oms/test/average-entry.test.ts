/**
 * Average entry price of an inverse position: the venues average coin-margined entries harmonically in price
 * (Bybit, "How to Calculate Average Entry Price": 50 BTCUSD contracts at 10,000 plus 50 at 15,000 average
 * 12,000). The OMS used to average arithmetically (12,500).
 */
import { createTestClock, type ExchangeClient, type Fill, type Order, type OrderRequest, type UserStreamEvent } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createMemoryJournal, createOrderManager, deriveClientOrderId } from '../src/index.js'
import { BINANCE_BTC, BYBIT_BTCUSD, flush, T0 } from './harness.js'

/** A venue that accepts every order and lets the test push user-stream events. */
function scriptedVenue(now: () => number, venueId: ExchangeClient['venue']): { venue: ExchangeClient; push: (ev: UserStreamEvent) => void } {
  let listener: ((ev: UserStreamEvent) => void) | undefined
  const toOrder = (r: OrderRequest): Order => ({
    symbol: r.symbol, clientOrderId: r.clientOrderId, venueOrderId: `v-${r.clientOrderId}`, side: r.side, type: r.type,
    status: r.type === 'stop-market' ? 'untriggered' : 'open', qty: r.qty, filledQty: 0, avgFillPrice: 0,
    ...(r.price === undefined ? {} : { price: r.price }), ...(r.triggerPrice === undefined ? {} : { triggerPrice: r.triggerPrice }),
    timeInForce: r.timeInForce ?? 'GTC', reduceOnly: r.reduceOnly ?? false, closePosition: false, createdAtMs: now(), updatedAtMs: now(),
  })
  const venue: ExchangeClient = {
    venue: venueId,
    capabilities: { amendOrder: true, amendConditionalOrder: false, closePositionOrders: true, trailingStop: true, reduceOnlyStopWithoutPosition: true },
    requestLimits: { limit: 120, intervalMs: 60_000, weights: {} },
    loadInstruments: async () => [],
    fetchBalances: async () => [],
    fetchPositions: async () => [],
    fetchOpenOrders: async () => [],
    fetchOrder: async () => null,
    fetchFills: async () => [],
    createOrder: async (r) => toOrder(r),
    amendOrder: async () => {
      throw new Error('not used')
    },
    cancelOrder: async (ref) => ({ ...toOrder({ symbol: ref.symbol, clientOrderId: ref.clientOrderId, side: 'buy', type: 'limit', qty: 1, price: 1 }), status: 'canceled' }),
    setLeverage: async () => undefined,
    setMarginMode: async () => undefined,
    getPositionMode: async () => 'one-way',
    fetchServerTime: async () => now(),
    subscribeUserStream: (l) => {
      listener = l
      return () => undefined
    },
  }
  return { venue, push: (ev) => listener?.(ev) }
}

async function twoFills(args: { instrument: typeof BYBIT_BTCUSD; qty: number; limit: number; stop: number; fills: readonly { qty: number; price: number }[] }) {
  const clock = createTestClock(T0)
  const { venue, push } = scriptedVenue(() => clock.now(), args.instrument.venue)
  const oms = createOrderManager({ venue, clock, journal: createMemoryJournal(), instruments: [args.instrument], config: { makerOnly: false } })
  await oms.start()
  oms.onMarkPrice({ symbol: args.instrument.symbol, markPrice: args.limit })
  const r = await oms.submitEntry({ signalId: 'avg-1', signalTimeMs: clock.now(), symbol: args.instrument.symbol, direction: 'long', qty: args.qty, price: args.limit, stopPrice: args.stop })
  expect(r.ok).toBe(true)
  await flush()
  const entryId = deriveClientOrderId({ signalId: 'avg-1', direction: 'long' })
  expect(oms.order(entryId)?.state).toBe('open')
  args.fills.forEach((f, i) => {
    const fill: Fill = {
      symbol: args.instrument.symbol, tradeId: `t${i}`, venueOrderId: `v-${entryId}`, clientOrderId: entryId, side: 'buy', price: f.price, qty: f.qty,
      feeAmount: 0, feeAsset: args.instrument.settle, liquidity: 'taker', timestampMs: clock.now(),
    }
    push({ type: 'fill', timestampMs: clock.now(), fill })
  })
  await flush()
  const position = oms.snapshot().symbols[args.instrument.symbol]
  const order = oms.order(entryId)
  await oms.stop()
  return { position, order }
}

describe('average entry price', () => {
  it('inverse: 50 contracts at 10,000 + 50 at 15,000 → 12,000 for the position and the order (harmonic, not 12,500)', async () => {
    const { position, order } = await twoFills({ instrument: BYBIT_BTCUSD, qty: 100, limit: 15_000, stop: 9_000, fills: [{ qty: 50, price: 10_000 }, { qty: 50, price: 15_000 }] })
    expect(position?.qty).toBe(100)
    // by hand: 100 / (50/10000 + 50/15000) = 100 / (1/120) = 12000
    expect(position?.avgEntryPrice).toBeCloseTo(12_000, 6)
    expect(order?.avgFillPrice).toBeCloseTo(12_000, 6)
    expect(order?.state).toBe('filled')
  })

  it('linear: 0.001 BTC at 60,000 + 0.003 at 64,000 → 63,000 (arithmetic)', async () => {
    const { position, order } = await twoFills({ instrument: BINANCE_BTC, qty: 0.004, limit: 64_000, stop: 59_000, fills: [{ qty: 0.001, price: 60_000 }, { qty: 0.003, price: 64_000 }] })
    // by hand: (0.001·60000 + 0.003·64000) / 0.004 = (60 + 192) / 0.004 = 63000
    expect(position?.avgEntryPrice).toBeCloseTo(63_000, 6)
    expect(order?.avgFillPrice).toBeCloseTo(63_000, 6)
  })
})
