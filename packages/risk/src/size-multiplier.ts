/**
 * Loss-streak size multiplier with recovery.
 * @module
 */
import type { RiskConfig } from './config.js'

/**
 * State of the loss-streak multiplier (plain JSON).
 *
 * @example
 * ```ts
 * import { type SizeMultiplierState } from '@perpkit/risk'
 * const s: SizeMultiplierState = { multiplier: 0.5, lossStreak: 0, winStreak: 2 }
 * ```
 */
export interface SizeMultiplierState {
  readonly multiplier: number
  readonly lossStreak: number
  readonly winStreak: number
}

/**
 * Outcome of a closed trade. `breakeven` ends both streaks.
 *
 * @example
 * ```ts
 * import { type TradeOutcome } from '@perpkit/risk'
 * declare const pnlUsd: number // the closed trade's net PnL
 * const o: TradeOutcome = pnlUsd > 0 ? 'win' : pnlUsd < 0 ? 'loss' : 'breakeven'
 * ```
 */
export type TradeOutcome = 'win' | 'loss' | 'breakeven'

/**
 * The starting state: multiplier = cap (1.0), no streaks.
 *
 * @param args.config - `config.sizeMultiplier`
 * @returns the initial state
 * @example
 * ```ts
 * import { initialSizeMultiplierState, parseRiskConfig } from '@perpkit/risk'
 * initialSizeMultiplierState({ config: parseRiskConfig().sizeMultiplier }) // { multiplier: 1, lossStreak: 0, winStreak: 0 }
 * ```
 */
export function initialSizeMultiplierState(args: { readonly config: RiskConfig['sizeMultiplier'] }): SizeMultiplierState {
  return { multiplier: args.config.cap, lossStreak: 0, winStreak: 0 }
}

/**
 * Apply one closed trade: after every `lossStreak` (3) consecutive losses the multiplier becomes
 * `max(m × 0.5, 0.25)`; after every `winStreak` (3) consecutive wins it becomes `min(m × 1.5, 1.0)`.
 * The streak counter restarts after each adjustment. The result always stays in [floor, cap].
 *
 * @param args.state - current state
 * @param args.outcome - the trade's outcome
 * @param args.config - `config.sizeMultiplier`
 * @returns the next state
 * @example
 * ```ts
 * import { initialSizeMultiplierState, nextSizeMultiplier, parseRiskConfig } from '@perpkit/risk'
 * const config = parseRiskConfig().sizeMultiplier
 * let s = initialSizeMultiplierState({ config })
 * for (let i = 0; i < 3; i++) s = nextSizeMultiplier({ state: s, outcome: 'loss', config })
 * s.multiplier // 0.5
 * ```
 */
export function nextSizeMultiplier(args: {
  readonly state: SizeMultiplierState
  readonly outcome: TradeOutcome
  readonly config: RiskConfig['sizeMultiplier']
}): SizeMultiplierState {
  const c = args.config
  const clamp = (m: number): number => Math.min(c.cap, Math.max(c.floor, m))
  const { state, outcome } = args
  if (outcome === 'breakeven') return { multiplier: clamp(state.multiplier), lossStreak: 0, winStreak: 0 }
  if (outcome === 'loss') {
    const streak = state.lossStreak + 1
    if (streak >= c.lossStreak) return { multiplier: clamp(state.multiplier * c.lossFactor), lossStreak: 0, winStreak: 0 }
    return { multiplier: clamp(state.multiplier), lossStreak: streak, winStreak: 0 }
  }
  const streak = state.winStreak + 1
  if (streak >= c.winStreak) return { multiplier: clamp(state.multiplier * c.winFactor), lossStreak: 0, winStreak: 0 }
  return { multiplier: clamp(state.multiplier), lossStreak: 0, winStreak: streak }
}
