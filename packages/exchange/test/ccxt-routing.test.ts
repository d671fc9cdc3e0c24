/**
 * What the adapter relies on about ccxt 4.5.84, checked against the local Binance venue (never a real one):
 * ccxt itself routes a STOP_MARKET create to the Algo Order API, the endpoint the adapter calls directly; and
 * a ccxt client left on its default URLs cannot leave the machine in tests.
 */
import { systemClock } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer } from '@perpkit/venue-server'
import ccxt from 'ccxt'
import { expect, it } from 'vitest'
import { blockedHosts } from '../../../vitest.loopback-guard'

it('ccxt 4.5.84 binanceusdm sends a STOP_MARKET create to POST /fapi/v1/algoOrder, as the adapter does', async () => {
  const clock = systemClock // ccxt signs with the real time; the server checks it against its clock
  const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', clock, seed: 9 })
  try {
    server.handle.venue.applyTrade({ symbol: 'BTC/USDT:USDT', trade: { tradeId: 't1', timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
    const ex = new ccxt.binanceusdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret, enableRateLimit: false, options: { fetchCurrencies: false } })
    const api = ex.urls['api'] as Record<string, unknown>
    for (const [k, v] of Object.entries(api)) {
      if (typeof v === 'string' && v.startsWith('https://fapi.binance.com')) api[k] = v.replace('https://fapi.binance.com', server.httpUrl)
      else if (typeof v === 'string') api[k] = 'http://127.0.0.1:9/not-futures'
    }
    await ex.loadMarkets()
    await ex.createOrder('BTC/USDT:USDT', 'STOP_MARKET', 'buy', 0.003, undefined, { stopPrice: 70_000, clientOrderId: 'ccxt_sl' })
    const creates = server.handle.requestLog().filter((r) => r.method === 'POST' && (r.path === '/fapi/v1/order' || r.path === '/fapi/v1/algoOrder'))
    expect(creates.map((r) => r.path)).toEqual(['/fapi/v1/algoOrder'])
  } finally {
    await server.close()
  }
})

it('a ccxt client on its default (real) URLs is refused by the loopback guard before any packet leaves', async () => {
  const before = blockedHosts.length
  const ex = new ccxt.binanceusdm({ enableRateLimit: false, timeout: 2_000 })
  await expect(ex.fetchTime()).rejects.toThrow()
  expect(blockedHosts.slice(before)).toContain('fapi.binance.com')
})
