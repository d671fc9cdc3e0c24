import type { PositionSide } from '@perpkit/core'
import type { Signal } from '../signals/types.js'

/** Why an exit (or stop move) was asked for. Closed set. */
export type ExitReason =
  | 'signal'
  | 'stop-loss'
  | 'take-profit'
  | 'trailing-stop'
  | 'break-even'
  | 'time'
  | 'profit-lock'
  | 'structure-break'

/**
 * Open a position (or, for the runner, add to none: strategies emit `enter` only when flat).
 * `stopPrice`/`takeProfitPrice` are suggestions in price units; risk/sizing/OMS decide and round.
 */
export interface EnterIntent {
  readonly type: 'enter'
  readonly side: PositionSide
  readonly signal: Signal
  readonly stopPrice?: number
  readonly takeProfitPrice?: number
}

/** Close the whole position. */
export interface ExitIntent {
  readonly type: 'exit'
  readonly reason: ExitReason
  /** Human-readable detail, e.g. `"tier 3: +6% reached"`. */
  readonly detail: string
  readonly signal?: Signal
}

/** Close `fraction` (0 < f < 1) of the CURRENT position quantity. */
export interface PartialExitIntent {
  readonly type: 'partial-exit'
  readonly fraction: number
  readonly reason: ExitReason
  readonly detail: string
}

/** Move the protective stop to `stopPrice` (always in the position's favour). */
export interface MoveStopIntent {
  readonly type: 'move-stop'
  readonly stopPrice: number
  readonly reason: ExitReason
  readonly detail: string
}

/** The intents an exit manager can emit. */
export type ExitManagerIntent = ExitIntent | PartialExitIntent | MoveStopIntent

/** What a strategy returns: a closed union discriminated on `type`. Intents are never orders. */
export type StrategyIntent = EnterIntent | ExitIntent | PartialExitIntent | MoveStopIntent

/** The shared empty result; return it instead of allocating `[]` on every call. */
export const NO_INTENTS: readonly StrategyIntent[] = Object.freeze([]) as readonly StrategyIntent[]
