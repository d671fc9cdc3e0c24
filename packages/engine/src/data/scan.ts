/**
 * Hand-written scanners for CSV fields: decimal numbers and UTC date-times, parsed straight from the
 * character codes of a string without allocating substrings on the hot path.
 * @module
 */

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i)

/** Result slot shared by the scanners: the parsed value and the index just after the field. */
export interface ScanCursor {
  value: number
  end: number
}

/**
 * Parse a decimal number starting at `start` and ending at the first `,`, `\n`, `\r` or end of text.
 * Plain decimals (`-123.456`) are parsed from their digits (mantissa ÷ 10^k, which is correctly rounded
 * while the mantissa stays below 2^53, i.e. equal to `parseFloat`); exponents and long mantissas fall back
 * to `Number()`. Sets `cursor.value` to NaN when the field is not a number.
 *
 * @param text - the CSV text.
 * @param start - index of the field's first character.
 * @param cursor - receives `value` and `end` (index of the delimiter or end of text).
 * @example
 * ```ts
 * import { scanNumber } from '@perpkit/engine'
 * const cur = { value: 0, end: 0 }
 * scanNumber('1751628900000,108989.4\n', 14, cur) // cur.value === 108989.4, cur.end === 22
 * ```
 */
export function scanNumber(text: string, start: number, cursor: ScanCursor): void {
  const n = text.length
  let i = start
  let neg = false
  let c = i < n ? text.charCodeAt(i) : 44
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45
    i++
  }
  let mant = 0
  let digits = 0
  let frac = 0
  let sawDot = false
  let slow = false
  for (; i < n; i++) {
    c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48)
      digits++
      if (sawDot) frac++
    } else if (c === 46 /* . */ && !sawDot) {
      sawDot = true
    } else if (c === 44 || c === 10 || c === 13) {
      break
    } else if (c === 101 || c === 69 /* e E */ || c === 34 /* " */ || c === 32) {
      slow = true
    } else {
      slow = true
    }
  }
  cursor.end = i
  if (slow || digits > 15 || frac > 22) {
    let s = text.slice(start, i).trim()
    if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) s = s.slice(1, -1)
    cursor.value = s.length === 0 ? Number.NaN : Number(s)
    return
  }
  if (digits === 0) {
    cursor.value = Number.NaN
    return
  }
  const v = frac === 0 ? mant : mant / (POW10[frac] as number)
  cursor.value = neg ? -v : v
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
 *
 * @param y - year; @param m - month 1–12; @param d - day 1–31.
 * @returns days since the epoch (negative before 1970).
 * @example
 * ```ts
 * import { daysFromCivil } from '@perpkit/engine'
 * daysFromCivil(2025, 7, 4) * 86_400_000 === Date.UTC(2025, 6, 4) // true
 * ```
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function digitsAt(text: string, i: number, count: number): number {
  let v = 0
  for (let k = 0; k < count; k++) {
    const c = text.charCodeAt(i + k) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/**
 * Parse a UTC date-time `YYYY-MM-DD[ T]HH:MM[:SS[.fff…]][Z|+00:00|±HH:MM]` (or Lean's `YYYYMMDD HH:MM:SS`)
 * starting at `start`; the field ends at `,`, newline or end of text. Sets `cursor.value` to epoch ms, or NaN
 * when the field is not such a date-time.
 *
 * @param text - the CSV text; @param start - field start; @param cursor - receives `value` and `end`.
 * @example
 * ```ts
 * import { scanDateTime } from '@perpkit/engine'
 * const cur = { value: 0, end: 0 }
 * scanDateTime('2025-04-03 17:05:00+00:00,81794.8', 0, cur) // cur.value === Date.UTC(2025, 3, 3, 17, 5)
 * ```
 */
export function scanDateTime(text: string, start: number, cursor: ScanCursor): void {
  const n = text.length
  let end = start
  while (end < n) {
    const c = text.charCodeAt(end)
    if (c === 44 || c === 10 || c === 13) break
    end++
  }
  cursor.end = end
  cursor.value = Number.NaN
  let i = start
  if (text.charCodeAt(i) === 34) i++
  const y = digitsAt(text, i, 4)
  if (y < 0) return
  let m: number
  let d: number
  if (text.charCodeAt(i + 4) === 45) {
    m = digitsAt(text, i + 5, 2)
    d = digitsAt(text, i + 8, 2)
    if (text.charCodeAt(i + 7) !== 45) return
    i += 10
  } else {
    m = digitsAt(text, i + 4, 2)
    d = digitsAt(text, i + 6, 2)
    i += 8
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return
  let ms = daysFromCivil(y, m, d) * 86_400_000
  if (i < end && text.charCodeAt(i) !== 34) {
    const sep = text.charCodeAt(i)
    if (sep !== 32 && sep !== 84) return
    const hh = digitsAt(text, i + 1, 2)
    const mi = digitsAt(text, i + 4, 2)
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || text.charCodeAt(i + 3) !== 58) return
    ms += hh * 3_600_000 + mi * 60_000
    i += 6
    if (text.charCodeAt(i) === 58) {
      const ss = digitsAt(text, i + 1, 2)
      if (ss < 0 || ss > 60) return
      ms += ss * 1000
      i += 3
      if (text.charCodeAt(i) === 46) {
        i++
        let scale = 100
        let frac = 0
        while (i < end) {
          const c = text.charCodeAt(i) - 48
          if (c < 0 || c > 9) break
          frac += c * scale
          scale /= 10
          i++
        }
        ms += Math.round(frac * 1e6) / 1e6
      }
    }
    const tz = text.charCodeAt(i)
    if (tz === 90) i++
    else if (tz === 43 || tz === 45) {
      const oh = digitsAt(text, i + 1, 2)
      const om = digitsAt(text, i + 4, 2)
      if (oh < 0 || om < 0) return
      const off = (oh * 60 + om) * 60_000
      ms += tz === 43 ? -off : off
      i += 6
    }
    if (text.charCodeAt(i) === 34) i++
    if (i !== end) return
  }
  cursor.value = ms
}
