/**
 * Instrument specification: everything sizing, rounding and validation need to know about a perpetual.
 * @module
 */
import { z } from 'zod'
import { contractKindSchema, venueIdSchema } from './enums.js'
import { finiteNumber, nonNegativeNumber, positiveNumber, unifiedSymbol } from './primitives.js'

/**
 * Schema of an {@link Instrument}.
 *
 * Quantity units: for `linear` instruments `qty` is in the base asset (BTC for BTC/USDT:USDT) and
 * `contractSize` is base units per contract (1 on Binance USDⓈ-M). For `inverse` instruments `qty` is in
 * contracts and `contractSize` is the USD value of one contract (1 on Bybit BTCUSD, 100 on Binance COIN-M).
 *
 * Fee rates are fractions (0.0005 = 0.05 %); a negative maker rate is a rebate.
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
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.maxQty !== undefined && v.maxQty < v.minQty) {
      ctx.addIssue({ code: 'custom', path: ['maxQty'], message: 'maxQty must be >= minQty' })
    }
    if (v.kind === 'inverse' && v.settle !== v.base) {
      ctx.addIssue({ code: 'custom', path: ['settle'], message: 'an inverse contract settles in its base asset' })
    }
  })

/** A tradable perpetual contract on a venue. See {@link instrumentSchema}. */
export type Instrument = z.infer<typeof instrumentSchema>
