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
export { BINANCE_ERROR_TABLE, type BinanceErrorRow, type ErrorClass, type FailedRequest, mapBinanceError } from './binance/errors.js'
export { type FeeRates } from './binance/instruments.js'
export { type UserStreamTimings } from './binance/user-stream.js'
