import ccxt from 'ccxt'
import { expect, it } from 'vitest'
import { DEFAULT_API_KEY, startVenueServer } from '../../src/index.js'

// The README's "trade against a local Binance in 10 lines with ccxt", line for line (console.log → assertions).
it('the README quick start runs as written', async () => {
  const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet' })
  const ex = new ccxt.binanceusdm({ ...DEFAULT_API_KEY, options: { fetchCurrencies: false } })
  for (const [k, v] of Object.entries(ex.urls.api)) if (typeof v === 'string') ex.urls.api[k] = v.replace('https://fapi.binance.com', server.httpUrl)
  server.handle.venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: { openTimeMs: Date.now(), open: 65000, high: 65010, low: 64990, close: 65000, volume: 5 } })
  await ex.loadMarkets()
  const order = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01)
  const positions = await ex.fetchPositions()
  await server.close()
  expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 65000 })
  expect(positions).toHaveLength(1)
  expect(positions[0]).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.01 })
})
