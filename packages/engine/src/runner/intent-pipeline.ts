/**
 * The intent pipeline: a strategy intent → the risk chamber's signed decision → sizing → an order for the
 * executor, sent at once (`on-close`) or queued for the next market print (`next-open`).
 * @module
 */
import { type Instrument, type PositionSide, roundPrice } from '@perpkit/core'
import type { Decision } from '@perpkit/risk'
import type { TradeDecisionRef } from '../results/types.js'
import type { AccountView } from './account-view.js'
import type { PendingOrder } from './executor.js'
import type { RiskChamber } from './risk-chamber.js'
import { sizeEntry, type SizingPolicy } from './sizing.js'
import type { EngineEvent, EngineIntent } from './types.js'

/** When orders decided on a bar's close reach the venue. */
export type ExecutionTiming = 'next-open' | 'on-close'

/** What {@link createIntentPipeline} needs. */
export interface IntentPipelineArgs {
  readonly symbol: string
  readonly strategyId: string
  readonly instrument: Instrument
  readonly timeframeMs: number
  readonly timing: ExecutionTiming
  readonly risk: RiskChamber
  readonly account: AccountView
  readonly sizing: SizingPolicy
  readonly leverage: number
  readonly defaultStopPct: number
  readonly execute: (order: PendingOrder) => Promise<void>
  readonly emit: (event: EngineEvent) => void
}

/** What {@link createIntentPipeline} returns. */
export interface IntentPipeline {
  /** Decide, size and send (or queue) one intent of the strategy, made at `nowMs` on bar `index` at price `close`. */
  handle(intent: EngineIntent, close: number, nowMs: number, index: number): Promise<void>
  hasPending(): boolean
  /** The queued orders, oldest first; the queue is emptied. */
  takePending(): readonly PendingOrder[]
}

const ref = (d: Decision): TradeDecisionRef => ({ id: d.id, action: d.action, signature: d.signature, reasons: d.verdict.reasons.map((r) => r.code) })

/**
 * Create the intent pipeline of one run.
 *
 * @param args - see {@link IntentPipelineArgs}.
 * @returns the pipeline.
 * @example
 * ```ts
 * const pipeline = createIntentPipeline({ symbol, strategyId: 'sma', instrument, timeframeMs: 300_000, timing: 'next-open',
 *   risk, account, sizing: { mode: 'fixed-qty', qty: 1 }, leverage: 1, defaultStopPct: 0.03, execute, emit })
 * await pipeline.handle({ type: 'exit', reason: 'signal', detail: 'cross down' }, 100, nowMs, 42)
 * ```
 */
export function createIntentPipeline(args: IntentPipelineArgs): IntentPipeline {
  const { symbol, instrument: ins, timeframeMs: tfMs, timing, risk, account, emit } = args
  const strategyId = args.strategyId
  let pending: PendingOrder[] = []
  let signalSeq = 0
  const send = async (p: PendingOrder): Promise<void> => {
    if (timing === 'on-close') await args.execute(p)
    else pending.push(p)
  }
  const roundStop = (price: number, side: PositionSide): number =>
    Math.max(ins.tickSize, roundPrice({ price, tickSize: ins.tickSize, mode: side === 'long' ? 'floor' : 'ceil' }))

  const handle = async (intent: EngineIntent, close: number, nowMs: number, index: number): Promise<void> => {
    const position = account.position
    // an exit queued earlier in this batch flattens the position before anything after it executes
    const exitQueued = pending.some((p) => p.kind === 'exit')
    const openSide = exitQueued ? null : (position?.side ?? null)
    if (intent.type === 'enter' || intent.type === 'exit') {
      const side: PositionSide = intent.type === 'enter' ? intent.side : (openSide ?? 'long')
      const signalId = `${strategyId}-${index}-${nowMs}-${signalSeq++}-${intent.type}-${side}`
      const decision = risk.decide({
        proposal: {
          signalId,
          symbol,
          kind: intent.type === 'enter' ? 'entry' : 'exit',
          side,
          confidence: intent.type === 'enter' ? intent.signal.confidence : 1,
          strategy: strategyId,
          createdAtMs: nowMs,
        },
        openPositionSide: openSide,
        inputs: { close, barOpenTimeMs: nowMs - tfMs, reason: intent.type === 'enter' ? intent.signal.reason : intent.detail },
      })
      if (decision.action === 'skip') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null })
        return
      }
      if (decision.action === 'exit') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: account.position?.qty ?? null })
        await send({ kind: 'exit', signalId, decision: ref(decision), reason: intent.type === 'exit' ? intent.reason : 'signal' })
        return
      }
      const enter = intent as Extract<EngineIntent, { type: 'enter' }>
      const stopPrice = enter.stopPrice ?? (side === 'long' ? close * (1 - args.defaultStopPct) : close * (1 + args.defaultStopPct))
      const sized = sizeEntry({
        policy: args.sizing,
        instrument: ins,
        price: close,
        stopPrice,
        equity: account.equityAt(close),
        available: Math.max(0, account.equityAt(close)),
        leverage: args.leverage,
      })
      if (!sized.ok) {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null, sizeRefusal: sized.reason })
        return
      }
      emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: sized.qty, ...(sized.clampedFrom !== undefined ? { sizeClampedFrom: sized.clampedFrom } : {}) })
      await send({
        kind: 'enter',
        side,
        qty: sized.qty,
        stopPrice: roundStop(stopPrice, side),
        ...(enter.takeProfitPrice !== undefined ? { takeProfitPrice: enter.takeProfitPrice } : {}),
        signalId,
        decision: ref(decision),
      })
    } else if (intent.type === 'move-stop') {
      if (position === null) return
      await send({ kind: 'move-stop', stopPrice: roundStop(intent.stopPrice, position.side), signalId: `${strategyId}-${index}-${nowMs}-${signalSeq++}-move-stop` })
    } else if (intent.type === 'partial-exit') {
      // a partial close is decided by risk like an exit (same decision log), then executed as an OMS reduce
      if (openSide === null) return
      const signalId = `${strategyId}-${index}-${nowMs}-${signalSeq++}-partial-exit-${openSide}`
      const decision = risk.decide({
        proposal: { signalId, symbol, kind: 'exit', side: openSide, confidence: 1, strategy: strategyId, createdAtMs: nowMs },
        openPositionSide: openSide,
        inputs: { close, barOpenTimeMs: nowMs - tfMs, reason: intent.detail },
      })
      if (decision.action !== 'exit') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null })
        return
      }
      const now = account.position
      emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: now === null ? null : now.qty * intent.fraction })
      await send({ kind: 'partial-exit', fraction: intent.fraction, signalId, decision: ref(decision), reason: intent.reason })
    }
  }
  return {
    handle,
    hasPending: () => pending.length > 0,
    takePending() {
      const todo = pending
      pending = []
      return todo
    },
  }
}
