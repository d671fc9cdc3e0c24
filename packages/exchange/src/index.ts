/**
 * `@perpkit/exchange`: live venue adapters behind core's `ExchangeClient` port. The only package that talks to
 * venues: the pinned ccxt signs REST requests, `ws` carries the streams.
 *
 * @example
 * ```ts
 * import { createBinanceUsdm } from '@perpkit/exchange'
 * const binance = createBinanceUsdm({ apiKey: 'key', secret: 'secret' }) // testnet unless environment: 'production'
 * await binance.connect()
 * ```
 * @packageDocumentation
 */
export { BINANCE_USDM_CAPABILITIES, type BinanceUsdmOptions, createBinanceUsdm } from './binance/client.js'
export { BINANCE_ERROR_TABLE, type BinanceErrorRow, mapBinanceError } from './binance/errors.js'
export { type UserStreamTimings } from './binance/user-stream.js'
export { BYBIT_CAPABILITIES, type BybitOptions, createBybit } from './bybit/client.js'
export { BYBIT_ERROR_TABLE, mapBybitError } from './bybit/errors.js'
export { type BybitStreamTimings } from './bybit/private-stream.js'
export { type FeeRates } from './shared/fees.js'
export { type ErrorClass, type FailedRequest, type VenueErrorRow } from './shared/errors.js'
export { type BinanceUsdmFeedOptions, createBinanceUsdmFeed } from './feed/binance-market.js'
export { type BybitFeedOptions, createBybitFeed } from './feed/bybit-market.js'
export { type LiveMarketDataFeed } from './feed/market-feed.js'
export { BINANCE_USDM_LIMITS, BINANCE_USDM_REQUEST_LIMITS, createBinanceRateBudget, readBinanceLimits } from './binance/rate-limits.js'
export { BYBIT_IP_BAN_MS, BYBIT_REQUEST_LIMITS, bybitLimits, createBybitRateBudget, readBybitLimits } from './bybit/rate-limits.js'
export { type BudgetLimit, type BudgetWindow, createRateBudget, type LimitReading, type RateBudget, type RequestGate, type RequestPriority } from './transport/rate-budget.js'
export { type LivenessProbe, USER_STREAM_PING_INTERVAL_MS } from './transport/heartbeat.js'
export { createResilientSocket, DEFAULT_SOCKET_TIMINGS, type ResilientSocket, type SocketTimings } from './transport/resilient-socket.js'
export { type ClockDriftEvent, type TimeSyncOptions } from './transport/time-sync.js'
