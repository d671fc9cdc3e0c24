/**
 * The contract suite against `@perpkit/sim` in-process, once per venue profile.
 */
import { createTestClock, type Instrument } from '@perpkit/core'
import { createSimVenue, type VenueProfileId } from '@perpkit/sim'
import { exchangeClientContract } from '../src/testing/index.js'

// Instrument specs as the venues publish them (Binance BTCUSDT exchangeInfo filters; Bybit instruments-info).
const INSTRUMENTS: Readonly<Record<VenueProfileId, { readonly ins: Instrument; readonly balances: Record<string, number> }>> = {
  'binance-usdm': {
    ins: {
      symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT', contractSize: 1,
      tickSize: 0.1, lotStep: 0.001, minQty: 0.001, maxQty: 1000, minNotional: 100, maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005,
    },
    balances: { USDT: 10_000 },
  },
  'bybit-linear': {
    ins: {
      symbol: 'BTC/USDT:USDT', venue: 'bybit-linear', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT', contractSize: 1,
      tickSize: 0.1, lotStep: 0.001, minQty: 0.001, maxQty: 1190, minNotional: 5, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.00055,
    },
    balances: { USDT: 10_000 },
  },
  'bybit-inverse': {
    ins: {
      symbol: 'BTC/USD:BTC', venue: 'bybit-inverse', venueSymbol: 'BTCUSD', kind: 'inverse', base: 'BTC', quote: 'USD', settle: 'BTC', contractSize: 1,
      tickSize: 0.5, lotStep: 1, minQty: 1, maxQty: 1_000_000, minNotional: 0, maxLeverage: 100, makerFeeRate: 0.0002, takerFeeRate: 0.00055,
    },
    balances: { BTC: 1 },
  },
}

for (const profile of ['binance-usdm', 'bybit-linear', 'bybit-inverse'] as const) {
  exchangeClientContract(
    async () => {
      const { ins, balances } = INSTRUMENTS[profile]
      const clock = createTestClock(Date.UTC(2026, 0, 5))
      const venue = createSimVenue({ profile, clock, balances, instruments: [ins], record: { calls: true } })
      let seq = 0
      return {
        client: venue,
        symbol: ins.symbol,
        referencePrice: 65_000,
        trade: async (price) => {
          clock.advance(1_000)
          venue.applyTrade({ symbol: ins.symbol, trade: { tradeId: `t${++seq}`, timestampMs: clock.now(), price, qty: 5, side: 'buy' } })
        },
        orderRequestsReachingVenue: () => venue.callLog().filter((c) => c.method === 'createOrder' && c.reachedVenue).length,
        settle: async () => undefined,
        dispose: async () => undefined,
      }
    },
    { name: `ExchangeClient contract: @perpkit/sim ${profile}` },
  )
}
