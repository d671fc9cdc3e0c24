import { describe, expect, it } from 'vitest'
import { isPerpkitError } from '../errors.js'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD } from '../testing/index.js'
import { parseOrThrow } from '../validate.js'
import { balanceSchema, equityOf, positionSchema } from './account.js'
import { isConditionalOrderType, orderTypeSchema, sideSchema, timeframeMs, timeInForceSchema, triggerPriceTypeSchema } from './enums.js'
import { instrumentSchema } from './instrument.js'
import { candleSchema, fundingRateSchema, tradeTickSchema } from './market.js'
import { amendRequestSchema, fillSchema, orderRequestSchema, orderSchema } from './order.js'

const btcusdt = BINANCE_BTCUSDT

function pathOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (isPerpkitError(e, 'invalid-input')) return e.path
    throw e
  }
  return undefined
}

describe('enums are closed', () => {
  it('accepts known values and rejects unknown ones', () => {
    expect(sideSchema.parse('buy')).toBe('buy')
    expect(sideSchema.safeParse('BUY').success).toBe(false)
    expect(orderTypeSchema.safeParse('stop').success).toBe(false)
    expect(timeInForceSchema.safeParse('GTX').success).toBe(false)
    expect(triggerPriceTypeSchema.safeParse('contract').success).toBe(false)
    expect(isConditionalOrderType('stop-limit')).toBe(true)
    expect(isConditionalOrderType('limit')).toBe(false)
    expect(timeframeMs('5m')).toBe(300_000)
    expect(timeframeMs('1d')).toBe(86_400_000)
  })
})

describe('instrumentSchema', () => {
  it('accepts a Binance USDⓈ-M and a Bybit inverse instrument', () => {
    expect(instrumentSchema.parse(btcusdt).tickSize).toBe(0.1)
    expect(instrumentSchema.parse(BYBIT_BTCUSD).kind).toBe('inverse')
  })
  it.each([
    ['tickSize', 0],
    ['tickSize', Number.NaN],
    ['lotStep', -0.001],
    ['contractSize', Number.POSITIVE_INFINITY],
    ['kind', 'quanto'],
    ['venue', 'ftx'],
    ['symbol', 'BTCUSDT'],
  ])('rejects %s = %s with the path of the field', (field, value) => {
    expect(pathOf(() => parseOrThrow(instrumentSchema, { ...btcusdt, [field]: value }, 'instrument'))).toBe(field)
  })
  it('rejects an inverse contract not settled in its base and unknown fields', () => {
    expect(pathOf(() => parseOrThrow(instrumentSchema, { ...btcusdt, kind: 'inverse' }))).toBe('settle')
    expect(instrumentSchema.safeParse({ ...btcusdt, extra: 1 }).success).toBe(false)
  })
})

describe('market data schemas', () => {
  const candle = { openTimeMs: 1751628900000, open: 109000, high: 109100, low: 108950, close: 109050, volume: 12.3 }
  it('checks OHLC sanity', () => {
    expect(candleSchema.parse(candle).close).toBe(109050)
    expect(pathOf(() => parseOrThrow(candleSchema, { ...candle, high: 109020 }))).toBe('high')
    expect(pathOf(() => parseOrThrow(candleSchema, { ...candle, low: 109001 }))).toBe('low')
    expect(pathOf(() => parseOrThrow(candleSchema, { ...candle, close: Number.NaN }))).toBe('close')
    expect(pathOf(() => parseOrThrow(candleSchema, { ...candle, volume: -1 }))).toBe('volume')
    expect(pathOf(() => parseOrThrow(candleSchema, { ...candle, openTimeMs: 1.5 }))).toBe('openTimeMs')
  })
  it('trades and funding', () => {
    expect(tradeTickSchema.parse({ tradeId: '1', timestampMs: 1, price: 1, qty: 1, side: 'sell' }).side).toBe('sell')
    expect(tradeTickSchema.safeParse({ tradeId: '1', timestampMs: 1, price: 1, qty: 0, side: 'sell' }).success).toBe(false)
    expect(fundingRateSchema.parse({ symbol: 'BTC/USDT:USDT', fundingTimeMs: 1758240000005, rate: -0.00010915 }).rate).toBe(-0.00010915)
    expect(fundingRateSchema.safeParse({ symbol: 'BTC/USDT:USDT', fundingTimeMs: 1, rate: Number.NaN }).success).toBe(false)
  })
})

describe('orderRequestSchema', () => {
  const base = { symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_a1b2_in', side: 'buy', qty: 0.01 } as const
  it('accepts every order type with its required fields', () => {
    const ok = [
      { ...base, type: 'market' },
      { ...base, type: 'limit', price: 65000, timeInForce: 'post-only' },
      { ...base, type: 'stop-market', triggerPrice: 64000, triggerPriceType: 'mark', reduceOnly: true },
      { ...base, type: 'stop-limit', triggerPrice: 64000, price: 63900 },
      { ...base, type: 'take-profit-market', triggerPrice: 70000, closePosition: true },
      { ...base, type: 'take-profit-limit', triggerPrice: 70000, price: 70100 },
      { ...base, type: 'trailing-stop', trailing: { callbackRate: 0.01, activationPrice: 66000 } },
    ]
    for (const o of ok) expect(orderRequestSchema.safeParse(o).success, JSON.stringify(o)).toBe(true)
  })
  it.each([
    [{ ...base, type: 'market', qty: Number.NaN }, 'qty'],
    [{ ...base, type: 'market', qty: -1 }, 'qty'],
    [{ ...base, type: 'market', qty: 0 }, 'qty'],
    [{ ...base, type: 'market', qty: Number.POSITIVE_INFINITY }, 'qty'],
    [{ ...base, type: 'limit' }, 'price'],
    [{ ...base, type: 'market', price: 1 }, 'price'],
    [{ ...base, type: 'stop-market' }, 'triggerPrice'],
    [{ ...base, type: 'trailing-stop' }, 'trailing'],
    [{ ...base, type: 'market', timeInForce: 'post-only' }, 'timeInForce'],
    [{ ...base, type: 'limit', price: 1, closePosition: true }, 'closePosition'],
    [{ ...base, type: 'market', side: 'long' }, 'side'],
    [{ ...base, type: 'market', clientOrderId: 'x'.repeat(37) }, 'clientOrderId'],
    [{ ...base, type: 'market', clientOrderId: 'bad id!' }, 'clientOrderId'],
    [{ ...base, type: 'market', symbol: 'BTCUSDT' }, 'symbol'],
    [{ ...base, type: 'trailing-stop', trailing: { callbackRate: 0.5 } }, 'trailing.callbackRate'],
  ])('rejects %j at %s', (input, path) => {
    expect(pathOf(() => parseOrThrow(orderRequestSchema, input, 'order request'))).toBe(path)
  })
  it('amend must change something', () => {
    expect(amendRequestSchema.safeParse({ symbol: 'BTC/USDT:USDT', clientOrderId: 'a' }).success).toBe(false)
    expect(amendRequestSchema.safeParse({ symbol: 'BTC/USDT:USDT', clientOrderId: 'a', triggerPrice: 1 }).success).toBe(true)
  })
})

describe('order, fill, position, balance', () => {
  it('an order cannot be overfilled', () => {
    const order = {
      symbol: 'BTC/USDT:USDT', clientOrderId: 'c', venueOrderId: '1', side: 'buy', type: 'limit', status: 'filled', qty: 0.01,
      filledQty: 0.01, avgFillPrice: 65000, price: 65000, timeInForce: 'GTC', reduceOnly: false, closePosition: false, createdAtMs: 1, updatedAtMs: 2,
    }
    expect(orderSchema.safeParse(order).success).toBe(true)
    expect(orderSchema.safeParse({ ...order, filledQty: 0.011 }).success).toBe(false)
  })
  it('fills carry signed fees', () => {
    const fill = { symbol: 'BTC/USD:BTC', tradeId: 't1', venueOrderId: '1', clientOrderId: 'c', side: 'buy', price: 8000, qty: 10000, feeAmount: -0.0003125, feeAsset: 'BTC', liquidity: 'maker', timestampMs: 1 }
    expect(fillSchema.parse(fill).feeAmount).toBe(-0.0003125)
  })
  it('positions and balances', () => {
    expect(positionSchema.safeParse({ symbol: 'BTC/USD:BTC', side: 'long', qty: 0, entryPrice: 1, unrealizedPnl: 0, liquidationPrice: null, leverage: 3, marginMode: 'isolated', updatedAtMs: 0 }).success).toBe(false)
    const b = balanceSchema.parse({ asset: 'USDT', total: 1000, available: 800, unrealizedPnl: -12.5, updatedAtMs: 0 })
    expect(equityOf(b)).toBe(987.5)
  })
})

describe('parseOrThrow', () => {
  it('reports every issue and the first path', () => {
    try {
      parseOrThrow(orderRequestSchema, { symbol: 'BTC/USDT:USDT', clientOrderId: 'ok', side: 'buy', type: 'limit', qty: -1 }, 'order request')
      expect.unreachable()
    } catch (e) {
      expect(isPerpkitError(e, 'invalid-input')).toBe(true)
      const err = e as { path: string; message: string; details: { issues: unknown[] } }
      expect(err.path).toBe('qty')
      expect(err.message).toMatch(/invalid order request: qty: must be > 0/)
      expect(err.details.issues.length).toBeGreaterThanOrEqual(1)
    }
  })
})
