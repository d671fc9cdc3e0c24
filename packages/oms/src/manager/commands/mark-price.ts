/**
 * `onMarkPrice()`: remember the latest mark price of a symbol (stops are validated against it).
 * @module
 */
import { PerpkitError } from '@perpkit/core'
import { instrumentOf } from '../../validation.js'
import type { Runtime } from '../runtime.js'

/** Record a mark price (a finite number > 0 of a known symbol). */
export function onMarkPrice(rt: Runtime, args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs?: number }): void {
  if (typeof args.markPrice !== 'number' || !Number.isFinite(args.markPrice) || args.markPrice <= 0) {
    throw new PerpkitError('invalid-input', 'markPrice must be a finite number > 0', { path: 'markPrice' })
  }
  instrumentOf(rt.instruments, args.symbol)
  rt.marks.set(args.symbol, args.markPrice)
}
