/**
 * The intent pipeline: a strategy intent → `@perpkit/risk`'s signed decision → `@perpkit/sizing`'s entry plan → an
 * order for the executor, sent at once (`on-close`) or queued for the next market print (`next-open`). Under the
 * account-builder profile it measures what risk's gates need: the stage's maker-only rule decides the entry's
 * liquidity, the 24 h true range is the volatility input, and the take-profit gives the expected profit for the
 * EV gate and the taker fallback.
 * @module
 */
import { type Instrument, type Liquidity, type MarginMode, type PositionSide, roundPrice } from '@perpkit/core'
import { type Decision, type DecisionContext, stageFor } from '@perpkit/risk'
import { type MaintenanceBasis, type MaintenanceSpec, pnl, settleToUsd } from '@perpkit/sizing'
import type { TradeDecisionRef } from '../results/types.js'
import type { AccountView } from './account-view.js'
import { type SizingPolicy, sizeEntry, type StageCaps } from './entry-size.js'
import type { PendingOrder } from './executor.js'
import type { RiskSession } from './risk-session.js'
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
  readonly risk: RiskSession
  readonly account: AccountView
  readonly sizing: SizingPolicy
  /** Leverage when risk sets none (the general profile). */
  readonly leverage: number
  readonly marginMode: MarginMode
  /** The venue's maintenance margin model, for sizing's liquidation estimate. */
  readonly maintenance: MaintenanceSpec
  readonly maintenanceBasis: MaintenanceBasis
  readonly defaultStopPct: number
  /** The strategy's backtest win rate (0..1), which risk's win-rate gate needs while few trades are closed. */
  readonly backtestWinRate?: number
  /** The trailing 24 h true range in percent (account-builder volatility gate); undefined while unknown. */
  readonly atrPct24h: () => number | undefined
  /** The last traded price. */
  readonly lastPrice: () => number
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
 *   risk, account, sizing: { mode: 'fixed-qty', qty: 1 }, leverage: 1, marginMode: 'isolated', maintenance: { maintenanceMarginRate: 0.005 },
 *   maintenanceBasis: 'liquidation-price', defaultStopPct: 0.03, atrPct24h: () => undefined, lastPrice: () => 100, execute, emit })
 * await pipeline.handle({ type: 'exit', reason: 'signal', detail: 'cross down' }, 100, nowMs, 42)
 * ```
 */
export function createIntentPipeline(args: IntentPipelineArgs): IntentPipeline {
  const { symbol, instrument: ins, timing, risk, account, emit } = args
  const strategyId = args.strategyId
  const config = risk.engine.config
  const accountBuilder = risk.enabled && config.profile === 'account-builder'
  let pending: PendingOrder[] = []
  let signalSeq = 0
  const send = async (p: PendingOrder): Promise<void> => {
    if (timing === 'on-close') await args.execute(p)
    else pending.push(p)
  }
  const roundStop = (price: number, side: PositionSide): number =>
    Math.max(ins.tickSize, roundPrice({ price, tickSize: ins.tickSize, mode: side === 'long' ? 'floor' : 'ceil' }))
  const usd = (amount: number, price: number): number => settleToUsd({ contract: ins, amount, price })
  /** One tick inside the last trade: a post-only price that rests on the book. */
  const makerPrice = (side: PositionSide): number => {
    const last = args.lastPrice()
    return side === 'long' ? roundPrice({ price: last - ins.tickSize, tickSize: ins.tickSize, mode: 'floor' }) : roundPrice({ price: last + ins.tickSize, tickSize: ins.tickSize, mode: 'ceil' })
  }

  const enter = async (intent: Extract<EngineIntent, { type: 'enter' }>, close: number, nowMs: number, signalId: string, openSide: PositionSide | null): Promise<void> => {
    const side = intent.side
    const equity = account.equityAt(close)
    const equityUsd = usd(equity, close)
    const stopDistance = intent.stopPrice !== undefined ? Math.abs(close - intent.stopPrice) / close : args.defaultStopPct
    const proposal = { signalId, symbol, kind: 'entry', side, confidence: intent.signal.confidence, strategy: strategyId, createdAtMs: nowMs } as const
    let context: DecisionContext = { equityUsd, markPriceUsd: close, dataTimeMs: nowMs, openPositionSide: openSide }
    let liquidity: Liquidity = 'taker'
    let stage: StageCaps | null = null
    if (accountBuilder && equityUsd > 0) {
      // what the account-builder gates need, measured before the decision: the stage's liquidity, the 24 h range and,
      // from a plan at full size (the EV ratio does not depend on the size), the fee estimate and expected profit
      const bundle = stageFor({ equityUsd, bundles: config.stages.bundles })
      liquidity = bundle.makerOnly || risk.engine.status().feeSpikeUntilMs !== null ? 'maker' : 'taker'
      stage = { maxLossFraction: bundle.lossCapFraction, maxLossUsd: bundle.maxLossUsd, minLiquidationDistance: bundle.minLiquidationDistance }
      const probe = planFor(side, close, equity, stopDistance, args.leverage, liquidity, 1, stage)
      const expectedProfitUsd = probe.ok && intent.takeProfitPrice !== undefined ? usd(pnl({ contract: ins, side, qty: probe.value.qty, entryPrice: close, exitPrice: intent.takeProfitPrice }), intent.takeProfitPrice) : undefined
      const atr = args.atrPct24h()
      context = {
        ...context,
        liquidity,
        currentLeverage: args.leverage,
        ...(atr !== undefined ? { atrPct24h: atr } : {}),
        ...(probe.ok && expectedProfitUsd !== undefined ? { ev: { expectedProfitUsd, feeEstimateUsd: probe.value.estimatedFeeUsd } } : {}),
        ...(args.backtestWinRate !== undefined ? { backtestWinRate: args.backtestWinRate } : {}),
      }
    }
    const decision = risk.decide(proposal, context)
    if (decision.action !== 'enter') {
      emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: null })
      return
    }
    const leverage = decision.verdict.leverage ?? args.leverage
    const sized = planFor(side, close, equity, stopDistance, leverage, liquidity, decision.verdict.sizeMultiplier, stage)
    if (!sized.ok) {
      emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: null, sizeRefusal: sized.reason })
      return
    }
    const plan = sized.value
    emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: plan.qty })
    let expectedProfitUsd = Number.NaN
    if (liquidity === 'maker' && intent.takeProfitPrice !== undefined) {
      expectedProfitUsd = usd(pnl({ contract: ins, side, qty: plan.qty, entryPrice: close, exitPrice: intent.takeProfitPrice }), intent.takeProfitPrice)
    }
    await send({
      kind: 'enter',
      side,
      qty: plan.qty,
      stopPrice: plan.stopPrice,
      // on the tick grid, toward the entry (a long's target rounds down, a short's up): never beyond the strategy's level
      ...(intent.takeProfitPrice !== undefined
        ? { takeProfitPrice: roundPrice({ price: intent.takeProfitPrice, tickSize: ins.tickSize, mode: side === 'long' ? 'floor' : 'ceil' }) }
        : {}),
      signalId,
      signalTimeMs: nowMs,
      decision: ref(decision),
      riskDecision: decision,
      estimatedFeeUsd: plan.estimatedFeeUsd,
      leverage,
      ...(liquidity === 'maker'
        ? { maker: { price: () => makerPrice(side), expectedProfitUsd: Number.isFinite(expectedProfitUsd) ? expectedProfitUsd : 0, takerFeeUsd: plan.takerEntryFeeUsd } }
        : {}),
    })
  }

  const planFor = (side: PositionSide, price: number, equity: number, stopDistance: number, leverage: number, liquidity: Liquidity, sizeMultiplier: number, stage: StageCaps | null) =>
    sizeEntry({
      policy: args.sizing,
      instrument: ins,
      side,
      price,
      stopDistance,
      equity,
      leverage,
      marginMode: args.marginMode,
      maintenance: args.maintenance,
      maintenanceBasis: args.maintenanceBasis,
      entryLiquidity: liquidity,
      sizeMultiplier,
      stage,
    })

  const exitDecision = (signalId: string, side: PositionSide, nowMs: number, openSide: PositionSide | null): Decision =>
    risk.decide({ signalId, symbol, kind: 'exit', side, confidence: 1, strategy: strategyId, createdAtMs: nowMs }, { openPositionSide: openSide, dataTimeMs: nowMs })

  const handle = async (intent: EngineIntent, close: number, nowMs: number, index: number): Promise<void> => {
    const position = account.position
    // an exit queued earlier in this batch flattens the position before anything after it executes
    const exitQueued = pending.some((p) => p.kind === 'exit')
    const openSide = exitQueued ? null : (position?.side ?? null)
    if (intent.type === 'enter') {
      await enter(intent, close, nowMs, `${strategyId}-${index}-${nowMs}-${signalSeq++}-enter-${intent.side}`, openSide)
    } else if (intent.type === 'exit') {
      const side: PositionSide = openSide ?? 'long'
      const signalId = `${strategyId}-${index}-${nowMs}-${signalSeq++}-exit-${side}`
      const decision = exitDecision(signalId, side, nowMs, openSide)
      if (decision.action !== 'exit') {
        emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: null })
        return
      }
      emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: account.position?.qty ?? null })
      await send({ kind: 'exit', signalId, decision: ref(decision), reason: intent.reason })
    } else if (intent.type === 'move-stop') {
      if (position === null) return
      await send({ kind: 'move-stop', stopPrice: roundStop(intent.stopPrice, position.side), signalId: `${strategyId}-${index}-${nowMs}-${signalSeq++}-move-stop` })
    } else if (intent.type === 'partial-exit') {
      // a partial close is decided by risk like an exit (same decision log), then executed as an OMS reduce
      if (openSide === null) return
      const signalId = `${strategyId}-${index}-${nowMs}-${signalSeq++}-partial-exit-${openSide}`
      const decision = exitDecision(signalId, openSide, nowMs, openSide)
      if (decision.action !== 'exit') {
        emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: null })
        return
      }
      const now = account.position
      emit({ type: 'decision', timestampMs: nowMs, decision, sizedQty: now === null ? null : now.qty * intent.fraction })
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
