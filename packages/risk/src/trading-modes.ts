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
 * import { type TradingMode } from '@perpkit/risk'
 * const mode: TradingMode = engine.mode() // 'ACTIVE' | 'REDUCING' | 'HALTED'
 * ```
 */
export type TradingMode = 'ACTIVE' | 'REDUCING' | 'HALTED'

/**
 * Who may lift a hold: `manual` (an operator) or `auto` (automation, e.g. emergency recovery).
 *
 * @example
 * ```ts
 * import { type LiftAuthority } from '@perpkit/risk'
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
 * import { type HoldLevel } from '@perpkit/risk'
 * tradingState.place({ id: 'manual', level: 'reduce' satisfies HoldLevel, reason: 'maintenance', liftableBy: 'manual' })
 * ```
 */
export type HoldLevel = 'halt' | 'reduce'

/**
 * Named sources of holds.
 *
 * @example
 * ```ts
 * import { type HoldId } from '@perpkit/risk'
 * const id: HoldId = 'breaker'
 * engine.lift({ id })
 * ```
 */
export type HoldId = 'emergency' | 'latency' | 'breaker' | 'win-rate' | 'final-criteria' | 'manual'
