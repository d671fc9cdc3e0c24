/**
 * Types of the runner: the strategy shape it drives, its events and options.
 * @module
 */
import type { Candle, Fill, MarketDataEvent, PositionSide, Timeframe, TradeTick } from '@perpkit/core'
import type { Decision, RiskEvent } from '@perpkit/risk'
import type { EntryRefusal, ExitRefusal, OmsEvent, ReduceRefusal } from '@perpkit/oms'
import type { TradeRecord } from '../results/types.js'
import type { SizingRejectReason } from '@perpkit/sizing'
import type { RecoveredPosition } from './recovered-position.js'
import type { HaltTransition } from './risk-session.js'

/** The position a strategy sees. */
export interface EnginePositionView {
  readonly side: PositionSide
  readonly qty: number
  readonly entryPrice: number
  readonly openedAtMs: number
}

/** Read-only context handed to a strategy (structurally identical to @perpkit/strategy's `StrategyContext`). */
export interface EngineStrategyContext {
  readonly symbol: string
  readonly nowMs: number
  readonly position: EnginePositionView | null
  readonly warmingUp: boolean
}

/** A candle event (structurally identical to @perpkit/strategy's `CandleEvent`). */
export interface EngineCandleEvent {
  readonly timeframe: Timeframe
  readonly candle: Candle
  readonly closed: boolean
  readonly baseBarCount: number
}

/** The intents the runner executes (a structural subset of @perpkit/strategy's `StrategyIntent`). */
export type EngineIntent =
  | {
      readonly type: 'enter'
      readonly side: PositionSide
      readonly signal: { readonly confidence: number; readonly reason: string }
      readonly stopPrice?: number
      readonly takeProfitPrice?: number
    }
  | { readonly type: 'exit'; readonly reason: string; readonly detail: string }
  | { readonly type: 'partial-exit'; readonly fraction: number; readonly reason: string; readonly detail: string }
  | { readonly type: 'move-stop'; readonly stopPrice: number; readonly reason: string; readonly detail: string }

/** What the runner needs of a strategy; every @perpkit/strategy `Strategy` satisfies it. */
export interface EngineStrategy {
  readonly id: string
  readonly className: string
  readonly requirements?: {
    readonly timeframes?: readonly Timeframe[]
    readonly warmupBars?: Readonly<Partial<Record<Timeframe, number>>>
    readonly formingBars?: boolean
    readonly trades?: boolean
  }
  onCandle(ctx: EngineStrategyContext, event: EngineCandleEvent): readonly EngineIntent[]
  /** Called for every public trade when the run has a trade tape (and `requirements.trades` is not false). */
  onTrade?(ctx: EngineStrategyContext, trade: TradeTick): readonly EngineIntent[]
}

/** Daily rollup of a run (UTC days). */
export interface DailyRollup {
  readonly day: string
  readonly equityStart: number
  readonly equityEnd: number
  readonly pnl: number
  readonly returnPct: number
  readonly tradesClosed: number
  readonly fees: number
  readonly funding: number
}

/**
 * Events of a run, for logs and progress. `decision` carries `@perpkit/risk`'s signed decision; `halt`
 * carries a context snapshot.
 */
export type EngineEvent =
  | {
      readonly type: 'decision'
      readonly timestampMs: number
      readonly decision: Decision
      readonly sizedQty: number | null
      /** Why `@perpkit/sizing` refused the entry risk permitted (e.g. `below-min-qty`, `insufficient-margin`, `liquidation-too-close`). */
      readonly sizeRefusal?: SizingRejectReason
    }
  | { readonly type: 'trade'; readonly timestampMs: number; readonly trade: TradeRecord }
  /**
   * The session started with a position a previous process opened (a live session restarted mid-position): the OMS
   * recovered it from its journal and reconciled it with the venue, and the books, the strategy's view and risk's
   * equity start from it. Its trade closes in this run's results, marked `recovered`.
   */
  | { readonly type: 'position-recovered'; readonly timestampMs: number; readonly position: RecoveredPosition }
  | { readonly type: 'fill'; readonly timestampMs: number; readonly fill: Fill }
  | { readonly type: 'halt'; readonly timestampMs: number; readonly transition: HaltTransition }
  | { readonly type: 'daily'; readonly timestampMs: number; readonly rollup: DailyRollup }
  | { readonly type: 'risk'; readonly timestampMs: number; readonly event: RiskEvent }
  | { readonly type: 'oms'; readonly timestampMs: number; readonly event: OmsEvent }
  /** The market-data feed reported a hole in its data or a connection change (live feeds). */
  | { readonly type: 'feed'; readonly timestampMs: number; readonly event: Extract<MarketDataEvent, { readonly type: 'gap' | 'connection' }> }
  | {
      readonly type: 'execution-refused'
      readonly timestampMs: number
      readonly action: 'enter' | 'exit' | 'move-stop'
      /** The OMS's refusal, a closed set: entry, exit, partial-close refusals or a debounced stop move. */
      readonly reason: EntryRefusal | ExitRefusal | ReduceRefusal | 'debounced'
    }
