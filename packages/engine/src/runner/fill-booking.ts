/**
 * Venue user-stream events → the run's books: the account view (balance, position), the trade ledger (fills,
 * funding), the risk chamber (entries, exits, liquidations) and the daily roll-up. Who caused a fill comes from
 * the fill's `origin` (the port); the client order id only tells the role of the account's own orders.
 * @module
 */
import type { UserStreamEvent } from '@perpkit/core'
import { type OrderManager, parseClientOrderId } from '@perpkit/oms'
import type { TradeRecord } from '../results/types.js'
import type { AccountView } from './account-view.js'
import type { DailyRollupTracker } from './daily-rollup.js'
import type { FillAttribution } from './executor.js'
import type { TradeLedger } from './ledger.js'
import type { RiskChamber } from './risk-chamber.js'
import type { EngineEvent } from './types.js'

/** What {@link createFillBooking} needs. */
export interface FillBookingArgs {
  readonly symbol: string
  readonly settle: string
  readonly account: AccountView
  readonly ledger: TradeLedger
  readonly risk: RiskChamber
  readonly daily: () => DailyRollupTracker
  readonly attribution: FillAttribution
  readonly oms: Pick<OrderManager, 'status'>
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
 * const booking = createFillBooking({ symbol, settle: 'USDT', account, ledger, risk, daily: () => daily, attribution, oms, emit })
 * const unsubscribe = venue.subscribeUserStream(booking.onEvent)
 * ```
 */
export function createFillBooking(args: FillBookingArgs): FillBooking {
  const { symbol, settle, account, ledger, risk, attribution: at, emit } = args
  let activity = false
  const onFill = (e: Extract<UserStreamEvent, { type: 'fill' }>): void => {
    emit({ type: 'fill', timeMs: e.timestampMs, fill: e.fill })
    // who caused the fill comes through the port; the client id only tells the role of our own orders
    const origin = e.fill.origin ?? 'user'
    const parsed = origin === 'user' ? parseClientOrderId(e.fill.clientOrderId) : null
    const role = parsed?.role
    const reason: TradeRecord['exitReason'] = origin === 'liquidation' ? 'liquidation' : parsed === null ? 'other' : exitReasonOf(role)
    const isEntry = role === 'entry'
    // the strategy's own closes: a full exit or a partial one (`reduce`), both booked as 'signal' exits
    const isExitOrder = role === 'exit' || role === 'reduce'
    const done = ledger.applyFill({
      fill: e.fill,
      ...(isEntry ? (at.entryRef !== undefined ? { referencePrice: at.entryRef } : {}) : isExitOrder && at.exitRef !== undefined ? { referencePrice: at.exitRef } : {}),
      ...(isEntry ? (at.entryDecision !== undefined ? { decision: at.entryDecision } : {}) : at.exitDecision !== undefined && isExitOrder ? { decision: at.exitDecision } : {}),
      ...(isEntry ? {} : { reason }),
    })
    if (isEntry) risk.recordEntry()
    if (done !== null) {
      args.daily().tradeClosed(done.fees)
      risk.recordExit({ pnlUsd: done.netPnl, exitKind: done.exitReason === 'stop' ? 'stop-loss' : done.exitReason === 'take-profit' ? 'take-profit' : done.exitReason === 'liquidation' ? 'liquidation' : 'other' })
      emit({ type: 'trade', timeMs: e.timestampMs, trade: done })
      at.exitDecision = undefined
    }
    if (origin === 'liquidation') {
      const tr = risk.recordLiquidation({ timeMs: e.timestampMs, detail: `${symbol} ${e.fill.side} ${e.fill.qty} @ ${e.fill.price} by the venue` })
      if (tr !== null) emit({ type: 'halt', timeMs: e.timestampMs, transition: { ...tr, context: { ...tr.context, position: account.view(), equity: account.balance, omsStatus: args.oms.status() } } })
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
