/**
 * Bybit v5 private-stream messages → core `UserStreamEvent`s.
 *
 * - `order` → an `order` event per order object (conditional orders keep their id and `orderLinkId` when they fire).
 * - `execution` → a `fill` per trade execution (`execType` Trade / BustTrade / AdlTrade, origin user / liquidation /
 *   ADL); a `Funding` execution → a `funding` event (Bybit books funding as an execution of the position).
 * - `position` → a `position` event (`null` when flat).
 * - `wallet` → a `balance` event per coin.
 * Topics may carry a category suffix (`order.linear`); entries of symbols not loaded are skipped.
 * @module
 */
import type { Instrument, UserStreamEvent } from '@perpkit/core'
import { num, type Raw, str } from '../shared/raw.js'
import { balancesOf, fillOf, positionOf, TRADE_EXEC_TYPES } from './account.js'
import { orderOf } from './orders.js'

/**
 * Translate one private-stream message.
 * @param message - the parsed message (`{ topic, creationTime, data: [...] }`)
 * @param instrumentOf - the instrument of a Bybit symbol, or undefined for one not loaded
 * @returns the core events, in order (empty for messages this port does not report)
 */
export function translateBybitMessage(message: Raw, instrumentOf: (venueSymbol: string) => Instrument | undefined): UserStreamEvent[] {
  const topic = str(message['topic']).split('.')[0]
  const at = num(message['creationTime'])
  const data = Array.isArray(message['data']) ? (message['data'] as Raw[]) : []
  const out: UserStreamEvent[] = []
  for (const d of data) {
    if (topic === 'wallet') {
      for (const balance of balancesOf(d, at)) out.push({ type: 'balance', timestampMs: at, balance })
      continue
    }
    const ins = instrumentOf(str(d['symbol']))
    if (ins === undefined) continue
    if (topic === 'order') out.push({ type: 'order', timestampMs: at, order: orderOf(d, ins) })
    else if (topic === 'position') out.push({ type: 'position', timestampMs: at, symbol: ins.symbol, position: positionOf(d, ins, at) })
    else if (topic === 'execution') {
      const execType = str(d['execType'])
      if (TRADE_EXEC_TYPES.has(execType) && num(d['execQty']) > 0) out.push({ type: 'fill', timestampMs: at, fill: fillOf(d, ins) })
      else if (execType === 'Funding') {
        out.push({ type: 'funding', timestampMs: at, symbol: ins.symbol, rate: num(d['feeRate']), amount: -num(d['execFee']), asset: str(d['feeCurrency']) || ins.settle })
      }
    }
  }
  return out
}
