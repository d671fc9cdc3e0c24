/**
 * The Binance USDⓈ-M dialect: REST under `/fapi/*`, WebSocket streams under `/ws`, `/stream`, `/market/*`,
 * `/public/*` and `/private/*`, over the simulated `binance-usdm` venue.
 * @module
 */
import type { Dialect, DialectContext, DialectInstance, VenueResponse } from '../dialect.js'
import { binanceError } from './errors.js'
import { BINANCE_LIMITS } from './exchange-info.js'
import { createBinanceGate } from './guard.js'
import { binanceDefaults } from './instruments.js'
import { createListenKeys } from './listen-keys.js'
import { accountRoutes } from './routes/account.js'
import { algoRoutes } from './routes/algo.js'
import { generalRoutes } from './routes/general.js'
import { marketRoutes } from './routes/market.js'
import { tradeRoutes } from './routes/trade.js'
import { createBinanceSession } from './session.js'
import { createStreamHub, type StreamHub } from './streams.js'
import { createUserEventTranslator } from './user-events.js'

/**
 * 5xx answers, as the docs describe them: "Service Unavailable." means the request failed (the venue did not
 * act); -1007 means the request reached the backend and its outcome is unknown (the venue may have acted).
 */
const SERVICE_UNAVAILABLE = 'Service Unavailable.'
const OUTCOME_UNKNOWN = { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' }

function createInstance(ctx: DialectContext): DialectInstance {
  const gate = createBinanceGate(ctx)
  const session = createBinanceSession(ctx)
  const holder: { hub?: StreamHub } = {}
  const listenKeys = createListenKeys({ session, onExpired: (key) => holder.hub?.expired(key) })
  const streams = createStreamHub({ session, isValidListenKey: (key) => listenKeys.isValid(key) })
  holder.hub = streams
  const unsubscribe = session.sim().subscribeUserStream(createUserEventTranslator({ session, emit: (frame) => streams.userEvent(frame) }))
  ctx.faults.onWsFault((fault) => {
    if (fault.kind === 'expire-user-stream') listenKeys.expireAll()
  })
  const specs = [...generalRoutes(ctx), ...marketRoutes(session), ...tradeRoutes(session), ...algoRoutes(session), ...accountRoutes(session), ...listenKeys.routes()]
  return {
    routes: specs.map((s) => gate.route(s)),
    notFound: (): VenueResponse => ({ status: 404, body: '<html><body><h2>404 Not found</h2></body></html>' }),
    onWsConnection: (peer) => streams.connect(peer),
    renderFault(fault) {
      switch (fault.kind) {
        case 'rate-limited': {
          gate.strike()
          const res = binanceError(-1003, BINANCE_LIMITS.weightPerMinute)
          return { ...res, status: 429, headers: { 'Retry-After': String(fault.retryAfterSec ?? 1) } }
        }
        case 'maintenance':
          return fault.venueCode === -1008 ? binanceError(-1008) : binanceError(-1001)
        case 'http-5xx-after-accept':
          return { status: 503, body: OUTCOME_UNKNOWN }
        default:
          return { status: 503, body: SERVICE_UNAVAILABLE }
      }
    },
    responseHeaders: (req) => gate.headers(req),
    close() {
      unsubscribe()
      listenKeys.close()
      streams.close()
    },
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
