import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BybitApiError } from '../../src/bybit/errors.js'
import { BYBIT_BTCUSD, BYBIT_BTCUSDT } from '@perpkit/core/testing'
import { bybitOrderStatus } from '../../src/bybit/order-format.js'
import { parseCreateOrder } from '../../src/bybit/order-requests.js'

const retCodeOf = (f: () => unknown): number | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    if (e instanceof BybitApiError) return e.retCode
    throw e
  }
}

describe('Bybit conditional parameters → order types (docs: triggerDirection 1 = fires when the price rises to triggerPrice, 2 = falls)', () => {
  const base = { category: 'linear', symbol: 'BTCUSDT', qty: '0.01', triggerPrice: '17000' }
  it.each([
    ['Buy', 1, 'Market', 'stop-market'],
    ['Sell', 2, 'Market', 'stop-market'],
    ['Sell', 1, 'Market', 'take-profit-market'],
    ['Buy', 2, 'Market', 'take-profit-market'],
    ['Sell', 2, 'Limit', 'stop-limit'],
    ['Sell', 1, 'Limit', 'take-profit-limit'],
  ] as const)('%s, triggerDirection %i, %s → %s', (side, triggerDirection, orderType, type) => {
    const p = parseCreateOrder({ params: { ...base, side, triggerDirection, orderType, ...(orderType === 'Limit' ? { price: '16990' } : {}) }, instrument: BYBIT_BTCUSDT, lastPrice: 17100 })
    expect(p.request.type).toBe(type)
    expect(p.triggerDirection).toBe(triggerDirection)
  })

  it('closeOnTrigger implies reduce-only; PostOnly is post-only; MarkPrice triggers on the mark', () => {
    const p = parseCreateOrder({ params: { ...base, side: 'Sell', orderType: 'Market', triggerDirection: 2, triggerBy: 'MarkPrice', closeOnTrigger: true }, instrument: BYBIT_BTCUSDT, lastPrice: 17100 })
    expect(p.request).toMatchObject({ reduceOnly: true, triggerPriceType: 'mark' })
    const po = parseCreateOrder({ params: { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '17000', timeInForce: 'PostOnly' }, instrument: BYBIT_BTCUSDT, lastPrice: 17100 })
    expect(po.request).toMatchObject({ type: 'limit', timeInForce: 'post-only' })
  })
})

describe('quantity and price checks', () => {
  it('any multiple of the inverse qty step within [min, max] passes; anything between two steps is 10001', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        const ok = parseCreateOrder({ params: { side: 'Buy', orderType: 'Market', qty: String(n) }, instrument: BYBIT_BTCUSD, lastPrice: 17000 })
        expect(ok.request.qty).toBe(n)
        expect(retCodeOf(() => parseCreateOrder({ params: { side: 'Buy', orderType: 'Market', qty: `${n}.5` }, instrument: BYBIT_BTCUSD, lastPrice: 17000 }))).toBe(10001)
      }),
    )
  })

  it('linear orders below 5 USDT of value are 110094; reduce-only ones are exempt', () => {
    expect(retCodeOf(() => parseCreateOrder({ params: { side: 'Buy', orderType: 'Limit', qty: '0.001', price: '4999.9' }, instrument: BYBIT_BTCUSDT, lastPrice: 17000 }))).toBe(110094)
    expect(retCodeOf(() => parseCreateOrder({ params: { side: 'Buy', orderType: 'Limit', qty: '0.001', price: '5000' }, instrument: BYBIT_BTCUSDT, lastPrice: 17000 }))).toBeUndefined()
    expect(retCodeOf(() => parseCreateOrder({ params: { side: 'Sell', orderType: 'Limit', qty: '0.001', price: '4000', reduceOnly: true }, instrument: BYBIT_BTCUSDT, lastPrice: 17000 }))).toBeUndefined()
  })
})

describe('order statuses (docs: Deactivated = a conditional order cancelled before it triggered)', () => {
  it.each([
    ['open', false, false, 'New'],
    ['untriggered', false, true, 'Untriggered'],
    ['triggered', true, true, 'Triggered'],
    ['partially-filled', false, false, 'PartiallyFilled'],
    ['filled', true, true, 'Filled'],
    ['canceled', false, true, 'Deactivated'],
    ['canceled', true, true, 'Cancelled'],
    ['canceled', false, false, 'Cancelled'],
    ['expired', false, true, 'Deactivated'],
    ['rejected', false, false, 'Rejected'],
  ] as const)('%s (triggered %s, conditional %s) → %s', (status, triggered, conditional, bybit) => {
    expect(bybitOrderStatus(status, triggered, conditional)).toBe(bybit)
  })
})
