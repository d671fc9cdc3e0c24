/**
 * An operator's close of a symbol, through the order manager (the same path whether the running bot applies it or
 * `perpkit close|flatten` does while no bot runs): `exit` cancels the working entry and sends one reduce-only market
 * order for the whole position (journaled first); once the position is flat the order manager cancels the
 * protective orders left on the venue. Then it waits (a bounded time) for the close to end and the symbol to be
 * quiet.
 * @module
 */
import type { Clock } from '@perpkit/core'
import { isTerminalOrderState, type OrderManager } from '@perpkit/oms'

/** What the close did, in one line. */
export interface CloseOutcome {
  readonly ok: boolean
  readonly message: string
}

const POLL_MS = 100

/** Close `symbol` through `oms` (started and reconciled); wait up to `limitMs` for the close to end. */
export async function closeThroughOms(args: { readonly oms: OrderManager; readonly symbol: string; readonly clock: Clock; readonly limitMs: number; readonly reason: string }): Promise<CloseOutcome> {
  const { oms, symbol, clock } = args
  const before = oms.status().symbols.find((s) => s.symbol === symbol)?.qty ?? 0
  const r = await oms.exit({ symbol, reason: args.reason })
  if (!r.ok) {
    if (r.reason === 'no-position') return { ok: true, message: `${symbol}: nothing to close (no position, no working entry); nothing sent` }
    if (r.reason === 'exit-pending') return { ok: false, message: `${symbol}: a close is already in flight; nothing sent` }
    return { ok: false, message: `${symbol}: the order manager stopped trading after a fatal venue error; nothing sent` }
  }
  if (r.value.clientOrderId === '') return { ok: true, message: `${symbol}: no position; the working entry was canceled` }
  const id = r.value.clientOrderId
  const start = clock.monotonicMs?.() ?? clock.now()
  const elapsed = (): number => (clock.monotonicMs?.() ?? clock.now()) - start
  const quiet = (): boolean => {
    const order = oms.order(id)
    const s = oms.status().symbols.find((x) => x.symbol === symbol)
    return order !== undefined && isTerminalOrderState(order.state) && (s?.qty ?? 0) === 0 && oms.inFlight() === 0
  }
  while (!quiet() && elapsed() < args.limitMs) await clock.sleep(POLL_MS)
  const order = oms.order(id)
  const side = before > 0 ? 'long' : 'short'
  if (order?.state === 'filled') return { ok: true, message: `${symbol}: closed the ${side} ${Math.abs(before)} with a reduce-only market order (${id}, filled at ${order.avgFillPrice})` }
  return { ok: false, message: `${symbol}: the reduce-only close ${id} is ${order?.state ?? 'unknown'} after ${Math.round(elapsed() / 1000)} s; check \`perpkit positions\`` }
}
