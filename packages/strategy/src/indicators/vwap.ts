/**
 * True VWAP computed from executed trades (never from OHLC bars): session-anchored and rolling-window forms.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { type SessionPeriod, sessionBounds, zoneFormatter } from './session.js'
import type { TradeInput } from './types.js'
import { nanArray } from './validate.js'

/**
 * Where a session VWAP restarts: a calendar period in `timeZone` (`'day'` default, `'week'` = ISO week from Monday
 * 00:00, `'month'`), or a fixed anchor instant (`{ startMs }`, "anchored VWAP": never restarts, trades before
 * `startMs` are ignored).
 */
export type VwapAnchor = SessionPeriod | { readonly startMs: number }

/** Options of {@link createSessionVwap} / {@link sessionVwap}. */
export interface SessionVwapOptions {
  /** Session anchor, default `'day'`. */
  readonly anchor?: VwapAnchor
  /** IANA time zone of the calendar anchor (e.g. `'America/New_York'`), default `'UTC'`. */
  readonly timeZone?: string
}

/** A streaming trade-based VWAP. */
export interface VwapIndicator {
  /** Add one executed trade; returns the VWAP (`NaN` while no quantity has traded in the session/window). */
  update(trade: TradeInput): number
  /** Σ price·qty / Σ qty over the session (or window). */
  readonly value: number
  /** True once some quantity has traded in the current session (or window). */
  readonly isReady: boolean
  /** Trades in the current session (or window). */
  readonly count: number
  /** Σ qty over the current session (or window). */
  readonly volume: number
  /** Forget everything. */
  reset(): void
}

/** A session-anchored VWAP with volume-weighted standard deviation for bands. */
export interface SessionVwapIndicator extends VwapIndicator {
  /** Volume-weighted population standard deviation of trade prices around the VWAP in the session. */
  readonly stdDev: number
  /** Start of the current session (epoch ms); `NaN` before the first trade. */
  readonly sessionStartMs: number
  /** End (exclusive) of the current session (epoch ms); `Infinity` for a fixed anchor. */
  readonly sessionEndMs: number
}

function checkTrade(t: TradeInput): void {
  const { price, qty, timestampMs } = t
  if (!(price - price === 0) || price <= 0) throw new InvalidInputError(`trade.price must be a finite number > 0, got ${String(price)}`, { path: 'trade.price' })
  if (!(qty - qty === 0) || qty < 0) throw new InvalidInputError(`trade.qty must be a finite number >= 0, got ${String(qty)}`, { path: 'trade.qty' })
  if (!(timestampMs - timestampMs === 0)) throw new InvalidInputError(`trade.timestampMs must be finite, got ${String(timestampMs)}`, { path: 'trade.timestampMs' })
}

class SessionVwap implements SessionVwapIndicator {
  value = Number.NaN
  stdDev = Number.NaN
  count = 0
  volume = 0
  sessionStartMs = Number.NaN
  sessionEndMs = Number.NaN
  private readonly period: SessionPeriod | null
  private readonly anchorMs: number
  private readonly timeZone: string
  // sums relative to the session's first price (reduces cancellation in the variance)
  private ref = 0
  private sumDq = 0
  private sumD2q = 0

  constructor(anchor: VwapAnchor, timeZone: string) {
    this.timeZone = timeZone
    if (typeof anchor === 'string') {
      this.period = anchor
      this.anchorMs = Number.NaN
    } else {
      this.period = null
      this.anchorMs = anchor.startMs
    }
  }

  get isReady(): boolean {
    return this.volume > 0
  }

  update(trade: TradeInput): number {
    checkTrade(trade)
    const ts = trade.timestampMs
    if (!(ts < this.sessionEndMs && ts >= this.sessionStartMs)) {
      if (ts < this.sessionStartMs) {
        throw new InvalidInputError(`trade at ${ts} is before the current session start ${this.sessionStartMs} (trades must be in time order)`, {
          path: 'trade.timestampMs',
        })
      }
      if (this.period === null) {
        if (ts < this.anchorMs) return this.value
        this.startSession(this.anchorMs, Number.POSITIVE_INFINITY)
      } else {
        const [s, e] = sessionBounds(ts, this.period, this.timeZone)
        this.startSession(s, e)
      }
    }
    const p = trade.price
    const q = trade.qty
    if (this.count++ === 0) this.ref = p
    const d = p - this.ref
    this.volume += q
    this.sumDq += d * q
    this.sumD2q += d * d * q
    const v = this.volume
    if (v > 0) {
      const mean = this.sumDq / v
      this.value = this.ref + mean
      const variance = this.sumD2q / v - mean * mean
      this.stdDev = variance > 0 ? Math.sqrt(variance) : 0
    }
    return this.value
  }

  private startSession(startMs: number, endMs: number): void {
    this.sessionStartMs = startMs
    this.sessionEndMs = endMs
    this.count = 0
    this.volume = this.sumDq = this.sumD2q = 0
    this.value = this.stdDev = Number.NaN
  }

  reset(): void {
    this.startSession(Number.NaN, Number.NaN)
  }
}

function checkAnchor(a: unknown): VwapAnchor {
  if (a === undefined) return 'day'
  if (a === 'day' || a === 'week' || a === 'month') return a
  if (typeof a === 'object' && a !== null && typeof (a as { startMs?: unknown }).startMs === 'number' && Number.isFinite((a as { startMs: number }).startMs)) {
    return { startMs: (a as { startMs: number }).startMs }
  }
  throw new InvalidInputError(`anchor must be 'day' | 'week' | 'month' | { startMs }, got ${JSON.stringify(a)}`, { path: 'anchor' })
}

/**
 * Create a true VWAP over executed trades that restarts at each session boundary: Σ price·qty / Σ qty of the trades
 * since the session start (local midnight of `timeZone` for `'day'`, Monday 00:00 for `'week'`, the 1st for `'month'`,
 * DST-aware; or a fixed `{ startMs }` anchor). Also tracks the volume-weighted standard deviation for VWAP bands.
 * O(1) per trade (the session bounds are recomputed only when a trade crosses them).
 *
 * @param options - `{ anchor = 'day', timeZone = 'UTC' }`
 * @returns a {@link SessionVwapIndicator}
 * @throws InvalidInputError for an unknown anchor or time zone; on `update`, for a non-positive/non-finite price,
 *   negative qty, non-finite timestamp, or a trade older than the current session start
 * @example
 * ```ts
 * import { createSessionVwap } from '@perpkit/strategy'
 * declare const trades: readonly { price: number; qty: number; time: number }[] // e.g. Binance aggTrades
 * const vwap = createSessionVwap({ anchor: 'day', timeZone: 'UTC' })
 * for (const t of trades) vwap.update({ price: t.price, qty: t.qty, timestampMs: t.time })
 * const upperBand = vwap.value + 2 * vwap.stdDev
 * ```
 */
export function createSessionVwap(options: SessionVwapOptions = {}): SessionVwapIndicator {
  const anchor = checkAnchor(options.anchor)
  const timeZone = options.timeZone ?? 'UTC'
  zoneFormatter(timeZone) // validate now, not on the first trade
  return new SessionVwap(anchor, timeZone)
}

/** Parallel trade arrays (oldest first) for the batch VWAP functions. */
export interface TradeBatchInput {
  /** Trade prices. */
  readonly price: ArrayLike<number>
  /** Trade quantities. */
  readonly qty: ArrayLike<number>
  /** Trade times, epoch ms, non-decreasing. */
  readonly timestampMs: ArrayLike<number>
}

function checkLengths(input: TradeBatchInput): number {
  const n = input.price.length
  if (input.qty.length !== n || input.timestampMs.length !== n) throw new InvalidInputError('price, qty and timestampMs must have the same length', { path: 'qty' })
  return n
}

function runBatch(ind: VwapIndicator, input: TradeBatchInput): Float64Array {
  const n = checkLengths(input)
  const out = nanArray(n)
  const { price, qty, timestampMs } = input
  const trade = { price: 0, qty: 0, timestampMs: 0 }
  for (let i = 0; i < n; i++) {
    trade.price = price[i] as number
    trade.qty = qty[i] as number
    trade.timestampMs = timestampMs[i] as number
    out[i] = ind.update(trade)
  }
  return out
}

/**
 * Session VWAP after each trade of a whole trade tape. Runs the streaming kernel, so it is identical to
 * {@link createSessionVwap}.
 *
 * @param input - `{ price, qty, timestampMs, anchor?, timeZone? }`
 * @returns a `Float64Array`: the session VWAP after each trade (`NaN` while the session has no volume)
 * @throws InvalidInputError as {@link createSessionVwap}, or when the arrays differ in length
 * @example
 * ```ts
 * import { sessionVwap } from '@perpkit/strategy'
 * const v = sessionVwap({ price: [100, 102], qty: [1, 3], timestampMs: [0, 1000] }) // [100, 101.5]
 * ```
 */
export function sessionVwap(input: TradeBatchInput & SessionVwapOptions): Float64Array {
  return runBatch(createSessionVwap(input), input)
}

/** Options of {@link createRollingVwap} / {@link rollingVwap}. */
export interface RollingVwapOptions {
  /** Window length in ms: a trade counts while `latestTradeTime − trade time < windowMs`. */
  readonly windowMs: number
}

class RollingVwap implements VwapIndicator {
  value = Number.NaN
  count = 0
  volume = 0
  private readonly windowMs: number
  private ts: Float64Array
  private pq: Float64Array
  private q: Float64Array
  private head = 0 // index of the oldest trade in the ring
  private sumPq = 0
  private evictedSinceExact = 0
  // largest running sums since the last exact recomputation (to detect cancellation)
  private peakPq = 0
  private peakVolume = 0
  private lastTs = Number.NEGATIVE_INFINITY

  constructor(windowMs: number) {
    this.windowMs = windowMs
    this.ts = new Float64Array(1024)
    this.pq = new Float64Array(1024)
    this.q = new Float64Array(1024)
  }

  get isReady(): boolean {
    return this.volume > 0
  }

  update(trade: TradeInput): number {
    checkTrade(trade)
    const t = trade.timestampMs
    if (t < this.lastTs) {
      throw new InvalidInputError(`trade at ${t} is older than the previous trade at ${this.lastTs} (trades must be in time order)`, { path: 'trade.timestampMs' })
    }
    this.lastTs = t
    if (this.count === this.ts.length) this.grow()
    const cap = this.ts.length
    const slot = (this.head + this.count) & (cap - 1)
    const pq = trade.price * trade.qty
    this.ts[slot] = t
    this.pq[slot] = pq
    this.q[slot] = trade.qty
    this.count++
    this.sumPq += pq
    this.volume += trade.qty
    if (this.sumPq > this.peakPq) this.peakPq = this.sumPq
    if (this.volume > this.peakVolume) this.peakVolume = this.volume
    // evict trades that left the window
    const cutoff = t - this.windowMs
    while (this.count > 0 && (this.ts[this.head] as number) <= cutoff) {
      this.sumPq -= this.pq[this.head] as number
      this.volume -= this.q[this.head] as number
      this.head = (this.head + 1) & (cap - 1)
      this.count--
      this.evictedSinceExact++
    }
    // Running sums drift with many add/subtract pairs and lose relative precision when most of the window leaves
    // (cancellation): recompute exactly from the buffer in both cases (amortised O(1) for market tapes).
    if (
      this.evictedSinceExact > 0 &&
      ((this.evictedSinceExact >= 256 && this.evictedSinceExact >= this.count) || this.sumPq * 1024 < this.peakPq || this.volume * 1024 < this.peakVolume)
    ) {
      this.recompute()
    }
    this.value = this.volume > 0 ? this.sumPq / this.volume : Number.NaN
    return this.value
  }

  private recompute(): void {
    const cap = this.ts.length
    let s = 0
    let v = 0
    for (let i = 0, k = this.head; i < this.count; i++, k = (k + 1) & (cap - 1)) {
      s += this.pq[k] as number
      v += this.q[k] as number
    }
    this.sumPq = this.peakPq = s
    this.volume = this.peakVolume = v
    this.evictedSinceExact = 0
  }

  private grow(): void {
    const cap = this.ts.length
    const ts = new Float64Array(cap * 2)
    const pq = new Float64Array(cap * 2)
    const q = new Float64Array(cap * 2)
    for (let i = 0, k = this.head; i < this.count; i++, k = (k + 1) & (cap - 1)) {
      ts[i] = this.ts[k] as number
      pq[i] = this.pq[k] as number
      q[i] = this.q[k] as number
    }
    this.ts = ts
    this.pq = pq
    this.q = q
    this.head = 0
  }

  reset(): void {
    this.value = Number.NaN
    this.count = 0
    this.volume = this.sumPq = this.peakPq = this.peakVolume = 0
    this.head = 0
    this.evictedSinceExact = 0
    this.lastTs = Number.NEGATIVE_INFINITY
  }
}

/**
 * Create a rolling-window true VWAP over executed trades: Σ price·qty / Σ qty of the trades whose time is within
 * `windowMs` of the latest trade (`latest − t < windowMs`). Amortised O(1) per trade (ring buffer, grows as needed;
 * running sums are recomputed exactly from the buffer periodically so they never drift).
 *
 * @param options - `{ windowMs }`
 * @returns a {@link VwapIndicator}
 * @throws InvalidInputError when `windowMs` is not a positive finite number; on `update`, for a bad trade or a trade
 *   older than the previous one
 * @example
 * ```ts
 * import { createRollingVwap } from '@perpkit/strategy'
 * import type { TradeTick } from '@perpkit/core'
 * declare const trades: readonly TradeTick[]
 * const vwap5m = createRollingVwap({ windowMs: 5 * 60_000 })
 * for (const t of trades) vwap5m.update(t)
 * ```
 */
export function createRollingVwap(options: RollingVwapOptions): VwapIndicator {
  const w = options.windowMs
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) throw new InvalidInputError(`windowMs must be a finite number > 0, got ${String(w)}`, { path: 'windowMs' })
  return new RollingVwap(w)
}

/**
 * Rolling-window VWAP after each trade of a whole trade tape. Runs the streaming kernel, so it is identical to
 * {@link createRollingVwap}.
 *
 * @param input - `{ price, qty, timestampMs, windowMs }`
 * @returns a `Float64Array`: the window VWAP after each trade
 * @throws InvalidInputError as {@link createRollingVwap}, or when the arrays differ in length
 * @example
 * ```ts
 * import { rollingVwap } from '@perpkit/strategy'
 * rollingVwap({ price: [100, 110, 120], qty: [1, 1, 2], timestampMs: [0, 500, 1400], windowMs: 1000 }) // [100, 105, 116.67]
 * ```
 */
export function rollingVwap(input: TradeBatchInput & RollingVwapOptions): Float64Array {
  return runBatch(createRollingVwap(input), input)
}
