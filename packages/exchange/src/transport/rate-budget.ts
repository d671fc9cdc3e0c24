/**
 * The request budget of one account, shared by every caller that spends it (the REST client and the market
 * feed's backfill). The venue's own headers say how much of each limit is used; the budget keeps use below a
 * share of each limit (80 % by default) by making callers wait for room. A limit counts in windows aligned to the
 * clock (Binance: the minute that started at :00) or in a rolling window (Bybit: any one second). Callers that
 * reduce risk (a stop, a close, a cancel) may use the whole limit and go first. A `Retry-After` pauses everyone
 * until it has passed; a ban (Binance HTTP 418, Bybit HTTP 403) makes every acquire fail with `ip-banned` at once
 * until it ends.
 * @module
 */
import { type Clock, PerpkitError, type RateLimitUsage } from '@perpkit/core'

/** Who is asking: `reduce-risk` (stops, closes, cancels) may use the whole limit and is served first. */
export type RequestPriority = 'normal' | 'reduce-risk'

/** What one answer said about the limits, as read from its headers (and, for bans, its body). */
export interface LimitReading {
  /**
   * Buckets the answer reported: used units, and when known the limit and when that use stops counting. A bucket
   * the budget does not know yet is created from `limit`, `intervalMs` and `window` (it counts requests to the
   * endpoint named by `key`).
   */
  readonly buckets: readonly {
    readonly key: string
    readonly used: number
    readonly limit?: number
    readonly windowEndMs?: number
    readonly intervalMs?: number
    readonly window?: BudgetWindow
  }[]
  /** How long every caller must wait (`Retry-After` on a 429 or 418, or a venue's "too many" answer). */
  readonly retryAfterMs?: number
  /** A ban's end, when the answer states it (Binance HTTP 418). */
  readonly bannedUntilMs?: number
  /** A ban's length from now, when the venue documents it instead of stating an end (Bybit HTTP 403). */
  readonly bannedForMs?: number
}

/**
 * How a limit counts: `aligned` windows start at multiples of the interval on the clock (Binance); a `rolling`
 * window is the last `intervalMs` before each request (Bybit: "rolling time window per second").
 */
export type BudgetWindow = 'aligned' | 'rolling'

/**
 * The part of the budget a request path needs: wait for room before sending, report the answer after.
 * @example
 * ```ts
 * import type { RequestGate } from '@perpkit/exchange'
 * declare const gate: RequestGate
 * await gate.acquire({ weight: 5 })
 * ```
 */
export interface RequestGate {
  /** Wait until the request fits; throws `ip-banned` while a ban lasts. */
  acquire(args: { readonly weight?: number; readonly orders?: number; readonly endpoint?: string; readonly priority?: RequestPriority }): Promise<void>
  /** Read the limits from an answer (any status). */
  observe(answer: { readonly status: number; readonly headers: Headers; readonly text?: string; readonly endpoint?: string }): void
}

/** A limit the budget knows before any answer (Binance publishes them in exchangeInfo, Bybit in its docs). */
export interface BudgetLimit {
  /** The header that reports its use (Binance), or the request path it limits (Bybit, `counts: 'endpoint'`). */
  readonly key: string
  readonly kind: RateLimitUsage['kind']
  /** Window length. */
  readonly intervalMs: number
  readonly limit: number
  /** Which part of a request it counts: its `weight`, its `orders`, or 1 per request to the `endpoint` named by `key`. */
  readonly counts: 'weight' | 'orders' | 'endpoint'
  /** Aligned to multiples of `intervalMs` (default, as Binance counts) or rolling (as Bybit counts). */
  readonly window?: BudgetWindow
}

/**
 * The shared budget of one account.
 * @example
 * ```ts
 * import { createBinanceRateBudget } from '@perpkit/exchange'
 * import { systemClock } from '@perpkit/core'
 * const budget = createBinanceRateBudget({ clock: systemClock })
 * await budget.acquire({ weight: 1 })
 * budget.usage()
 * ```
 */
export interface RateBudget extends RequestGate {
  /** Current use of every known limit. */
  usage(): readonly RateLimitUsage[]
  /** End of the current ban, if one is known. */
  bannedUntilMs(): number | undefined
}

interface Bucket {
  key: string
  kind: RateLimitUsage['kind']
  counts: BudgetLimit['counts']
  /** Undefined for a bucket learnt from an answer that did not say its window (it counts until `windowEndMs`). */
  intervalMs: number | undefined
  window: BudgetWindow
  limit: number
  /** Aligned: use in the current window. Rolling: the venue's last count, valid until `windowEndMs`. */
  used: number
  windowEndMs: number
  /** Rolling: what this budget let through in the last `intervalMs`, oldest first. */
  takes: { atMs: number; cost: number }[]
  timestampMs: number
}

type Ask = Parameters<RequestGate['acquire']>[0]
type Answer = Parameters<RequestGate['observe']>[0]

/**
 * Create a budget.
 * @param args.clock - time for windows and waits
 * @param args.limits - limits known up front (per-endpoint limits are also learnt from answers)
 * @param args.read - reads an answer's headers / body into a {@link LimitReading}
 * @param args.share - share of each limit normal callers may use (default 0.8)
 * @returns the budget
 * @throws never
 * @example
 * ```ts
 * import { createRateBudget } from '@perpkit/exchange'
 * import { systemClock } from '@perpkit/core'
 * const budget = createRateBudget({ clock: systemClock, limits: [], read: () => ({ buckets: [] }) })
 * ```
 */
export function createRateBudget(args: { readonly clock: Clock; readonly limits: readonly BudgetLimit[]; readonly read: (answer: Answer) => LimitReading; readonly share?: number }): RateBudget {
  const { clock } = args
  const share = args.share ?? 0.8
  const buckets = new Map<string, Bucket>()
  const alignedEnd = (intervalMs: number): number => (Math.floor(clock.now() / intervalMs) + 1) * intervalMs
  for (const l of args.limits) {
    const window = l.window ?? 'aligned'
    buckets.set(l.key, { key: l.key, kind: l.kind, counts: l.counts, intervalMs: l.intervalMs, window, limit: l.limit, used: 0, windowEndMs: window === 'aligned' ? alignedEnd(l.intervalMs) : 0, takes: [], timestampMs: clock.now() })
  }
  let pausedUntilMs = 0
  let bannedUntil: number | undefined
  const waiting: { priority: RequestPriority; wake: () => void }[] = []

  const roll = (b: Bucket): void => {
    const now = clock.now()
    if (b.window === 'rolling') {
      const from = now - (b.intervalMs ?? 1_000)
      while (b.takes[0] !== undefined && b.takes[0].atMs <= from) b.takes.shift()
      if (now >= b.windowEndMs) b.used = 0
      return
    }
    if (now < b.windowEndMs) return
    b.used = 0
    b.windowEndMs = b.intervalMs === undefined ? Number.POSITIVE_INFINITY : alignedEnd(b.intervalMs)
  }
  const usedOf = (b: Bucket): number => (b.window === 'rolling' ? Math.max(b.used, b.takes.reduce((sum, t) => sum + t.cost, 0)) : b.used)
  const costOf = (b: Bucket, a: Ask): number => (b.counts === 'weight' ? (a.weight ?? 1) : b.counts === 'orders' ? (a.orders ?? 0) : a.endpoint === b.key ? 1 : 0)
  /** A request fits below the cap; a request alone in an empty window always fits its limit (a limit of 1 below 80 % would never admit one). */
  const fits = (used: number, cost: number, cap: number, limit: number): boolean => used + cost <= limit * cap || (used === 0 && cost <= limit)
  /** How long until `cost` fits in the bucket (0 = now). */
  const bucketWait = (b: Bucket, cost: number, cap: number): number => {
    const now = clock.now()
    if (fits(usedOf(b), cost, cap, b.limit)) return 0
    if (b.window === 'aligned') return Number.isFinite(b.windowEndMs) ? b.windowEndMs - now : 1_000
    let wait = 0
    if (now < b.windowEndMs && !fits(b.used, cost, cap, b.limit)) wait = b.windowEndMs - now
    // the oldest takes leave the rolling window one by one; wait for the one whose leaving makes room
    let sum = b.takes.reduce((s, t) => s + t.cost, 0)
    for (const t of b.takes) {
      if (fits(sum, cost, cap, b.limit)) break
      sum -= t.cost
      wait = Math.max(wait, t.atMs + (b.intervalMs ?? 1_000) - now)
    }
    return Math.max(wait, 1)
  }
  const waitMs = (a: Ask): number => {
    const now = clock.now()
    if (now < pausedUntilMs) return pausedUntilMs - now
    const cap = a.priority === 'reduce-risk' ? 1 : share
    let wait = 0
    for (const b of buckets.values()) {
      roll(b)
      const cost = costOf(b, a)
      if (cost > 0) wait = Math.max(wait, bucketWait(b, cost, cap))
    }
    return wait
  }
  const take = (a: Ask): void => {
    for (const b of buckets.values()) {
      const cost = costOf(b, a)
      if (cost === 0) continue
      if (b.window === 'rolling') b.takes.push({ atMs: clock.now(), cost })
      else b.used += cost
    }
  }
  const wakeAll = (): void => {
    // reduce-risk first: they are woken before the others and take their share in that order
    const order = [...waiting.filter((w) => w.priority === 'reduce-risk'), ...waiting.filter((w) => w.priority !== 'reduce-risk')]
    waiting.length = 0
    for (const w of order) w.wake()
  }
  const learn = (r: LimitReading['buckets'][number], now: number): Bucket | undefined => {
    const known = buckets.get(r.key)
    if (known !== undefined || r.limit === undefined) return known
    const window = r.window ?? 'aligned'
    const b: Bucket = { key: r.key, kind: 'request-weight', counts: 'endpoint', intervalMs: r.intervalMs, window, limit: r.limit, used: 0, windowEndMs: window === 'rolling' ? 0 : (r.windowEndMs ?? Number.POSITIVE_INFINITY), takes: [], timestampMs: now }
    buckets.set(r.key, b)
    return b
  }

  return {
    async acquire(a) {
      for (;;) {
        if (bannedUntil !== undefined && clock.now() < bannedUntil) {
          throw new PerpkitError('ip-banned', `the venue banned this IP until ${String(bannedUntil)} (epoch ms)`, { retryAfterMs: bannedUntil - clock.now(), details: { bannedUntilMs: bannedUntil } })
        }
        const wait = waitMs(a)
        if (wait <= 0) {
          take(a)
          return
        }
        await new Promise<void>((resolve) => {
          const entry = { priority: a.priority ?? 'normal', wake: resolve }
          waiting.push(entry)
          clock.setTimer(wait, () => {
            const i = waiting.indexOf(entry)
            if (i >= 0) waiting.splice(i, 1)
            resolve()
          })
        })
      }
    },
    observe(answer) {
      const reading = args.read(answer)
      const now = clock.now()
      for (const r of reading.buckets) {
        const b = learn(r, now)
        if (b === undefined) continue
        roll(b)
        if (r.limit !== undefined) b.limit = r.limit
        if (b.window === 'rolling') {
          // the venue's count holds until its reset time, or for one window when the reset time is now (not exceeded)
          const until = r.windowEndMs !== undefined && r.windowEndMs > now ? r.windowEndMs : now + (b.intervalMs ?? 1_000)
          b.used = Math.max(b.used, r.used)
          b.windowEndMs = Math.max(b.windowEndMs, until)
        } else {
          // the venue's count is the truth for its window; local reservations of requests still in flight stay counted
          b.used = Math.max(b.used, r.used)
          if (r.windowEndMs !== undefined) b.windowEndMs = r.windowEndMs
        }
        b.timestampMs = now
      }
      if (reading.bannedUntilMs !== undefined) bannedUntil = reading.bannedUntilMs
      if (reading.bannedForMs !== undefined) bannedUntil = now + reading.bannedForMs
      if (reading.retryAfterMs !== undefined) pausedUntilMs = Math.max(pausedUntilMs, now + reading.retryAfterMs)
      if (answer.status === 418 && reading.bannedUntilMs === undefined && reading.bannedForMs === undefined) bannedUntil = now + (reading.retryAfterMs ?? 120_000)
      if (answer.status < 400) wakeAll()
    },
    usage: () =>
      [...buckets.values()].map((b) => {
        roll(b)
        return { kind: b.kind, intervalMs: b.intervalMs ?? Math.max(0, b.windowEndMs - clock.now()), limit: b.limit, used: usedOf(b), timestampMs: b.timestampMs }
      }),
    bannedUntilMs: () => (bannedUntil !== undefined && clock.now() < bannedUntil ? bannedUntil : undefined),
  }
}
