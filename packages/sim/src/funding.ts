/**
 * Funding settlement: charge every funding time that became due (from a rate series, or a fixed rate on a
 * fixed interval) against the open position, valued at the given mark; `funding` + `balance` events.
 * @module
 */
import { type FundingRate, type MarkPrice, PerpkitError } from '@perpkit/core'
import { fundingCost } from '@perpkit/sizing'
import { balanceOf, recomputeLiq } from './account.js'
import type { SymbolState, VenueContext } from './sim-state.js'
import type { SimFundingPoint } from './types.js'

/** Settle every funding time of `st` due by `timeMs` (+ jitter tolerance), valued at `markForFunding`. */
export function settleFunding(ctx: VenueContext, st: SymbolState, timeMs: number, markForFunding: number | undefined): void {
  const tolerance = ctx.fundingToleranceMs
  const horizon = timeMs + tolerance
  if (st.funding !== undefined) {
    const series = st.funding
    while (st.fundingIdx < series.length && (series[st.fundingIdx] as SimFundingPoint).fundingTimeMs <= horizon) {
      const pt = series[st.fundingIdx++] as SimFundingPoint
      if (pt.fundingTimeMs + tolerance < st.lastTimeMs) continue // before the first data point
      chargeFunding(ctx, st, pt.rate, markForFunding)
    }
    return
  }
  const fixedRate = ctx.fixedRate
  if (fixedRate === undefined) return
  const interval = ctx.fundingIntervalMs
  if (st.nextFixedFundingMs === undefined) st.nextFixedFundingMs = Math.ceil((timeMs - tolerance) / interval) * interval
  while (st.nextFixedFundingMs <= horizon) {
    chargeFunding(ctx, st, fixedRate, markForFunding)
    st.nextFixedFundingMs += interval
  }
}

function chargeFunding(ctx: VenueContext, st: SymbolState, rate: number, mark: number | undefined): void {
  const p = st.position
  if (p === null || mark === undefined) return
  const cost = fundingCost({ contract: st.ins, side: p.side, qty: p.qty, markPrice: mark, fundingRate: rate })
  const amount = cost === 0 ? 0 : -cost
  const asset = st.ins.settle
  ctx.wallets.set(asset, (ctx.wallets.get(asset) ?? 0) + amount)
  recomputeLiq(ctx, asset)
  const now = ctx.clock.now()
  ctx.emit({ type: 'funding', timestampMs: now, symbol: st.ins.symbol, rate, amount, asset })
  ctx.emit({ type: 'balance', timestampMs: now, balance: balanceOf(ctx, asset) })
}

/**
 * The funding rate the venue would quote now for `st`: the next point of its rate series, else the fixed rate
 * at the next interval boundary, else a zero rate at the next interval boundary (no funding configured).
 */
export function nextFundingRate(ctx: VenueContext, st: SymbolState): FundingRate {
  const now = ctx.clock.now()
  const markPrice = st.markPrice ?? st.lastPrice
  const mark = markPrice === undefined ? {} : { markPrice }
  const series = st.funding
  if (series !== undefined) {
    const pt = series.slice(st.fundingIdx).find((p) => p.fundingTimeMs >= now) ?? series.at(-1)
    if (pt !== undefined) return { symbol: st.ins.symbol, fundingTimeMs: pt.fundingTimeMs, rate: pt.rate, ...mark }
  }
  const interval = ctx.fundingIntervalMs
  const fundingTimeMs = st.nextFixedFundingMs ?? Math.ceil(now / interval) * interval
  return { symbol: st.ins.symbol, fundingTimeMs, rate: ctx.fixedRate ?? 0, ...mark }
}

/** The mark (and last) price of `st`; `invalid-state` before any market data reached the venue. */
export function currentMark(ctx: VenueContext, st: SymbolState): MarkPrice {
  const markPrice = st.markPrice ?? st.lastPrice
  if (markPrice === undefined) throw new PerpkitError('invalid-state', `no market data for ${st.ins.symbol} yet: no mark price`, { details: { symbol: st.ins.symbol } })
  return { symbol: st.ins.symbol, timestampMs: ctx.clock.now(), markPrice }
}
