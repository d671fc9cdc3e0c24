/**
 * Instrument fixtures for tests, benchmarks and the local venue server: the perpetuals perpkit's tests trade,
 * each with one set of numbers.
 *
 * - Tick size, quantity step, minimum quantity / notional and maximum quantity are what the venues' instrument
 *   lists reported for these symbols: Binance USDⓈ-M `GET /fapi/v1/exchangeInfo` (PRICE_FILTER tickSize,
 *   LOT_SIZE stepSize / minQty / maxQty, MIN_NOTIONAL notional) and Bybit v5 `GET /v5/market/instruments-info`
 *   (priceFilter.tickSize, lotSizeFilter.qtyStep / minOrderQty / maxOrderQty, minNotionalValue). The local venue
 *   server (`@perpkit/venue-server`) serves exactly these instruments, so a test and the wire agree.
 * - Fees are the base tier of each venue's published schedule (a new account's rates):
 *   - Binance USDⓈ-M, regular user (VIP 0), USDT-margined: maker 0.0200 %, taker 0.0500 % — "Binance Futures
 *     Fee Structure & Fee Calculations", https://www.binance.com/en/support/faq/360033544231 (rates table:
 *     https://www.binance.com/en/fee/futureFee).
 *   - Bybit derivatives, non-VIP, perpetual and futures contracts (USDT and inverse): maker 0.0200 %, taker
 *     0.0550 % — "Trading Fee Structure", https://www.bybit.com/en/help-center/article/Trading-Fee-Structure.
 * @module
 */
import type { Instrument } from '../schemas/instrument.js'

/**
 * Binance USDⓈ-M regular-user (VIP 0) fee rates of USDT-margined contracts: maker 0.02 %, taker 0.05 %.
 * @example
 * ```ts
 * import { BINANCE_USDM_VIP0_FEES } from '@perpkit/core/testing'
 * BINANCE_USDM_VIP0_FEES.takerFeeRate // 0.0005
 * ```
 */
export const BINANCE_USDM_VIP0_FEES = { makerFeeRate: 0.0002, takerFeeRate: 0.0005 } as const

/**
 * Bybit non-VIP derivatives fee rates (perpetual and futures, USDT and inverse): maker 0.02 %, taker 0.055 %.
 * @example
 * ```ts
 * import { BYBIT_DERIVATIVES_VIP0_FEES } from '@perpkit/core/testing'
 * BYBIT_DERIVATIVES_VIP0_FEES.takerFeeRate // 0.00055
 * ```
 */
export const BYBIT_DERIVATIVES_VIP0_FEES = { makerFeeRate: 0.0002, takerFeeRate: 0.00055 } as const

/**
 * Binance USDⓈ-M BTCUSDT perpetual: tick 0.1, step 0.001, min qty 0.001, max qty 1,000, min notional 100 USDT.
 * @example
 * ```ts
 * import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
 * BINANCE_BTCUSDT.minNotional // 100
 * ```
 */
export const BINANCE_BTCUSDT: Instrument = {
  symbol: 'BTC/USDT:USDT',
  venue: 'binance-usdm',
  venueSymbol: 'BTCUSDT',
  kind: 'linear',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  contractSize: 1,
  tickSize: 0.1,
  lotStep: 0.001,
  minQty: 0.001,
  maxQty: 1000,
  minNotional: 100,
  maxLeverage: 125,
  ...BINANCE_USDM_VIP0_FEES,
}

/**
 * Binance USDⓈ-M ETHUSDT perpetual: tick 0.01, step 0.001, min qty 0.001, max qty 10,000, min notional 20 USDT.
 * @example
 * ```ts
 * import { BINANCE_ETHUSDT } from '@perpkit/core/testing'
 * BINANCE_ETHUSDT.tickSize // 0.01
 * ```
 */
export const BINANCE_ETHUSDT: Instrument = {
  ...BINANCE_BTCUSDT,
  symbol: 'ETH/USDT:USDT',
  venueSymbol: 'ETHUSDT',
  base: 'ETH',
  tickSize: 0.01,
  maxQty: 10000,
  minNotional: 20,
}

/**
 * Bybit inverse BTCUSD perpetual (1 contract = 1 USD, settled in BTC): tick 0.5, step 1, min qty 1.
 * @example
 * ```ts
 * import { BYBIT_BTCUSD } from '@perpkit/core/testing'
 * BYBIT_BTCUSD.kind // 'inverse'
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
  ...BYBIT_DERIVATIVES_VIP0_FEES,
}

/**
 * Bybit linear BTCUSDT perpetual: tick 0.1, step 0.001, min qty 0.001, max qty 1,190, min order value 5 USDT.
 * @example
 * ```ts
 * import { BYBIT_BTCUSDT } from '@perpkit/core/testing'
 * BYBIT_BTCUSDT.minNotional // 5
 * ```
 */
export const BYBIT_BTCUSDT: Instrument = {
  ...BINANCE_BTCUSDT,
  venue: 'bybit-linear',
  maxQty: 1_190,
  minNotional: 5,
  maxLeverage: 100,
  ...BYBIT_DERIVATIVES_VIP0_FEES,
}
