import { describe, expect, it } from 'vitest'
import { isPerpkitError } from './errors.js'
import { validateOrderRequest } from './order-validation.js'
import type { Instrument } from './schemas/instrument.js'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD } from './testing/index.js'

const instrument: Instrument = BINANCE_BTCUSDT
const inverse: Instrument = BYBIT_BTCUSD
const req = { symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_1', side: 'buy', type: 'limit', qty: 0.01, price: 65000.1 } as const

function failure(fn: () => unknown): { code: string; path: string | undefined } {
  try {
    fn()
  } catch (e) {
    if (isPerpkitError(e)) return { code: e.code, path: e.path }
    throw e
  }
  throw new Error('expected a failure')
}

describe('validateOrderRequest', () => {
  it('accepts on-tick, on-step orders above minimums (float noise tolerated)', () => {
    expect(validateOrderRequest({ request: req, instrument }).price).toBe(65000.1)
    expect(validateOrderRequest({ request: { ...req, qty: 0.1 + 0.2 }, instrument }).qty).toBeCloseTo(0.3, 12)
    expect(validateOrderRequest({ request: { symbol: 'BTC/USD:BTC', clientOrderId: 'x', side: 'sell', type: 'market', qty: 10000 }, instrument: inverse }).qty).toBe(10000)
  })
  it.each([
    [{ ...req, price: 65000.15 }, 'price'],
    [{ ...req, type: 'stop-market', price: undefined, triggerPrice: 64000.05 }, 'triggerPrice'],
    [{ ...req, qty: 0.0105 }, 'qty'],
    [{ ...req, qty: 0.0005 }, 'qty'],
    [{ ...req, qty: 2000 }, 'qty'],
    [{ ...req, qty: 0.001, price: 65000 }, 'qty'],
    [{ ...req, qty: Number.NaN }, 'qty'],
    [{ ...req, price: -1 }, 'price'],
    [{ ...req, type: 'trailing-stop', price: undefined, trailing: { callbackRate: 0.01, activationPrice: 66000.01 } }, 'trailing.activationPrice'],
  ])('rejects %j at %s', (request, path) => {
    expect(failure(() => validateOrderRequest({ request, instrument }))).toEqual({ code: 'invalid-input', path })
  })
  it('min notional uses the reference price for market orders and is skipped for reduce-only', () => {
    const market = { symbol: 'BTC/USDT:USDT', clientOrderId: 'm', side: 'buy', type: 'market', qty: 0.001 }
    expect(failure(() => validateOrderRequest({ request: market, instrument, referencePrice: 65000 })).path).toBe('qty')
    expect(validateOrderRequest({ request: { ...market, reduceOnly: true }, instrument, referencePrice: 65000 }).qty).toBe(0.001)
  })
  it('rejects an order for another symbol as unknown-symbol', () => {
    expect(failure(() => validateOrderRequest({ request: { ...req, symbol: 'ETH/USDT:USDT' }, instrument })).code).toBe('unknown-symbol')
  })
})

describe('validateOrderRequest: venue limits read by live adapters', () => {
  // Binance BTCUSDT exchangeInfo filters (MARKET_LOT_SIZE maxQty 120, PERCENT_PRICE multiplierUp 1.0500 /
  // multiplierDown 0.9500) and Binance's symbol status values (TRADING, PENDING_TRADING, BREAK, SETTLING, CLOSE).
  const limited: Instrument = { ...instrument, maxMarketQty: 120, percentPrice: { multiplierUp: 1.05, multiplierDown: 0.95 } }

  it('refuses any order on an instrument that is not trading', () => {
    for (const status of ['pre-trading', 'halted', 'delisted'] as const) {
      expect(failure(() => validateOrderRequest({ request: req, instrument: { ...instrument, status } }))).toEqual({ code: 'invalid-input', path: 'symbol' })
    }
    expect(validateOrderRequest({ request: req, instrument: { ...instrument, status: 'trading' } }).qty).toBe(0.01)
  })
  it('caps market orders at maxMarketQty but not limit orders', () => {
    const market = { symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_m', side: 'buy', type: 'market', qty: 120.001 } as const
    expect(failure(() => validateOrderRequest({ request: market, instrument: limited, referencePrice: 65000 }))).toEqual({ code: 'invalid-input', path: 'qty' })
    expect(validateOrderRequest({ request: { ...market, qty: 120 }, instrument: limited, referencePrice: 65000 }).qty).toBe(120)
    expect(validateOrderRequest({ request: { ...req, qty: 500 }, instrument: limited }).qty).toBe(500)
  })
  it('keeps a limit price inside the percent-price bounds around the mark', () => {
    expect(failure(() => validateOrderRequest({ request: { ...req, price: 68250.1 }, instrument: limited, referencePrice: 65000 }))).toEqual({ code: 'invalid-input', path: 'price' })
    expect(failure(() => validateOrderRequest({ request: { ...req, price: 61749.9 }, instrument: limited, referencePrice: 65000 }))).toEqual({ code: 'invalid-input', path: 'price' })
    expect(validateOrderRequest({ request: { ...req, price: 68250 }, instrument: limited, referencePrice: 65000 }).price).toBe(68250)
    expect(validateOrderRequest({ request: { ...req, price: 61750 }, instrument: limited, referencePrice: 65000 }).price).toBe(61750)
  })
})
