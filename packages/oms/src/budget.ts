/**
 * A shared request budget over a rolling window, kept below a fraction of the venue's limit.
 * @module
 */
import { type Clock, type ExchangeMethod, InvalidInputError, PerpkitError, type RequestLimits } from '@perpkit/core'
import type { BudgetLedger } from './budget-ledger.js'

/** Port methods the OMS calls, for weights. */
export type VenueMethod = Extract<
  ExchangeMethod,
  'createOrder' | 'amendOrder' | 'cancelOrder' | 'fetchOrder' | 'fetchOpenOrders' | 'fetchPositions' | 'fetchFills' | 'fetchBalances' | 'fetchServerTime'
>

/** Budget configuration. */
export interface RequestBudgetConfig {
  /** The venue's own limit per window (in weight units). */
  readonly venueLimit: number
  /** Window length. */
  readonly windowMs: number
  /** Weight the budget may use per window; must stay below 80 % of `venueLimit` (default `floor(0.8 × venueLimit)`). */
  readonly capPerWindow?: number
}

/**
 * The budget of a venue, from the request limits its port reports: the venue's window and limit, used up to 80 %
 * (Binance USDⓈ-M 2,400 weight / minute → 1,920; Bybit 120 requests / minute → 96).
 *
 * @param limits - the port's `requestLimits`
 * @returns the budget config
 * @throws never
 * @example
 * ```ts
 * import { budgetConfigOf } from '@perpkit/oms'
 * budgetConfigOf({ limit: 120, intervalMs: 60_000, weights: {} }) // { venueLimit: 120, windowMs: 60000 }
 * ```
 */
export function budgetConfigOf(limits: RequestLimits): RequestBudgetConfig {
  return { venueLimit: limits.limit, windowMs: limits.intervalMs }
}

/**
 * Weight of one request, from the request limits the venue's port reports (a method it does not list weighs 1).
 *
 * @param args.limits - the port's `requestLimits`
 * @param args.method - port method
 * @param args.allSymbols - true when a list call has no symbol filter
 * @returns the weight (≥ 1)
 * @example
 * ```ts
 * import { requestWeight } from '@perpkit/oms'
 * const limits = { limit: 2_400, intervalMs: 60_000, weights: { fetchPositions: 5 }, allSymbolsWeights: { fetchOpenOrders: 40 } }
 * requestWeight({ limits, method: 'fetchOpenOrders', allSymbols: true }) // 40
 * requestWeight({ limits, method: 'fetchOpenOrders' }) // 1
 * ```
 */
export function requestWeight(args: { readonly limits: RequestLimits; readonly method: VenueMethod; readonly allSymbols?: boolean }): number {
  const { limits, method } = args
  const weight = (args.allSymbols === true ? limits.allSymbolsWeights?.[method] : undefined) ?? limits.weights[method] ?? 1
  return Math.max(1, Math.ceil(weight))
}

/**
 * Priority of a request. `normal` requests stay below the reserved share; `protective-query` requests (reads that
 * protect a position: stop verifications, resolving a stop or close of unknown outcome, fill catch-up) may use half
 * of it; `protective` requests (orders that protect a position: stop creates / amends, closes, cancels) may use all
 * of it. So reads can never take the room a stop or a close needs.
 */
export type RequestPriority = 'normal' | 'protective-query' | 'protective'

/** A rolling-window request budget shared by every caller of one venue. */
export interface RequestBudget {
  /** Maximum weight inside any window. */
  readonly cap: number
  /** Take `weight` now if it fits; returns false (taking nothing) otherwise. Not available with a ledger (use `acquire`). */
  tryAcquire(weight: number, priority?: RequestPriority): boolean
  /** Wait (on the clock) until `weight` fits, then take it (with a ledger: recorded durably before it resolves). */
  acquire(weight: number, priority?: RequestPriority): Promise<void>
  /** Weight used in the window ending now. */
  used(): number
  /** Milliseconds until `weight` would fit (0 when it fits now). */
  waitMs(weight: number, priority?: RequestPriority): number
}

/**
 * Create a rolling-window budget.
 *
 * @param args.clock - time source
 * @param args.config - limits
 * @param args.protectiveReserve - share of the cap `normal` requests may not use (default 0): `protective-query`
 *   requests may use its first half (rounded down), only `protective` requests the rest, so with any reserve of at
 *   least one unit a protective order always finds room that no query can take
 * @param args.ledger - durable record of requests shared by successive processes: the first `acquire` counts what
 *   earlier processes spent inside the window, and every `acquire` records its weight before resolving, so a crash
 *   loop cannot exceed the venue's limit. Without one the budget is per process.
 * @returns the budget
 * @throws InvalidInputError on a non-positive limit or window, or a cap below 1 or above 80 % of the venue limit;
 *   PerpkitError `invalid-state` from `tryAcquire` on a budget with a ledger
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createRequestBudget } from '@perpkit/oms'
 * const budget = createRequestBudget({ clock: createTestClock(0), config: { venueLimit: 10, windowMs: 1000 } })
 * budget.cap // 8
 * budget.tryAcquire(8) // true
 * budget.tryAcquire(1) // false
 * ```
 */
export function createRequestBudget(args: {
  readonly clock: Clock
  readonly config: RequestBudgetConfig
  readonly protectiveReserve?: number
  readonly ledger?: BudgetLedger
}): RequestBudget {
  const { clock, config, ledger } = args
  if (!(config.venueLimit > 0) || !Number.isFinite(config.venueLimit)) throw new InvalidInputError('venueLimit must be > 0', { path: 'venueLimit' })
  if (!(config.windowMs > 0) || !Number.isFinite(config.windowMs)) throw new InvalidInputError('windowMs must be > 0', { path: 'windowMs' })
  const cap = config.capPerWindow ?? Math.floor(config.venueLimit * 0.8 + 1e-9)
  if (!Number.isInteger(cap) || cap < 1) throw new InvalidInputError('capPerWindow must be an integer >= 1', { path: 'capPerWindow' })
  if (cap > config.venueLimit * 0.8 + 1e-9) throw new InvalidInputError('capPerWindow must stay below 80 % of venueLimit', { path: 'capPerWindow' })
  const reserve = args.protectiveReserve ?? 0
  if (!(reserve >= 0 && reserve < 1)) throw new InvalidInputError('protectiveReserve must be in [0, 1)', { path: 'protectiveReserve' })
  const normalCap = Math.max(1, Math.floor(cap * (1 - reserve)))
  // protective reads may use half of the reserve; the other half (at least one unit) is kept for protective orders
  const queryCap = normalCap + Math.floor((cap - normalCap) / 2)
  const limitOf = (priority: RequestPriority | undefined): number => (priority === 'protective' ? cap : priority === 'protective-query' ? queryCap : normalCap)
  // the window is measured on the monotonic clock: a wall clock stepped forward must not age requests out early
  // (the venue counts on its own clock); ledger stamps are wall times, converted once when loaded
  const elapsedNow = (): number => clock.monotonicMs?.() ?? clock.now()
  const stamps: { timestampMs: number; weight: number }[] = []
  let head = 0
  let total = 0
  const prune = (): void => {
    const cutoff = elapsedNow() - config.windowMs
    while (head < stamps.length && (stamps[head] as { timestampMs: number }).timestampMs <= cutoff) {
      total -= (stamps[head] as { weight: number }).weight
      head++
    }
    if (head > 1024 && head * 2 > stamps.length) {
      stamps.splice(0, head)
      head = 0
    }
  }
  // stamps of earlier processes join the window once, before the first request of this one
  let loaded: Promise<void> | undefined
  const loadLedger = (from: BudgetLedger): Promise<void> =>
    (loaded ??= from.load().then((earlier) => {
      const live = stamps.slice(head)
      const shift = elapsedNow() - clock.now()
      const merged = [...earlier.map((s) => ({ timestampMs: s.timestampMs + shift, weight: s.weight })), ...live].sort((a, b) => a.timestampMs - b.timestampMs)
      stamps.length = 0
      stamps.push(...merged)
      head = 0
      total = merged.reduce((sum, s) => sum + s.weight, 0)
      prune()
    }))
  const take = (weight: number, priority: RequestPriority | undefined): boolean => {
    prune()
    if (total + weight > limitOf(priority)) return false
    stamps.push({ timestampMs: elapsedNow(), weight })
    total += weight
    return true
  }
  const checkWeight = (weight: number): void => {
    if (!Number.isInteger(weight) || weight < 1 || weight > cap) throw new InvalidInputError(`weight must be an integer in 1..${cap}`, { path: 'weight' })
  }
  const budget: RequestBudget = {
    cap,
    tryAcquire(weight, priority) {
      if (ledger !== undefined) throw new PerpkitError('invalid-state', 'a budget with a ledger records each request before it is sent: use acquire()')
      checkWeight(weight)
      return take(weight, priority)
    },
    async acquire(weight, priority) {
      checkWeight(weight)
      if (ledger !== undefined) await loadLedger(ledger)
      for (;;) {
        if (take(weight, priority)) {
          if (ledger !== undefined) await ledger.record({ timestampMs: clock.now(), weight })
          return
        }
        await clock.sleep(Math.max(1, budget.waitMs(weight, priority)))
      }
    },
    used() {
      prune()
      return total
    },
    waitMs(weight, priority) {
      prune()
      let excess = total + weight - limitOf(priority)
      if (excess <= 0) return 0
      for (let i = head; i < stamps.length; i++) {
        const s = stamps[i] as { timestampMs: number; weight: number }
        excess -= s.weight
        if (excess <= 0) return Math.max(0, s.timestampMs + config.windowMs - elapsedNow()) + 1
      }
      return config.windowMs
    },
  }
  return budget
}
