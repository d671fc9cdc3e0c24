/**
 * The order manager's safety invariants re-run through an adapter and the wire: one seeded run = @perpkit/oms over
 * createBinanceUsdm or createBybit over the local venue server, with a random entry, a random price path and
 * faults the server injects (timeouts before and after the venue acted, 5xx before and after, late answers, 429 /
 * 10006, dropped / silenced / duplicated / reordered private-stream frames). What is checked comes from the
 * simulated venue behind the server (its event log and state), never from the order manager or the adapter:
 *
 * - one venue order per client id;
 * - every position is covered by reduce-only stops within 2 s, or a flatten (reduce-only market) order was sent
 *   and the position is flat within 5 s;
 * - after the final exit the position is flat and no reduce-only (protective) order is left on the venue.
 *
 * Time runs on a test clock shared by the server, the adapter and the order manager, stepped in 100 ms slices; after
 * each step the run waits (in real time) until the server has answered every request it is not holding on
 * purpose, so a busy machine slows the run down but does not stretch venue latency in clock time.
 */
import { createTestClock, type ExchangeClient, type Instrument, type Order, roundToStep, type TestClock } from '@perpkit/core'
import { createMemoryJournal, createOrderManager, type OmsJournalEntry, type OmsState, type OrderManager } from '@perpkit/oms'
import { DEFAULT_API_KEY, type HttpFault, type HttpFaultKind, startVenueServer, type VenueServer, type WsFault } from '@perpkit/venue-server'
import { createBinanceUsdm, createBybit } from '../../src/index.js'

/** A venue dialect of the campaign. */
export type WireDialect = 'binance-usdm' | 'bybit'

/** What one run did and what it broke. */
export interface WireRun {
  readonly seed: number
  readonly symbol: string
  readonly faults: readonly string[]
  readonly violations: readonly string[]
  /** Clock time the run covered. */
  readonly simulatedMs: number
  /** Whether a position was ever open (the coverage check had something to check). */
  readonly hadPosition: boolean
  /** Longest time a position stayed without a covering stop. */
  readonly maxUncoveredMs: number
  /** Orders the order manager created on the venue (the venue's count). */
  readonly venueOrders: number
}

/** The clock step of a run (ms). */
export const SLICE_MS = 100
/** A position must be covered by a stop within this long (or a flatten sent). */
export const STOP_WITHIN_MS = 2_000
const FLAT_WITHIN_MS = 5_000

/** mulberry32: a small seeded generator (the run's only source of randomness). */
function rng(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)] as never, chance: (p) => next() < p }
}

const HTTP_KINDS: readonly HttpFaultKind[] = ['timeout-after-accept', 'timeout-before-accept', 'http-5xx-after-accept', 'http-5xx-before-accept', 'slow', 'rate-limited']
const TARGETS: Record<WireDialect, readonly string[]> = {
  'binance-usdm': ['order.create', 'order.create', 'algoOrder.create', 'algoOrder.create', 'order.cancel', 'algoOrder.cancel', 'order.get', 'openOrders', 'userTrades'],
  bybit: ['order.create', 'order.create', 'order.create', 'order.cancel', 'order.realtime', 'position.list', 'execution.list'],
}
/** Requests the server holds on purpose: no answer until the client gives up, or an answer later on the clock. */
const HELD = new Set(['timeout-after-accept', 'timeout-before-accept', 'slow'])

/** One run's clock, venue server, adapter and order manager. */
export interface Harness {
  readonly clock: TestClock
  readonly server: VenueServer
  readonly client: ExchangeClient
  readonly oms: OrderManager
  readonly instrument: Instrument
}

/** Let sockets and promises run until the server has answered every request it is not holding on purpose. */
export async function settle(server: VenueServer): Promise<void> {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
  let quiet = 0
  for (let i = 0; i < 400 && quiet < 3; i++) {
    await turn()
    const pending = server.handle.requestLog().some((r) => r.transport === 'http' && r.status === undefined && !HELD.has(r.fault ?? ''))
    quiet = pending ? 0 : quiet + 1
  }
}

/**
 * Start the venue server, connect the adapter to it on a shared test clock and create the order manager.
 * @param dialect - which adapter and venue dialect
 * @param seed - the server's seed and the clock's start offset
 * @param inverse - Bybit: the inverse category (BTC/USD:BTC) instead of linear
 * @returns the harness (close the oms, client and server when done)
 */
export async function openHarness(dialect: WireDialect, seed: number, inverse: boolean): Promise<Harness> {
  const clock = createTestClock(Date.UTC(2026, 0, 5) + seed * 1_000)
  const server = await startVenueServer({ dialect, flavour: 'testnet', clock, seed })
  const symbol = dialect === 'binance-usdm' ? 'BTC/USDT:USDT' : inverse ? 'BTC/USD:BTC' : 'BTC/USDT:USDT'
  server.handle.venue.applyTrade({ symbol, trade: { tradeId: 'open', timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
  server.handle.venue.setMarkPrice({ symbol, markPrice: 65_000 })
  const common = { ...DEFAULT_API_KEY, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock, timeoutMs: 2_000 }
  const client = dialect === 'binance-usdm' ? createBinanceUsdm(common) : createBybit({ ...common, category: inverse ? 'inverse' : 'linear' })
  const connecting = client.connect()
  let done = false
  void connecting.finally(() => (done = true)).catch(() => undefined)
  for (let i = 0; i < 200 && !done; i++) {
    await settle(server)
    if (!done) clock.advance(SLICE_MS)
  }
  await connecting
  const instrument = (await client.loadInstruments()).find((i) => i.symbol === symbol) as Instrument
  const oms = createOrderManager({ venue: client, clock, journal: createMemoryJournal<OmsState, OmsJournalEntry>(), instruments: [instrument], config: { makerOnly: false } })
  oms.onMarkPrice({ symbol, markPrice: 65_000 })
  return { clock, server, client, oms, instrument }
}

/**
 * Run one seeded scenario and check the invariants.
 * @param args.dialect - which adapter and venue dialect
 * @param args.seed - the run's seed (replays exactly the same choices)
 * @returns the run's faults and violations
 */
export async function runWireScenario(args: { readonly dialect: WireDialect; readonly seed: number }): Promise<WireRun> {
  const r = rng(args.seed * 7919 + (args.dialect === 'bybit' ? 1 : 0))
  const inverse = args.dialect === 'bybit' && r.chance(0.5)
  const h = await openHarness(args.dialect, args.seed, inverse)
  const { clock, server, oms, instrument } = h
  const symbol = instrument.symbol
  const sim = server.handle.venue.simFor(symbol)
  const startedAt = clock.now()
  const violations: string[] = []
  const faults: string[] = []
  const byClientId = new Map<string, Set<string>>()
  let price = 65_000
  let uncoveredSince: number | undefined
  let flattenSentSince = false
  let hadPosition = false
  let maxUncoveredMs = 0

  const positionQty = (): number => {
    const p = sim.state().positions.find((x) => x.symbol === symbol)
    return p === undefined ? 0 : p.side === 'long' ? p.qty : -p.qty
  }
  const protective = (): Order[] => sim.state().openOrders.filter((o) => o.symbol === symbol && o.reduceOnly && (o.type === 'stop-market' || o.type === 'stop-limit'))
  /** Coverage of the position by reduce-only stops, sampled after every slice. */
  const sample = (): void => {
    const pos = positionQty()
    const now = clock.now()
    if (pos === 0) {
      uncoveredSince = undefined
      return
    }
    hadPosition = true
    const side = pos > 0 ? 'sell' : 'buy'
    const covered = protective()
      .filter((o) => o.side === side)
      .reduce((a, o) => a + (o.qty - o.filledQty), 0)
    if (covered >= Math.abs(pos) - 1e-9) {
      uncoveredSince = undefined
      return
    }
    if (uncoveredSince === undefined) {
      uncoveredSince = now
      flattenSentSince = false
    }
    const since = uncoveredSince
    flattenSentSince ||= sim.callLog().some((c) => c.method === 'createOrder' && c.timestampMs >= since && (c.args as { reduceOnly?: boolean; type: string }).reduceOnly === true && (c.args as { type: string }).type === 'market')
    const age = now - since
    maxUncoveredMs = Math.max(maxUncoveredMs, age)
    if (age > FLAT_WITHIN_MS) violations.push(`position ${pos} uncovered for ${age} ms (> ${FLAT_WITHIN_MS}) since t+${since - startedAt}`)
    else if (age > STOP_WITHIN_MS && !flattenSentSince) violations.push(`position ${pos} uncovered for ${age} ms without a stop or a flatten order since t+${since - startedAt}`)
    if (violations.length > 0) uncoveredSince = now // report once per episode
  }
  const step = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += SLICE_MS) {
      clock.advance(SLICE_MS)
      await settle(server)
      sample()
    }
  }
  /** Await an order-manager call while the clock runs (its requests may wait on timeouts and backoff). */
  const during = async <T>(p: Promise<T>, maxMs = 30_000): Promise<T | undefined> => {
    let done = false
    const watched = p.finally(() => (done = true))
    for (let t = 0; t < maxMs && !done; t += SLICE_MS) {
      await settle(server)
      if (!done) {
        clock.advance(SLICE_MS)
        sample()
      }
    }
    return done ? watched : undefined
  }
  const setPrice = (next: number): void => {
    price = roundToStep({ value: next, step: instrument.tickSize })
    server.handle.venue.applyTrade({ symbol, trade: { tradeId: `p${clock.now()}`, timestampMs: clock.now(), price, qty: 5, side: r.chance(0.5) ? 'buy' : 'sell' } })
    server.handle.venue.setMarkPrice({ symbol, markPrice: price })
    oms.onMarkPrice({ symbol, markPrice: price })
  }

  try {
    await during(oms.start())
    // the fault plan: 1–3 HTTP faults on order traffic and queries, each hitting one of the next few matching requests
    for (let i = r.int(1, 3); i > 0; i--) {
      const target = r.pick(TARGETS[args.dialect])
      const kind = r.pick(HTTP_KINDS)
      const fault: HttpFault = { kind, times: 1, skip: r.int(0, 2), ...(kind === 'slow' ? { delayMs: r.int(300, 1_500) } : {}), ...(kind === 'rate-limited' ? { retryAfterSec: 1 } : {}) }
      server.handle.faults.http(target, fault)
      faults.push(`${target}:${kind}/skip${fault.skip ?? 0}`)
    }
    const wsAt = r.chance(0.6) ? r.int(0, 9) : -1
    const wsFault: WsFault = r.pick<WsFault>([
      { kind: 'drop', channel: 'user' },
      { kind: 'silence', channel: 'user', untilMs: 0 },
      { kind: 'duplicate', channel: 'user', count: r.int(1, 4) },
      { kind: 'reorder', channel: 'user', count: r.int(2, 4) },
    ])

    const direction = r.chance(0.5) ? 'long' : 'short'
    const qty = inverse ? 100 * r.int(1, 5) : roundToStep({ value: 0.001 * r.int(3, 9), step: instrument.lotStep })
    const stopDistance = price * (0.005 + 0.02 * r.next())
    const stopPrice = roundToStep({ value: direction === 'long' ? price - stopDistance : price + stopDistance, step: instrument.tickSize })
    const market = r.chance(0.6)
    const limitPrice = roundToStep({ value: direction === 'long' ? price * (1 + 0.001) : price * (1 - 0.001), step: instrument.tickSize }) // marketable: fills at once
    const entry = oms.submitEntry({ signalId: `w${args.seed}`, signalTimeMs: clock.now(), symbol, direction, qty, stopPrice, ...(market ? { type: 'market' as const } : { type: 'limit' as const, price: limitPrice }) })
    await during(entry)

    const exitAt = r.chance(0.4) ? r.int(2, 9) : -1
    for (let s = 0; s < 10; s++) {
      if (s === wsAt) {
        const f = wsFault.kind === 'silence' ? { ...wsFault, untilMs: clock.now() + r.int(1_000, 6_000) } : wsFault
        server.handle.faults.ws(f)
        faults.push(`ws:${f.kind}`)
      }
      if (s === exitAt) void oms.exit({ symbol, reason: 'scenario' }).catch(() => undefined)
      // a random walk, now and then a jump through the stop
      const jump = r.chance(0.12)
      const bps = jump ? (direction === 'long' ? -1 : 1) * r.int(250, 400) : r.int(-60, 60)
      setPrice(price * (1 + bps / 10_000))
      await step(r.int(2, 10) * 100)
    }
    // settle: faults end, the position is closed, and the venue must be left clean
    server.handle.faults.clear()
    await step(2_000)
    await during(oms.exit({ symbol, reason: 'end of run' }))
    await step(5_000)
    await during(oms.reconcile())
    await step(1_000)
    if (positionQty() !== 0) violations.push(`position ${positionQty()} left after the final exit`)
    const left = protective()
    if (positionQty() === 0 && left.length > 0) violations.push(`protective orders left after close: ${left.map((o) => o.clientOrderId).join(',')}`)
  } finally {
    // one venue order per client id, from the venue's own event log
    for (const e of sim.eventLog()) {
      if (e.type !== 'order') continue
      const ids = byClientId.get(e.order.clientOrderId) ?? new Set<string>()
      ids.add(e.order.venueOrderId)
      byClientId.set(e.order.clientOrderId, ids)
    }
    for (const [id, ids] of byClientId) if (ids.size > 1) violations.push(`client id ${id} has ${ids.size} venue orders`)
    await oms.stop().catch(() => undefined)
    await h.client.close().catch(() => undefined)
    await server.close()
  }
  return { seed: args.seed, symbol, faults, violations, simulatedMs: clock.now() - startedAt, hadPosition, maxUncoveredMs, venueOrders: byClientId.size }
}
