/**
 * `@perpkit/oms`: idempotent order management — order and position state machines, deterministic client ids,
 * unknown-outcome resolution, protective stops, reconciliation and a crash-safe journal.
 *
 * @example
 * ```ts
 * import { createFileJournal, createOrderManager } from '@perpkit/oms'
 * const oms = createOrderManager({ venue, clock, journal: createFileJournal({ dir: './state/oms' }), instruments })
 * await oms.start() // recover + reconcile; entries are refused before
 * ```
 * @packageDocumentation
 */
export {
  CLIENT_ORDER_ID_PREFIX,
  deriveClientOrderId,
  isValidClientOrderId,
  type OrderRole,
  parseClientOrderId,
  type ParsedClientOrderId,
  type TradeDirection,
  tradeKeyOf,
} from './client-order-id.js'
export {
  isTerminalOrderState,
  nextOrderState,
  ORDER_EVENTS,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  type OrderEvent,
  type OrderState,
  TERMINAL_STATES,
  transitionOrder,
} from './order-state.js'
export {
  nextPositionPhase,
  POSITION_EVENTS,
  POSITION_PHASES,
  POSITION_TRANSITIONS,
  type PositionEvent,
  type PositionPhase,
  transitionPosition,
} from './position-state.js'
export {
  budgetConfigOf,
  createRequestBudget,
  type RequestBudget,
  type RequestBudgetConfig,
  type RequestPriority,
  requestWeight,
  type VenueMethod,
} from './budget.js'
export { type BudgetLedger, type BudgetStamp, createFileBudgetLedger, createMemoryBudgetLedger } from './budget-ledger.js'
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js'
export { defaultOmsConfig, type OmsConfig, resolveOmsConfig, type TakeProfitStyle } from './config.js'
export {
  type BreakerTripReason,
  type DegradedReason,
  type ErrorSummary,
  type OmsEvent,
  type OmsEventType,
  type ReconcileReason,
  summarizeError,
} from './events.js'
export { redactSecrets } from './redact.js'
export { emptyOmsState } from './state.js'
export type {
  EntryIntent,
  EntryRefusal,
  MakerTimeoutContext,
  MakerTimeoutDecision,
  ManagedOrder,
  OmsJournalEntry,
  OmsState,
  StopStatus,
  SymbolRecord,
  TradeRecord,
  TradingMode,
} from './types.js'
export { createFileJournal, FILE_JOURNAL_FILES, removeFileJournal } from './journal/file-journal.js'
export { createMemoryJournal, createMemoryJournalStore, type MemoryJournalStore } from './journal/memory-journal.js'
export {
  createOrderManager,
  type ExitRefusal,
  type OmsStatus,
  type OrderManager,
  type OrderManagerOptions,
  type ReconcileReport,
  type ReduceArgs,
  type ReduceRefusal,
  type SubmitOutcome,
} from './order-manager.js'
