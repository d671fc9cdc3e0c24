/**
 * `@perpkit/exchange`: live venue adapters behind core's `ExchangeClient` port. The only package that talks to
 * venues (ccxt for REST, ws for streams).
 *
 * @example
 * ```ts
 * import { EXCHANGE_PORT_VERSION } from '@perpkit/core'
 * ```
 * @packageDocumentation
 */
export {}
