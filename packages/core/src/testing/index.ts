/**
 * `@perpkit/core/testing`: fixtures for tests, benchmarks and local venues — one definition of each instrument
 * perpkit's tests trade, with tick / step / limits from the venues' instrument lists and fees from their published
 * base-tier schedules (sources in `instruments.ts`).
 * @module
 */
export {
  BINANCE_BTCUSDT,
  BINANCE_ETHUSDT,
  BINANCE_USDM_VIP0_FEES,
  BYBIT_BTCUSD,
  BYBIT_BTCUSDT,
  BYBIT_DERIVATIVES_VIP0_FEES,
} from './instruments.js'
