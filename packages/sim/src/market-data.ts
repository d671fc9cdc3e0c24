/**
 * Market-data inputs: validate a candle / trade / mark update, settle funding due, then drive the matching
 * sweep along the price path (a candle: gap to the open, then open → nearer extreme → other extreme → close).
 * @module
 */
import { type Candle, InvalidInputError, type TradeTick } from '@perpkit/core'
import { afterPrices } from './account.js'
import { settleFunding } from './funding.js'
import { type FillBudget, type PriceSource, sweep } from './matching.js'
import { symbolState, type VenueContext } from './sim-state.js'

const LAST: PriceSource = { last: true, mark: false }
const MARK: PriceSource = { last: false, mark: true }
const BOTH: PriceSource = { last: true, mark: true }

const budgetFor = (ctx: VenueContext, volume: number): FillBudget => ({ qty: ctx.participation === undefined ? Number.POSITIVE_INFINITY : ctx.participation * volume })

/** Feed one candle (see `SimVenue.applyCandle`). */
export function applyCandle(ctx: VenueContext, poll: () => void, { symbol, candle }: { readonly symbol: string; readonly candle: Candle }): void {
  const st = symbolState(ctx, symbol)
  checkCandle(candle)
  poll()
  const t = candle.openTimeMs
  if (t < st.lastTimeMs) throw new InvalidInputError(`candle at ${t} is older than the last update ${st.lastTimeMs}`, { path: 'candle.openTimeMs' })
  const follow = ctx.markMode === 'follow-last'
  const src = follow ? BOTH : LAST
  if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = t
  settleFunding(ctx, st, t, follow ? candle.open : (st.markPrice ?? candle.open))
  st.lastTimeMs = t
  const { open, high, low, close } = candle
  // fast path: nothing can happen inside the bar
  if (st.orders.length === 0 && st.position === null) {
    st.lastPrice = close
    if (follow) st.markPrice = close
    return
  }
  const budget = budgetFor(ctx, candle.volume)
  sweep(ctx, st, open, src, false, budget)
  if (high - open < open - low) {
    sweep(ctx, st, high, src, true, budget)
    sweep(ctx, st, low, src, true, budget)
  } else {
    sweep(ctx, st, low, src, true, budget)
    sweep(ctx, st, high, src, true, budget)
  }
  sweep(ctx, st, close, src, true, budget)
  afterPrices(ctx, st)
}

/** Feed one public trade (see `SimVenue.applyTrade`). */
export function applyTrade(ctx: VenueContext, poll: () => void, { symbol, trade }: { readonly symbol: string; readonly trade: TradeTick }): void {
  const st = symbolState(ctx, symbol)
  if (!(Number.isFinite(trade.price) && trade.price > 0)) throw new InvalidInputError('must be > 0', { path: 'trade.price' })
  if (!(Number.isFinite(trade.qty) && trade.qty > 0)) throw new InvalidInputError('must be > 0', { path: 'trade.qty' })
  if (!Number.isInteger(trade.timestampMs) || trade.timestampMs < st.lastTimeMs) throw new InvalidInputError('must be an integer not older than the last update', { path: 'trade.timestampMs' })
  poll()
  const follow = ctx.markMode === 'follow-last'
  if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = trade.timestampMs
  settleFunding(ctx, st, trade.timestampMs, follow ? trade.price : (st.markPrice ?? trade.price))
  st.lastTimeMs = trade.timestampMs
  if (st.orders.length === 0 && st.position === null) {
    st.lastPrice = trade.price
    if (follow) st.markPrice = trade.price
    return
  }
  sweep(ctx, st, trade.price, follow ? BOTH : LAST, false, budgetFor(ctx, trade.qty))
  afterPrices(ctx, st)
}

/** Move the mark price (see `SimVenue.setMarkPrice`). */
export function setMarkPrice(
  ctx: VenueContext,
  poll: () => void,
  { symbol, markPrice, timestampMs }: { readonly symbol: string; readonly markPrice: number; readonly timestampMs: number },
): void {
  const st = symbolState(ctx, symbol)
  if (!(Number.isFinite(markPrice) && markPrice > 0)) throw new InvalidInputError('must be > 0', { path: 'markPrice' })
  if (!Number.isInteger(timestampMs) || timestampMs < st.lastTimeMs) throw new InvalidInputError('must be an integer not older than the last update', { path: 'timestampMs' })
  poll()
  if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = timestampMs
  // funding due strictly before this update was valued at the previous mark; one due now at the new mark
  settleFunding(ctx, st, timestampMs - ctx.fundingToleranceMs - 1, st.markPrice)
  settleFunding(ctx, st, timestampMs, markPrice)
  st.lastTimeMs = timestampMs
  sweep(ctx, st, markPrice, MARK, false, { qty: 0 })
  afterPrices(ctx, st)
}

function checkCandle(c: Candle): void {
  const { open, high, low, close, volume, openTimeMs } = c
  if (!(open > 0 && high > 0 && low > 0 && close > 0 && Number.isFinite(high) && Number.isFinite(open) && Number.isFinite(close) && Number.isFinite(low))) {
    throw new InvalidInputError('candle prices must be finite and > 0', { path: 'candle' })
  }
  if (!(volume >= 0 && Number.isFinite(volume))) throw new InvalidInputError('must be a finite number >= 0', { path: 'candle.volume' })
  if (!Number.isInteger(openTimeMs) || openTimeMs < 0) throw new InvalidInputError('must be an integer epoch ms', { path: 'candle.openTimeMs' })
  if (high < Math.max(open, close) || low > Math.min(open, close)) throw new InvalidInputError('OHLC inconsistent (high/low do not bound open/close)', { path: 'candle' })
}
