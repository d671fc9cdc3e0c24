import type { PositionSide } from '@perpkit/core'
import type { Signal } from '../signals/types.js'

/**
 * Why an exit (or stop move) was asked for. Closed set.
 * @example
 * ```ts
 * import type { ExitReason } from '@perpkit/strategy'
 * const reason: ExitReason = 'trailing-stop'
 * ```
 */
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
 * @example
 * ```ts
 * import { createSignal, type EnterIntent } from '@perpkit/strategy'
 * const signal = createSignal({ type: 'buy', source: 'technical', confidence: 0.7, reason: 'x', timestampMs: 0, symbol: 'BTC/USDT:USDT', strategyId: 's' })
 * const intent: EnterIntent = { type: 'enter', side: 'long', signal, stopPrice: 99, takeProfitPrice: 102 }
 * ```
 */
export interface EnterIntent {
  readonly type: 'enter'
  readonly side: PositionSide
  readonly signal: Signal
  readonly stopPrice?: number
  readonly takeProfitPrice?: number
}

/**
 * Close the whole position.
 * @example
 * ```ts
 * import type { ExitIntent } from '@perpkit/strategy'
 * const intent: ExitIntent = { type: 'exit', reason: 'time', detail: 'held 30 min without profit' }
 * ```
 */
export interface ExitIntent {
  readonly type: 'exit'
  readonly reason: ExitReason
  /** Human-readable detail, e.g. `"tier 3: +6% reached"`. */
  readonly detail: string
  readonly signal?: Signal
}

/**
 * Close `fraction` (0 < f < 1) of the CURRENT position quantity.
 * @example
 * ```ts
 * import type { PartialExitIntent } from '@perpkit/strategy'
 * const intent: PartialExitIntent = { type: 'partial-exit', fraction: 0.5, reason: 'take-profit', detail: 'tier 2 at +4%' }
 * ```
 */
export interface PartialExitIntent {
  readonly type: 'partial-exit'
  readonly fraction: number
  readonly reason: ExitReason
  readonly detail: string
}

/**
 * Move the protective stop to `stopPrice` (always in the position's favour).
 * @example
 * ```ts
 * import type { MoveStopIntent } from '@perpkit/strategy'
 * const intent: MoveStopIntent = { type: 'move-stop', stopPrice: 100.1, reason: 'break-even', detail: 'profit >= 1%' }
 * ```
 */
export interface MoveStopIntent {
  readonly type: 'move-stop'
  readonly stopPrice: number
  readonly reason: ExitReason
  readonly detail: string
}

/**
 * The intents an exit manager can emit.
 * @example
 * ```ts
 * import { createExitManager, type ExitManagerIntent } from '@perpkit/strategy'
 * const exits = createExitManager({ stopLossPct: 1 })
 * const intents: readonly ExitManagerIntent[] = exits.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
 * ```
 */
export type ExitManagerIntent = ExitIntent | PartialExitIntent | MoveStopIntent

/**
 * What a strategy returns: a closed union discriminated on `type`. Intents are never orders.
 * @example
 * ```ts
 * import type { StrategyIntent } from '@perpkit/strategy'
 * function describe(i: StrategyIntent): string {
 *   switch (i.type) {
 *     case 'enter': return `enter ${i.side}: ${i.signal.reason}`
 *     case 'exit': return `exit (${i.reason})`
 *     case 'partial-exit': return `close ${i.fraction * 100}%`
 *     case 'move-stop': return `stop -> ${i.stopPrice}`
 *   }
 * }
 * ```
 */
export type StrategyIntent = EnterIntent | ExitIntent | PartialExitIntent | MoveStopIntent

/**
 * The shared empty result; return it instead of allocating `[]` on every call.
 * @example
 * ```ts
 * import { NO_INTENTS, type StrategyIntent } from '@perpkit/strategy'
 * const nothing: readonly StrategyIntent[] = NO_INTENTS // no allocation per call
 * ```
 */
export const NO_INTENTS: readonly StrategyIntent[] = Object.freeze([]) as readonly StrategyIntent[]
