/**
 * The executor: sends one decided order (entry, exit, partial exit, stop move) through the OMS and waits until
 * the OMS has nothing in flight, then fires the timers that are due now.
 * @module
 */
import type { Clock, PositionSide } from '@perpkit/core'
import type { OrderManager } from '@perpkit/oms'
import type { Decision } from '@perpkit/risk'
import type { TradeDecisionRef } from '../results/types.js'
import type { RiskSession } from './risk-session.js'
import type { EngineEvent } from './types.js'

/** An order decided by the intent pipeline, waiting to meet the market (or sent at once with `on-close`). */
export interface PendingOrder {
  readonly kind: 'enter' | 'exit' | 'partial-exit' | 'move-stop'
  readonly side?: PositionSide
  /** `partial-exit`: fraction of the position current when it executes. */
  readonly fraction?: number
  readonly qty?: number
  readonly stopPrice?: number
  readonly takeProfitPrice?: number
  readonly signalId: string
  /** `enter`: when the signal was generated (the bar time it was decided on); the OMS refuses signals past its horizon. */
  readonly signalTimeMs?: number
  readonly decision?: TradeDecisionRef
  /** `enter`: risk's decision (recorded with risk when the entry fills). */
  readonly riskDecision?: Decision
  /** `enter`: sizing's round-trip fee estimate in USD (risk compares the actual fees with it). */
  readonly estimatedFeeUsd?: number
  /** `enter`: the leverage the entry was sized with (set on the venue first when it differs). */
  readonly leverage?: number
  /**
   * `enter` as a post-only limit (the stage is maker-only): its price when sent, and what risk's taker fallback
   * needs after the timeouts. Absent: a market order.
   */
  readonly maker?: { readonly price: () => number; readonly expectedProfitUsd: number; readonly takerFeeUsd: number }
  readonly reason?: string
}

/**
 * What the fills of the orders in flight are attributed to: the decision behind the entry and the exit, and the
 * price each order expected when it was sent (for slippage). Set by the executor, read by the fill booking.
 */
export interface FillAttribution {
  entryDecision: TradeDecisionRef | undefined
  /** Risk's decision behind the entry in flight (recorded with risk at its first fill). */
  entryRiskDecision: Decision | undefined
  /** Sizing's fee estimate (USD) of the position's entry, for risk's fee-spike check at the exit. */
  entryFeeEstimateUsd: number | undefined
  exitDecision: TradeDecisionRef | undefined
  entryRef: number | undefined
  exitRef: number | undefined
}

/** Creates an empty {@link FillAttribution}. */
export const createFillAttribution = (): FillAttribution => ({
  entryDecision: undefined,
  entryRiskDecision: undefined,
  entryFeeEstimateUsd: undefined,
  exitDecision: undefined,
  entryRef: undefined,
  exitRef: undefined,
})

/** What {@link createExecutor} needs. */
export interface ExecutorArgs {
  readonly symbol: string
  readonly oms: OrderManager
  readonly clock: Clock
  /** Fire the timers due now on a simulated market's virtual clock (absent live: the system clock fires its own). */
  readonly fireDueTimers?: () => void
  readonly attribution: FillAttribution
  readonly risk: Pick<RiskSession, 'expectMakerEntry'>
  /** Set the venue's leverage for the run's symbol (through the venue port). */
  readonly setLeverage: (leverage: number) => Promise<void>
  /** The leverage the venue has now. */
  readonly leverage: number
  /** The last traded price (the reference price of a market order sent now). */
  readonly lastPrice: () => number
  readonly emit: (event: EngineEvent) => void
}

/**
 * Create the executor of one run.
 *
 * @param args - see {@link ExecutorArgs}.
 * @returns `execute(order)`: resolves once the OMS has settled the order's venue events.
 * @example
 * ```ts
 * const execute = createExecutor({ symbol, oms, clock, attribution, risk, setLeverage, leverage: 3, lastPrice: () => close, emit })
 * await execute({ kind: 'exit', signalId: 'sma-12-exit', reason: 'signal' })
 * ```
 */
export function createExecutor(args: ExecutorArgs): (order: PendingOrder) => Promise<void> {
  const { symbol, oms, clock, attribution: at, emit } = args
  const drain = (): Promise<void> => settleOms(oms)
  let leverage = args.leverage
  return async (p) => {
    if (p.kind === 'enter') {
      at.entryDecision = p.decision
      at.entryRiskDecision = p.riskDecision
      at.entryFeeEstimateUsd = p.estimatedFeeUsd
      at.entryRef = args.lastPrice()
      if (p.leverage !== undefined && p.leverage !== leverage) {
        await args.setLeverage(p.leverage)
        leverage = p.leverage
      }
      const maker = p.maker
      if (maker !== undefined) args.risk.expectMakerEntry({ signalId: p.signalId, expectedProfitUsd: maker.expectedProfitUsd, takerFeeUsd: maker.takerFeeUsd, retryPrice: maker.price })
      const r = await oms.submitEntry({
        signalId: p.signalId,
        signalTimeMs: p.signalTimeMs ?? clock.now(),
        symbol,
        direction: p.side as PositionSide,
        qty: p.qty as number,
        // a maker-only stage: a post-only limit one tick inside the last trade (the OMS's maker-only config makes it
        // post-only; its timeouts go to risk's maker fallback); otherwise a market order
        ...(maker !== undefined ? { type: 'limit', price: maker.price() } : { type: 'market' }),
        stopPrice: p.stopPrice as number,
        ...(p.takeProfitPrice !== undefined ? { takeProfitPrice: p.takeProfitPrice } : {}),
      })
      if (!r.ok) emit({ type: 'execution-refused', timestampMs: clock.now(), action: 'enter', reason: r.reason })
    } else if (p.kind === 'exit') {
      at.exitDecision = p.decision
      at.exitRef = args.lastPrice()
      const r = await oms.exit({ symbol, reason: p.reason ?? 'signal' })
      if (!r.ok) emit({ type: 'execution-refused', timestampMs: clock.now(), action: 'exit', reason: r.reason })
    } else if (p.kind === 'partial-exit') {
      at.exitDecision = p.decision
      at.exitRef = args.lastPrice()
      // fraction of the position current now; the OMS floors it to the lot step, refuses dust, closes all at 1
      const r = await oms.reduce({ symbol, fraction: p.fraction as number, reason: p.reason ?? 'partial-exit' })
      if (!r.ok) emit({ type: 'execution-refused', timestampMs: clock.now(), action: 'exit', reason: r.reason })
    } else {
      const r = await oms.moveStop({ symbol, stopPrice: p.stopPrice as number })
      if (!r.ok) emit({ type: 'execution-refused', timestampMs: clock.now(), action: 'move-stop', reason: r.reason })
    }
    await drain()
    // fire timers due now (e.g. a zero cooldown after an exit) so a reversal's entry can follow its exit
    if (args.fireDueTimers !== undefined) {
      args.fireDueTimers()
      await drain()
    }
  }
}

/**
 * Wait (a bounded number of microtask turns) until the OMS has no request in flight.
 *
 * @param oms - the order manager.
 * @returns resolves when nothing is in flight (or after 200 turns).
 * @example
 * ```ts
 * await settleOms(oms)
 * ```
 */
export async function settleOms(oms: Pick<OrderManager, 'inFlight'>): Promise<void> {
  for (let k = 0; k < 200 && oms.inFlight() > 0; k++) await Promise.resolve()
}
