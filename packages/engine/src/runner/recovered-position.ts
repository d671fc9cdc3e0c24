/**
 * A session's start from a position a previous process opened: what the OMS recovered from its journal and
 * reconciled with the venue at start-up becomes the starting point of the session's books — the account view the
 * strategy, risk and sizing read, and the trade ledger — so the strategy sees the position from its first bar and
 * exits it by its own rules, and the trade closes once in the results with its real entry price.
 * @module
 */
import type { PositionSide } from '@perpkit/core'
import type { OmsState } from '@perpkit/oms'
import type { AccountView } from './account-view.js'
import type { TradeLedger } from './ledger.js'

/** An open position the OMS held when a session started (opened by a previous process). */
export interface RecoveredPosition {
  readonly symbol: string
  readonly side: PositionSide
  /** Open quantity (> 0), in the instrument's quantity unit. */
  readonly qty: number
  /** The OMS's average entry price (from its fills, or the venue's position it adopted at reconciliation). */
  readonly entryPrice: number
  /** When the OMS opened the trade (its trade record), or the start-up time for a position it has no trade for. */
  readonly openedAtMs: number
  /** The strategy's signal id of the entry, when the OMS has the trade (decision logs are keyed by it). */
  readonly signalId?: string
  /** The protective stop's trigger price, when the OMS has the trade. */
  readonly stopPrice?: number
  /** The take-profit's trigger price, when the trade has one. */
  readonly takeProfitPrice?: number
}

/**
 * The position of `symbol` in an OMS state (after `start()`: recovered and reconciled), or null when flat.
 *
 * @param args - `state`: the OMS's snapshot; `symbol`; `nowMs`: the start-up time; `markPrice`: the entry price
 *   used when the OMS has none (a position adopted without one).
 * @returns the position, or null.
 * @example
 * ```ts
 * const position = recoveredPosition({ state: oms.snapshot(), symbol: 'BTC/USDT:USDT', nowMs: clock.now(), markPrice: 64_000 })
 * ```
 */
export function recoveredPosition(args: { readonly state: OmsState; readonly symbol: string; readonly nowMs: number; readonly markPrice: number }): RecoveredPosition | null {
  const s = args.state.symbols[args.symbol]
  if (s === undefined || s.qty === 0) return null
  const trade = s.trade
  return {
    symbol: args.symbol,
    side: s.qty > 0 ? 'long' : 'short',
    qty: Math.abs(s.qty),
    entryPrice: s.avgEntryPrice > 0 ? s.avgEntryPrice : args.markPrice,
    openedAtMs: trade?.openedAtMs ?? args.nowMs,
    ...(trade !== undefined ? { signalId: trade.signalId, stopPrice: trade.stopPrice } : {}),
    ...(trade?.takeProfitPrice !== undefined ? { takeProfitPrice: trade.takeProfitPrice } : {}),
  }
}

/**
 * Start the books of `symbol` from the OMS's position after start-up: the account view and the trade ledger take
 * it (or flat), replacing anything the user stream booked while the OMS was starting — the OMS, which applied those
 * events too and caught up the fills of the time the process was down, is the truth at that point.
 *
 * @param args - the position (null: flat), the run's symbol, account view and ledger.
 * @example
 * ```ts
 * startBooksFrom({ position: recoveredPosition({ state: oms.snapshot(), symbol, nowMs, markPrice }), symbol, account, ledger })
 * ```
 */
export function startBooksFrom(args: { readonly position: RecoveredPosition | null; readonly symbol: string; readonly account: AccountView; readonly ledger: TradeLedger }): void {
  const p = args.position
  args.account.restorePosition(p === null ? null : { side: p.side, qty: p.qty, entryPrice: p.entryPrice, openedAtMs: p.openedAtMs })
  args.ledger.restoreOpen({ symbol: args.symbol, position: p === null ? null : { side: p.side, qty: p.qty, entryPrice: p.entryPrice, entryTimeMs: p.openedAtMs } })
}
