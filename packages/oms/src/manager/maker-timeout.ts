/**
 * Maker entries: a post-only entry still unfilled after `makerTimeoutMs` is canceled; when it ended with nothing
 * filled, risk's maker-fallback gate decides between abandoning, retrying as maker at a new price, or taking.
 * @module
 */
import { type OrderRequest, roundToStep } from '@perpkit/core'
import { clientOrderIdOf } from '../client-order-id.js'
import { summarizeError } from '../events.js'
import { isTerminalOrderState } from '../order-state.js'
import type { MakerTimeoutContext, MakerTimeoutDecision, ManagedOrder, SymbolRecord } from '../types.js'
import { instrumentOf } from '../validation.js'
import { cancelOrder } from './cancel.js'
import { submitHeldEntry } from './protection.js'
import { newOrder } from './records.js'
import { emit, later, now, type Runtime, spawn, tradingMode } from './runtime.js'
import { endEntryFlat } from './terminal.js'

/** A maker entry ended unfilled: ask the gate, then end the trade or submit the next entry generation. */
export async function onMakerMiss(rt: Runtime, s: SymbolRecord, o: ManagedOrder): Promise<void> {
  const trade = s.trade
  if (trade === undefined) return endEntryFlat(rt, s)
  trade.makerTimeouts++
  const context: MakerTimeoutContext = {
    signalId: trade.signalId,
    symbol: s.symbol,
    direction: trade.direction,
    qty: o.request.qty,
    consecutiveTimeouts: trade.makerTimeouts,
    timestampMs: now(rt),
  }
  let decision: MakerTimeoutDecision = { action: 'abandon' }
  try {
    if (rt.onMakerTimeout !== undefined) decision = await rt.onMakerTimeout(context)
  } catch (error) {
    emit(rt, { type: 'internal-error', timestampMs: now(rt), where: 'onMakerTimeout', error: summarizeError(error) })
  }
  emit(rt, { type: 'maker-timeout', timestampMs: now(rt), symbol: s.symbol, signalId: trade.signalId, decision })
  if (decision.action === 'abandon' || s.phase !== 'ENTRY_PENDING' || s.qty !== 0 || tradingMode(rt) !== 'normal' || rt.fatal) return endEntryFlat(rt, s)
  const ins = instrumentOf(rt.instruments, s.symbol)
  trade.entryGen++
  const clientOrderId = clientOrderIdOf({ tradeKey: trade.tradeKey, role: 'entry', generation: trade.entryGen })
  const side = trade.direction === 'long' ? 'buy' : 'sell'
  let request: OrderRequest
  if (decision.action === 'retry-maker') {
    if (!(decision.price > 0) || !Number.isFinite(decision.price)) return endEntryFlat(rt, s)
    const price = roundToStep({ value: decision.price, step: ins.tickSize })
    request = { symbol: s.symbol, clientOrderId, side, type: 'limit', qty: o.request.qty, price, timeInForce: 'post-only' }
  } else {
    request = { symbol: s.symbol, clientOrderId, side, type: 'market', qty: o.request.qty }
  }
  const next = newOrder(rt, { symbol: s.symbol, role: 'entry', tradeKey: trade.tradeKey, request })
  await submitHeldEntry(rt, s, next)
}

/** Cancel a post-only entry still unfilled after `makerTimeoutMs` (or the remainder of a partly filled one). */
export function armMakerTimeout(rt: Runtime, o: ManagedOrder): void {
  if (o.request.timeInForce !== 'post-only') return
  later(rt, rt.config.makerTimeoutMs, () => {
    if (o.filledQty > 0 || isTerminalOrderState(o.state)) {
      if (!isTerminalOrderState(o.state) && o.filledQty > 0) spawn(rt, 'cancel-entry-remainder', () => cancelOrder(rt, o, 'normal'))
      return
    }
    o.reason = 'maker-timeout'
    spawn(rt, 'maker-timeout-cancel', () => cancelOrder(rt, o, 'normal'))
  })
}
