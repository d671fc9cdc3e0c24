/**
 * Request-weight and order-count accounting in fixed windows aligned to the clock (a 1-minute window
 * resets at each minute boundary, as Binance's `X-MBX-USED-WEIGHT-1M` does), plus the repeated-429 ban rule.
 * @module
 */
import { type Clock, InvalidInputError } from '@perpkit/core'

/**
 * A counter over fixed clock-aligned windows, per key (IP, account or API key).
 * @example
 * ```ts
 * import { systemClock as clock } from '@perpkit/core'
 * import { createWindowCounter } from '@perpkit/venue-server'
 * const weight = createWindowCounter({ clock, windowMs: 60_000, limit: 2400 })
 * weight.add('127.0.0.1', 5) // 5 used in this minute
 * ```
 */
export interface WindowCounter {
  /** Add `amount` in the current window of `key`; returns the total used in it. */
  add(key: string, amount: number): number
  /** Used in the current window of `key`. */
  used(key: string): number
  /** Whether adding `amount` would exceed the limit. */
  wouldExceed(key: string, amount: number): boolean
  /** End of the current window (epoch ms). */
  windowEndMs(): number
  readonly limit: number
  readonly windowMs: number
}

/**
 * Create a {@link WindowCounter}.
 *
 * @param args.clock - time source
 * @param args.windowMs - window length (e.g. 60,000 for one minute, 10,000 for ten seconds)
 * @param args.limit - the maximum per window
 * @returns the counter
 * @throws InvalidInputError for a non-positive window or limit
 * @example
 * ```ts
 * import { createWindowCounter } from '@perpkit/venue-server'
 * import { createTestClock } from '@perpkit/core'
 * const c = createWindowCounter({ clock: createTestClock(0), windowMs: 10_000, limit: 300 })
 * c.add('acct', 1) // 1
 * ```
 */
export function createWindowCounter(args: { readonly clock: Clock; readonly windowMs: number; readonly limit: number }): WindowCounter {
  const { clock, windowMs, limit } = args
  if (!(Number.isInteger(windowMs) && windowMs > 0)) throw new InvalidInputError('must be a positive integer', { path: 'windowMs' })
  if (!(Number.isFinite(limit) && limit > 0)) throw new InvalidInputError('must be > 0', { path: 'limit' })
  const state = new Map<string, { windowStartMs: number; used: number }>()
  const windowStart = (): number => Math.floor(clock.now() / windowMs) * windowMs
  const current = (key: string): { windowStartMs: number; used: number } => {
    const start = windowStart()
    let s = state.get(key)
    if (s === undefined || s.windowStartMs !== start) {
      s = { windowStartMs: start, used: 0 }
      state.set(key, s)
    }
    return s
  }
  return {
    limit,
    windowMs,
    add(key, amount) {
      const s = current(key)
      s.used += amount
      return s.used
    },
    used: (key) => current(key).used,
    wouldExceed: (key, amount) => current(key).used + amount > limit,
    windowEndMs: () => windowStart() + windowMs,
  }
}

/**
 * Tracks 429 answers per key and bans a key that keeps sending after them (Binance answers 418 then, for
 * 2 minutes up to 3 days; this server uses a fixed configurable ban).
 * @example
 * ```ts
 * import { systemClock as clock } from '@perpkit/core'
 * import { createBanTracker } from '@perpkit/venue-server'
 * const bans = createBanTracker({ clock, strikes: 3, banMs: 120_000 })
 * bans.strike('127.0.0.1')
 * bans.bannedUntil('127.0.0.1') // undefined until the 3rd strike
 * ```
 */
export interface BanTracker {
  /** Record a 429 answer; returns the ban end if this strike bans the key. */
  strike(key: string): number | undefined
  /** End of the key's ban (epoch ms), or undefined when not banned. */
  bannedUntil(key: string): number | undefined
}

/**
 * Create a {@link BanTracker}: `strikes` 429 answers within one `windowMs` ban the key for `banMs`.
 *
 * @param args.clock - time source
 * @param args.strikes - 429 answers that lead to a ban
 * @param args.windowMs - window the strikes must fall in (default 60,000)
 * @param args.banMs - ban length
 * @returns the tracker
 * @throws InvalidInputError for non-positive numbers
 * @example
 * ```ts
 * import { createBanTracker } from '@perpkit/venue-server'
 * import { createTestClock } from '@perpkit/core'
 * const bans = createBanTracker({ clock: createTestClock(0), strikes: 2, banMs: 120_000 })
 * bans.strike('ip'); bans.strike('ip') // 120000
 * ```
 */
export function createBanTracker(args: { readonly clock: Clock; readonly strikes: number; readonly windowMs?: number; readonly banMs: number }): BanTracker {
  const { clock, strikes, banMs } = args
  const windowMs = args.windowMs ?? 60_000
  if (!(Number.isInteger(strikes) && strikes > 0)) throw new InvalidInputError('must be a positive integer', { path: 'strikes' })
  if (!(banMs > 0)) throw new InvalidInputError('must be > 0', { path: 'banMs' })
  const history = new Map<string, number[]>()
  const bans = new Map<string, number>()
  return {
    strike(key) {
      const now = clock.now()
      const recent = (history.get(key) ?? []).filter((t) => t > now - windowMs)
      recent.push(now)
      history.set(key, recent)
      if (recent.length < strikes) return undefined
      const until = now + banMs
      bans.set(key, until)
      history.set(key, [])
      return until
    },
    bannedUntil(key) {
      const until = bans.get(key)
      if (until === undefined) return undefined
      if (clock.now() >= until) {
        bans.delete(key)
        return undefined
      }
      return until
    },
  }
}
