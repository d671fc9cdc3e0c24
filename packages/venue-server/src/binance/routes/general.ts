/**
 * Binance USDⓈ-M general endpoints: `ping`, `time`, `exchangeInfo`.
 * @module
 */
import type { DialectContext } from '../../dialect.js'
import { exchangeInfoBody } from '../exchange-info.js'
import type { BinanceRouteSpec } from '../guard.js'

/**
 * Route specs of the general endpoints.
 *
 * @param ctx - dialect context
 * @returns the specs (weights as documented: ping 1, time 1, exchangeInfo 1)
 * @throws never
 * @example
 * ```ts
 * generalRoutes(ctx).map((r) => r.path) // ['/fapi/v1/ping', '/fapi/v1/time', '/fapi/v1/exchangeInfo']
 * ```
 */
export function generalRoutes(ctx: DialectContext): readonly BinanceRouteSpec[] {
  return [
    { method: 'GET', path: '/fapi/v1/ping', name: 'ping', weight: 1, security: 'NONE', handle: () => ({ status: 200, body: {} }) },
    { method: 'GET', path: '/fapi/v1/time', name: 'time', weight: 1, security: 'NONE', handle: () => ({ status: 200, body: { serverTime: ctx.clock.now() } }) },
    {
      method: 'GET',
      path: '/fapi/v1/exchangeInfo',
      name: 'exchangeInfo',
      weight: 1,
      security: 'NONE',
      handle: () => ({ status: 200, body: exchangeInfoBody({ instruments: ctx.venue.instruments, serverTimeMs: ctx.clock.now() }) }),
    },
  ]
}
