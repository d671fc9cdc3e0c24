/**
 * Typed events emitted by every risk component, and the tiny listener hub behind `subscribe()`.
 * Libraries do not log: the app turns these events into logs, metrics and alerts.
 * @module
 */
import type { HoldId, LiftAuthority, TradingMode } from './trading-modes.js'

/**
 * What tripped a circuit breaker.
 *
 * @example
 * ```ts
 * import type { BreakerTrigger, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * engine.subscribe((e) => { if (e.type === 'breaker-tripped') { const t: BreakerTrigger = e.trigger } })
 * ```
 */
export type BreakerTrigger = 'loss' | 'trade-count' | 'consecutive-losses' | 'health-check' | 'reconciliation' | 'manual'

/**
 * What triggered an emergency halt or entry block.
 *
 * @example
 * ```ts
 * import type { EmergencyTrigger, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * engine.subscribe((e) => { if (e.type === 'emergency-triggered') { const t: EmergencyTrigger = e.trigger } })
 * ```
 */
export type EmergencyTrigger =
  | 'price-drop-1m'
  | 'price-drop-5m'
  | 'latency'
  | 'balance-non-positive'
  | 'balance-unreadable'
  | 'balance-below-floor'
  | 'liquidation-warning'
  | 'liquidation-event'

/**
 * Every event a risk component can emit, discriminated on `type`. `timestampMs` is the clock time of the transition.
 *
 * @example
 * ```ts
 * import type { RiskEvent } from '@perpkit/risk'
 * function describe(e: RiskEvent): string {
 *   switch (e.type) {
 *     case 'halt-entered': return `HALT ${e.holdId} (${e.liftableBy} lift)`
 *     case 'stage-changed': return `stage ${e.fromStage} -> ${e.toStage}`
 *     default: return e.type
 *   }
 * }
 * ```
 */
export type RiskEvent =
  | { readonly type: 'halt-entered'; readonly timestampMs: number; readonly holdId: HoldId; readonly reason: string; readonly liftableBy: LiftAuthority }
  | { readonly type: 'halt-lifted'; readonly timestampMs: number; readonly holdId: HoldId; readonly by: LiftAuthority }
  | { readonly type: 'reducing-entered'; readonly timestampMs: number; readonly holdId: HoldId; readonly reason: string; readonly liftableBy: LiftAuthority }
  | { readonly type: 'reducing-lifted'; readonly timestampMs: number; readonly holdId: HoldId; readonly by: LiftAuthority }
  | { readonly type: 'mode-changed'; readonly timestampMs: number; readonly from: TradingMode; readonly to: TradingMode }
  | { readonly type: 'breaker-tripped'; readonly timestampMs: number; readonly trigger: BreakerTrigger; readonly detail: string; readonly resetAtMs: number | null }
  | { readonly type: 'breaker-reset'; readonly timestampMs: number; readonly by: 'manual' | 'timer' }
  | { readonly type: 'guard-blocked'; readonly timestampMs: number; readonly reason: 'sl-streak' | 'daily-loss-limit' | 'trades-per-day'; readonly detail: string }
  | { readonly type: 'day-rolled'; readonly timestampMs: number; readonly dayKey: string; readonly startOfDayEquityUsd: number | null }
  | { readonly type: 'emergency-triggered'; readonly timestampMs: number; readonly trigger: EmergencyTrigger; readonly detail: string }
  | { readonly type: 'emergency-recovered'; readonly timestampMs: number; readonly calmSinceMs: number }
  | { readonly type: 'cancel-pending-entries'; readonly timestampMs: number; readonly latencyMs: number }
  | { readonly type: 'cooldown-started'; readonly timestampMs: number; readonly reason: CooldownReason; readonly untilMs: number }
  | { readonly type: 'stage-changed'; readonly timestampMs: number; readonly fromStage: number | null; readonly toStage: number; readonly equityUsd: number }
  | { readonly type: 'stage-flap-blocked'; readonly timestampMs: number; readonly changesInWindow: number; readonly untilMs: number }
  | { readonly type: 'size-multiplier-changed'; readonly timestampMs: number; readonly from: number; readonly to: number; readonly cause: 'loss-streak' | 'win-streak' }
  | { readonly type: 'win-rate-warning'; readonly timestampMs: number; readonly closedTrades: number; readonly liveWinRate: number }
  | { readonly type: 'win-rate-halt'; readonly timestampMs: number; readonly closedTrades: number; readonly liveWinRate: number }
  | { readonly type: 'fee-spike'; readonly timestampMs: number; readonly feeRatio: number | null; readonly untilMs: number }
  | { readonly type: 'taker-fallback-granted'; readonly timestampMs: number; readonly signalId: string }
  | { readonly type: 'taker-fallback-failed'; readonly timestampMs: number; readonly signalId: string; readonly blockedUntilMs: number }
  | { readonly type: 'decision-made'; readonly timestampMs: number; readonly decisionId: string; readonly action: 'enter' | 'exit' | 'skip'; readonly reasons: readonly string[] }

/**
 * Why entries are paused for a while.
 *
 * @example
 * ```ts
 * import type { CooldownReason, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * engine.subscribe((e) => { if (e.type === 'cooldown-started') { const r: CooldownReason = e.reason } })
 * ```
 */
export type CooldownReason = 'emergency-recovery' | 'stage-flap' | 'taker-fallback-failed' | 'manual'

/**
 * A listener receiving {@link RiskEvent}s.
 *
 * @example
 * ```ts
 * import type { RiskEngine, RiskEventListener } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * declare const metrics: { increment(name: string): void } // your metrics client
 * const listener: RiskEventListener = (e) => metrics.increment(`risk.${e.type}`)
 * engine.subscribe(listener)
 * ```
 */
export type RiskEventListener = (event: RiskEvent) => void

/**
 * Removes a listener; calling it twice is harmless.
 *
 * @example
 * ```ts
 * import type { RiskEngine, Unsubscribe } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const off: Unsubscribe = engine.subscribe(() => {})
 * off()
 * ```
 */
export type Unsubscribe = () => void

/** @internal listener registry shared by the components. */
export interface EventHub {
  subscribe(listener: RiskEventListener): Unsubscribe
  emit(event: RiskEvent): void
}

/** @internal */
export function createEventHub(): EventHub {
  const listeners = new Set<RiskEventListener>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    emit(event) {
      for (const l of [...listeners]) l(event)
    },
  }
}
