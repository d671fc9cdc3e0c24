import { venueProfile } from '@perpkit/sim'
import { describe, expect, it } from 'vitest'
import { BINANCE_USDM_REQUEST_LIMITS, BYBIT_REQUEST_LIMITS, createBinanceUsdm, createBybit } from '../src/index.js'

// The OMS budgets from the port's `requestLimits`; the simulator must report what the live adapter of the venue
// reports, or a strategy tuned against the simulator meets another budget live.
describe('request limits: one set of numbers per venue', () => {
  it('the adapters report their venue\'s limits', () => {
    expect(createBinanceUsdm({ apiKey: 'k', secret: 's' }).requestLimits).toBe(BINANCE_USDM_REQUEST_LIMITS)
    expect(createBybit({ apiKey: 'k', secret: 's', category: 'inverse' }).requestLimits).toBe(BYBIT_REQUEST_LIMITS)
    expect(createBybit({ apiKey: 'k', secret: 's', category: 'linear' }).requestLimits).toBe(BYBIT_REQUEST_LIMITS)
  })

  it('the simulator\'s venue profiles report the same limits as the adapters', () => {
    expect(venueProfile('binance-usdm').requestLimits).toEqual(BINANCE_USDM_REQUEST_LIMITS)
    expect(venueProfile('bybit-inverse').requestLimits).toEqual(BYBIT_REQUEST_LIMITS)
    expect(venueProfile('bybit-linear').requestLimits).toEqual(BYBIT_REQUEST_LIMITS)
  })

  it('Binance USDⓈ-M: 2,400 weight a minute; positionRisk, userTrades and balance weigh 5, openOrders without a symbol 40', () => {
    // USDⓈ-M Futures docs: exchangeInfo rateLimits REQUEST_WEIGHT 1 MINUTE 2400; "Request Weight" of each endpoint
    expect(BINANCE_USDM_REQUEST_LIMITS).toEqual({
      limit: 2400,
      intervalMs: 60_000,
      weights: { fetchPositions: 5, fetchFills: 5, fetchBalances: 5 },
      allSymbolsWeights: { fetchOpenOrders: 40 },
    })
  })
})
