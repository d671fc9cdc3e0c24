/**
 * Default Binance USDⓈ-M instruments and balances per flavour: the testnet flavour trades USDT-margined
 * perpetuals, the production flavour USDC-margined ones. Filter values mirror what `GET /fapi/v1/exchangeInfo`
 * reported for these symbols (tick 0.1 / step 0.001 for BTC, 0.01 / 0.001 for ETH); fee rates are the
 * venue's regular tier-0 rates (USDⓈ-M USDT: maker 0.02 %, taker 0.05 %; USDC: maker 0 %, taker 0.04 %). The USDT
 * instruments are `@perpkit/core/testing`'s, so the tests' fixtures and the wire agree.
 * @module
 */
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT, BINANCE_ETHUSDT } from '@perpkit/core/testing'
import type { DialectDefaults, Flavour } from '../dialect.js'

/**
 * Extra per-symbol Binance filter values that core's `Instrument` does not carry.
 * @example
 * ```ts
 * const extra: BinanceSymbolExtras = { minPrice: 261.1, maxPrice: 809484, marketMaxQty: 120, percentUp: 1.05, percentDown: 0.95 }
 * ```
 */
export interface BinanceSymbolExtras {
  readonly minPrice: number
  readonly maxPrice: number
  /** MARKET_LOT_SIZE maxQty. */
  readonly marketMaxQty: number
  /** PERCENT_PRICE multiplierUp / multiplierDown. */
  readonly percentUp: number
  readonly percentDown: number
}

const USDC_FEES = { maker: 0, taker: 0.0004 }

/** The production flavour's USDC-margined twin of a USDT-margined fixture (minimum notional 5 USDC). */
const usdc = (usdt: Instrument): Instrument => ({
  ...usdt,
  symbol: `${usdt.base}/USDC:USDC`,
  venueSymbol: `${usdt.base}USDC`,
  quote: 'USDC',
  settle: 'USDC',
  minNotional: 5,
  makerFeeRate: USDC_FEES.maker,
  takerFeeRate: USDC_FEES.taker,
})

/**
 * Filter extras of a default instrument, derived from its tick (unknown symbols get wide bounds).
 *
 * @param instrument - the instrument
 * @returns its {@link BinanceSymbolExtras}
 * @throws never
 * @example
 * ```ts
 * binanceExtras(btcusdt).marketMaxQty // 120
 * ```
 */
export function binanceExtras(instrument: Instrument): BinanceSymbolExtras {
  if (instrument.base === 'BTC') return { minPrice: 261.1, maxPrice: 809484, marketMaxQty: 120, percentUp: 1.05, percentDown: 0.95 }
  if (instrument.base === 'ETH') return { minPrice: 39.86, maxPrice: 306177, marketMaxQty: 2000, percentUp: 1.05, percentDown: 0.95 }
  return { minPrice: instrument.tickSize, maxPrice: 1_000_000, marketMaxQty: instrument.maxQty ?? 1_000_000, percentUp: 1.05, percentDown: 0.95 }
}

/**
 * Defaults of the Binance USDⓈ-M dialect: BTC and ETH perpetuals margined in USDT (testnet) or USDC
 * (production), and a 10,000 wallet in the margin asset.
 *
 * @param flavour - `testnet` or `production`
 * @returns instruments and balances
 * @throws never
 * @example
 * ```ts
 * binanceDefaults('production').instruments[0]?.symbol // 'BTC/USDC:USDC'
 * ```
 */
export function binanceDefaults(flavour: Flavour): DialectDefaults {
  const settle = flavour === 'testnet' ? 'USDT' : 'USDC'
  const usdt = [BINANCE_BTCUSDT, BINANCE_ETHUSDT]
  return {
    instruments: settle === 'USDT' ? usdt : usdt.map(usdc),
    balances: { 'binance-usdm': { [settle]: 10_000 } },
  }
}
