/**
 * Market data: candles, trade ticks, mark prices and funding rates.
 * @module
 */
import { z } from 'zod'
import { sideSchema, timeframeSchema } from './enums.js'
import { finiteNumber, nonNegativeNumber, positiveNumber, timestampMs, unifiedSymbol } from './primitives.js'

/**
 * Schema of a {@link Candle}: OHLCV with the bar's open time, checked for OHLC sanity
 * (high ≥ max(open, close), low ≤ min(open, close), low ≤ high).
 *
 * @example
 * ```ts
 * import { candleSchema } from '@perpkit/core'
 * candleSchema.parse({ openTimeMs: 1751628900000, open: 109000, high: 109100, low: 108950, close: 109050, volume: 12.3 })
 * ```
 */
export const candleSchema = z
  .object({
    openTimeMs: timestampMs,
    open: positiveNumber,
    high: positiveNumber,
    low: positiveNumber,
    close: positiveNumber,
    volume: nonNegativeNumber,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.high < Math.max(c.open, c.close)) ctx.addIssue({ code: 'custom', path: ['high'], message: 'high is below open or close' })
    if (c.low > Math.min(c.open, c.close)) ctx.addIssue({ code: 'custom', path: ['low'], message: 'low is above open or close' })
  })

/** One OHLCV bar; `openTimeMs` is the bar's open time (epoch ms, UTC). */
export type Candle = z.infer<typeof candleSchema>

/**
 * Schema of a {@link TradeTick}. `side` is the aggressor (taker) side: Binance `m=true` (buyer is maker) → `sell`.
 *
 * @example
 * ```ts
 * import { tradeTickSchema } from '@perpkit/core'
 * tradeTickSchema.parse({ tradeId: '5266583935', timestampMs: 1723161256322, price: 56980.1, qty: 0.002, side: 'buy' })
 * ```
 */
export const tradeTickSchema = z
  .object({
    tradeId: z.string().min(1),
    timestampMs,
    price: positiveNumber,
    qty: positiveNumber,
    side: sideSchema,
  })
  .strict()

/** One public trade. */
export type TradeTick = z.infer<typeof tradeTickSchema>

/**
 * Schema of a {@link MarkPrice} observation.
 *
 * @example
 * ```ts
 * import { markPriceSchema } from '@perpkit/core'
 * markPriceSchema.parse({ symbol: 'BTC/USDT:USDT', timestampMs: 1758240000000, markPrice: 116850.1 })
 * ```
 */
export const markPriceSchema = z
  .object({
    symbol: unifiedSymbol,
    timestampMs,
    markPrice: positiveNumber,
    indexPrice: positiveNumber.optional(),
  })
  .strict()

/** Mark (and optionally index) price at a time. */
export type MarkPrice = z.infer<typeof markPriceSchema>

/**
 * Schema of a {@link FundingRate}: the rate applied at `fundingTimeMs`. Positive → longs pay shorts.
 *
 * @example
 * ```ts
 * import { fundingRateSchema } from '@perpkit/core'
 * fundingRateSchema.parse({ symbol: 'BTC/USDT:USDT', fundingTimeMs: 1758240000005, rate: 2.109e-5 })
 * ```
 */
export const fundingRateSchema = z
  .object({
    symbol: unifiedSymbol,
    fundingTimeMs: timestampMs,
    rate: finiteNumber.gt(-1).lt(1),
    markPrice: positiveNumber.optional(),
  })
  .strict()

/** A funding rate settlement. */
export type FundingRate = z.infer<typeof fundingRateSchema>

/**
 * Schema of a {@link CandleSubscription}.
 * @example
 * ```ts
 * import { candleSubscriptionSchema } from '@perpkit/core'
 * candleSubscriptionSchema.parse({ symbol: 'BTC/USDT:USDT', timeframe: '5m' })
 * ```
 */
export const candleSubscriptionSchema = z.object({ symbol: unifiedSymbol, timeframe: timeframeSchema }).strict()
/** Which candles a feed should deliver. */
export type CandleSubscription = z.infer<typeof candleSubscriptionSchema>
