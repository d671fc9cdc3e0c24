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
 * const mode: TradingMode = engine.mode() // 'ACTIVE' | 'REDUCING' | 'HALTED'
 * ```
 */
export type TradingMode = 'ACTIVE' | 'REDUCING' | 'HALTED'

/**
 * Who may lift a hold: `manual` (an operator) or `auto` (automation, e.g. emergency recovery).
 *
 * @example
 * ```ts
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
 * tradingState.place({ id: 'manual', level: 'reduce' satisfies HoldLevel, reason: 'maintenance', liftableBy: 'manual' })
 * ```
 */
export type HoldLevel = 'halt' | 'reduce'

/**
 * Named sources of holds.
 *
 * @example
 * ```ts
 * const id: HoldId = 'breaker'
 * engine.lift({ id })
 * ```
 */
export type HoldId = 'emergency' | 'latency' | 'breaker' | 'win-rate' | 'final-criteria' | 'manual'
