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
  ])('%s at %i -> %s', (timeZone, timeMs, key) => {
    expect(dayKeyInZone({ timeMs, timeZone })).toBe(key)
  })

  it('rejects unknown zones and non-finite times', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(() => dayKeyInZone({ timeMs: 0, timeZone: 'Mars/Olympus' })).toThrow(/time zone/)
    expect(() => dayKeyInZone({ timeMs: Number.NaN, timeZone: 'UTC' })).toThrow(/timeMs/)
  })
})
