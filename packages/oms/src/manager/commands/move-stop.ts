/**
 * `moveStop()`: change the protective stop level of an open trade. The new level must be on the tick grid and on
 * the protective side of the mark (or entry) price; small moves are debounced (`stopMoveMinChange` of the stop
 * distance) and moves closer together than `stopUpdateMinIntervalMs` are scheduled.
 * @module
 */
import { fail, ok, PerpkitError, type Result, roundToStep } from '@perpkit/core'
import { assertStopSide, instrumentOf } from '../../validation.js'
import { persistLater, symEntry } from '../journaling.js'
import { requestProtect } from '../protection.js'
import { later, now, type Runtime } from '../runtime.js'

/** Move the protective stop of `args.symbol`. */
export function moveStop(rt: Runtime, args: { readonly symbol: string; readonly stopPrice: number }): Result<{ readonly scheduled: boolean }, 'debounced'> {
  const { config } = rt
  const ins = instrumentOf(rt.instruments, args.symbol)
  const s = rt.state.symbols[args.symbol]
  if (s === undefined || s.trade === undefined || s.qty === 0) {
    throw new PerpkitError('invalid-state', `no position on ${args.symbol} to move a stop for`, { details: { symbol: args.symbol } })
  }
  if (typeof args.stopPrice !== 'number' || !Number.isFinite(args.stopPrice) || args.stopPrice <= 0) {
    throw new PerpkitError('invalid-input', 'stopPrice must be a finite number > 0', { path: 'stopPrice' })
  }
  if (roundToStep({ value: args.stopPrice, step: ins.tickSize }) !== args.stopPrice) {
    throw new PerpkitError('invalid-input', `stopPrice ${args.stopPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'stopPrice' })
  }
  const trade = s.trade
  const mark = rt.marks.get(args.symbol)
  assertStopSide({ direction: trade.direction, stopPrice: args.stopPrice, referencePrice: mark ?? (s.avgEntryPrice > 0 ? s.avgEntryPrice : Number.NaN) })
  const distance = Math.abs(trade.stopPrice - (s.avgEntryPrice > 0 ? s.avgEntryPrice : trade.stopPrice))
  const change = Math.abs(args.stopPrice - trade.stopPrice)
  if (distance > 0 && change / distance < config.stopMoveMinChange) return fail('debounced', { change, distance })
  const wait = s.lastStopUpdateMs + config.stopUpdateMinIntervalMs - now(rt)
  trade.stopPrice = args.stopPrice
  persistLater(rt, { symbols: [symEntry(s)] })
  if (wait > 0) {
    if (!rt.pendingStopMove.get(s.symbol)) {
      rt.pendingStopMove.set(s.symbol, true)
      later(rt, wait, () => {
        rt.pendingStopMove.delete(s.symbol)
        requestProtect(rt, s.symbol)
      })
    }
    return ok({ scheduled: true })
  }
  requestProtect(rt, s.symbol) // never awaits the clock: safe to await from a virtual-clock loop
  return ok({ scheduled: false })
}
