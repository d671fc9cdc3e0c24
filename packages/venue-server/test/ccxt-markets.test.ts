import { createTestClock } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startVenueServer, type VenueServer } from '../src/index.js'
import { ccxtBinanceUsdm } from './ccxt-binance.js'

let server: VenueServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('ccxt binanceusdm against the local Binance USDⓈ-M server', () => {
  it('loads USDT-margined markets on the testnet flavour with the filters as precision and limits', async () => {
    server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', clock: createTestClock(Date.UTC(2025, 8, 19)) })
    const exchange = ccxtBinanceUsdm(server)
    const markets = await exchange.loadMarkets()
    const btc = markets['BTC/USDT:USDT']
    expect(btc).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', contractSize: 1, active: true })
    expect(btc?.precision).toMatchObject({ price: 0.1, amount: 0.001 })
    expect(btc?.limits).toMatchObject({ amount: { min: 0.001, max: 1000 }, market: { min: 0.001, max: 120 }, cost: { min: 100 }, price: { min: 261.1, max: 809484 } })
    expect(await exchange.fetchTime()).toBe(Date.UTC(2025, 8, 19))
  })

  it('loads USDC-margined markets on the production flavour', async () => {
    server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'production', clock: createTestClock(Date.UTC(2025, 8, 19)) })
    const markets = await ccxtBinanceUsdm(server).loadMarkets()
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDC:USDC', 'ETH/USDC:USDC'])
  })
})
