/**
 * Typed events of the order manager. Libraries do not log; the app turns these into logs, metrics and alerts.
 * No event ever carries a secret: errors are reduced to {@link ErrorSummary} with secrets redacted.
 * @module
 */
import { type ConnectionState, type ErrorCode, type Fill, isPerpkitError, type OrderRequest } from '@perpkit/core'
import type { OrderRole } from './client-order-id.js'
import type { OrderEvent, OrderState } from './order-state.js'
import type { PositionEvent, PositionPhase } from './position-state.js'
import { redactSecrets } from './redact.js'
import type { MakerTimeoutDecision, StopStatus } from './types.js'

/** Why a reconciliation ran: start-up (the venue is authoritative), timer, stream reconnect, DEGRADED timer, or asked for. */
export type ReconcileReason = 'startup' | 'periodic' | 'reconnect' | 'degraded' | 'manual'

/**
 * Why the OMS asks risk to trip the breaker: a fatal venue or journal error (`code` says which), a position or
 * an open order the OMS did not create, a liquidation, or a flatten that keeps failing.
 */
export type BreakerTripReason = 'fatal' | 'orphan position' | 'orphan order' | 'liquidation' | 'flatten keeps failing'

/**
 * Why DEGRADED was entered (the user stream left `open`, or stayed silent for `streamStaleAfterMs` while exposed:
 * `stream stale` with `silentMs`) or left (a reconciliation succeeded).
 */
export type DegradedReason = `stream ${Exclude<ConnectionState, 'open'>}` | 'reconciled'

/** A secret-free summary of an error. */
export interface ErrorSummary {
  readonly code: ErrorCode | 'foreign'
  readonly message: string
  readonly venueCode?: number | string
}

/**
 * Every event the order manager emits (discriminated on `type`).
 * @example
 * ```ts
 * import type { OmsEvent, OrderManager } from '@perpkit/oms'
 * declare const oms: OrderManager // from createOrderManager()
 * declare const breaker: { trip(reason: string): void } // e.g. risk's circuit breaker
 * declare function alert(message: string): void // your alerting
 * oms.subscribe((e: OmsEvent) => {
 *   if (e.type === 'breaker-trip') breaker.trip(e.reason)
 *   if (e.type === 'stop-status' && e.status === 'ERROR') alert(`stop repair failing on ${e.symbol}`)
 * })
 * ```
 */
export type OmsEvent =
  | { readonly type: 'order-sent'; readonly timestampMs: number; readonly clientOrderId: string; readonly role: OrderRole; readonly request: OrderRequest; readonly attempt: number }
  | {
      readonly type: 'order-state'
      readonly timestampMs: number
      readonly clientOrderId: string
      readonly symbol: string
      readonly role: OrderRole
      readonly from: OrderState
      readonly event: OrderEvent
      readonly to: OrderState
    }
  | { readonly type: 'order-rejected'; readonly timestampMs: number; readonly clientOrderId: string; readonly error: ErrorSummary }
  | { readonly type: 'order-unknown'; readonly timestampMs: number; readonly clientOrderId: string; readonly error: ErrorSummary }
  | { readonly type: 'order-absent'; readonly timestampMs: number; readonly clientOrderId: string; readonly checks: number; readonly resend: boolean }
  | { readonly type: 'stale-update'; readonly timestampMs: number; readonly clientOrderId: string; readonly state: OrderState; readonly venueStatus: string }
  | { readonly type: 'fill-applied'; readonly timestampMs: number; readonly fill: Fill; readonly positionQty: number }
  | { readonly type: 'fill-ignored'; readonly timestampMs: number; readonly tradeId: string; readonly reason: 'duplicate' | 'overfill' | 'foreign' }
  | {
      readonly type: 'position-phase'
      readonly timestampMs: number
      readonly symbol: string
      readonly from: PositionPhase
      readonly event: PositionEvent
      readonly to: PositionPhase
    }
  | { readonly type: 'stop-status'; readonly timestampMs: number; readonly symbol: string; readonly status: StopStatus; readonly failures: number }
  | { readonly type: 'stop-updated'; readonly timestampMs: number; readonly symbol: string; readonly method: 'place' | 'amend' | 'replace'; readonly qty: number; readonly triggerPrice: number }
  | { readonly type: 'flatten'; readonly timestampMs: number; readonly symbol: string; readonly qty: number; readonly reason: string }
  | { readonly type: 'maker-timeout'; readonly timestampMs: number; readonly symbol: string; readonly signalId: string; readonly decision: MakerTimeoutDecision }
  | { readonly type: 'reconcile'; readonly timestampMs: number; readonly phase: 'started' | 'finished' | 'failed'; readonly reason: ReconcileReason; readonly error?: ErrorSummary }
  | { readonly type: 'mismatch'; readonly timestampMs: number; readonly symbol: string; readonly kind: 'position' | 'order'; readonly localQty: number; readonly venueQty: number; readonly consecutive: number; readonly acted: boolean }
  | { readonly type: 'orphan'; readonly timestampMs: number; readonly symbol: string; readonly kind: 'position' | 'order'; readonly clientOrderId?: string; readonly qty: number }
  | { readonly type: 'breaker-trip'; readonly timestampMs: number; readonly reason: BreakerTripReason; readonly symbol?: string; readonly code?: ErrorSummary['code'] }
  | { readonly type: 'degraded'; readonly timestampMs: number; readonly on: boolean; readonly reason: DegradedReason; readonly silentMs?: number }
  | { readonly type: 'halted'; readonly timestampMs: number; readonly symbol: string; readonly reason: string }
  | { readonly type: 'fatal'; readonly timestampMs: number; readonly error: ErrorSummary }
  | { readonly type: 'request-retry'; readonly timestampMs: number; readonly method: string; readonly attempt: number; readonly delayMs: number; readonly error: ErrorSummary }
  | { readonly type: 'invalid-transition'; readonly timestampMs: number; readonly subject: string; readonly from: string; readonly event: string }
  | { readonly type: 'journal-snapshot'; readonly timestampMs: number; readonly seq: number; readonly orders: number }
  | { readonly type: 'recovered'; readonly timestampMs: number; readonly records: number; readonly truncatedTail: boolean; readonly fromSnapshotSeq: number | null }
  | { readonly type: 'internal-error'; readonly timestampMs: number; readonly where: string; readonly error: ErrorSummary }

/** The `type` tags of {@link OmsEvent}. */
export type OmsEventType = OmsEvent['type']

/**
 * Reduce any thrown value to a secret-free {@link ErrorSummary} (code, redacted message, venue code; never
 * `details` or `cause`, which may hold request parameters).
 *
 * @param error - anything thrown
 * @returns the summary
 * @example
 * ```ts
 * import { UnknownOutcomeError } from '@perpkit/core'
 * import { summarizeError } from '@perpkit/oms'
 * summarizeError(new UnknownOutcomeError('timeout')).code // 'unknown-outcome'
 * ```
 */
export function summarizeError(error: unknown): ErrorSummary {
  if (isPerpkitError(error)) {
    return error.venueCode === undefined
      ? { code: error.code, message: redactSecrets(error.message) }
      : { code: error.code, message: redactSecrets(error.message), venueCode: error.venueCode }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'foreign', message: redactSecrets(message) }
}
