/**
 * Benchmark of the hot path: intent → validated, journaled, protected, signed-order request handed to the venue
 * port. The venue is a minimal in-process port that accepts every order instantly (no matching), so the figure is
 * the OMS's own cost. Peers in the same run: bare `validateOrderRequest` (core) and a bare memory-journal append,
 * reported as ratios.
 *
 * Run: npm run bench   (tsx bench/run.ts)
 */
import { performance } from 'node:perf_hooks'
import { createTestClock, type ExchangeClient, type Instrument, type Order, type OrderRequest, validateOrderRequest } from '@perpkit/core'
import { createMemoryJournal, createOrderManager, deriveClientOrderId } from '../src/index.js'

const BTC: Instrument = {
  symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT',
  contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 100, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005,
}

function instantVenue(clock: { now(): number }, onCreate: (r: OrderRequest) => void): ExchangeClient {
  const toOrder = (r: OrderRequest): Order => ({
    symbol: r.symbol, clientOrderId: r.clientOrderId, venueOrderId: r.clientOrderId, side: r.side, type: r.type,
    status: r.type === 'stop-market' ? 'untriggered' : 'open', qty: r.qty, filledQty: 0, avgFillPrice: 0,
    ...(r.price === undefined ? {} : { price: r.price }), ...(r.triggerPrice === undefined ? {} : { triggerPrice: r.triggerPrice }),
    timeInForce: r.timeInForce ?? 'GTC', reduceOnly: r.reduceOnly ?? false, closePosition: false, createdAtMs: clock.now(), updatedAtMs: clock.now(),
  })
  return {
    venue: 'binance-usdm',
    capabilities: { amendOrder: true, amendConditionalOrder: false, closePositionOrders: true, trailingStop: true },
    loadInstruments: async () => [BTC],
    fetchBalances: async () => [],
    fetchPositions: async () => [],
    fetchOpenOrders: async () => [],
    fetchOrder: async () => null,
    fetchFills: async () => [],
    createOrder: async (r) => {
      onCreate(r)
      return toOrder(r)
    },
    amendOrder: async () => {
      throw new Error('unused')
    },
    cancelOrder: async (ref) => toOrder({ symbol: ref.symbol, clientOrderId: ref.clientOrderId, side: 'buy', type: 'limit', qty: 0.01, price: 1 }),
    setLeverage: async () => undefined,
    setMarginMode: async () => undefined,
    getPositionMode: async () => 'one-way',
    fetchServerTime: async () => clock.now(),
    subscribeUserStream: () => () => undefined,
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

async function main(): Promise<void> {
  const N = Number(process.env.N ?? 20_000)
  const clock = createTestClock(1_700_000_000_000)
  let entrySentAt = 0
  const venue = instantVenue(clock, (r) => {
    if (r.clientOrderId.endsWith('_en0')) entrySentAt = performance.now()
  })
  // a generous budget: the benchmark measures code, not rate limits
  const oms = createOrderManager({
    venue,
    clock,
    journal: createMemoryJournal(),
    instruments: [BTC],
    config: { budget: { venueLimit: 1e9, windowMs: 1, capPerWindow: 1e8 }, makerOnly: true, snapshotEveryRecords: 1_000_000 },
  })
  oms.onMarkPrice({ symbol: BTC.symbol, markPrice: 65000 })
  await oms.start()
  const samples: number[] = []
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    entrySentAt = 0
    const r = await oms.submitEntry({ signalId: `b${i}`, symbol: BTC.symbol, direction: 'long', qty: 0.01, price: 64990, stopPrice: 64000 })
    if (!r.ok || entrySentAt === 0) throw new Error(`entry ${i} not sent: ${JSON.stringify(r)}`)
    samples.push(entrySentAt - t0)
    await oms.exit({ symbol: BTC.symbol }) // cancels the resting entry (and then its stop): the symbol is FLAT again
    await new Promise<void>((resolve) => setImmediate(resolve)) // let protection cancel the stop (not timed)
    clock.advance(1)
  }
  samples.sort((a, b) => a - b)
  // peers
  const peerValidate: number[] = []
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    validateOrderRequest({ request: { symbol: BTC.symbol, clientOrderId: deriveClientOrderId({ signalId: `p${i}`, direction: 'long' }), side: 'buy', type: 'limit', qty: 0.01, price: 64990, timeInForce: 'post-only' }, instrument: BTC })
    peerValidate.push(performance.now() - t0)
  }
  peerValidate.sort((a, b) => a - b)
  const journal = createMemoryJournal()
  await journal.recover()
  const peerAppend: number[] = []
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    await journal.append({ orders: [{ clientOrderId: `x${i}`, qty: 0.01 }] }, i)
    peerAppend.push(performance.now() - t0)
  }
  peerAppend.sort((a, b) => a - b)
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`
  const p50 = pct(samples, 0.5)
  console.log(`intent → entry order at the venue port (stop placed first, journaled, budgeted), n=${N}`)
  console.log(`  p50 ${us(p50)}   p99 ${us(pct(samples, 0.99))}`)
  console.log(`peer: core validateOrderRequest + client id   p50 ${us(pct(peerValidate, 0.5))}   p99 ${us(pct(peerValidate, 0.99))}   ratio OMS/peer p50 ${(p50 / pct(peerValidate, 0.5)).toFixed(1)}×`)
  console.log(`peer: memory journal append                  p50 ${us(pct(peerAppend, 0.5))}   p99 ${us(pct(peerAppend, 0.99))}   ratio OMS/peer p50 ${(p50 / pct(peerAppend, 0.5)).toFixed(1)}×`)
}

void main()
