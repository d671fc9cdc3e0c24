import { InvalidInputError, isOnStep } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lossAtStop, sizeFromLossBudget } from './position-size.js'

const btcusd = { kind: 'inverse', contractSize: 1, lotStep: 1, minQty: 1, minNotional: 0 } as const
const btcusdt = { kind: 'linear', contractSize: 1, lotStep: 0.001, minQty: 0.001, minNotional: 100 } as const

describe('sizeFromLossBudget (size from the loss budget, floored to the lot step)', () => {
  it('inverse: contracts ≈ max_loss_btc × entry / stop, floored, exact loss ≤ budget', () => {
    // budget 0.0002 BTC, entry 50,000, stop 3 % → 48,500. Spec approximation: 0.0002 × 50,000 / 0.03 = 333.3;
    // exact inverse loss per contract is 1/48,500 − 1/50,000 = 6.1856e-7 BTC → 323.3 → 323 contracts.
    const r = sizeFromLossBudget({ instrument: btcusd, side: 'long', entryPrice: 50_000, stopPrice: 48_500, lossBudget: 0.0002 })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.qty).toBe(323)
    expect(r.value.lossAtStop).toBeLessThanOrEqual(0.0002)
    expect(r.value.lossAtStop).toBeCloseTo(323 * (1 / 48_500 - 1 / 50_000), 15)
    expect(r.value.notionalUsd).toBe(323)
  })
  it('linear with fees inside the budget', () => {
    const r = sizeFromLossBudget({ instrument: btcusdt, side: 'short', entryPrice: 50_000, stopPrice: 51_000, lossBudget: 20, feeRate: 0.0005 })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    // per BTC: 1,000 price loss + 0.0005 × (50,000 + 51,000) = 1,050.5 → 20 / 1,050.5 = 0.01903… → 0.019
    expect(r.value.qty).toBe(0.019)
    expect(r.value.lossAtStop).toBeCloseTo(0.019 * 1_050.5, 9)
  })
  it('size multiplier scales the budget', () => {
    const r = sizeFromLossBudget({ instrument: btcusd, side: 'long', entryPrice: 50_000, stopPrice: 48_500, lossBudget: 0.0002, sizeMultiplier: 0.5 })
    expect(r.ok && r.value.qty).toBe(161)
    expect(() => sizeFromLossBudget({ instrument: btcusd, side: 'long', entryPrice: 50_000, stopPrice: 48_500, lossBudget: 0.0002, sizeMultiplier: 1.5 })).toThrow(/^sizeMultiplier:/)
  })
  it('refusals: below min qty, below min notional, invalid stop, zero budget', () => {
    const tiny = sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 50_000, stopPrice: 49_000, lossBudget: 0.5 })
    expect(!tiny.ok && tiny.reason).toBe('below-min-qty')
    const small = sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 50_000, stopPrice: 49_000, lossBudget: 1.5 })
    expect(!small.ok && small.reason).toBe('below-min-notional') // 0.001 BTC = 50 USDT < 100
    const wrongSide = sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 50_000, stopPrice: 51_000, lossBudget: 10 })
    expect(!wrongSide.ok && wrongSide.reason).toBe('invalid-stop')
    const zero = sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 50_000, stopPrice: 49_000, lossBudget: 0 })
    expect(!zero.ok && zero.reason).toBe('zero-budget')
  })
  it('maxQty caps instead of refusing', () => {
    const r = sizeFromLossBudget({ instrument: { ...btcusdt, maxQty: 0.05 }, side: 'long', entryPrice: 50_000, stopPrice: 49_000, lossBudget: 1_000 })
    expect(r.ok && r.value.qty).toBe(0.05)
    expect(r.ok && r.value.cappedByMaxQty).toBe(true)
  })
  it('invalid input throws typed errors', () => {
    expect(() => sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 0, stopPrice: 1, lossBudget: 1 })).toThrow(InvalidInputError)
    expect(() => sizeFromLossBudget({ instrument: { ...btcusdt, lotStep: 0 }, side: 'long', entryPrice: 2, stopPrice: 1, lossBudget: 1 })).toThrow(/^instrument\.lotStep:/)
    expect(() => sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 2, stopPrice: 1, lossBudget: -1 })).toThrow(/^lossBudget:/)
  })
  it('absurd sizes (more than 10^12 lots) throw instead of looping', () => {
    const tinyStep = { kind: 'linear', contractSize: 1, lotStep: 0.00001, minQty: 0.00001, minNotional: 0 } as const
    expect(() => sizeFromLossBudget({ instrument: tinyStep, side: 'long', entryPrice: 0.01, stopPrice: 0.005, lossBudget: 1e12 })).toThrow(/^lossBudget:/)
    // …but a maxQty cap makes the same request fine
    const r = sizeFromLossBudget({ instrument: { ...tinyStep, maxQty: 1_000 }, side: 'long', entryPrice: 0.01, stopPrice: 0.005, lossBudget: 1e12 })
    expect(r.ok && r.value.qty).toBe(1_000)
  })
  it('lossAtStop agrees with the exact inverse PnL', () => {
    expect(lossAtStop({ instrument: btcusd, side: 'long', qty: 1_000, entryPrice: 50_000, stopPrice: 48_500 })).toBeCloseTo(1_000 * (1 / 48_500 - 1 / 50_000), 15)
  })
})

describe('sizeFromLossBudget properties (1,000 runs each)', () => {
  // mantissa × 10^e: spreads magnitudes evenly instead of clustering at the range ends
  const logUniform = (minExp: number, maxExp: number) =>
    fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: minExp, max: maxExp })).map(([m, e]) => m * 10 ** e)
  const steps = fc.constantFrom(1, 0.001, 0.01, 0.1, 100, 0.00001)
  const arb = fc.record({
    kind: fc.constantFrom('linear' as const, 'inverse' as const),
    contractSize: fc.constantFrom(1, 100, 0.001),
    lotStep: steps,
    entryPrice: logUniform(-2, 5),
    stop: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    side: fc.constantFrom('long' as const, 'short' as const),
    budget: logUniform(-6, 5),
    feeRate: fc.double({ min: 0, max: 0.002, noNaN: true }),
    multiplier: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  })

  it('after rounding: loss at stop ≤ budget, qty on the step, ≥ min qty, never NaN', () => {
    let accepted = 0
    fc.assert(
      fc.property(arb, (a) => {
        const instrument = { kind: a.kind, contractSize: a.contractSize, lotStep: a.lotStep, minQty: a.lotStep, minNotional: 0 }
        const stopPrice = a.side === 'long' ? a.entryPrice * (1 - a.stop) : a.entryPrice * (1 + a.stop)
        let r: ReturnType<typeof sizeFromLossBudget>
        try {
          r = sizeFromLossBudget({ instrument, side: a.side, entryPrice: a.entryPrice, stopPrice, lossBudget: a.budget, feeRate: a.feeRate, sizeMultiplier: a.multiplier })
        } catch (e) {
          // only the documented out-of-range size error may be thrown
          expect(e).toBeInstanceOf(InvalidInputError)
          expect((e as Error).message).toMatch(/^lossBudget: size of .* lots/)
          return
        }
        if (!r.ok) {
          expect(['below-min-qty', 'zero-budget', 'invalid-stop']).toContain(r.reason)
          return
        }
        accepted++
        const v = r.value
        for (const n of [v.qty, v.lossAtStop, v.budget, v.notionalUsd, v.value, v.rawQty]) expect(Number.isNaN(n)).toBe(false)
        expect(v.lossAtStop).toBeLessThanOrEqual(a.budget * a.multiplier)
        expect(isOnStep({ value: v.qty, step: a.lotStep })).toBe(true)
        expect(v.qty).toBeGreaterThanOrEqual(a.lotStep)
        // maximality: one more lot would break the budget (unless capped)
        const more = lossAtStop({ instrument, side: a.side, qty: v.qty + a.lotStep, entryPrice: a.entryPrice, stopPrice, feeRate: a.feeRate })
        expect(more).toBeGreaterThan(a.budget * a.multiplier * (1 - 1e-9))
      }),
      { numRuns: 1000 },
    )
    expect(accepted).toBeGreaterThan(200) // not vacuous
  })
})
