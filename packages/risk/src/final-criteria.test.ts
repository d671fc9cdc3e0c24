import { describe, expect, it } from 'vitest'
import { parseRiskConfig } from './config.js'
import { addCalendarMonthsUtc, evaluateFinalCriteria } from './final-criteria.js'

const criteria = parseRiskConfig().finalCriteria
const start = Date.UTC(2025, 0, 15)
const month = (m: number) => addCalendarMonthsUtc({ startMs: start, months: m })

describe('account-builder final criteria', () => {
  it.each([
    ['SUCCESS at $1,000 within 18 months', { equityUsd: 1000, nowMs: month(6) }, 'SUCCESS'],
    ['ON_TRACK at $999.99', { equityUsd: 999.99, nowMs: month(6) }, 'ON_TRACK'],
    ['FAILURE on liquidation even at $1,200', { equityUsd: 1200, liquidated: true, nowMs: month(1) }, 'FAILURE'],
    ['FAILURE below $80', { equityUsd: 79.99, nowMs: month(1) }, 'FAILURE'],
    ['$80 is not a failure', { equityUsd: 80, nowMs: month(1) }, 'ON_TRACK'],
    ['FAILURE after 18 months without $1,000', { equityUsd: 900, nowMs: month(18) + 1 }, 'FAILURE'],
    ['exactly 18 months is still in time', { equityUsd: 1000, nowMs: month(18) }, 'SUCCESS'],
    ['REVIEW after 12 months without $200', { equityUsd: 199, nowMs: month(12) + 1 }, 'REVIEW'],
    ['no REVIEW once $200 was reached', { equityUsd: 150, peakEquityUsd: 210, nowMs: month(13) }, 'ON_TRACK'],
    ['no REVIEW at exactly 12 months', { equityUsd: 150, nowMs: month(12) }, 'ON_TRACK'],
  ])('%s', (_l, patch, status) => {
    expect(evaluateFinalCriteria({ liquidated: false, startedAtMs: start, criteria, ...patch }).status).toBe(status)
  })

  it('calendar months clamp to the end of shorter months', () => {
    expect(addCalendarMonthsUtc({ startMs: Date.UTC(2024, 0, 31), months: 1 })).toBe(Date.UTC(2024, 1, 29))
    expect(addCalendarMonthsUtc({ startMs: Date.UTC(2024, 7, 31), months: 18 })).toBe(Date.UTC(2026, 1, 28))
  })

  it('rejects time running backwards', () => {
    expect(() => evaluateFinalCriteria({ equityUsd: 100, liquidated: false, startedAtMs: 10, nowMs: 5, criteria })).toThrow(/nowMs/)
  })
})
