/**
 * `@perpkit/core`: domain types with zod schemas, the venue / market-data / clock / journal ports,
 * the typed error model and exact precision helpers. Depends on zod only.
 *
 * @example
 * ```ts
 * import { roundPrice, perpSymbol, isPerpkitError } from '@perpkit/core'
 * const symbol = perpSymbol('BTC', 'USDT') // 'BTC/USDT:USDT'
 * const price = roundPrice({ price: 65000.37, tickSize: 0.1 }) // 65000.4
 * ```
 * @packageDocumentation
 */
export {
  AuthenticationError,
  ERROR_CODES,
  type ErrorCode,
  InsufficientMarginError,
  InvalidInputError,
  isDefiniteRejection,
  isFatalError,
  isPerpkitError,
  PERPKIT_ERROR_MARKER,
  PerpkitError,
  type PerpkitErrorOptions,
  RateLimitedError,
  UnknownOutcomeError,
  VenueRejectedError,
} from './errors.js'
export { type Fail, fail, type Ok, ok, type Result } from './result.js'
export { assertFinite, assertNonNegative, assertPositive } from './guards.js'
export { nextAveragePrice } from './average-price.js'
export { decimalsOf, formatDecimal, formatToStep, isOnStep, roundPrice, roundQty, type RoundingMode, roundToStep } from './precision.js'
export { formatIssuePath, parseOrThrow } from './validate.js'
export { validateOrderRequest } from './order-validation.js'
export {
  DEFAULT_BASES,
  defaultPerpSymbols,
  filterPerpMarkets,
  type MarketLike,
  parsePerpSymbol,
  perpSymbol,
  type PerpSymbolParts,
  type SettleCoin,
  settleCoinFor,
} from './symbols.js'
export { clientOrderIdSchema, finiteNumber, nonNegativeNumber, positiveNumber, timestampMs, unifiedSymbol } from './schemas/primitives.js'
export {
  CONDITIONAL_ORDER_TYPES,
  type ContractKind,
  contractKindSchema,
  isConditionalOrderType,
  type Liquidity,
  liquiditySchema,
  type MarginMode,
  marginModeSchema,
  type OrderStatus,
  orderStatusSchema,
  type OrderType,
  orderTypeSchema,
  type PositionMode,
  positionModeSchema,
  type PositionSide,
  positionSideSchema,
  PRICED_ORDER_TYPES,
  type Side,
  sideSchema,
  TERMINAL_ORDER_STATUSES,
  type Timeframe,
  timeframeMs,
  timeframeSchema,
  type TimeInForce,
  timeInForceSchema,
  type TriggerPriceType,
  triggerPriceTypeSchema,
  type VenueId,
  venueIdSchema,
} from './schemas/enums.js'
export {
  type Instrument,
  instrumentSchema,
  type InstrumentStatus,
  instrumentStatusSchema,
  type PercentPriceBounds,
  percentPriceBoundsSchema,
} from './schemas/instrument.js'
export {
  type Candle,
  candleSchema,
  type CandleSubscription,
  candleSubscriptionSchema,
  type FundingRate,
  fundingRateSchema,
  type MarkPrice,
  markPriceSchema,
  type TradeTick,
  tradeTickSchema,
} from './schemas/market.js'
export {
  type AmendRequest,
  amendRequestSchema,
  type Fill,
  type FillOrigin,
  fillOriginSchema,
  fillSchema,
  isNewerOrSameOrderView,
  type Order,
  type OrderBook,
  orderBookOf,
  orderBookSchema,
  type OrderRef,
  orderRefSchema,
  type OrderRequest,
  orderRequestSchema,
  orderSchema,
  type Trailing,
  trailingSchema,
} from './schemas/order.js'
export { type Balance, balanceSchema, equityOf, type Position, positionSchema } from './schemas/account.js'
export { type CancelTimer, type Clock, createTestClock, systemClock, type TestClock } from './ports/clock.js'
export {
  CONNECTION_REASONS,
  type ConnectionReason,
  type ConnectionState,
  EXCHANGE_PORT_VERSION,
  type ExchangeCapabilities,
  type ExchangeClient,
  type ExchangeMethod,
  type FillQuery,
  type RateLimitUsage,
  type RequestLimits,
  type Unsubscribe,
  type UserStreamEvent,
  type UserStreamEventType,
} from './ports/exchange.js'
export { type MarketDataEvent, type MarketDataFeed, type MarketDataSubscription } from './ports/market-data.js'
export { type Journal, type JournalRecord, type JournalRecovery } from './ports/journal.js'
