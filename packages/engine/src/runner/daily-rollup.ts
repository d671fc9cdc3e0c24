/**
 * Daily roll-up of a run (UTC days): equity at the day's start and end, closed trades, fees and funding of the
 * day, from running sums (nothing is re-summed when a day ends).
 * @module
 */
import type { DailyRollup } from './types.js'

/** What {@link createDailyRollup} returns. */
export interface DailyRollupTracker {
  /** Called at each bar's open time: closes the previous UTC day (with `equityNow()`) when this bar starts a new one. */
  onBar(openTimeMs: number, equityNow: () => number): void
  /** A round trip closed with these total fees. */
  tradeClosed(fees: number): void
  /** Funding paid by the account (< 0: received). */
  funding(amount: number): void
  /** Close the current day at the end of the run. */
  finish(timestampMs: number, equityEnd: number): void
}

/**
 * Create a daily roll-up tracker.
 *
 * @param args - `{ startEquity, emit }`: the equity before the first bar, and where finished days go.
 * @returns the tracker.
 * @example
 * ```ts
 * const daily = createDailyRollup({ startEquity: 10_000, emit: (rollup, timestampMs) => console.log(timestampMs, rollup) })
 * daily.onBar(Date.UTC(2025, 0, 1), () => 10_000)
 * ```
 */
export function createDailyRollup(args: { readonly startEquity: number; readonly emit: (rollup: DailyRollup, timestampMs: number) => void }): DailyRollupTracker {
  let dayKey = ''
  // UTC day of the current bar as a day number; the ISO day key is only formatted when it changes
  let dayNumber = Number.NaN
  let dayStartEquity = args.startEquity
  let tradesClosedToday = 0
  let fundingToday = 0
  /** Fees of every round trip closed so far, summed in closing order. */
  let feesSoFar = 0
  let feesAtDayStart = 0
  const roll = (timestampMs: number, equityEnd: number): void => {
    args.emit(
      {
        day: dayKey,
        equityStart: dayStartEquity,
        equityEnd,
        pnl: equityEnd - dayStartEquity,
        returnPct: dayStartEquity !== 0 ? ((equityEnd - dayStartEquity) / dayStartEquity) * 100 : 0,
        tradesClosed: tradesClosedToday,
        fees: feesSoFar - feesAtDayStart,
        funding: fundingToday,
      },
      timestampMs,
    )
    dayStartEquity = equityEnd
    tradesClosedToday = 0
    fundingToday = 0
    feesAtDayStart = feesSoFar
  }
  return {
    onBar(t, equityNow) {
      const dn = Math.floor(t / 86_400_000)
      if (dn === dayNumber) return
      dayNumber = dn
      const day = new Date(t).toISOString().slice(0, 10)
      if (day !== dayKey) {
        if (dayKey !== '') roll(t, equityNow())
        dayKey = day
      }
    },
    tradeClosed(fees) {
      tradesClosedToday++
      feesSoFar += fees
    },
    funding(amount) {
      fundingToday += amount
    },
    finish: roll,
  }
}
