import type { OrderType, Side, Trailing } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import type { SimOrder } from './sim-state.js'
import { trackExtreme, triggerDirection, triggerHitLevel, triggerLevel, triggerSatisfied } from './triggers.js'

// Trigger semantics from the Binance USDⓈ-M "New Order" docs: STOP/STOP_MARKET buy fires when price >= stopPrice,
// sell when price <= stopPrice; TAKE_PROFIT(_MARKET) the reverse; TRAILING_STOP_MARKET sell fires once price falls
// callbackRate below the highest price since placement (activation: that highest price must reach activationPrice).
function order(type: OrderType, side: Side, extra: { triggerPrice?: number; trailing?: Trailing; extreme?: number } = {}): SimOrder {
  return {
    seq: 1, symbol: 'X', clientOrderId: 'c', venueOrderId: '1', kind: 'linear', contractSize: 1, side, type,
    status: 'untriggered', qty: 1, filledQty: 0, avgFillPrice: 0, price: undefined, triggerPrice: extra.triggerPrice,
    triggerPriceType: 'last', dir: triggerDirection({ type, side }), watchesLast: true, timeInForce: 'GTC',
    reduceOnly: false, closePosition: false, trailing: extra.trailing, createdAtMs: 0, updatedAtMs: 0,
    rejectReason: undefined, untriggered: true, active: true, extreme: extra.extreme ?? Number.NaN, exhaustedIn: 0, origin: 'user', updateId: 0,
  }
}

describe('triggerDirection', () => {
  it.each([
    ['stop-market', 'buy', 'rising'],
    ['stop-market', 'sell', 'falling'],
    ['stop-limit', 'buy', 'rising'],
    ['take-profit-market', 'buy', 'falling'],
    ['take-profit-market', 'sell', 'rising'],
    ['take-profit-limit', 'sell', 'rising'],
    ['trailing-stop', 'sell', 'falling'],
    ['trailing-stop', 'buy', 'rising'],
  ] as const)('%s %s fires on a %s price', (type, side, dir) => {
    expect(triggerDirection({ type, side })).toBe(dir)
  })
})

describe('triggerSatisfied / triggerHitLevel', () => {
  const sellStop = order('stop-market', 'sell', { triggerPrice: 100 })
  it('a sell stop is satisfied at or below its trigger', () => {
    expect(triggerSatisfied(sellStop, 100)).toBe(true)
    expect(triggerSatisfied(sellStop, 99.9)).toBe(true)
    expect(triggerSatisfied(sellStop, 100.1)).toBe(false)
  })
  it('crossed on a falling leg → hit at the trigger level', () => {
    expect(triggerHitLevel(sellStop, 0.1, 105, 95, false)).toBe(100)
  })
  it('already beyond the trigger → hit at the leg start', () => {
    expect(triggerHitLevel(sellStop, 0.1, 99, 95, false)).toBe(99)
    expect(triggerHitLevel(sellStop, 0.1, 99, 105, true)).toBe(99)
  })
  it('not reached → NaN', () => {
    expect(triggerHitLevel(sellStop, 0.1, 101, 100.5, false)).toBeNaN()
    expect(triggerHitLevel(sellStop, 0.1, 101, 110, true)).toBeNaN()
  })
  it('a trailing stop is never "satisfied" by a plain price (its level moves)', () => {
    expect(triggerSatisfied(order('trailing-stop', 'sell', { trailing: { callbackRate: 0.01 }, extreme: 110 }), 1)).toBe(false)
  })
})

describe('trailing stops', () => {
  it('sell: level = peak × (1 − callbackRate), on tick', () => {
    const o = order('trailing-stop', 'sell', { trailing: { callbackRate: 0.01 }, extreme: 110 })
    expect(triggerLevel(o, 0.1)).toBeCloseTo(108.9, 10)
    expect(triggerHitLevel(o, 0.1, 110, 105, false)).toBeCloseTo(108.9, 10)
  })
  it('buy: level = trough × (1 + callbackRate)', () => {
    const o = order('trailing-stop', 'buy', { trailing: { callbackRate: 0.02 }, extreme: 100 })
    expect(triggerLevel(o, 0.1)).toBeCloseTo(102, 10)
  })
  it('has no level until the peak reaches the activation price', () => {
    const o = order('trailing-stop', 'sell', { trailing: { callbackRate: 0.01, activationPrice: 120 }, extreme: 110 })
    expect(triggerLevel(o, 0.1)).toBeUndefined()
    expect(triggerHitLevel(o, 0.1, 110, 50, false)).toBeNaN()
  })
  it('cannot fire on a leg in its favourable direction', () => {
    const o = order('trailing-stop', 'sell', { trailing: { callbackRate: 0.01 }, extreme: 110 })
    expect(triggerHitLevel(o, 0.1, 100, 120, true)).toBeNaN()
  })
  it('the tracked extreme only moves in the favourable direction', () => {
    const sell = order('trailing-stop', 'sell', { trailing: { callbackRate: 0.01 } })
    trackExtreme(sell, 100, 110)
    expect(sell.extreme).toBe(110)
    trackExtreme(sell, 110, 105)
    expect(sell.extreme).toBe(110)
    const buy = order('trailing-stop', 'buy', { trailing: { callbackRate: 0.01 } })
    trackExtreme(buy, 100, 90)
    trackExtreme(buy, 90, 95)
    expect(buy.extreme).toBe(90)
  })
})
