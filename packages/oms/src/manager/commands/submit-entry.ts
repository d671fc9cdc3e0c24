/**
 * `submitEntry()`: validate the intent, refuse it (as a value) when trading is not allowed or the symbol is busy,
 * derive its idempotent client id, journal the trade and the entry order, then place the protective stop and send
 * the entry once the stop is on the book.
 * @module
 */
import { fail, ok, type OrderRequest, type Result } from '@perpkit/core'
import { clientOrderIdOf, tradeKeyOf } from '../../client-order-id.js'
import type { SubmitOutcome } from '../../order-manager.js'
import { signalFloorMs } from '../../state.js'
import type { EntryIntent, EntryRefusal } from '../../types.js'
import { validateEntryIntent } from '../../validation.js'
import { submitHeldEntry } from '../protection.js'
import { clientIdUsed, liveOrders, movePhase, newOrder, sym, tradeKeyUsed } from '../records.js'
import { now, type Runtime, tradingMode } from '../runtime.js'
import { lateCloseMayLand } from '../unknown-outcome.js'

/** Journal and send an entry (idempotent per `{signalId, direction}`). */
export async function submitEntry(rt: Runtime, intent: EntryIntent): Promise<Result<SubmitOutcome, EntryRefusal>> {
  const { config, marks } = rt
  const ins = validateEntryIntent({ intent, instruments: rt.instruments, ...(marks.has(intent.symbol) ? { markPrice: marks.get(intent.symbol) as number } : {}) })
  if (rt.fatal) return fail('fatal', { symbol: intent.symbol })
  if (rt.degraded) return fail('degraded', { symbol: intent.symbol })
  if (!rt.started || !rt.reconciled) return fail('not-reconciled', { symbol: intent.symbol })
  const mode = tradingMode(rt)
  if (mode === 'halted') return fail('halted', { symbol: intent.symbol })
  if (mode === 'reducing') return fail('reducing', { symbol: intent.symbol })
  const s = sym(rt, intent.symbol)
  if (s.phase === 'HALT') return fail('halted', { symbol: intent.symbol, reason: s.haltReason ?? 'halted' })
  // the trade key (from signal and direction) names every order of the trade: one key, one trade, ever — whatever
  // client id the caller chose for the entry
  const tradeKey = tradeKeyOf(intent)
  const clientOrderId = intent.clientOrderId ?? clientOrderIdOf({ tradeKey, role: 'entry', generation: 0 })
  // a signal older than the horizon is refused by its age: the record of used ids covers only the horizon
  if (intent.signalTimeMs < signalFloorMs(rt.state, now(rt), config.signalHorizonMs)) return fail('signal-expired', { clientOrderId, signalTimeMs: intent.signalTimeMs })
  if (intent.signalTimeMs > now(rt) + config.signalFutureToleranceMs) return fail('signal-from-future', { clientOrderId, signalTimeMs: intent.signalTimeMs })
  if (clientIdUsed(rt, clientOrderId) || tradeKeyUsed(rt, tradeKey)) return fail('duplicate-intent', { clientOrderId })
  if (s.phase !== 'FLAT' || s.qty !== 0 || liveOrders(rt, s.symbol).length > 0) return fail('symbol-busy', { symbol: intent.symbol, phase: s.phase })
  if (lateCloseMayLand(rt, s.symbol)) return fail('symbol-busy', { symbol: intent.symbol, phase: s.phase, reason: 'a re-sent close may still meet its late original' })
  const makerOnly = config.makerOnly && (intent.type ?? 'limit') === 'limit'
  const request: OrderRequest =
    (intent.type ?? 'limit') === 'market'
      ? { symbol: ins.symbol, clientOrderId, side: intent.direction === 'long' ? 'buy' : 'sell', type: 'market', qty: intent.qty }
      : {
          symbol: ins.symbol,
          clientOrderId,
          side: intent.direction === 'long' ? 'buy' : 'sell',
          type: 'limit',
          qty: intent.qty,
          price: intent.price as number,
          timeInForce: makerOnly ? 'post-only' : 'GTC',
        }
  s.trade = {
    tradeKey,
    signalId: intent.signalId,
    direction: intent.direction,
    signalTimeMs: intent.signalTimeMs,
    entryQty: intent.qty,
    stopPrice: intent.stopPrice,
    ...(intent.takeProfitPrice === undefined ? {} : { takeProfitPrice: intent.takeProfitPrice }),
    entryGen: 0,
    stopGen: 0,
    tpGen: 0,
    exitGen: 0,
    flattenGen: 0,
    makerTimeouts: 0,
    openedAtMs: now(rt),
    entryWorking: true,
  }
  s.stopFailures = 0
  delete s.haltReason
  movePhase(rt, s, 'entry-submitted')
  const o = newOrder(rt, { symbol: ins.symbol, role: 'entry', tradeKey, request })
  try {
    await submitHeldEntry(rt, s, o)
  } catch {
    return fail('journal-failed', { clientOrderId })
  }
  return ok({ clientOrderId, state: o.state })
}
