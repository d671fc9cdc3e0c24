/**
 * The Binance USDⓈ-M dialect: REST under `/fapi/*`, WebSocket streams under `/ws` and `/stream`, over the
 * simulated `binance-usdm` venue.
 * @module
 */
import type { Dialect, DialectContext, DialectInstance, VenueResponse } from '../dialect.js'
import { binanceError } from './errors.js'
import { createBinanceGate } from './guard.js'
import { binanceDefaults } from './instruments.js'
import { generalRoutes } from './routes/general.js'

/** Binance's answer to a 5xx it cannot explain (the body of its HTTP 503 "unknown error" page). */
const UNKNOWN_ERROR_BODY = { code: -1000, msg: 'An unknown error occured while processing the request.' }

function createInstance(ctx: DialectContext): DialectInstance {
  const gate = createBinanceGate(ctx)
  const specs = [...generalRoutes(ctx)]
  return {
    routes: specs.map((s) => gate.route(s)),
    notFound: (): VenueResponse => ({ status: 404, body: '<html><body><h2>404 Not found</h2></body></html>' }),
    onWsConnection(peer) {
      peer.close(1008, 'unknown stream path')
    },
    renderFault(fault) {
      switch (fault.kind) {
        case 'rate-limited': {
          gate.strike()
          const res = binanceError(-1003, 2400)
          return { ...res, status: 429, headers: { 'Retry-After': String(fault.retryAfterSec ?? 1) } }
        }
        case 'maintenance':
          return fault.venueCode === -1008 ? binanceError(-1008) : binanceError(-1001)
        default:
          return { status: 503, body: UNKNOWN_ERROR_BODY }
      }
    },
    responseHeaders: (req) => gate.headers(req),
    close() {},
  }
}

/**
 * The Binance USDⓈ-M dialect (`dialect: 'binance-usdm'`).
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'production' }) // USDC-margined
 * ```
 */
export const binanceUsdmDialect: Dialect = {
  name: 'binance-usdm',
  venues: ['binance-usdm'],
  defaults: binanceDefaults,
  create: createInstance,
}
