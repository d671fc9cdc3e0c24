/**
 * Test harness: a simulated venue (@perpkit/sim) + an order manager + invariant checks read from the venue's
 * own records (call log, event log, state), never from the code under test.
 */
import { type ExchangeCapabilities, type Instrument, type Journal, type Order, type TestClock, createTestClock } from '@perpkit/core'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD } from '@perpkit/core/testing'
import { createSimVenue, type SimVenue } from '@perpkit/sim'
import {
  createMemoryJournal,
  createMemoryJournalStore,
  createOrderManager,
  type MemoryJournalStore,
  type OmsConfig,
  type EntryIntent,
  type OmsEvent,
  type OmsJournalEntry,
  type OmsState,
  type OrderManager,
  type OrderManagerOptions,
  parseClientOrderId,
} from '../src/index.js'

export const T0 = 1_758_240_000_000

/** The fixtures of @perpkit/core/testing (tick, step and limits from the venues' instrument lists, base-tier fees). */
export const BINANCE_BTC: Instrument = BINANCE_BTCUSDT
export { BYBIT_BTCUSD }

/** A long market entry of 0.01 BTC on Binance BTCUSDT at the test's start, stop at 64,000 (`over` replaces fields). */
export function longEntry(over: Partial<EntryIntent> = {}): EntryIntent {
  return { signalId: 'sig-1', signalTimeMs: T0, symbol: BINANCE_BTC.symbol, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, ...over }
}

export type Profile = 'binance-usdm' | 'bybit-inverse'

export function instrumentFor(profile: Profile): Instrument {
  return profile === 'binance-usdm' ? BINANCE_BTC : BYBIT_BTCUSD
}

/** Flush pending promise continuations (a macrotask turn lets every queued microtask run). */
export async function flush(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r))
}

/** Advance virtual time in steps, letting async work run between timers. */
export async function advance(clock: TestClock, ms: number, stepMs = 50): Promise<void> {
  let left = ms
  await flush()
  while (left > 0) {
    const d = Math.min(stepMs, left)
    await clock.advanceAsync(d)
    await flush(1)
    left -= d
  }
}

export interface World {
  readonly clock: TestClock
  readonly venue: SimVenue
  readonly profile: Profile
  readonly instrument: Instrument
  store: MemoryJournalStore
  oms: OrderManager
  events: OmsEvent[]
  price: number
  /** Set price (a public trade of `qty`, then mark) on the venue and the OMS. */
  setPrice(price: number, qty?: number): void
  /** Kill the current OMS process (its timers and venue access die) and start a new one on the same journal. */
  restart(options?: Partial<OrderManagerOptions>, crash?: CrashPlan): Promise<void>
  /** Whether the current process was killed by its crash plan. */
  crashed(): boolean
  /** Journal appends of the current process. */
  appends(): number
  /** Call-log index where each process started. */
  readonly processStarts: number[]
  /**
   * Step the order manager's wall clock by `deltaMs` (negative: backwards, as an NTP correction does). The venue
   * keeps its own clock; timers keep waiting on elapsed time.
   */
  stepOmsWall(deltaMs: number): void
}

/**
 * A venue wrapper whose access can be cut (a killed process must not act after death); `capabilities` overrides
 * what the venue reports it can do.
 */
function killable(venue: SimVenue, capabilities?: Partial<ExchangeCapabilities>): { venue: SimVenue; kill(): void } {
  let dead = false
  const deadError = (): Promise<never> => new Promise<never>(() => undefined) // a dead process never sees an answer
  const proxy = new Proxy(venue, {
    get(target, prop, receiver) {
      if (prop === 'capabilities' && capabilities !== undefined) return { ...target.capabilities, ...capabilities }
      const value = Reflect.get(target, prop, receiver) as unknown
      if (typeof value !== 'function') return value
      if (prop === 'subscribeUserStream') {
        return (listener: Parameters<SimVenue['subscribeUserStream']>[0]) =>
          target.subscribeUserStream((e) => {
            if (!dead) listener(e)
          })
      }
      return (...args: unknown[]) => (dead ? deadError() : (value as (...a: unknown[]) => unknown).apply(target, args))
    },
  })
  return { venue: proxy, kill: () => (dead = true) }
}

/** A journal wrapper that dies with its process; `crashAt` kills the whole process at the n-th append. */
export interface CrashPlan {
  /** Kill at this append (1-based). */
  readonly atAppend: number
  /** Whether the record is written before the process dies. */
  readonly afterWrite: boolean
}

function killableJournal(journal: Journal<OmsState, OmsJournalEntry>, onCrash: () => void, plan: CrashPlan | undefined): { journal: Journal<OmsState, OmsJournalEntry>; kill(): void; appends(): number } {
  let dead = false
  let appends = 0
  const never = (): Promise<never> => new Promise<never>(() => undefined)
  return {
    appends: () => appends,
    kill: () => (dead = true),
    journal: {
      recover: () => journal.recover(),
      async append(payload, ts) {
        if (dead) return never()
        appends++
        if (plan !== undefined && appends === plan.atAppend) {
          if (plan.afterWrite) await journal.append(payload, ts)
          onCrash()
          return never()
        }
        return journal.append(payload, ts)
      },
      writeSnapshot: (seq, st) => (dead ? never() : journal.writeSnapshot(seq, st)),
      close: () => journal.close(),
    },
  }
}

/** A clock wrapper whose timers stop firing once killed; its wall reading is offset by `wallOffsetMs()`. */
function killableClock(clock: TestClock, wallOffsetMs: () => number): { clock: TestClock; kill(): void } {
  let dead = false
  const c: TestClock = {
    ...clock,
    now: () => clock.now() + wallOffsetMs(),
    setTimer: (ms, fn) => clock.setTimer(ms, () => (dead ? undefined : fn())),
    sleep: (ms) => new Promise((resolve) => clock.setTimer(ms, () => (dead ? undefined : resolve()))),
    advance: (ms) => clock.advance(ms),
    advanceTo: (t) => clock.advanceTo(t),
    advanceAsync: (ms) => clock.advanceAsync(ms),
    pendingTimers: () => clock.pendingTimers(),
    nextTimerMs: () => clock.nextTimerMs(),
  }
  return { clock: c, kill: () => (dead = true) }
}

export async function createWorld(args: {
  readonly profile?: Profile
  readonly config?: Partial<OmsConfig>
  readonly options?: Partial<OrderManagerOptions>
  readonly price?: number
  readonly seed?: number
  readonly start?: boolean
  readonly participation?: number
  readonly crash?: CrashPlan
  /** What the venue reports it can do, over the profile's capabilities. */
  readonly capabilities?: Partial<ExchangeCapabilities>
}): Promise<World> {
  const profile = args.profile ?? 'binance-usdm'
  const instrument = instrumentFor(profile)
  const clock = createTestClock(T0)
  const venue = createSimVenue({
    profile,
    instruments: [instrument],
    balances: profile === 'binance-usdm' ? { USDT: 1_000_000 } : { BTC: 100 },
    clock,
    record: { calls: true, events: true },
    seed: args.seed ?? 1,
    markPrice: 'explicit',
    ...(args.participation === undefined ? {} : { fillModel: { participation: args.participation } }),
  })
  let kill: () => void = () => undefined
  let tradeSeq = 0
  let crashed = false
  let appendsOf: () => number = () => 0
  let wallOffsetMs = 0
  const world: World = {
    clock,
    venue,
    profile,
    instrument,
    store: createMemoryJournalStore(),
    oms: undefined as unknown as OrderManager,
    events: [],
    price: args.price ?? 65_000,
    setPrice(price, qty = 1) {
      world.price = price
      venue.applyTrade({ symbol: instrument.symbol, trade: { tradeId: `m${clock.now()}_${price}_${tradeSeq++}`, price, qty, side: 'buy', timestampMs: clock.now() } })
      venue.setMarkPrice({ symbol: instrument.symbol, markPrice: price, timestampMs: clock.now() })
      ;(world.oms as OrderManager | undefined)?.onMarkPrice({ symbol: instrument.symbol, markPrice: price })
    },
    crashed: () => crashed,
    appends: () => appendsOf(),
    processStarts: [],
    stepOmsWall(deltaMs) {
      wallOffsetMs += deltaMs
    },
    async restart(options, crash) {
      kill()
      crashed = false
      const kv = killable(venue, args.capabilities)
      const kc = killableClock(clock, () => wallOffsetMs)
      let dead = false
      const kj = killableJournal(createMemoryJournal<OmsState, OmsJournalEntry>({ store: world.store }), () => {
        crashed = true
        kill()
      }, crash)
      appendsOf = kj.appends
      kill = () => {
        dead = true
        kv.kill()
        kc.kill()
        kj.kill()
      }
      world.processStarts.push(venue.callLog().length)
      world.oms = createOrderManager({
        venue: kv.venue,
        clock: kc.clock,
        journal: kj.journal,
        instruments: [instrument],
        config: { makerOnly: false, ...args.config },
        ...args.options,
        ...options,
      })
      world.oms.subscribe((e) => {
        if (!dead) world.events.push(e)
      })
      world.oms.onMarkPrice({ symbol: instrument.symbol, markPrice: world.price })
      const started = world.oms.start()
      await Promise.race([started, flush(5)])
      await flush()
    },
  }
  venue.setMarkPrice({ symbol: instrument.symbol, markPrice: world.price, timestampMs: clock.now() })
  if (args.start !== false) await world.restart(undefined, args.crash)
  world.setPrice(world.price)
  return world
}

/** Venue orders created per client id, from the venue's event log (independent of the OMS). */
export function venueOrdersByClientId(venue: SimVenue): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const e of venue.eventLog()) {
    if (e.type !== 'order') continue
    const set = out.get(e.order.clientOrderId) ?? new Set<string>()
    set.add(e.order.venueOrderId)
    out.set(e.order.clientOrderId, set)
  }
  return out
}

/** Open reduce-only stop orders on the venue for a symbol. */
export function venueStops(venue: SimVenue, symbol: string): Order[] {
  return venue.state().openOrders.filter((o) => o.symbol === symbol && o.type === 'stop-market' && o.reduceOnly)
}

export function venuePositionQty(venue: SimVenue, symbol: string): number {
  const p = venue.state().positions.find((x) => x.symbol === symbol)
  return p === undefined ? 0 : p.side === 'long' ? p.qty : -p.qty
}

export { parseClientOrderId }

export function createCalls(venue: SimVenue): { readonly clientOrderId: string; readonly outcome: string; readonly reduceOnly: boolean; readonly timestampMs: number }[] {
  return venue
    .callLog()
    .filter((c) => c.method === 'createOrder')
    .map((c) => {
      const a = c.args as { clientOrderId: string; reduceOnly?: boolean }
      return { clientOrderId: a.clientOrderId, outcome: c.outcome, reduceOnly: a.reduceOnly === true, timestampMs: c.timestampMs }
    })
}

/** Run an OMS call that may never settle (its process may be dead): wait for it or for a few event-loop turns. */
export async function attempt(fn: () => Promise<unknown>): Promise<void> {
  let p: Promise<unknown>
  try {
    p = fn()
  } catch {
    return
  }
  await Promise.race([p.catch(() => undefined), flush(5)])
}

/** Reconcile while advancing virtual time (a reconcile may wait on budget or retry backoff). */
export async function reconcileSettled(world: World, maxMs = 60_000): Promise<void> {
  let done = false
  const p = world.oms.reconcile().finally(() => {
    done = true
  })
  for (let t = 0; !done && t < maxMs; t += 250) await advance(world.clock, 250, 250)
  if (done) await p
}
