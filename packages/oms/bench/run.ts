/**
 * Benchmark of the hot path: intent → validated, journaled, protected order request handed to the venue port
 * (the protective stop is placed first, the entry is sent once the stop is on the book). The venue is a minimal
 * in-process port that accepts every order at once (no matching), and the journal is the memory journal (the
 * file journal's record encoding and checksum, without the file write and fsync), so the figure is the OMS's own
 * cost.
 *
 * Next to it, in the same run, a hand-written floor of the same steps with nothing else: check the intent, derive
 * the two client ids, build the stop and entry requests, encode one journal record per order, and await the two
 * creates. Ratios OMS / floor are what to compare between machines; absolute µs move with the machine's load.
 *
 * Run: npm run bench   (N=20000 by default; N=… to change; ROUNDS=… repeats the whole measurement)
 */
import { createHash } from 'node:crypto'
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createTestClock, EXCHANGE_PORT_VERSION, type ExchangeClient, type Instrument, type Order, type OrderRequest } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { createMemoryJournal, createOrderManager } from '../src/index.js'
import { encodeRecord } from '../src/journal/codec.js'

const BTC: Instrument = BINANCE_BTCUSDT

function instantVenue(clock: { now(): number }, onCreate: (r: OrderRequest) => void): ExchangeClient {
  const toOrder = (r: OrderRequest): Order => ({
    symbol: r.symbol, clientOrderId: r.clientOrderId, venueOrderId: r.clientOrderId, side: r.side, type: r.type,
    status: r.type === 'stop-market' ? 'untriggered' : 'open', qty: r.qty, filledQty: 0, avgFillPrice: 0,
    ...(r.price === undefined ? {} : { price: r.price }), ...(r.triggerPrice === undefined ? {} : { triggerPrice: r.triggerPrice }),
    timeInForce: r.timeInForce ?? 'GTC', reduceOnly: r.reduceOnly ?? false, closePosition: false, createdAtMs: clock.now(), updatedAtMs: clock.now(),
  })
  return {
    venue: 'binance-usdm',
    portVersion: EXCHANGE_PORT_VERSION,
    capabilities: { amendOrder: true, amendConditionalOrder: false, closePositionOrders: true, trailingStop: true, reduceOnlyStopWithoutPosition: true },
    requestLimits: { limit: 2_400, intervalMs: 60_000, weights: {} },
    connect: async () => undefined,
    close: async () => undefined,
    rateLimitUsage: () => [],
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
    cancelAllOrders: async () => [],
    fetchMarkPrice: async (symbol) => ({ symbol, timestampMs: clock.now(), markPrice: 65_000 }),
    fetchFundingRate: async (symbol) => ({ symbol, fundingTimeMs: clock.now(), rate: 0 }),
    setLeverage: async () => undefined,
    setMarginMode: async () => undefined,
    getPositionMode: async () => 'one-way',
    fetchServerTime: async () => clock.now(),
    subscribeUserStream: () => () => undefined,
  }
}

interface Stats {
  readonly p50: number
  readonly p99: number
  readonly p999: number
}
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999) }
}

/** The OMS path: submitEntry until the entry's create reaches the venue port; then exit (not timed) to be flat again. */
async function omsSamples(n: number): Promise<number[]> {
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
  for (let i = 0; i < n; i++) {
    entrySentAt = 0
    const t0 = performance.now()
    const r = await oms.submitEntry({ signalId: `b${i}`, signalTimeMs: clock.now(), symbol: BTC.symbol, direction: 'long', qty: 0.01, price: 64990, stopPrice: 64000 })
    if (!r.ok || entrySentAt === 0) throw new Error(`entry ${i} not sent: ${JSON.stringify(r)}`)
    samples.push(entrySentAt - t0)
    await oms.exit({ symbol: BTC.symbol }) // cancels the resting entry (and then its stop): the symbol is FLAT again
    await new Promise<void>((resolve) => setImmediate(resolve)) // let protection cancel the stop (not timed)
    clock.advance(1)
  }
  await oms.stop()
  return samples
}

/** The hand-written floor of the same steps, nothing else. */
async function floorSamples(n: number): Promise<number[]> {
  const clock = createTestClock(1_700_000_000_000)
  let entrySentAt = 0
  const venue = instantVenue(clock, (r) => {
    if (r.clientOrderId.endsWith('_en0')) entrySentAt = performance.now()
  })
  const lines: string[] = []
  let seq = 0
  const onGrid = (v: number, step: number): boolean => Math.abs(v / step - Math.round(v / step)) < 1e-9
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    entrySentAt = 0
    const t0 = performance.now()
    const intent = { signalId: `b${i}`, symbol: BTC.symbol, direction: 'long' as const, qty: 0.01, price: 64990, stopPrice: 64000 }
    if (!(intent.qty >= BTC.minQty) || !onGrid(intent.qty, BTC.lotStep) || !onGrid(intent.price, BTC.tickSize) || !onGrid(intent.stopPrice, BTC.tickSize) || !(intent.stopPrice < intent.price)) {
      throw new Error('bad intent')
    }
    const key = createHash('sha256').update(`${intent.signalId}_${intent.direction}`).digest('hex').slice(0, 24)
    const stop: OrderRequest = { symbol: BTC.symbol, clientOrderId: `pk_${key}_sl1`, side: 'sell', type: 'stop-market', qty: intent.qty, triggerPrice: intent.stopPrice, triggerPriceType: 'mark', reduceOnly: true }
    const entry: OrderRequest = { symbol: BTC.symbol, clientOrderId: `pk_${key}_en0`, side: 'buy', type: 'limit', qty: intent.qty, price: intent.price, timeInForce: 'post-only' }
    lines.push(encodeRecord({ seq: ++seq, timestampMs: clock.now(), payload: { orders: [entry] } }))
    lines.push(encodeRecord({ seq: ++seq, timestampMs: clock.now(), payload: { orders: [stop] } }))
    await venue.createOrder(stop)
    await venue.createOrder(entry)
    samples.push(entrySentAt - t0)
    if (lines.length > 100_000) lines.length = 0
    clock.advance(1)
  }
  return samples
}

async function main(): Promise<void> {
  const n = Number(process.env.N ?? 20_000)
  const rounds = Number(process.env.ROUNDS ?? 1)
  const us = (ms: number): string => `${(ms * 1000).toFixed(1).padStart(7)} µs`
  const row = (label: string, s: Stats): string => `${label.padEnd(44)} p50 ${us(s.p50)}   p99 ${us(s.p99)}   p99.9 ${us(s.p999)}`
  await omsSamples(2_000) // warm-up (JIT) of both paths before anything is recorded
  await floorSamples(2_000)
  console.log(`intent → entry order at the venue port (stop placed first, journaled, budgeted), n=${n} per round`)
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on this machine (latency tails grow with it: compare rounds run at the same load)`)
  for (let round = 1; round <= rounds; round++) {
    const oms = stats(await omsSamples(n))
    const floor = stats(await floorSamples(n))
    console.log(`round ${round}`)
    console.log(`  ${row('OMS submitEntry', oms)}`)
    console.log(`  ${row('hand-written floor (same steps)', floor)}`)
    console.log(`  ratio OMS / floor   p50 ${(oms.p50 / floor.p50).toFixed(1)}×   p99 ${(oms.p99 / floor.p99).toFixed(1)}×   p99.9 ${(oms.p999 / floor.p999).toFixed(1)}×`)
  }
}

void main()
