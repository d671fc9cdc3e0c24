/**
 * The runner's view of the account, kept from the venue's user stream (no per-bar venue calls): settle-asset
 * balance, the open position, equity at a price, and the strategy's immutable position view.
 * @module
 */
import type { Instrument, PositionSide, UserStreamEvent } from '@perpkit/core'
import type { EnginePositionView } from './types.js'

/** The open position as the runner tracks it. */
export interface AccountPosition {
  readonly side: PositionSide
  readonly qty: number
  readonly entryPrice: number
  readonly openedAtMs: number
}

/** What {@link createAccountView} returns. */
export interface AccountView {
  /** Wallet balance of the settle asset. */
  readonly balance: number
  readonly position: AccountPosition | null
  setBalance(total: number): void
  /** Apply a `position` event of the run's symbol. */
  applyPosition(e: Extract<UserStreamEvent, { type: 'position' }>): void
  /** Start from a position opened before the run (a previous process's, recovered at start-up); `null`: flat. */
  restorePosition(p: AccountPosition | null): void
  /** Balance + unrealised PnL at `price`, in the settle asset. */
  equityAt(price: number): number
  /** {@link AccountView.equityAt} in USD (inverse: × price). */
  equityUsd(price: number): number
  /** The strategy's view of the position (the same object until a position event changes it). */
  view(): EnginePositionView | null
}

/**
 * Create the account view of one instrument.
 *
 * @param ins - the run's instrument (kind, contract size, settle asset).
 * @returns the view; feed it balance and position events.
 * @example
 * ```ts
 * const account = createAccountView(instrument)
 * account.setBalance(10_000)
 * account.equityAt(100_000) // 10000 while flat
 * ```
 */
export function createAccountView(ins: Instrument): AccountView {
  const linear = ins.kind === 'linear'
  const cs = ins.contractSize
  let balance = 0
  let position: AccountPosition | null = null
  /** undefined = stale (rebuilt on the next read). */
  let posView: EnginePositionView | null | undefined
  const equityAt = (price: number): number => {
    if (position === null) return balance
    const dir = position.side === 'long' ? 1 : -1
    const upnl = linear ? dir * (price - position.entryPrice) * position.qty * cs : dir * position.qty * cs * (1 / position.entryPrice - 1 / price)
    return balance + upnl
  }
  return {
    get balance() {
      return balance
    },
    get position() {
      return position
    },
    setBalance(total) {
      balance = total
    },
    applyPosition(e) {
      posView = undefined
      position =
        e.position === null
          ? null
          : { side: e.position.side, qty: e.position.qty, entryPrice: e.position.entryPrice, openedAtMs: position?.openedAtMs ?? e.timestampMs }
    },
    restorePosition(p) {
      posView = undefined
      position = p === null ? null : { side: p.side, qty: p.qty, entryPrice: p.entryPrice, openedAtMs: p.openedAtMs }
    },
    equityAt,
    equityUsd: (price) => (linear ? equityAt(price) : equityAt(price) * price),
    view() {
      if (posView === undefined) posView = position === null ? null : { side: position.side, qty: position.qty, entryPrice: position.entryPrice, openedAtMs: position.openedAtMs }
      return posView
    },
  }
}
