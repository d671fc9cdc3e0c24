/**
 * Closed enumerations of the domain, as zod schemas plus their inferred types.
 * @module
 */
import { z } from 'zod'

/**
 * Order side.
 * @example
 * ```ts
 * import { sideSchema, type Side } from '@perpkit/core'
 * const s: Side = sideSchema.parse('buy')
 * ```
 */
export const sideSchema = z.enum(['buy', 'sell'])
/** Order side: `'buy' | 'sell'`. */
export type Side = z.infer<typeof sideSchema>

/**
 * Side of an open position (one-way mode: a symbol has at most one).
 * @example
 * ```ts
 * import { positionSideSchema } from '@perpkit/core'
 * positionSideSchema.parse('short')
 * ```
 */
export const positionSideSchema = z.enum(['long', 'short'])
/** Position side: `'long' | 'short'`. */
export type PositionSide = z.infer<typeof positionSideSchema>

/**
 * Order types supported across venues.
 * @example
 * ```ts
 * import { orderTypeSchema } from '@perpkit/core'
 * orderTypeSchema.parse('stop-market')
 * ```
 */
export const orderTypeSchema = z.enum([
  'market',
  'limit',
  'stop-market',
  'stop-limit',
  'take-profit-market',
  'take-profit-limit',
  'trailing-stop',
])
/** Order type. */
export type OrderType = z.infer<typeof orderTypeSchema>

/**
 * Order types that rest untriggered until a trigger price is crossed.
 * @example
 * ```ts
 * import { CONDITIONAL_ORDER_TYPES } from '@perpkit/core'
 * CONDITIONAL_ORDER_TYPES.includes('stop-market') // true
 * ```
 */
export const CONDITIONAL_ORDER_TYPES: readonly OrderType[] = ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop']

/**
 * Order types that carry a limit `price`.
 * @example
 * ```ts
 * import { PRICED_ORDER_TYPES } from '@perpkit/core'
 * PRICED_ORDER_TYPES.includes('take-profit-limit') // true
 * ```
 */
export const PRICED_ORDER_TYPES: readonly OrderType[] = ['limit', 'stop-limit', 'take-profit-limit']

/**
 * True for conditional (triggered) order types.
 * @example
 * ```ts
 * import { isConditionalOrderType } from '@perpkit/core'
 * isConditionalOrderType('stop-market') // true
 * ```
 */
export function isConditionalOrderType(type: OrderType): boolean {
  return CONDITIONAL_ORDER_TYPES.includes(type)
}

/**
 * Time in force. `post-only` is Binance `GTX` / Bybit `PostOnly`: rejected if it would take liquidity.
 * @example
 * ```ts
 * import { timeInForceSchema } from '@perpkit/core'
 * timeInForceSchema.parse('post-only')
 * ```
 */
export const timeInForceSchema = z.enum(['GTC', 'IOC', 'FOK', 'post-only'])
/** Time in force. */
export type TimeInForce = z.infer<typeof timeInForceSchema>

/**
 * Which price a conditional order watches (Binance `workingType`, Bybit `triggerBy`).
 * @example
 * ```ts
 * import { triggerPriceTypeSchema } from '@perpkit/core'
 * triggerPriceTypeSchema.parse('mark')
 * ```
 */
export const triggerPriceTypeSchema = z.enum(['mark', 'last', 'index'])
/** Trigger price type. */
export type TriggerPriceType = z.infer<typeof triggerPriceTypeSchema>

/**
 * Status of an order as the venue reports it.
 * `untriggered`: a conditional order waiting for its trigger; `triggered`: it fired and is being executed.
 * @example
 * ```ts
 * import { orderStatusSchema } from '@perpkit/core'
 * orderStatusSchema.parse('partially-filled')
 * ```
 */
export const orderStatusSchema = z.enum(['open', 'untriggered', 'triggered', 'partially-filled', 'filled', 'canceled', 'rejected', 'expired'])
/** Venue order status. */
export type OrderStatus = z.infer<typeof orderStatusSchema>

/**
 * Venue statuses after which an order can change no more (except a late fill after cancel).
 * @example
 * ```ts
 * import { TERMINAL_ORDER_STATUSES } from '@perpkit/core'
 * TERMINAL_ORDER_STATUSES.includes('canceled') // true
 * ```
 */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired']

/**
 * Contract kind: linear (quote-margined, qty in base asset) or inverse (coin-margined, qty in USD contracts).
 * @example
 * ```ts
 * import { contractKindSchema } from '@perpkit/core'
 * contractKindSchema.parse('inverse')
 * ```
 */
export const contractKindSchema = z.enum(['linear', 'inverse'])
/** Contract kind. */
export type ContractKind = z.infer<typeof contractKindSchema>

/**
 * Margin mode of a position.
 * @example
 * ```ts
 * import { marginModeSchema } from '@perpkit/core'
 * marginModeSchema.parse('isolated')
 * ```
 */
export const marginModeSchema = z.enum(['isolated', 'cross'])
/** Margin mode. */
export type MarginMode = z.infer<typeof marginModeSchema>

/**
 * Position mode of an account. perpkit trades in `one-way` mode only.
 * @example
 * ```ts
 * import { positionModeSchema } from '@perpkit/core'
 * positionModeSchema.parse('one-way')
 * ```
 */
export const positionModeSchema = z.enum(['one-way', 'hedge'])
/** Position mode. */
export type PositionMode = z.infer<typeof positionModeSchema>

/**
 * Venues perpkit knows: Binance USDⓈ-M futures, Bybit inverse (BTCUSD) and Bybit linear (USDT/USDC perps).
 * @example
 * ```ts
 * import { venueIdSchema } from '@perpkit/core'
 * venueIdSchema.parse('bybit-inverse')
 * ```
 */
export const venueIdSchema = z.enum(['binance-usdm', 'bybit-inverse', 'bybit-linear'])
/** Venue identifier. */
export type VenueId = z.infer<typeof venueIdSchema>

/**
 * Whether a fill added liquidity (maker) or took it (taker).
 * @example
 * ```ts
 * import { liquiditySchema } from '@perpkit/core'
 * liquiditySchema.parse('maker')
 * ```
 */
export const liquiditySchema = z.enum(['maker', 'taker'])
/** Liquidity role of a fill. */
export type Liquidity = z.infer<typeof liquiditySchema>

/**
 * Candle timeframes.
 * @example
 * ```ts
 * import { timeframeSchema } from '@perpkit/core'
 * timeframeSchema.parse('15m')
 * ```
 */
export const timeframeSchema = z.enum(['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d'])
/** Candle timeframe. */
export type Timeframe = z.infer<typeof timeframeSchema>

const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
}

/**
 * Length of a timeframe in milliseconds.
 * @example
 * ```ts
 * import { timeframeMs } from '@perpkit/core'
 * timeframeMs('1h') // 3600000
 * ```
 */
export function timeframeMs(timeframe: Timeframe): number {
  return TIMEFRAME_MS[timeframe]
}
