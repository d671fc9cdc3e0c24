import ccxt from 'ccxt'
import { afterEach, expect, it } from 'vitest'
import { DEFAULT_API_KEY, startVenueServer, type VenueServer } from '../../src/index.js'

let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
})

// The README's Bybit quick start, line for line (system clock), plus assertions.
it('the README quick start runs against the server with the system clock', async () => {
  server = await startVenueServer({ dialect: 'bybit' })
  const ex = new ccxt.pro.bybit({ ...DEFAULT_API_KEY })
  const api = ex.urls.api as Record<string, unknown> & { ws: { public: Record<string, string>; private: Record<string, unknown> } }
  for (const k of ['spot', 'futures', 'v2', 'public', 'private']) api[k] = server.httpUrl
  for (const k of Object.keys(api.ws.public)) api.ws.public[k] = `${server.wsUrl}/v5/public/${k}`
  api.ws.private.contract = `${server.wsUrl}/v5/private`
  await ex.loadHttpProxyAgent()
  server.handle.venue.applyCandle({ symbol: 'BTC/USD:BTC', candle: { openTimeMs: Date.now(), open: 90000, high: 90010, low: 89990, close: 90000, volume: 5 } })
  const order = await ex.createOrder('BTC/USD:BTC', 'market', 'buy', 100)
  const positions = await ex.fetchPositions(['BTC/USD:BTC'])
  expect(order.id).toBeDefined()
  expect(positions[0]).toMatchObject({ side: 'long', contracts: 100, entryPrice: 90000 })
  await ex.close()
})
