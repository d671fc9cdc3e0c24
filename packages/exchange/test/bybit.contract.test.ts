/**
 * The contract suite against `createBybit` talking over real HTTP and WebSocket to the local Bybit v5 venue
 * server on 127.0.0.1, once per category: inverse (BTCUSD, coin-margined) and linear (BTCUSDT).
 */
import { createTestClock } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer } from '@perpkit/venue-server'
import { createBybit } from '../src/index.js'
import { exchangeClientContract } from '../src/testing/index.js'

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

for (const [category, symbol] of [['inverse', 'BTC/USD:BTC'], ['linear', 'BTC/USDT:USDT']] as const) {
  exchangeClientContract(
    async () => {
      const clock = createTestClock(Date.UTC(2026, 0, 5))
      const server = await startVenueServer({ dialect: 'bybit', clock, seed: 3 })
      const client = createBybit({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, category, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock })
      let seq = 0
      return {
        client,
        symbol,
        referencePrice: 65_000,
        trade: async (price) => {
          clock.advance(1_000)
          server.handle.venue.applyTrade({ symbol, trade: { tradeId: `t${++seq}`, timestampMs: clock.now(), price, qty: 5, side: 'buy' } })
        },
        orderRequestsReachingVenue: () => server.handle.requestLog().filter((r) => r.method === 'POST' && r.path === '/v5/order/create').length,
        settle: () => pause(5),
        dispose: () => server.close(),
      }
    },
    { name: `ExchangeClient contract: createBybit (${category}) over HTTP/WS to the local Bybit venue` },
  )
}
