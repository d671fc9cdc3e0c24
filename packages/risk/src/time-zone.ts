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
 * The calendar day (`YYYY-MM-DD`) that `timeMs` falls on in `timeZone`.
 *
 * @param args.timeMs - epoch ms
 * @param args.timeZone - IANA zone, e.g. `'UTC'` or `'Asia/Seoul'`
 * @returns the local date as `YYYY-MM-DD`
 * @throws InvalidInputError for a non-finite time or an unknown zone
 * @example
 * ```ts
 * import { dayKeyInZone } from '@perpkit/risk'
 * // 2024-01-01T15:00:00Z is midnight of Jan 2 in Seoul (UTC+9)
 * dayKeyInZone({ timeMs: Date.UTC(2024, 0, 1, 15), timeZone: 'Asia/Seoul' }) // '2024-01-02'
 * ```
 */
export function dayKeyInZone(args: { readonly timeMs: number; readonly timeZone: string }): string {
  if (!Number.isFinite(args.timeMs)) throw new InvalidInputError('timeMs must be finite', { path: 'timeMs' })
  const parts = formatterFor(args.timeZone).formatToParts(args.timeMs)
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}
