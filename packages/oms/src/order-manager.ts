/**
 * The order manager: idempotent entries, unknown-outcome resolution, protective stops, reconciliation and a
 * journal that lets a restart continue exactly. It sees the venue only through core's `ExchangeClient` port and
 * time only through a `Clock`.
 *
 * This file is the public contract and a thin facade: each command lives in `manager/commands/`, the machinery
 * it uses in `manager/` (see the OMS section of docs/architecture.md for the map).
 * @module
 */
import type { Clock, ExchangeClient, Instrument, Journal, Result, Unsubscribe } from '@perpkit/core'
import { PerpkitError } from '@perpkit/core'
import type { BudgetLedger } from './budget-ledger.js'
import type { OmsConfig } from './config.js'
import type { OmsEvent } from './events.js'
import type { OrderState } from './order-state.js'
import type {
  EntryIntent,
  EntryRefusal,
  MakerTimeoutContext,
  MakerTimeoutDecision,
  ManagedOrder,
  OmsJournalEntry,
  OmsState,
  StopStatus,
  SymbolRecord,
  TradingMode,
} from './types.js'
import { exitPosition } from './manager/commands/exit.js'
import { halt, resume } from './manager/commands/halt-resume.js'
import { onMarkPrice } from './manager/commands/mark-price.js'
import { moveStop } from './manager/commands/move-stop.js'
import { reduce } from './manager/commands/reduce.js'
import { start } from './manager/commands/start.js'
import { stop } from './manager/commands/stop.js'
import { submitEntry } from './manager/commands/submit-entry.js'
import { reconcile } from './manager/reconciliation.js'
import { createRuntime } from './manager/runtime.js'

/** Options of {@link createOrderManager}. */
export interface OrderManagerOptions {
  /** The venue port (a ccxt adapter live, the simulator in tests and backtests). */
  readonly venue: ExchangeClient
  /** Time source; all waits and timers go through it. */
  readonly clock: Clock
  /** Durable journal (file journal live, memory journal in tests/backtests). */
  readonly journal: Journal<OmsState, OmsJournalEntry>
  /** Tradable instruments. */
  readonly instruments: readonly Instrument[]
  /** Overrides of {@link defaultOmsConfig}. */
  readonly config?: Partial<OmsConfig>
  /** Account-wide trading mode from risk (default: always `normal`). */
  readonly tradingState?: () => TradingMode
  /** Risk's maker-fallback gate, asked after a post-only entry timed out with nothing filled (default: abandon). */
  readonly onMakerTimeout?: (context: MakerTimeoutContext) => MakerTimeoutDecision | Promise<MakerTimeoutDecision>
  /**
   * Durable record of venue requests shared by successive processes (e.g. `createFileBudgetLedger` next to the
   * journal). Without it the request budget is per process and a crash loop can exceed the venue's limit.
   */
  readonly budgetLedger?: BudgetLedger
}

/** What a reconciliation found. */
export interface ReconcileReport {
  readonly ok: boolean
  readonly mismatches: number
  readonly orphans: number
  readonly fillsApplied: number
}

/** Outcome of an accepted entry call. */
export interface SubmitOutcome {
  readonly clientOrderId: string
  readonly state: OrderState
}

/**
 * Why {@link OrderManager.reduce} sent nothing (a value, never thrown):
 * - `no-position`: the symbol is flat;
 * - `below-min-qty`: the requested qty, floored to the lot step, is 0 or below the instrument's `minQty`;
 * - `exit-pending`: an exit or flatten of the symbol is in flight (or the symbol is exiting);
 * - `reduce-pending`: an earlier partial close of the symbol has not finished yet;
 * - `fatal`: the OMS stopped trading after a fatal venue error.
 */
export type ReduceRefusal = 'no-position' | 'below-min-qty' | 'exit-pending' | 'reduce-pending' | 'fatal'

/**
 * Why {@link OrderManager.exit} sent nothing (a value, never thrown): `no-position` (flat, no working entry),
 * `exit-pending` (an exit or flatten of the symbol is in flight), `fatal` (trading stopped after a fatal error).
 */
export type ExitRefusal = 'no-position' | 'exit-pending' | 'fatal'

/** Arguments of {@link OrderManager.reduce}: exactly one of `fraction` or `qty`. */
export interface ReduceArgs {
  readonly symbol: string
  /** Fraction of the CURRENT position to close, in (0, 1]; 1 closes it all (same as `exit`). */
  readonly fraction?: number
  /** Contracts to close, > 0; the whole position or more closes it all (same as `exit`). */
  readonly qty?: number
  /** Free text for events and the caller's records. */
  readonly reason?: string
}

/** A read-only status view. */
export interface OmsStatus {
  readonly started: boolean
  readonly reconciled: boolean
  readonly degraded: boolean
  readonly fatal: boolean
  readonly symbols: readonly { readonly symbol: string; readonly phase: SymbolRecord['phase']; readonly qty: number; readonly stopStatus: StopStatus }[]
}

/** The order manager (see {@link createOrderManager}). */
export interface OrderManager {
  /** Recover the journal, subscribe to the user stream and reconcile with the venue; entries are refused before. */
  start(): Promise<ReconcileReport>
  /** Unsubscribe and stop every timer (in-flight requests finish). */
  stop(): Promise<void>
  /** Journal and send an entry (idempotent per `{signalId, direction}`). */
  submitEntry(intent: EntryIntent): Promise<Result<SubmitOutcome, EntryRefusal>>
  /**
   * Close the position of `symbol` with a reduce-only market order (cancels the entry remainder first). Like
   * {@link OrderManager.reduce}, a close that cannot be sent is a value ({@link ExitRefusal}), never thrown.
   * @throws PerpkitError `unknown-symbol` for a symbol not in `instruments`
   */
  exit(args: { readonly symbol: string; readonly reason?: string }): Promise<Result<SubmitOutcome, ExitRefusal>>
  /**
   * Close part of the position of `symbol` with a reduce-only market order of `fraction × |position|` or `qty`
   * contracts, floored to the lot step. Journaled before it is sent, like every order; an unknown outcome is
   * resolved by querying its client id (never a blind second create). It is exposure-reducing, so it is allowed
   * while the account is REDUCING and while the symbol is HALTED (exactly like `exit`). Working entries are left
   * alone. Once it fills, protection resizes the stop to the remaining position (plus any unfilled entry) and the
   * take-profit to the remaining position.
   *
   * A `fraction` ≥ 1, a `qty` ≥ the position, or a remainder that would fall below `minQty` closes the whole
   * position through {@link OrderManager.exit} instead.
   *
   * @param args - see {@link ReduceArgs}
   * @returns the order's client id and state, or a {@link ReduceRefusal} (nothing was sent)
   * @throws InvalidInputError (with `path`) when `fraction`/`qty` is not exactly one finite number in range
   * @throws PerpkitError `unknown-symbol` for a symbol not in `instruments`
   * @example
   * ```ts
   * import type { OrderManager } from '@perpkit/oms'
   * declare const oms: OrderManager // from createOrderManager()
   * const r = await oms.reduce({ symbol: 'BTC/USDT:USDT', fraction: 0.33, reason: 'tp1' })
   * if (!r.ok) console.log('nothing sent:', r.reason) // e.g. 'below-min-qty'
   * await oms.reduce({ symbol: 'BTC/USDT:USDT', qty: 0.002 })
   * ```
   */
  reduce(args: ReduceArgs): Promise<Result<SubmitOutcome, ReduceRefusal>>
  /** Move the protective stop (debounced: ≥ `stopMoveMinChange` of the stop distance, ≥ `stopUpdateMinIntervalMs` apart). */
  moveStop(args: { readonly symbol: string; readonly stopPrice: number }): Promise<Result<{ readonly scheduled: boolean }, 'debounced'>>
  /** Feed the mark price (used to validate stops). */
  onMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs?: number }): void
  /** Reconcile now. */
  reconcile(): Promise<ReconcileReport>
  /** Halt a symbol (no entries; protection continues). */
  halt(args: { readonly symbol: string; readonly reason: string }): void
  /** Lift a HALT of a flat symbol (manual recovery). */
  resume(args: { readonly symbol: string }): void
  /** Deep copy of the persistent state. */
  snapshot(): OmsState
  /** Replace the state before `start()` (used when the journal is empty). */
  restore(state: OmsState): void
  /** Listen to events; returns the unsubscribe function. */
  subscribe(listener: (event: OmsEvent) => void): Unsubscribe
  /** Status view. */
  status(): OmsStatus
  /** One managed order by client id. */
  order(clientOrderId: string): ManagedOrder | undefined
  /** Background tasks still running (0 when quiescent apart from timers). */
  inFlight(): number
}

/**
 * Create an order manager.
 *
 * @param options - see {@link OrderManagerOptions}
 * @returns the manager; call `start()` before trading
 * @throws InvalidInputError on a bad config, including `protectWorkingEntries: true` on a venue whose
 *   `capabilities.reduceOnlyStopWithoutPosition` is false
 * @example
 * ```ts
 * import { createTestClock, type ExchangeClient, type Instrument } from '@perpkit/core'
 * import { createMemoryJournal, createOrderManager } from '@perpkit/oms'
 * declare const venue: ExchangeClient, instruments: readonly Instrument[] // your venue adapter and its markets
 * const clock = createTestClock(1_700_000_000_000)
 * const oms = createOrderManager({ venue, clock, journal: createMemoryJournal(), instruments })
 * await oms.start()
 * const r = await oms.submitEntry({ signalId: 's1', signalTimeMs: clock.now(), symbol: 'BTC/USDT:USDT', direction: 'long', qty: 0.01, price: 65000, stopPrice: 64000 })
 * if (!r.ok) console.log('refused:', r.reason)
 * ```
 */
export function createOrderManager(options: OrderManagerOptions): OrderManager {
  const rt = createRuntime(options)
  return {
    start: () => start(rt),
    stop: () => stop(rt),
    submitEntry: (intent) => submitEntry(rt, intent),
    exit: (args) => exitPosition(rt, args),
    reduce: (args) => reduce(rt, args),
    async moveStop(args) {
      return moveStop(rt, args)
    },
    onMarkPrice: (args) => onMarkPrice(rt, args),
    reconcile: () => reconcile(rt, 'manual'),
    halt: (args) => halt(rt, args),
    resume: (args) => resume(rt, args),
    snapshot: () => structuredClone(rt.state),
    restore(next) {
      if (rt.started) throw new PerpkitError('invalid-state', 'restore() must be called before start()')
      if (next?.version !== 1) throw new PerpkitError('corrupt-data', 'unsupported OMS state version')
      rt.restored = structuredClone(next)
    },
    subscribe(listener) {
      rt.listeners.add(listener)
      return () => {
        rt.listeners.delete(listener)
      }
    },
    status: () => ({
      started: rt.started,
      reconciled: rt.reconciled,
      degraded: rt.degraded,
      fatal: rt.fatal,
      symbols: Object.values(rt.state.symbols).map((s) => ({ symbol: s.symbol, phase: s.phase, qty: s.qty, stopStatus: s.stopStatus })),
    }),
    order: (id) => {
      const o = rt.state.orders[id]
      return o === undefined ? undefined : structuredClone(o)
    },
    inFlight: () => rt.tasks.size,
  }
}
