/**
 * Calendar days in an IANA time zone (for daily limits and per-day counters).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch (cause) {
      throw new InvalidInputError(`unknown IANA time zone '${timeZone}'`, { path: 'timeZone', cause })
    }
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * True when `timeZone` is an IANA zone name the runtime knows (e.g. `UTC`, `Asia/Seoul`).
 *
 * @param timeZone - zone name
 * @returns whether `Intl` accepts it
 * @example
 * ```ts
 * import { isValidTimeZone } from '@perpkit/risk'
 * isValidTimeZone('Asia/Seoul') // true
 * isValidTimeZone('Mars/Olympus') // false
 * ```
 */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/**
 * The calendar day (`YYYY-MM-DD`) that `timestampMs` falls on in `timeZone`.
 *
 * @param args.timestampMs - epoch ms
 * @param args.timeZone - IANA zone, e.g. `'UTC'` or `'Asia/Seoul'`
 * @returns the local date as `YYYY-MM-DD`
 * @throws InvalidInputError for a non-finite time or an unknown zone
 * @example
 * ```ts
 * import { dayKeyInZone } from '@perpkit/risk'
 * // 2024-01-01T15:00:00Z is midnight of Jan 2 in Seoul (UTC+9)
 * dayKeyInZone({ timestampMs: Date.UTC(2024, 0, 1, 15), timeZone: 'Asia/Seoul' }) // '2024-01-02'
 * ```
 */
export function dayKeyInZone(args: { readonly timestampMs: number; readonly timeZone: string }): string {
  const t = args.timestampMs
  if (!Number.isFinite(t)) throw new InvalidInputError('timestampMs must be finite', { path: 'timestampMs' })
  const z = zoneFor(args.timeZone)
  if (z.utc && t >= 0 && t < YEAR_10000_MS) {
    // integer day arithmetic; the key is formatted once per day
    const day = Math.floor(t / DAY_MS)
    if (day !== z.day) {
      z.day = day
      z.dayKey = new Date(day * DAY_MS).toISOString().slice(0, 10)
    }
    return z.dayKey
  }
  if (t === z.lastMs) return z.lastKey
  const parts = formatterFor(args.timeZone).formatToParts(t)
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? ''
  z.lastMs = t
  z.lastKey = `${get('year')}-${get('month')}-${get('day')}`
  return z.lastKey
}

const DAY_MS = 86_400_000
/** 10000-01-01T00:00Z: up to here a UTC day's ISO date is `YYYY-MM-DD`, as the formatter writes it. */
const YEAR_10000_MS = 253_402_300_800_000
/** Names of UTC itself (offset 0 at every instant): their day is integer arithmetic, no calendar needed. */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT'])

/** Per-zone memo of {@link dayKeyInZone}: the current UTC day (UTC names), or the last time asked (any zone). */
interface ZoneDays {
  readonly utc: boolean
  day: number
  dayKey: string
  lastMs: number
  lastKey: string
}
const zones = new Map<string, ZoneDays>()

function zoneFor(timeZone: string): ZoneDays {
  let z = zones.get(timeZone)
  if (z === undefined) {
    formatterFor(timeZone) // throws for an unknown zone
    z = { utc: UTC_NAMES.has(timeZone), day: Number.NaN, dayKey: '', lastMs: Number.NaN, lastKey: '' }
    zones.set(timeZone, z)
  }
  return z
}
