/**
 * The executor: sends one decided order (entry, exit, partial exit, stop move) through the OMS and waits until
 * the OMS has nothing in flight, then fires the timers that are due now.
 * @module
 */
import type { PositionSide, TestClock } from '@perpkit/core'
import type { OrderManager } from '@perpkit/oms'
import type { TradeDecisionRef } from '../results/types.js'
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
  readonly decision?: TradeDecisionRef
  readonly reason?: string
}

/**
 * What the fills of the orders in flight are attributed to: the decision behind the entry and the exit, and the
 * price each order expected when it was sent (for slippage). Set by the executor, read by the fill booking.
 */
export interface FillAttribution {
  entryDecision: TradeDecisionRef | undefined
  exitDecision: TradeDecisionRef | undefined
  entryRef: number | undefined
  exitRef: number | undefined
}

/** Creates an empty {@link FillAttribution}. */
export const createFillAttribution = (): FillAttribution => ({ entryDecision: undefined, exitDecision: undefined, entryRef: undefined, exitRef: undefined })

/** What {@link createExecutor} needs. */
export interface ExecutorArgs {
  readonly symbol: string
  readonly oms: OrderManager
  readonly clock: TestClock
  readonly attribution: FillAttribution
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
 * const execute = createExecutor({ symbol, oms, clock, attribution, lastPrice: () => close, emit })
 * await execute({ kind: 'exit', signalId: 'sma-12-exit', reason: 'signal' })
 * ```
 */
export function createExecutor(args: ExecutorArgs): (order: PendingOrder) => Promise<void> {
  const { symbol, oms, clock, attribution: at, emit } = args
  const drain = (): Promise<void> => settleOms(oms)
  return async (p) => {
    if (p.kind === 'enter') {
      at.entryDecision = p.decision
      at.entryRef = args.lastPrice()
      const r = await oms.submitEntry({
        signalId: p.signalId,
        symbol,
        direction: p.side as PositionSide,
        qty: p.qty as number,
        type: 'market',
        stopPrice: p.stopPrice as number,
        ...(p.takeProfitPrice !== undefined ? { takeProfitPrice: p.takeProfitPrice } : {}),
      })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'enter', reason: r.reason })
    } else if (p.kind === 'exit') {
      at.exitDecision = p.decision
      at.exitRef = args.lastPrice()
      const r = await oms.exit({ symbol, reason: p.reason ?? 'signal' })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'exit', reason: r.reason })
    } else if (p.kind === 'partial-exit') {
      at.exitDecision = p.decision
      at.exitRef = args.lastPrice()
      // fraction of the position current now; the OMS floors it to the lot step, refuses dust, closes all at 1
      const r = await oms.reduce({ symbol, fraction: p.fraction as number, reason: p.reason ?? 'partial-exit' })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'exit', reason: r.reason })
    } else {
      const r = await oms.moveStop({ symbol, stopPrice: p.stopPrice as number })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'move-stop', reason: r.reason })
    }
    await drain()
    // fire timers due now (e.g. a zero cooldown after an exit) so a reversal's entry can follow its exit
    clock.advanceTo(clock.now())
    await drain()
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
