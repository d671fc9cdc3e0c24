/**
 * Plain-JSON records the order manager keeps, journals and snapshots.
 * @module
 */
import type { OrderRequest } from '@perpkit/core'
import type { OrderRole, TradeDirection } from './client-order-id.js'
import type { OrderState } from './order-state.js'
import type { PositionPhase } from './position-state.js'

/** An order the OMS owns. */
export interface ManagedOrder {
  readonly clientOrderId: string
  readonly symbol: string
  readonly role: OrderRole
  /** Trade key shared by all orders of one trade. */
  readonly tradeKey: string
  /** The exact request sent (amends update `qty` / `triggerPrice`). */
  request: OrderRequest
  state: OrderState
  /** Sum of applied fills (by unique trade id). */
  filledQty: number
  /** Filled qty the venue last reported for the order (fills may still be on their way). */
  venueFilledQty?: number
  /** `updateId` of the newest venue view of the order applied so far (older views never overwrite it). */
  venueUpdateId?: number
  avgFillPrice: number
  venueOrderId?: string
  /** When we created it, on our clock. */
  createdAtMs: number
  /**
   * When the venue created it, on the venue's clock (from its first report of the order); its fills are stamped on
   * that clock too. Absent until the venue reported the order, and in states journaled before it existed.
   */
  venueCreatedAtMs?: number
  updatedAtMs: number
  /** Creates sent for this client id (more than one only after the venue was proven not to have it). */
  sends: number
  /**
   * Since when the outcome is ambiguous (unknown, or an intent recovered after a restart), on our wall clock: a record
   * for operators; the grace before "not found" counts as absence is measured on elapsed time.
   */
  unknownSinceMs?: number
  /** Consecutive "not found" answers while unknown. */
  absentChecks: number
  /** An intent recovered from the journal that may have been sent before the crash. */
  maybeSent?: boolean
  /**
   * Canceled while its create outcome was unknown and its validity window open: "unknown order" then proves
   * nothing, so the order stays ambiguous; if it turns up live it is canceled, if proven absent it is never re-sent.
   */
  cancelWanted?: boolean
  /** An entry journaled but held back until the protective stop covering it is on the book. */
  awaitingProtection?: boolean
  /** Why it was rejected / expired / abandoned. */
  reason?: string
  /**
   * Time of the signal whose trade the order belongs to (the caller's `signalTimeMs`): how long its ids are
   * remembered once it leaves the retained window. Absent for orphan closes and in states journaled before it existed.
   */
  signalTimeMs?: number
}

/**
 * Protective stop status of a symbol: `NONE` no position, nothing to protect; `ACTIVE` a stop covering the
 * position (and any working entry) is on the book; `PENDING` a stop is being placed, amended or has fired;
 * `MISSING` exposure without a trade to derive a stop from; `ERROR` the last stop attempt failed.
 */
export type StopStatus = 'NONE' | 'ACTIVE' | 'PENDING' | 'MISSING' | 'ERROR'

/** The trade a symbol is in (one at a time, one-way mode). */
export interface TradeRecord {
  readonly tradeKey: string
  readonly signalId: string
  readonly direction: TradeDirection
  /** The signal's time (`EntryIntent.signalTimeMs`); absent in states journaled before it existed. */
  readonly signalTimeMs?: number
  /** Requested entry size. */
  readonly entryQty: number
  /** Current protective stop trigger price. */
  stopPrice: number
  takeProfitPrice?: number
  /** Generation counters per role (client ids are `…_{role}{generation}`). */
  entryGen: number
  stopGen: number
  tpGen: number
  exitGen: number
  flattenGen: number
  /** Partial closes (`reduce`) so far; absent in states journaled before partial closes existed. */
  reduceGen?: number
  /** Maker timeouts so far. */
  makerTimeouts: number
  openedAtMs: number
  /** The entry order is still working (e.g. after a partial fill): its unfilled qty is covered by the stop too. */
  entryWorking: boolean
  /** The venue refused a reduce-only stop before the position existed: protection waits for fills. */
  preProtectRejected?: boolean
}

/** Everything the OMS knows about one symbol. */
export interface SymbolRecord {
  readonly symbol: string
  phase: PositionPhase
  /** Signed position from applied fills: > 0 long, < 0 short. */
  qty: number
  avgEntryPrice: number
  trade?: TradeRecord
  stopStatus: StopStatus
  /** Consecutive failed protective-stop attempts. */
  stopFailures: number
  lastStopUpdateMs: number
  /** Time of the last applied fill (for "fills since last known" at reconciliation). */
  lastFillMs: number
  /** Full closes of positions without a trade (orphans) so far: the generation of the next orphan close id. */
  orphanGen?: number
  haltReason?: string
}

/** The whole persistent state (what snapshots hold). */
export interface OmsState {
  readonly version: 1
  orders: Record<string, ManagedOrder>
  symbols: Record<string, SymbolRecord>
  /** Applied trade ids → fill time, so each trade id is applied once. */
  tradeIds: Record<string, number>
  /**
   * Trade keys and caller-supplied client ids whose orders left the retained window → the time of their signal (for
   * orders journaled without one, and in states written before: their creation or last update, whichever is later —
   * never earlier than the signal). Kept in every snapshot so a signal replayed after retention and a restart is
   * still a duplicate; an entry older than `signalHorizonMs` is dropped, because a signal that old is refused
   * outright. Absent in states written before it existed.
   */
  retired?: Record<string, number>
  /**
   * Every entry of `retired` with a time before this was dropped (the highest cutoff ever used): a signal older than
   * it is refused even if the wall clock was stepped back since. Absent until the first drop.
   */
  retiredBeforeMs?: number
}

/** One journal record: an atomic upsert of everything one mutation changed. */
export interface OmsJournalEntry {
  readonly orders?: readonly ManagedOrder[]
  readonly symbols?: readonly SymbolRecord[]
  readonly tradeIds?: readonly (readonly [string, number])[]
}

/**
 * An entry intent: what risk + sizing approved.
 * @example
 * ```ts
 * import type { EntryIntent } from '@perpkit/oms'
 * const intent: EntryIntent = { signalId: 's-42', signalTimeMs: 1_758_240_000_000, symbol: 'BTC/USDT:USDT', direction: 'long', qty: 0.01, price: 64990, stopPrice: 64000, takeProfitPrice: 66500 }
 * ```
 */
export interface EntryIntent {
  /** The strategy's signal id; with `direction` it determines the client order id. */
  readonly signalId: string
  /**
   * When the signal was generated (epoch ms, on the clock the order manager's clock follows); a replay of the
   * signal carries the same time. A signal older than `signalHorizonMs` is refused as `signal-expired`, one later
   * than `signalFutureToleranceMs` ahead as `signal-from-future`: the used-id record only has to cover the horizon.
   */
  readonly signalTimeMs: number
  readonly symbol: string
  readonly direction: TradeDirection
  /** Size in the instrument's quantity unit (on lot step). */
  readonly qty: number
  /** `limit` (default) or `market`. Maker-only configs force post-only limits. */
  readonly type?: 'limit' | 'market'
  /** Limit price (on tick), required for limit entries. */
  readonly price?: number
  /** Protective stop trigger (on tick), required. */
  readonly stopPrice: number
  /** Take-profit trigger (on tick), optional. */
  readonly takeProfitPrice?: number
  /** Override of the derived entry client id (must be 1–36 of `[A-Za-z0-9_-]`); normally left out. */
  readonly clientOrderId?: string
}

/**
 * What the maker-timeout callback decides (risk's maker fallback gate).
 * @example
 * ```ts
 * import type { MakerTimeoutContext, MakerTimeoutDecision } from '@perpkit/oms'
 * const decide = (ctx: MakerTimeoutContext): MakerTimeoutDecision => (ctx.consecutiveTimeouts >= 3 ? { action: 'taker' } : { action: 'retry-maker', price: 64990 })
 * ```
 */
export type MakerTimeoutDecision = { readonly action: 'abandon' } | { readonly action: 'retry-maker'; readonly price: number } | { readonly action: 'taker' }

/** Context handed to the maker-timeout callback. */
export interface MakerTimeoutContext {
  readonly signalId: string
  readonly symbol: string
  readonly direction: TradeDirection
  readonly qty: number
  /** Consecutive maker timeouts of this signal, including this one. */
  readonly consecutiveTimeouts: number
  readonly timestampMs: number
}

/** Account-wide trading mode from risk: `halted` sends only cancels and protective orders, `reducing` only exposure-reducing ones. */
export type TradingMode = 'normal' | 'reducing' | 'halted'

/**
 * Why an entry was refused (an expected outcome, not an error). `signal-expired`: the signal is older than
 * `signalHorizonMs` (or than the oldest time the used-id record still covers); `signal-from-future`: its time is more
 * than `signalFutureToleranceMs` ahead of the order manager's clock.
 */
export type EntryRefusal =
  | 'not-reconciled'
  | 'degraded'
  | 'halted'
  | 'reducing'
  | 'symbol-busy'
  | 'duplicate-intent'
  | 'fatal'
  | 'journal-failed'
  | 'signal-expired'
  | 'signal-from-future'
