/**
 * `@perpkit/venue-server`: a local, wire-compatible Binance USDⓈ-M and Bybit v5 venue on 127.0.0.1 (HTTP +
 * WebSocket) over `@perpkit/sim`, with real HMAC auth, rate limits, venue error codes, a controllable clock
 * and price path, a request log, a wire event log and seeded fault injection. Real clients (ccxt) trade
 * against it.
 *
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm' })
 * console.log(server.httpUrl) // http://127.0.0.1:<port>
 * await server.close()
 * ```
 * @packageDocumentation
 */
export { startVenueServer, type VenueServer, type VenueServerHandle, type VenueServerOptions } from './server.js'
export type {
  Dialect,
  DialectContext,
  DialectDefaults,
  DialectInstance,
  DialectName,
  Flavour,
  HttpMethod,
  Route,
  VenueRequest,
  VenueResponse,
  WsChannel,
  WsPeer,
} from './dialect.js'
export { availableDialects, resolveDialect } from './registry.js'
export { createFaultEngine, type FaultEngine, type FaultPlan, type FaultTarget, type HttpFault, type HttpFaultKind, type WsFault } from './fault-plan.js'
export { type ApiKeyPermissions, type ApiKeySpec, createKeyStore, DEFAULT_API_KEY, type KeyStore } from './keys.js'
export { checkTimestamp, hmacSha256Hex, type TimestampCheck, verifyHmacSha256Hex } from './signature.js'
export { createRequestLog, loggableParams, type RequestLog, type RequestLogEntry } from './request-log.js'
export { createWireEventLog, type WireEvent, type WireEventLog } from './event-log.js'
export { type BanTracker, createBanTracker, createWindowCounter, type WindowCounter } from './rate-limit.js'
export { createVenueState, type MarketEvent, type SimPassThrough, type VenueData, type VenueState } from './venue-state.js'
export { binanceUsdmDialect } from './binance/dialect.js'
export { binanceSchemas } from './binance/schemas.js'
export { bybitDialect } from './bybit/dialect.js'
