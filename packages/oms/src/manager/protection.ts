/**
 * Protection: keep exactly one reduce-only stop per symbol covering the position plus every unfilled entry of the
 * trade (entries are held back until that stop is on the book), and a take-profit for the position. With
 * `protectWorkingEntries` off (a venue that cannot hold a reduce-only stop before a position exists) the stop covers
 * the position only: entries go out at once and the stop follows their first fill. A stop is
 * amended where the venue can, otherwise a new one is placed before the old one is canceled. Failures back off,
 * are counted, and end in a flatten.
 * @module
 */
import { isPerpkitError, type OrderRequest, roundToStep } from '@perpkit/core'
import { clientOrderIdOf } from '../client-order-id.js'
import type { OrderState } from '../order-state.js'
import { isTerminalOrderState, nextOrderState } from '../order-state.js'
import type { ManagedOrder, SymbolRecord, TradeRecord } from '../types.js'
import { cancelOrder } from './cancel.js'
import { flatten, stopWouldTrigger } from './flatten.js'
import { orderEntry, persist, persistLater, symEntry } from './journaling.js'
import { armMakerTimeout } from './maker-timeout.js'
import { syncOrder } from './order-sync.js'
import { clearTradeIfDone, liveOrders, moveOrder, newOrder, sendAllowed, setStopStatus, sym } from './records.js'
import { elapsedNow, emit, later, now, type Runtime, spawn } from './runtime.js'
import { send } from './submission.js'
import { onOrderTerminal } from './terminal.js'

const LIVE_STOP_STATES: readonly OrderState[] = ['open', 'triggered', 'partially-filled']
/**
 * A stop whose create is in flight in this pass, or whose cancel is: protection waits for its answer. A stop whose
 * create outcome is unknown (timed out, or maybe sent before a crash) does not count as protection and does not
 * block: proving it absent takes the request's whole validity window, far longer than a position may stay
 * uncovered, so the next generation is placed at once; if the old one turns up live it is an extra and is canceled.
 */
function stopInFlight(o: ManagedOrder): boolean {
  return (o.state === 'intent' && o.maybeSent !== true) || o.state === 'submitting' || o.state === 'cancel-pending'
}

/** Run protection for `symbol` in the background (coalesced: a run in progress runs once more). */
export function requestProtect(rt: Runtime, symbol: string): void {
  if (rt.stopped) return
  if (rt.protecting.has(symbol)) {
    rt.protectDirty.add(symbol)
    return
  }
  spawn(rt, 'protect', () => protect(rt, symbol))
}

/** Run protection for `symbol` until nothing changed during the pass (one pass per symbol at a time). */
export async function protect(rt: Runtime, symbol: string): Promise<void> {
  if (rt.protecting.has(symbol)) {
    rt.protectDirty.add(symbol)
    return
  }
  rt.protecting.add(symbol)
  try {
    do {
      rt.protectDirty.delete(symbol)
      await protectOnce(rt, sym(rt, symbol))
      await releaseEntries(rt, sym(rt, symbol))
    } while (rt.protectDirty.has(symbol) && !rt.stopped)
  } finally {
    rt.protecting.delete(symbol)
  }
}

/**
 * Journal an entry and send it: once its protective stop is on the book (stop before entry), or at once when
 * `protectWorkingEntries` is off or the venue refused the pre-placed stop (protection then follows the fill).
 */
export async function submitHeldEntry(rt: Runtime, s: SymbolRecord, o: ManagedOrder): Promise<void> {
  if (rt.config.protectWorkingEntries && s.trade?.preProtectRejected !== true) o.awaitingProtection = true
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  if (o.awaitingProtection === true) await protect(rt, s.symbol)
  else {
    await send(rt, o)
    armMakerTimeout(rt, o)
  }
}

/** Send held entries whose stop is on the book (or abandon them when sending is no longer allowed). */
async function releaseEntries(rt: Runtime, s: SymbolRecord): Promise<void> {
  const held = liveOrders(rt, s.symbol, 'entry').filter((o) => o.state === 'intent' && o.awaitingProtection === true && o.maybeSent !== true)
  if (held.length === 0) return
  const ready = !rt.config.protectWorkingEntries || s.trade?.preProtectRejected === true || s.stopStatus === 'ACTIVE'
  for (const o of held) {
    if (!sendAllowed(rt, o) || s.trade?.tradeKey !== o.tradeKey) {
      await cancelOrder(rt, o, 'normal')
      continue
    }
    if (!ready) continue
    delete o.awaitingProtection
    await send(rt, o)
    armMakerTimeout(rt, o)
  }
}

/** Count a failed stop attempt: retry after `stopRetryDelayMs`, or flatten after `maxStopAttempts`. */
export function stopFailed(rt: Runtime, s: SymbolRecord): void {
  if (s.qty === 0 && workingEntryQty(rt, s) === 0) return
  s.stopFailures++
  setStopStatus(rt, s, 'ERROR')
  emit(rt, { type: 'stop-status', timestampMs: now(rt), symbol: s.symbol, status: 'ERROR', failures: s.stopFailures })
  persistLater(rt, { symbols: [symEntry(s)] })
  if (s.stopFailures >= rt.config.maxStopAttempts) {
    const reason = `${s.stopFailures} failed stop attempts`
    spawn(rt, 'flatten', async () => {
      // with a position the close goes out at once and the working entries are canceled alongside it (flatten);
      // with none, the unprotectable entries are canceled
      if (s.qty !== 0) await flatten(rt, s, reason)
      else for (const e of liveOrders(rt, s.symbol, 'entry')) await cancelOrder(rt, e, 'protective')
    })
  }
  else later(rt, rt.config.stopRetryDelayMs, () => requestProtect(rt, s.symbol))
}

/** Unfilled qty of every live entry order of the symbol's trade (covered by the stop before it can fill). */
function workingEntryQty(rt: Runtime, s: SymbolRecord): number {
  if (!rt.config.protectWorkingEntries || s.trade === undefined || s.trade.preProtectRejected === true) return 0
  let q = 0
  for (const o of rt.liveIndex.get(s.symbol) ?? []) {
    if (o.role !== 'entry' || o.tradeKey !== s.trade.tradeKey) continue
    // live: everything not yet applied may still fill; terminal: fills the venue reported but we have not applied
    q += isTerminalOrderState(o.state) ? Math.max(0, (o.venueFilledQty ?? 0) - o.filledQty) : Math.max(0, o.request.qty - o.filledQty)
  }
  return q === 0 ? 0 : roundToStep({ value: q, step: rt.instruments.get(s.symbol)?.lotStep ?? 1e-12 })
}

/** One protection pass of a symbol. */
async function protectOnce(rt: Runtime, s: SymbolRecord): Promise<void> {
  const { config } = rt
  const posQty = Math.abs(s.qty)
  const stops = liveOrders(rt, s.symbol, 'stop')
  const tps = liveOrders(rt, s.symbol, 'take-profit')
  const working = workingEntryQty(rt, s)
  const coverQty = working === 0 ? posQty : roundToStep({ value: posQty + working, step: rt.instruments.get(s.symbol)?.lotStep ?? 1e-12 })
  if (coverQty === 0) {
    for (const o of [...stops, ...tps]) await cancelOrder(rt, o, 'protective')
    if (s.stopStatus !== 'NONE') setStopStatus(rt, s, 'NONE')
    s.stopFailures = 0
    clearTradeIfDone(rt, s)
    return
  }
  if (posQty === 0) for (const o of tps) await cancelOrder(rt, o, 'normal')
  const trade = s.trade
  if (trade === undefined) {
    setStopStatus(rt, s, 'MISSING')
    return
  }
  // protective orders of an earlier trade are never reused: cancel them, judge only this trade's
  for (const o of [...stops, ...tps]) if (o.tradeKey !== trade.tradeKey) await cancelOrder(rt, o, 'protective')
  for (const list of [stops, tps]) {
    for (let i = list.length - 1; i >= 0; i--) if ((list[i] as ManagedOrder).tradeKey !== trade.tradeKey) list.splice(i, 1)
  }
  if (rt.fatal) return
  if (stops.some(stopInFlight)) {
    setStopStatus(rt, s, 'PENDING')
    return
  }
  const live = stops.filter((o) => LIVE_STOP_STATES.includes(o.state))
  if (live.some((o) => o.state !== 'open')) {
    setStopStatus(rt, s, 'PENDING') // a stop fired: the position is being closed
    return
  }
  const side = trade.direction === 'long' ? 'sell' : 'buy'
  const primary = live[live.length - 1]
  const matches = (o: ManagedOrder): boolean => Math.abs(o.request.qty - coverQty) < 1e-12 && o.request.triggerPrice === trade.stopPrice
  if (primary !== undefined && matches(primary)) {
    for (const extra of live.slice(0, -1)) await cancelOrder(rt, extra, 'protective')
    if (s.stopFailures !== 0) s.stopFailures = 0
    setStopStatus(rt, s, 'ACTIVE')
    if (posQty > 0) await protectTakeProfit(rt, s, trade, tps, posQty, side)
    return
  }
  if (primary !== undefined) {
    // the last update is a journaled wall time: a wall clock stepped back must not stretch the wait beyond its interval
    const wait = Math.min(config.stopQtyUpdateMinIntervalMs, s.lastStopUpdateMs + config.stopQtyUpdateMinIntervalMs - now(rt))
    if (wait > 0 && primary.request.triggerPrice === trade.stopPrice && Math.abs(primary.request.qty - coverQty) / coverQty < config.stopMoveMinChange) {
      setStopStatus(rt, s, primary.request.qty >= posQty ? 'ACTIVE' : 'PENDING')
      later(rt, wait, () => requestProtect(rt, s.symbol))
      return
    }
  }
  const backoff = (rt.stopBackoffUntil.get(s.symbol) ?? Number.NEGATIVE_INFINITY) - elapsedNow(rt)
  if (backoff > 0) {
    setStopStatus(rt, s, primary !== undefined && primary.request.qty >= posQty ? 'ACTIVE' : s.stopStatus === 'ERROR' ? 'ERROR' : 'PENDING')
    later(rt, backoff, () => requestProtect(rt, s.symbol))
    return
  }
  s.lastStopUpdateMs = now(rt)
  if (primary !== undefined && rt.venue.capabilities.amendConditionalOrder) {
    try {
      const v = await rt.gw.amend({ symbol: s.symbol, clientOrderId: primary.clientOrderId, qty: coverQty, triggerPrice: trade.stopPrice }, 'protective')
      primary.request = { ...primary.request, qty: coverQty, triggerPrice: trade.stopPrice }
      persistLater(rt, orderEntry(primary))
      syncOrder(rt, primary, v)
      emit(rt, { type: 'stop-updated', timestampMs: now(rt), symbol: s.symbol, method: 'amend', qty: coverQty, triggerPrice: trade.stopPrice })
      rt.protectDirty.add(s.symbol)
    } catch (error) {
      if (isPerpkitError(error, 'order-not-found')) {
        await cancelOrder(rt, primary, 'protective')
        rt.protectDirty.add(s.symbol)
      } else {
        rt.stopBackoffUntil.set(s.symbol, elapsedNow(rt) + config.stopRetryDelayMs)
        if (isPerpkitError(error, 'would-immediately-trigger')) await stopWouldTrigger(rt, s)
        else stopFailed(rt, s)
      }
    }
    return
  }
  // place the new stop first; the old one is canceled only once the new one is accepted
  trade.stopGen++
  const request: OrderRequest = {
    symbol: s.symbol,
    clientOrderId: clientOrderIdOf({ tradeKey: trade.tradeKey, role: 'stop', generation: trade.stopGen }),
    side,
    type: 'stop-market',
    qty: coverQty,
    triggerPrice: trade.stopPrice,
    triggerPriceType: config.triggerPriceType,
    reduceOnly: true,
  }
  const o = newOrder(rt, { symbol: s.symbol, role: 'stop', tradeKey: trade.tradeKey, request })
  setStopStatus(rt, s, 'PENDING')
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  await send(rt, o)
  if (o.state === 'open') {
    emit(rt, { type: 'stop-updated', timestampMs: now(rt), symbol: s.symbol, method: primary === undefined ? 'place' : 'replace', qty: coverQty, triggerPrice: trade.stopPrice })
    for (const old of live) await cancelOrder(rt, old, 'protective')
    rt.protectDirty.add(s.symbol)
  }
}

/** Keep the take-profit sized to the position (amend where possible, else replace). */
async function protectTakeProfit(rt: Runtime, s: SymbolRecord, trade: TradeRecord, tps: ManagedOrder[], posQty: number, side: 'buy' | 'sell'): Promise<void> {
  const { config } = rt
  if (trade.takeProfitPrice === undefined) return
  if ((rt.stopBackoffUntil.get(`tp|${s.symbol}`) ?? Number.NEGATIVE_INFINITY) > elapsedNow(rt)) return
  if (liveOrders(rt, s.symbol, 'flatten').length + liveOrders(rt, s.symbol, 'exit').length > 0) return
  if (tps.some((o) => o.state !== 'open')) return
  const primary = tps[tps.length - 1]
  if (primary !== undefined && Math.abs(primary.request.qty - posQty) < 1e-12) return
  if (primary !== undefined && rt.venue.capabilities.amendConditionalOrder) {
    try {
      const v = await rt.gw.amend({ symbol: s.symbol, clientOrderId: primary.clientOrderId, qty: posQty }, 'normal')
      primary.request = { ...primary.request, qty: posQty }
      persistLater(rt, orderEntry(primary))
      syncOrder(rt, primary, v)
      return
    } catch {
      // fall through to replace
    }
  }
  trade.tpGen++
  const clientOrderId = clientOrderIdOf({ tradeKey: trade.tradeKey, role: 'take-profit', generation: trade.tpGen })
  const tp = trade.takeProfitPrice
  const request: OrderRequest =
    config.takeProfitStyle === 'limit'
      ? { symbol: s.symbol, clientOrderId, side, type: 'take-profit-limit', qty: posQty, price: tp, triggerPrice: tp, triggerPriceType: config.triggerPriceType, reduceOnly: true }
      : { symbol: s.symbol, clientOrderId, side, type: 'take-profit-market', qty: posQty, triggerPrice: tp, triggerPriceType: config.triggerPriceType, reduceOnly: true }
  for (const old of tps) await cancelOrder(rt, old, 'normal')
  const o = newOrder(rt, { symbol: s.symbol, role: 'take-profit', tradeKey: trade.tradeKey, request })
  await persist(rt, { ...orderEntry(o), symbols: [symEntry(s)] })
  await send(rt, o)
}

/**
 * Ask the venue what the stops of `symbol` are doing (one query each, protective priority), since a lost stream
 * event may hide it: after an entry fill, whether the stop we believe is on the book really is (it may have fired or
 * been canceled); after a stop's fill, how the stop ended — a fired stop-market executes at once, and its reduce-only
 * remainder expires when the position it closed was smaller, so protection must not keep waiting for it to finish.
 */
export function scheduleStopVerify(rt: Runtime, symbol: string): void {
  if (rt.verifyQueued.has(symbol)) return
  rt.verifyQueued.add(symbol)
  later(rt, rt.config.unknownQueryIntervalMs, () =>
    spawn(rt, 'verify-stop', async () => {
      rt.verifyQueued.delete(symbol)
      for (const stop of liveOrders(rt, symbol, 'stop')) {
        if (!LIVE_STOP_STATES.includes(stop.state)) continue
        const v = await rt.gw.fetchOrder({ symbol, clientOrderId: stop.clientOrderId }, 'protective')
        if (v === null) {
          if (stop.state === 'open' && nextOrderState(stop.state, 'cancel-confirmed') !== undefined) {
            stop.reason = 'not on venue'
            moveOrder(rt, stop, 'cancel-confirmed')
            persistLater(rt, orderEntry(stop))
            onOrderTerminal(rt, stop)
          }
        } else syncOrder(rt, stop, v)
      }
      requestProtect(rt, symbol)
    }),
  )
}
