/**
 * `halt()` / `resume()`: manual HALT of a symbol (no entries; protection continues), and lifting it once the
 * symbol is flat with no order left.
 * @module
 */
import { PerpkitError } from '@perpkit/core'
import { instrumentOf } from '../../validation.js'
import { persistLater, symEntry } from '../journaling.js'
import { clearTradeIfDone, haltSymbol, liveOrders, movePhase, sym } from '../records.js'
import type { Runtime } from '../runtime.js'

/** Halt a symbol. */
export function halt(rt: Runtime, args: { readonly symbol: string; readonly reason: string }): void {
  haltSymbol(rt, sym(rt, instrumentOf(rt.instruments, args.symbol).symbol), args.reason)
}

/** Lift a HALT of a flat symbol with no live order. */
export function resume(rt: Runtime, args: { readonly symbol: string }): void {
  const s = sym(rt, instrumentOf(rt.instruments, args.symbol).symbol)
  if (s.phase !== 'HALT') return
  if (s.qty !== 0 || liveOrders(rt, s.symbol).length > 0) {
    throw new PerpkitError('invalid-state', `cannot resume ${args.symbol}: position or orders still open`, { details: { symbol: args.symbol } })
  }
  movePhase(rt, s, 'resume')
  delete s.haltReason
  clearTradeIfDone(rt, s)
  persistLater(rt, { symbols: [symEntry(s)] })
}
