/**
 * Session boundaries (day / ISO week / month) in an IANA time zone, for the anchored VWAP.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/** Calendar period a session VWAP restarts on, in the configured time zone (weeks start on Monday, ISO 8601). */
export type SessionPeriod = 'day' | 'week' | 'month'

interface LocalDate {
  readonly y: number
  readonly m: number // 0-based
  readonly d: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** @internal returns a cached formatter, throwing InvalidInputError on an unknown time zone */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch (cause) {
      throw new InvalidInputError(`unknown IANA time zone ${JSON.stringify(timeZone)}`, { path: 'timeZone', cause })
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** Local wall-clock fields of `ms` in the formatter's zone, as a UTC epoch of the same wall-clock reading. */
function wallClockMs(f: Intl.DateTimeFormat, ms: number): number {
  let y = 0
  let mo = 0
  let d = 0
  let h = 0
  let mi = 0
  let s = 0
  for (const p of f.formatToParts(ms)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value)
        break
      case 'month':
        mo = Number(p.value)
        break
      case 'day':
        d = Number(p.value)
        break
      case 'hour':
        h = Number(p.value)
        break
      case 'minute':
        mi = Number(p.value)
        break
      case 'second':
        s = Number(p.value)
        break
      default:
        break
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

function localDate(f: Intl.DateTimeFormat, ms: number): LocalDate {
  const w = new Date(wallClockMs(f, ms))
  return { y: w.getUTCFullYear(), m: w.getUTCMonth(), d: w.getUTCDate() }
}

/** UTC offset (ms) of the zone at instant `ms` (whole seconds). */
function offsetAt(f: Intl.DateTimeFormat, ms: number): number {
  const floored = Math.floor(ms / 1000) * 1000
  return wallClockMs(f, floored) - floored
}

/** First instant whose local date is (y, m, d) — local midnight, or the first existing instant if midnight is skipped. */
function startOfLocalDay(f: Intl.DateTimeFormat, y: number, m: number, d: number): number {
  const wall = Date.UTC(y, m, d)
  let guess = wall - offsetAt(f, wall)
  guess = wall - offsetAt(f, guess)
  // Guard against zones whose DST change happens at midnight: walk to the first instant of the local day.
  const ld = localDate(f, guess)
  if (Date.UTC(ld.y, ld.m, ld.d) < wall) {
    // midnight does not exist (clocks jumped forward): the day starts at the transition; search hour by hour
    let t = guess
    while (Date.UTC(localDate(f, t).y, localDate(f, t).m, localDate(f, t).d) < wall) t += 15 * 60_000
    let lo = t - 15 * 60_000
    while (t - lo > 1000) {
      const mid = Math.floor((lo + t) / 2)
      const md = localDate(f, mid)
      if (Date.UTC(md.y, md.m, md.d) < wall) lo = mid
      else t = mid
    }
    return t
  }
  return guess
}

/**
 * The session `[startMs, endMs)` containing instant `ms`.
 * @internal
 */
export function sessionBounds(ms: number, period: SessionPeriod, timeZone: string): [startMs: number, endMs: number] {
  const f = zoneFormatter(timeZone)
  const ld = localDate(f, ms)
  let y = ld.y
  let m = ld.m
  let d = ld.d
  let y2: number
  let m2: number
  let d2: number
  if (period === 'day') {
    const next = new Date(Date.UTC(y, m, d + 1))
    ;[y2, m2, d2] = [next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate()]
  } else if (period === 'week') {
    const dow = new Date(Date.UTC(y, m, d)).getUTCDay() // 0 = Sunday
    const monday = new Date(Date.UTC(y, m, d - ((dow + 6) % 7)))
    ;[y, m, d] = [monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate()]
    const next = new Date(Date.UTC(y, m, d + 7))
    ;[y2, m2, d2] = [next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate()]
  } else {
    d = 1
    const next = new Date(Date.UTC(y, m + 1, 1))
    ;[y2, m2, d2] = [next.getUTCFullYear(), next.getUTCMonth(), 1]
  }
  return [startOfLocalDay(f, y, m, d), startOfLocalDay(f, y2, m2, d2)]
}
