import { describe, expect, it } from 'vitest'
import { checkLiquidationDistance } from './liquidation-gate.js'

const base = { side: 'long', entryPrice: 50_000, stopDistance: 0.03, minDistance: 0.3, leverage: 3, qty: 1_000, lotStep: 1, minQty: 1 } as const

describe('checkLiquidationDistance (liquidation beyond the stop)', () => {
  it('passes when liquidation is ≥ max(stop × multiple, minimum) away', () => {
    const r = checkLiquidationDistance({ ...base, liquidationPrice: 33_500 })
    expect(r.ok).toBe(true)
    expect(r.ok && r.value.distance).toBeCloseTo(0.33, 12)
    expect(r.ok && r.value.required).toBe(0.3)
    expect(r.ok && r.value.qty).toBe(1_000)
  })
  it('refuses liquidation-too-close, incl. when stop × multiple dominates', () => {
    const r = checkLiquidationDistance({ ...base, liquidationPrice: 36_000 })
    expect(!r.ok && r.reason).toBe('liquidation-too-close')
    const wide = checkLiquidationDistance({ ...base, stopDistance: 0.06, stopMultiple: 6, liquidationPrice: 33_500 })
    expect(!wide.ok && wide.reason).toBe('liquidation-too-close') // needs 36 %
  })
  it('stage 3 (2x): ≥ 20 %', () => {
    const r = checkLiquidationDistance({ ...base, minDistance: 0.2, leverage: 2, liquidationPrice: 39_000 })
    expect(r.ok).toBe(true)
  })
  it('short side and an unliquidatable inverse short', () => {
    expect(checkLiquidationDistance({ ...base, side: 'short', liquidationPrice: 66_000 }).ok).toBe(true)
    expect(checkLiquidationDistance({ ...base, side: 'short', liquidationPrice: Number.POSITIVE_INFINITY }).ok).toBe(true)
  })
  it('proxy without an estimate: leverage ≤ 3, stop ≤ 5 %, size cut 20 % floored to the lot', () => {
    const r = checkLiquidationDistance({ ...base, liquidationPrice: undefined, qty: 1_003 })
    expect(r.ok && r.value).toEqual({ method: 'proxy', distance: null, required: null, qty: 802 })
    const lev = checkLiquidationDistance({ ...base, liquidationPrice: undefined, leverage: 5 })
    expect(!lev.ok && lev.reason).toBe('proxy-leverage-too-high')
    const stop = checkLiquidationDistance({ ...base, liquidationPrice: undefined, stopDistance: 0.06 })
    expect(!stop.ok && stop.reason).toBe('proxy-stop-too-wide')
    const min = checkLiquidationDistance({ ...base, liquidationPrice: undefined, qty: 1 })
    expect(!min.ok && min.reason).toBe('below-min-qty')
  })
  it('throws on NaN liquidation price', () => {
    expect(() => checkLiquidationDistance({ ...base, liquidationPrice: Number.NaN })).toThrow(/^liquidationPrice:/)
  })
})
