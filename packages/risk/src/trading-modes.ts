/**
 * Vocabulary of trading states and holds, shared by the trading state machine and the risk events.
 * @module
 */

/**
 * - `ACTIVE`: everything allowed.
 * - `REDUCING`: only exposure-reducing orders, cancels and protective stops.
 * - `HALTED`: nothing new; cancels and protective stops only.
 *
 * @example
 * ```ts
 * import type { RiskEngine, TradingMode } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const mode: TradingMode = engine.mode() // 'ACTIVE' | 'REDUCING' | 'HALTED'
 * ```
 */
export type TradingMode = 'ACTIVE' | 'REDUCING' | 'HALTED'

/**
 * Who may lift a hold: `manual` (an operator) or `auto` (automation, e.g. emergency recovery).
 *
 * @example
 * ```ts
 * import type { LiftAuthority, TradingState } from '@perpkit/risk'
 * declare const tradingState: TradingState // from createTradingState()
 * const by: LiftAuthority = 'manual'
 * tradingState.lift({ id: 'emergency', by })
 * ```
 */
export type LiftAuthority = 'manual' | 'auto'

/**
 * Severity of a hold.
 *
 * @example
 * ```ts
 * import type { HoldLevel, TradingState } from '@perpkit/risk'
 * declare const tradingState: TradingState // from createTradingState()
 * tradingState.place({ id: 'manual', level: 'reduce' satisfies HoldLevel, reason: 'maintenance', liftableBy: 'manual' })
 * ```
 */
export type HoldLevel = 'halt' | 'reduce'

/**
 * Named sources of holds.
 *
 * @example
 * ```ts
 * import type { HoldId, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const id: HoldId = 'breaker'
 * engine.lift({ id })
 * ```
 */
export type HoldId = 'emergency' | 'latency' | 'breaker' | 'win-rate' | 'final-criteria' | 'manual'
