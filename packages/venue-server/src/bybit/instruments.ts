/**
 * Default Bybit instruments and balances: the inverse perpetual BTCUSD (1 contract = 1 USD, settled in BTC,
 * tick 0.5, qty step 1) and the USDT perpetual BTCUSDT (tick 0.1, qty step 0.001, minimum order value 5 USDT),
 * with Bybit's non-VIP derivatives fees (maker 0.02 %, taker 0.055 %). Both flavours (testnet, production) are
 * the same. The instruments are `@perpkit/core/testing`'s, so the tests' fixtures and the wire agree.
 * @module
 */
import { BYBIT_BTCUSD, BYBIT_BTCUSDT } from '@perpkit/core/testing'
import type { DialectDefaults } from '../dialect.js'

/**
 * Defaults of the Bybit dialect: BTCUSD (inverse) with 1 BTC and BTCUSDT (linear) with 10,000 USDT.
 *
 * @returns instruments and balances
 * @throws never
 * @example
 * ```ts
 * bybitDefaults().instruments.map((i) => i.venueSymbol) // ['BTCUSD', 'BTCUSDT']
 * ```
 */
export function bybitDefaults(): DialectDefaults {
  return {
    instruments: [BYBIT_BTCUSD, BYBIT_BTCUSDT],
    balances: { 'bybit-inverse': { BTC: 1 }, 'bybit-linear': { USDT: 10_000 } },
  }
}
