/**
 * Venue user-stream events → the run's books: the account view (balance, position), the trade ledger (fills,
 * funding), risk (entries, exits, liquidations) and the daily roll-up. Who caused a fill comes from
 * the fill's `origin` (the port); the client order id only tells the role of the account's own orders.
 * @module
 */
import type { Instrument, UserStreamEvent } from '@perpkit/core'
import { settleToUsd } from '@perpkit/sizing'
import { parseClientOrderId } from '@perpkit/oms'
import type { TradeRecord } from '../results/types.js'
import type { AccountView } from './account-view.js'
import type { DailyRollupTracker } from './daily-rollup.js'
import type { FillAttribution } from './executor.js'
import type { TradeLedger } from './ledger.js'
import type { RiskSession } from './risk-session.js'
import type { EngineEvent } from './types.js'

/** What {@link createFillBooking} needs. */
export interface FillBookingArgs {
  readonly symbol: string
  readonly instrument: Instrument
  readonly account: AccountView
  readonly ledger: TradeLedger
  readonly risk: Pick<RiskSession, 'recordEntry' | 'recordExit' | 'recordLiquidation'>
  readonly daily: () => DailyRollupTracker
  readonly attribution: FillAttribution
  readonly emit: (event: EngineEvent) => void
}

/** What {@link createFillBooking} returns. */
export interface FillBooking {
  /** The user-stream listener. */
  readonly onEvent: (e: UserStreamEvent) => void
  /** Whether any venue event arrived since the last {@link FillBooking.resetActivity}. */
  activity(): boolean
  resetActivity(): void
}

const exitReasonOf = (role: string | undefined): TradeRecord['exitReason'] =>
  role === 'stop' ? 'stop' : role === 'take-profit' ? 'take-profit' : role === 'exit' ? 'signal' : role === 'flatten' ? 'halt' : 'signal'

/**
 * Create the fill booking of one run.
 *
 * @param args - see {@link FillBookingArgs}.
 * @returns the listener to subscribe to the venue's user stream, and the activity flag the loop reads.
 * @example
 * ```ts
 * const booking = createFillBooking({ symbol, instrument, account, ledger, risk, daily: () => daily, attribution, emit })
 * const unsubscribe = venue.subscribeUserStream(booking.onEvent)
 * ```
 */
export function createFillBooking(args: FillBookingArgs): FillBooking {
  const { symbol, account, ledger, risk, attribution: at, emit } = args
  const settle = args.instrument.settle
  const usd = (amount: number, price: number): number => settleToUsd({ contract: args.instrument, amount, price })
  let activity = false
  const onFill = (e: Extract<UserStreamEvent, { type: 'fill' }>): void => {
    emit({ type: 'fill', timestampMs: e.timestampMs, fill: e.fill })
    // who caused the fill comes through the port; the client id only tells the role of our own orders
    const origin = e.fill.origin ?? 'user'
    const parsed = origin === 'user' ? parseClientOrderId(e.fill.clientOrderId) : null
    const role = parsed?.role
    const reason: TradeRecord['exitReason'] = origin === 'liquidation' ? 'liquidation' : parsed === null ? 'other' : exitReasonOf(role)
    // a liquidation HALTs first: it is the cause, whatever the loss it books trips afterwards (e.g. the breaker)
    if (origin === 'liquidation') risk.recordLiquidation({ timestampMs: e.timestampMs, detail: `${symbol} ${e.fill.side} ${e.fill.qty} @ ${e.fill.price} by the venue` })
    const isEntry = role === 'entry'
    // the strategy's own closes: a full exit or a partial one (`reduce`), both booked as 'signal' exits
    const isExitOrder = role === 'exit' || role === 'reduce'
    const done = ledger.applyFill({
      fill: e.fill,
      ...(isEntry ? (at.entryRef !== undefined ? { referencePrice: at.entryRef } : {}) : isExitOrder && at.exitRef !== undefined ? { referencePrice: at.exitRef } : {}),
      ...(isEntry ? (at.entryDecision !== undefined ? { decision: at.entryDecision } : {}) : at.exitDecision !== undefined && isExitOrder ? { decision: at.exitDecision } : {}),
      ...(isEntry ? {} : { reason }),
    })
    if (isEntry && at.entryRiskDecision !== undefined) risk.recordEntry(at.entryRiskDecision)
    if (done !== null) {
      args.daily().tradeClosed(done.fees)
      const price = e.fill.price
      risk.recordExit({
        symbol,
        pnlUsd: usd(done.netPnl, price),
        exitKind: done.exitReason === 'stop' ? 'stop-loss' : done.exitReason === 'take-profit' ? 'take-profit' : done.exitReason === 'liquidation' ? 'liquidation' : 'other',
        ...(at.entryFeeEstimateUsd !== undefined ? { actualFeeUsd: usd(done.fees, price), estimatedFeeUsd: at.entryFeeEstimateUsd } : {}),
      })
      emit({ type: 'trade', timestampMs: e.timestampMs, trade: done })
      at.exitDecision = undefined
    }
  }
  return {
    onEvent(e) {
      activity = true
      switch (e.type) {
        case 'balance':
          if (e.balance.asset === settle) account.setBalance(e.balance.total)
          break
        case 'position':
          if (e.symbol === symbol) account.applyPosition(e)
          break
        case 'fill':
          if (e.fill.symbol === symbol) onFill(e)
          break
        case 'funding':
          if (e.symbol === symbol) {
            ledger.applyFunding({ symbol, amount: e.amount })
            args.daily().funding(-e.amount)
          }
          break
        default:
          break
      }
    },
    activity: () => activity,
    resetActivity() {
      activity = false
    },
  }
}
