/**
 * Instrument specification: everything sizing, rounding and validation need to know about a perpetual.
 * @module
 */
import { z } from 'zod'
import { contractKindSchema, venueIdSchema } from './enums.js'
import { finiteNumber, nonNegativeNumber, positiveNumber, unifiedSymbol } from './primitives.js'

/**
 * Trading status of an instrument as the venue reports it. Only `trading` accepts new orders; `pre-trading`
 * (listed, not open yet), `halted` (suspended, break, settlement) and `delisted` (closed, delivering) refuse them.
 * @example
 * ```ts
 * import { instrumentStatusSchema } from '@perpkit/core'
 * instrumentStatusSchema.parse('trading')
 * ```
 */
export const instrumentStatusSchema = z.enum(['trading', 'pre-trading', 'halted', 'delisted'])
/** Trading status of an instrument. See {@link instrumentStatusSchema}. */
export type InstrumentStatus = z.infer<typeof instrumentStatusSchema>

/**
 * Percent-price bounds: a limit price must lie within `[mark × multiplierDown, mark × multiplierUp]`
 * (Binance `PERCENT_PRICE` filter; Bybit's price limit around the mark price).
 * @example
 * ```ts
 * import { percentPriceBoundsSchema } from '@perpkit/core'
 * percentPriceBoundsSchema.parse({ multiplierUp: 1.05, multiplierDown: 0.95 })
 * ```
 */
export const percentPriceBoundsSchema = z
  .object({ multiplierUp: finiteNumber.gt(1, 'must be > 1'), multiplierDown: finiteNumber.gt(0, 'must be > 0').lt(1, 'must be < 1') })
  .strict()
/** Percent-price bounds of an instrument. */
export type PercentPriceBounds = z.infer<typeof percentPriceBoundsSchema>

/**
 * Schema of an {@link Instrument}.
 *
 * Quantity units: for `linear` instruments `qty` is in the base asset (BTC for BTC/USDT:USDT) and
 * `contractSize` is base units per contract (1 on Binance USDⓈ-M). For `inverse` instruments `qty` is in
 * contracts and `contractSize` is the USD value of one contract (1 on Bybit BTCUSD, 100 on Binance COIN-M).
 *
 * Fee rates are fractions (0.0005 = 0.05 %); a negative maker rate is a rebate.
 *
 * Venue limits a live adapter reads and a simulator may leave out: `status` (absent means `trading`),
 * `maxMarketQty` (market orders may be capped below `maxQty`), `percentPrice` (limit price bounds around the
 * mark), `maxOpenOrders` (regular book) and `maxAlgoOrders` (conditional book: stops, take-profits, trailing).
 *
 * @example
 * ```ts
 * import { instrumentSchema } from '@perpkit/core'
 * const btc = instrumentSchema.parse({
 *   symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear',
 *   base: 'BTC', quote: 'USDT', settle: 'USDT', contractSize: 1, tickSize: 0.1, lotStep: 0.001,
 *   minQty: 0.001, minNotional: 100, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005,
 * })
 * ```
 */
export const instrumentSchema = z
  .object({
    symbol: unifiedSymbol,
    venue: venueIdSchema,
    venueSymbol: z.string().min(1),
    kind: contractKindSchema,
    base: z.string().min(1),
    quote: z.string().min(1),
    settle: z.string().min(1),
    contractSize: positiveNumber,
    tickSize: positiveNumber,
    lotStep: positiveNumber,
    minQty: positiveNumber,
    maxQty: positiveNumber.optional(),
    minNotional: nonNegativeNumber,
    maxLeverage: positiveNumber,
    makerFeeRate: finiteNumber.gt(-0.01).lt(0.01),
    takerFeeRate: finiteNumber.gt(-0.01).lt(0.01),
    status: instrumentStatusSchema.optional(),
    maxMarketQty: positiveNumber.optional(),
    percentPrice: percentPriceBoundsSchema.optional(),
    maxOpenOrders: z.number().int().positive().optional(),
    maxAlgoOrders: z.number().int().positive().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.maxQty !== undefined && v.maxQty < v.minQty) {
      ctx.addIssue({ code: 'custom', path: ['maxQty'], message: 'maxQty must be >= minQty' })
    }
    if (v.maxMarketQty !== undefined && v.maxMarketQty < v.minQty) {
      ctx.addIssue({ code: 'custom', path: ['maxMarketQty'], message: 'maxMarketQty must be >= minQty' })
    }
    if (v.kind === 'inverse' && v.settle !== v.base) {
      ctx.addIssue({ code: 'custom', path: ['settle'], message: 'an inverse contract settles in its base asset' })
    }
  })

/** A tradable perpetual contract on a venue. See {@link instrumentSchema}. */
export type Instrument = z.infer<typeof instrumentSchema>
