/**
 * Orders: the request a caller sends, the order a venue reports, and the fills it produces.
 * @module
 */
import { z } from 'zod'
import { isConditionalOrderType, liquiditySchema, orderStatusSchema, orderTypeSchema, PRICED_ORDER_TYPES, sideSchema, timeInForceSchema, triggerPriceTypeSchema } from './enums.js'
import { clientOrderIdSchema, finiteNumber, nonNegativeNumber, positiveNumber, timestampMs, unifiedSymbol } from './primitives.js'

/**
 * Trailing-stop parameters: `callbackRate` as a fraction (0.01 = 1 %), optional activation price.
 * @example
 * ```ts
 * import { trailingSchema } from '@perpkit/core'
 * trailingSchema.parse({ callbackRate: 0.005, activationPrice: 66000 })
 * ```
 */
export const trailingSchema = z
  .object({
    callbackRate: finiteNumber.gt(0, 'must be > 0').max(0.1, 'must be <= 0.1 (10 %)'),
    activationPrice: positiveNumber.optional(),
  })
  .strict()
/** Trailing-stop parameters. */
export type Trailing = z.infer<typeof trailingSchema>

/**
 * Schema of an {@link OrderRequest}, with cross-field rules: limit-type orders need `price`, conditional
 * orders need `triggerPrice` (trailing stops need `trailing`), `post-only` only on limit orders,
 * `closePosition` only on stop/take-profit market orders. Tick/step checks need the instrument:
 * see `validateOrderRequest`.
 *
 * @example
 * ```ts
 * import { orderRequestSchema } from '@perpkit/core'
 * orderRequestSchema.parse({
 *   symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_a1b2_sl', side: 'sell', type: 'stop-market',
 *   qty: 0.01, triggerPrice: 64000, triggerPriceType: 'mark', reduceOnly: true,
 * })
 * ```
 */
export const orderRequestSchema = z
  .object({
    symbol: unifiedSymbol,
    clientOrderId: clientOrderIdSchema,
    side: sideSchema,
    type: orderTypeSchema,
    qty: positiveNumber,
    price: positiveNumber.optional(),
    triggerPrice: positiveNumber.optional(),
    triggerPriceType: triggerPriceTypeSchema.optional(),
    timeInForce: timeInForceSchema.optional(),
    reduceOnly: z.boolean().optional(),
    closePosition: z.boolean().optional(),
    trailing: trailingSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const priced = PRICED_ORDER_TYPES.includes(o.type)
    if (priced && o.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: `a ${o.type} order needs a price` })
    if (!priced && o.price !== undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: `a ${o.type} order takes no price` })
    const needsTrigger = o.type === 'stop-market' || o.type === 'stop-limit' || o.type === 'take-profit-market' || o.type === 'take-profit-limit'
    if (needsTrigger && o.triggerPrice === undefined) ctx.addIssue({ code: 'custom', path: ['triggerPrice'], message: `a ${o.type} order needs a triggerPrice` })
    if ((o.type === 'market' || o.type === 'limit') && o.triggerPrice !== undefined) ctx.addIssue({ code: 'custom', path: ['triggerPrice'], message: `a ${o.type} order takes no triggerPrice` })
    if (o.type === 'trailing-stop' && o.trailing === undefined) ctx.addIssue({ code: 'custom', path: ['trailing'], message: 'a trailing-stop order needs trailing.callbackRate' })
    if (o.type !== 'trailing-stop' && o.trailing !== undefined) ctx.addIssue({ code: 'custom', path: ['trailing'], message: 'trailing is only for trailing-stop orders' })
    if (o.timeInForce === 'post-only' && o.type !== 'limit') ctx.addIssue({ code: 'custom', path: ['timeInForce'], message: 'post-only applies to limit orders only' })
    if (o.closePosition === true && o.type !== 'stop-market' && o.type !== 'take-profit-market') {
      ctx.addIssue({ code: 'custom', path: ['closePosition'], message: 'closePosition applies to stop-market and take-profit-market only' })
    }
  })

/** What a caller asks a venue to do. `qty` is in the instrument's quantity unit (base asset or contracts). */
export type OrderRequest = z.infer<typeof orderRequestSchema>

/**
 * Schema of an {@link AmendRequest}: change price, quantity or trigger of a live order identified by client id.
 * @example
 * ```ts
 * import { amendRequestSchema } from '@perpkit/core'
 * amendRequestSchema.parse({ symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_a1b2_sl', triggerPrice: 64500 })
 * ```
 */
export const amendRequestSchema = z
  .object({
    symbol: unifiedSymbol,
    clientOrderId: clientOrderIdSchema,
    qty: positiveNumber.optional(),
    price: positiveNumber.optional(),
    triggerPrice: positiveNumber.optional(),
  })
  .strict()
  .refine((a) => a.qty !== undefined || a.price !== undefined || a.triggerPrice !== undefined, {
    message: 'an amend must change qty, price or triggerPrice',
  })
/** An amend request. */
export type AmendRequest = z.infer<typeof amendRequestSchema>

/**
 * Schema of an {@link OrderRef}: identifies one order by symbol and client id.
 * @example
 * ```ts
 * import { orderRefSchema } from '@perpkit/core'
 * orderRefSchema.parse({ symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_a1b2_sl' })
 * ```
 */
export const orderRefSchema = z.object({ symbol: unifiedSymbol, clientOrderId: clientOrderIdSchema }).strict()
/** Reference to one order by client id. */
export type OrderRef = z.infer<typeof orderRefSchema>

/**
 * Which of a venue's two order books holds an order: `regular` (the matching engine's book: market, limit and
 * any order a conditional order became when it fired) or `conditional` (stops, take-profits and trailing stops
 * waiting for their trigger: Binance's Algo Order service, Bybit's conditional orders). The books have separate
 * limits (`Instrument.maxOpenOrders`, `Instrument.maxAlgoOrders`) and, on Binance, separate endpoints and ids.
 * @example
 * ```ts
 * import { orderBookSchema } from '@perpkit/core'
 * orderBookSchema.parse('conditional')
 * ```
 */
export const orderBookSchema = z.enum(['regular', 'conditional'])
/** The order book of an {@link Order}. See {@link orderBookSchema}. */
export type OrderBook = z.infer<typeof orderBookSchema>

/**
 * Schema of an {@link Order} as the venue reports it. `avgFillPrice` is 0 while nothing is filled.
 *
 * - `book`: the order book that holds it (absent: `conditional` for conditional order types, else `regular`;
 *   see `orderBookOf`).
 * - `triggeredOrderId`: for a conditional order that fired, the venue id of the order it became in the regular
 *   book (Binance's algo order → its matching-engine order). The port keeps reporting it under the
 *   conditional order's client id, so a caller tracks one order per client id on every venue.
 * - `updateId`: orders views of the same order (REST answer vs stream event): a view whose `updateId` is lower
 *   than one already seen is older and must be ignored. Venues that only give a millisecond update time use it
 *   as the id, so equal ids do not prove equal states (compare `filledQty` and the status). Absent when unknown.
 * @example
 * ```ts
 * import { orderSchema } from '@perpkit/core'
 * orderSchema.parse({
 *   symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_a1b2_in', venueOrderId: '8389765', side: 'buy', type: 'limit',
 *   status: 'open', qty: 0.01, filledQty: 0, avgFillPrice: 0, price: 65000, timeInForce: 'GTC',
 *   reduceOnly: false, closePosition: false, createdAtMs: 1758240000000, updatedAtMs: 1758240000000,
 * })
 * ```
 */
export const orderSchema = z
  .object({
    symbol: unifiedSymbol,
    clientOrderId: z.string().min(1),
    venueOrderId: z.string().min(1),
    side: sideSchema,
    type: orderTypeSchema,
    status: orderStatusSchema,
    qty: nonNegativeNumber,
    filledQty: nonNegativeNumber,
    avgFillPrice: nonNegativeNumber,
    price: positiveNumber.optional(),
    triggerPrice: positiveNumber.optional(),
    triggerPriceType: triggerPriceTypeSchema.optional(),
    timeInForce: timeInForceSchema,
    reduceOnly: z.boolean(),
    closePosition: z.boolean(),
    trailing: trailingSchema.optional(),
    createdAtMs: timestampMs,
    updatedAtMs: timestampMs,
    rejectReason: z.string().optional(),
    book: orderBookSchema.optional(),
    triggeredOrderId: z.string().min(1).optional(),
    updateId: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((o) => o.filledQty <= o.qty * (1 + 1e-12) || o.closePosition, { path: ['filledQty'], message: 'filledQty exceeds qty' })

/** An order as reported by the venue. `clientOrderId` may be a venue-generated one (e.g. `autoclose-…`). */
export type Order = z.infer<typeof orderSchema>

/**
 * The order book that holds `order`: its `book` when the venue said so, otherwise `conditional` for conditional
 * order types and `regular` for the rest.
 *
 * @param order - an order (only `book` and `type` are read)
 * @returns `'regular' | 'conditional'`
 * @example
 * ```ts
 * import { orderBookOf } from '@perpkit/core'
 * orderBookOf({ type: 'stop-market' }) // 'conditional'
 * orderBookOf({ type: 'limit', book: 'regular' }) // 'regular'
 * ```
 */
export function orderBookOf(order: Pick<Order, 'type'> & { readonly book?: OrderBook | undefined }): OrderBook {
  return order.book ?? (isConditionalOrderType(order.type) ? 'conditional' : 'regular')
}

/**
 * True when `next` is not older than `previous` by their `updateId`s (either unknown counts as not older), so a
 * consumer that merges REST answers and stream events drops the stale view.
 *
 * @param args.previous - the view already applied
 * @param args.next - the view just received
 * @returns false only when both carry an `updateId` and `next`'s is lower
 * @example
 * ```ts
 * import { isNewerOrSameOrderView } from '@perpkit/core'
 * isNewerOrSameOrderView({ previous: { updateId: 7 }, next: { updateId: 6 } }) // false
 * ```
 */
export function isNewerOrSameOrderView(args: {
  readonly previous: { readonly updateId?: number | undefined }
  readonly next: { readonly updateId?: number | undefined }
}): boolean {
  const a = args.previous.updateId
  const b = args.next.updateId
  return a === undefined || b === undefined || b >= a
}

/**
 * Who caused a fill: `user` (an order this account placed), `liquidation` (the venue's forced close-out of a
 * position) or `adl` (auto-deleveraging: the venue closed this position against a liquidated counterparty).
 * @example
 * ```ts
 * import { fillOriginSchema } from '@perpkit/core'
 * fillOriginSchema.parse('liquidation') // 'liquidation'
 * ```
 */
export const fillOriginSchema = z.enum(['user', 'liquidation', 'adl'])

/**
 * Schema of a {@link Fill}. `feeAmount` > 0 is a cost, < 0 a rebate, in `feeAsset`. `origin` says who caused the
 * fill; absent means `user`. Adapters set it from the venue's own marker (an execution type, a liquidation
 * stream), so no caller has to guess it from client-order-id prefixes, which differ by venue.
 * @example
 * ```ts
 * import { fillSchema } from '@perpkit/core'
 * fillSchema.parse({
 *   symbol: 'BTC/USDT:USDT', tradeId: '77', venueOrderId: '8389765', clientOrderId: 'pk_a1b2_in', side: 'buy',
 *   price: 65000, qty: 0.004, feeAmount: 0.052, feeAsset: 'USDT', liquidity: 'maker', timestampMs: 1758240000100,
 * })
 * ```
 */
export const fillSchema = z
  .object({
    symbol: unifiedSymbol,
    tradeId: z.string().min(1),
    venueOrderId: z.string().min(1),
    clientOrderId: z.string().min(1),
    side: sideSchema,
    price: positiveNumber,
    qty: positiveNumber,
    feeAmount: finiteNumber,
    feeAsset: z.string().min(1),
    liquidity: liquiditySchema,
    timestampMs,
    realizedPnl: finiteNumber.optional(),
    origin: fillOriginSchema.optional(),
  })
  .strict()

/** Who caused a {@link Fill} (absent on a fill means `user`). */
export type FillOrigin = z.infer<typeof fillOriginSchema>

/** One execution (trade) of an order. `tradeId` is unique per symbol on the venue. */
export type Fill = z.infer<typeof fillSchema>
