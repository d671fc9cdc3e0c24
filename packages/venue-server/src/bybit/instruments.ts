/**
 * Default Bybit instruments and balances: the inverse perpetual BTCUSD (1 contract = 1 USD, settled in BTC,
 * tick 0.5, qty step 1) and the USDT perpetual BTCUSDT (tick 0.1, qty step 0.001, minimum order value 5 USDT),
 * with Bybit's non-VIP derivatives fees (maker 0.02 %, taker 0.055 %). Both flavours (testnet, production) are
 * the same.
 * @module
 */
import type { Instrument } from '@perpkit/core'
import type { DialectDefaults } from '../dialect.js'

const FEES = { makerFeeRate: 0.0002, takerFeeRate: 0.00055 }

/**
 * The inverse BTCUSD perpetual.
 * @example
 * ```ts
 * BYBIT_BTCUSD.contractSize // 1 (USD)
 * ```
 */
export const BYBIT_BTCUSD: Instrument = {
  symbol: 'BTC/USD:BTC',
  venue: 'bybit-inverse',
  venueSymbol: 'BTCUSD',
  kind: 'inverse',
  base: 'BTC',
  quote: 'USD',
  settle: 'BTC',
  contractSize: 1,
  tickSize: 0.5,
  lotStep: 1,
  minQty: 1,
  maxQty: 1_000_000,
  minNotional: 0,
  maxLeverage: 100,
  ...FEES,
}

/**
 * The linear BTCUSDT perpetual.
 * @example
 * ```ts
 * BYBIT_BTCUSDT.minNotional // 5 (USDT)
 * ```
 */
export const BYBIT_BTCUSDT: Instrument = {
  symbol: 'BTC/USDT:USDT',
  venue: 'bybit-linear',
  venueSymbol: 'BTCUSDT',
  kind: 'linear',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  contractSize: 1,
  tickSize: 0.1,
  lotStep: 0.001,
  minQty: 0.001,
  maxQty: 1_190,
  minNotional: 5,
  maxLeverage: 100,
  ...FEES,
}

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
