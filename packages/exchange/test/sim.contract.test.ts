/**
 * The contract suite against `@perpkit/sim` in-process, once per venue profile.
 */
import { createTestClock, type Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD, BYBIT_BTCUSDT } from '@perpkit/core/testing'
import { createSimVenue, type VenueProfileId } from '@perpkit/sim'
import { exchangeClientContract } from '../src/testing/index.js'

// The shared fixtures (@perpkit/core/testing): tick, step and limits from the venues' instrument lists, base-tier fees.
const INSTRUMENTS: Readonly<Record<VenueProfileId, { readonly ins: Instrument; readonly balances: Record<string, number> }>> = {
  'binance-usdm': { ins: BINANCE_BTCUSDT, balances: { USDT: 10_000 } },
  'bybit-linear': { ins: BYBIT_BTCUSDT, balances: { USDT: 10_000 } },
  'bybit-inverse': { ins: BYBIT_BTCUSD, balances: { BTC: 1 } },
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
