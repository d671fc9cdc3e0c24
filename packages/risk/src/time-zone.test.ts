import { describe, expect, it } from 'vitest'
import { dayKeyInZone, isValidTimeZone } from './time-zone.js'

describe('dayKeyInZone', () => {
  // Offsets from the IANA tz database: Asia/Seoul UTC+9 (no DST); America/New_York EST UTC-5 until
  // 2025-03-09 02:00 local, then EDT UTC-4; Australia/Sydney AEDT UTC+11 until 2025-04-06 03:00 local.
  it.each([
    ['UTC', Date.UTC(2025, 0, 1, 23, 59, 59, 999), '2025-01-01'],
    ['UTC', Date.UTC(2025, 0, 2), '2025-01-02'],
    ['Asia/Seoul', Date.UTC(2025, 0, 1, 14, 59, 59, 999), '2025-01-01'],
    ['Asia/Seoul', Date.UTC(2025, 0, 1, 15), '2025-01-02'],
    ['America/New_York', Date.UTC(2025, 2, 9, 4, 59, 59, 999), '2025-03-08'],
    ['America/New_York', Date.UTC(2025, 2, 9, 5), '2025-03-09'],
    ['America/New_York', Date.UTC(2025, 2, 10, 3, 59, 59, 999), '2025-03-09'], // 23-hour day
    ['America/New_York', Date.UTC(2025, 2, 10, 4), '2025-03-10'],
    ['Australia/Sydney', Date.UTC(2025, 3, 5, 12, 59, 59, 999), '2025-04-05'],
    ['Australia/Sydney', Date.UTC(2025, 3, 5, 13), '2025-04-06'],
  ])('%s at %i -> %s', (timeZone, timestampMs, key) => {
    expect(dayKeyInZone({ timestampMs, timeZone })).toBe(key)
  })

  it('rejects unknown zones and non-finite times', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(() => dayKeyInZone({ timestampMs: 0, timeZone: 'Mars/Olympus' })).toThrow(/time zone/)
    expect(() => dayKeyInZone({ timestampMs: Number.NaN, timeZone: 'UTC' })).toThrow(/timestampMs/)
  })

  it('agrees with the Intl calendar around every UTC midnight and at the ends of the integer range, for each name of UTC and across zones', () => {
    // the reference: Intl's own formatter for the zone (what the key meant before the integer path existed)
    const formats = new Map<string, Intl.DateTimeFormat>()
    const reference = (timestampMs: number, timeZone: string): string => {
      const f = formats.get(timeZone) ?? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      formats.set(timeZone, f)
      const parts = f.formatToParts(timestampMs)
      const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? ''
      return `${get('year')}-${get('month')}-${get('day')}`
    }
    const times: number[] = [0, 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, Date.UTC(1969, 11, 31, 12)]
    for (let d = Date.UTC(2023, 11, 25); d <= Date.UTC(2025, 2, 5); d += 86_400_000) times.push(d - 1, d, d + 1, d + 43_200_000)
    const zonesToCheck = ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Asia/Seoul', 'America/New_York', 'Asia/Kathmandu']
    let checked = 0
    // interleaved zones and repeated times: the per-zone memo must never answer for another zone or time
    for (const t of times) {
      for (const timeZone of zonesToCheck) {
        expect(dayKeyInZone({ timestampMs: t, timeZone }), `${timeZone} ${t}`).toBe(reference(t, timeZone))
        expect(dayKeyInZone({ timestampMs: t, timeZone }), `${timeZone} ${t} again`).toBe(reference(t, timeZone))
        checked++
      }
    }
    expect(checked).toBe(times.length * zonesToCheck.length)
  })
})

