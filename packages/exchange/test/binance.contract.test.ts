/**
 * The contract suite against `createBinanceUsdm` talking over real HTTP and WebSocket to the local Binance
 * USDⓈ-M venue server on 127.0.0.1 (testnet flavour: USDT-margined perpetuals).
 */
import { createTestClock } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer } from '@perpkit/venue-server'
import { createBinanceUsdm } from '../src/index.js'
import { exchangeClientContract } from '../src/testing/index.js'

const SYMBOL = 'BTC/USDT:USDT'
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

exchangeClientContract(
  async () => {
    const clock = createTestClock(Date.UTC(2026, 0, 5))
    const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', clock, seed: 3 })
    const client = createBinanceUsdm({
      apiKey: DEFAULT_API_KEY.apiKey,
      secret: DEFAULT_API_KEY.secret,
      restBaseUrl: server.httpUrl,
      wsBaseUrl: server.wsUrl,
      clock,
    })
    let seq = 0
    return {
      client,
      symbol: SYMBOL,
      referencePrice: 65_000,
      trade: async (price) => {
        clock.advance(1_000)
        server.handle.venue.applyTrade({ symbol: SYMBOL, trade: { tradeId: `t${++seq}`, timestampMs: clock.now(), price, qty: 5, side: 'buy' } })
      },
      orderRequestsReachingVenue: () =>
        server.handle.requestLog().filter((r) => r.method === 'POST' && (r.path === '/fapi/v1/order' || r.path === '/fapi/v1/algoOrder')).length,
      settle: () => pause(5),
      dispose: () => server.close(),
    }
  },
  { name: 'ExchangeClient contract: createBinanceUsdm over HTTP/WS to the local Binance venue' },
)
