import fc from 'fast-check'
import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import type { ExitManagerIntent } from '../strategy/intents.js'
import { createExitManager, DEFAULT_PROFIT_LOCK } from './exit-manager.js'

const TIERS_004 = [
  { profitPct: 2, fraction: 0.33 },
  { profitPct: 4, fraction: 0.33 },
  { profitPct: 6, fraction: 0.34 },
]

describe('createExitManager', () => {
  // Worked exit flow: entry $42,165.75, 0.0475 BTC; +2% → close 0.0157, +4% → 0.0157, +6% → remaining 0.0161.
  it('reproduces the 004 tiered take-profit flow', () => {
    const m = createExitManager({ takeProfit: TIERS_004 })
    m.open({ side: 'long', entryPrice: 42165.75, openedAtMs: 0 })
    let qty = 0.0475
    const closed: number[] = []
    for (const price of [42165.75 * 1.02, 42165.75 * 1.03, 42165.75 * 1.04, 42165.75 * 1.06]) {
      for (const i of m.onPrice(price, 1)) {
        if (i.type === 'partial-exit') {
          closed.push(qty * i.fraction)
          qty -= qty * i.fraction
        } else if (i.type === 'exit') {
          expect(i.reason).toBe('take-profit')
          closed.push(qty)
          qty = 0
        }
      }
    }
    expect(closed.map((q) => q.toFixed(4))).toEqual(['0.0157', '0.0157', '0.0161'])
    expect(m.isOpen).toBe(false)
  })

  it('fixed stop for long and short; merged tiers when price jumps', () => {
    const long = createExitManager({ stopLossPct: 1, takeProfit: TIERS_004 })
    expect(long.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })).toMatchObject([{ type: 'move-stop', stopPrice: 99, reason: 'stop-loss' }])
    expect(long.onPrice(99.5, 1)).toEqual([])
    expect(long.onPrice(99, 2)).toMatchObject([{ type: 'exit', reason: 'stop-loss' }])
    const short = createExitManager({ stopLossPct: 1, takeProfit: TIERS_004 })
    short.open({ side: 'short', entryPrice: 100, openedAtMs: 0 })
    expect(short.stopPrice).toBe(101)
    const jump = short.onPrice(95.5, 1) // +4.5 % for a short: tiers 1 and 2 at once
    expect(jump).toMatchObject([{ type: 'partial-exit', reason: 'take-profit' }])
    expect((jump[0] as { fraction: number }).fraction).toBeCloseTo(0.66, 12)
    expect(short.remainingFraction).toBeCloseTo(0.34, 12)
    expect(short.onPrice(101.2, 2)).toMatchObject([{ type: 'exit', reason: 'stop-loss' }])
  })

  // Profit lock: trailing_stop = max(trailing_stop, price * 0.997) once pnl >= +0.5 %; take profit at +1 %.
  it('002 profit lock: trails 0.3 % behind after +0.5 %, takes profit at +1 %', () => {
    const m = createExitManager({ profitLock: DEFAULT_PROFIT_LOCK })
    m.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
    expect(m.onPrice(100.4, 1)).toEqual([])
    const moved = m.onPrice(100.6, 2)
    expect(moved).toMatchObject([{ type: 'move-stop', reason: 'profit-lock' }])
    expect((moved[0] as { stopPrice: number }).stopPrice).toBeCloseTo(100.6 * 0.997, 10)
    expect(m.onPrice(100.5, 3)).toEqual([]) // stop never loosens, no new move
    expect(m.onPrice(100.8, 4)[0]).toMatchObject({ type: 'move-stop' })
    expect(m.stopPrice).toBeCloseTo(100.8 * 0.997, 10)
    expect(m.onPrice(100.45, 5)).toMatchObject([{ type: 'exit', reason: 'profit-lock' }])
    const tp = createExitManager({ profitLock: DEFAULT_PROFIT_LOCK })
    tp.open({ side: 'short', entryPrice: 100, openedAtMs: 0 })
    expect(tp.onPrice(99, 1)).toMatchObject([{ type: 'exit', reason: 'profit-lock' }])
  })

  it('trailing stop activates only after its activation profit', () => {
    const m = createExitManager({ trailing: { activationPct: 1, distancePct: 0.5 } })
    m.open({ side: 'short', entryPrice: 200, openedAtMs: 0 })
    expect(m.onPrice(199, 1)).toEqual([]) // +0.5 % only
    const r = m.onPrice(197, 2) // +1.5 %
    expect(r).toMatchObject([{ type: 'move-stop', reason: 'trailing-stop' }])
    expect(m.stopPrice).toBeCloseTo(197 * 1.005, 10)
    expect(m.onPrice(198, 3)).toMatchObject([{ type: 'exit', reason: 'trailing-stop' }])
  })

  it('break-even move happens once, and the tighter of break-even and trailing wins', () => {
    const m = createExitManager({ stopLossPct: 2, breakEven: { triggerPct: 1, offsetPct: 0.1 } })
    m.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
    expect(m.onPrice(101, 1)).toMatchObject([{ type: 'move-stop', reason: 'break-even' }])
    expect(m.stopPrice).toBeCloseTo(100.1, 10)
    expect(m.onPrice(102, 2)).toEqual([])
    expect(m.onPrice(100.1, 3)).toMatchObject([{ type: 'exit', reason: 'break-even' }])
  })

  it('time exit: unconditional, or only while not in profit', () => {
    const m = createExitManager({ timeExit: { maxHoldMs: 60_000, onlyIfProfitBelowPct: 0 } })
    m.open({ side: 'long', entryPrice: 100, openedAtMs: 1_000 })
    expect(m.onPrice(99, 60_999)).toEqual([])
    expect(m.onPrice(100.5, 61_000)).toEqual([]) // in profit: keep
    expect(m.onPrice(99.9, 61_001)).toMatchObject([{ type: 'exit', reason: 'time' }])
  })

  it('onCandle follows the pessimistic path (stop before take-profit)', () => {
    const m = createExitManager({ stopLossPct: 1, takeProfit: [{ profitPct: 1, fraction: 1 }] })
    m.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
    expect(m.onCandle({ openTimeMs: 0, open: 100, high: 101.5, low: 98.5, close: 100, volume: 1 }, 300_000)).toMatchObject([{ type: 'exit', reason: 'stop-loss' }])
  })

  it('snapshot/restore resumes with the same state', () => {
    const m = createExitManager({ takeProfit: TIERS_004, trailing: { activationPct: 1, distancePct: 1 } })
    m.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
    m.onPrice(102.5, 1)
    const n = createExitManager(m.config)
    n.restore(JSON.parse(JSON.stringify(m.snapshot())))
    expect(n.onPrice(104, 2)).toEqual(m.onPrice(104, 2))
    expect(n.snapshot()).toEqual(m.snapshot())
  })

  it('refuses bad config with the field path', () => {
    const path = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return isPerpkitError(e) ? e.path : 'other'
      }
      return undefined
    }
    expect(path(() => createExitManager({ stopLossPct: 0 }))).toBe('stopLossPct')
    expect(path(() => createExitManager({ takeProfit: [{ profitPct: 2, fraction: 0.6 }, { profitPct: 4, fraction: 0.6 }] }))).toBe('takeProfit')
    expect(path(() => createExitManager({ takeProfit: [{ profitPct: 2, fraction: 0.5 }, { profitPct: 1, fraction: 0.5 }] }))).toBe('takeProfit[1].profitPct')
    expect(path(() => createExitManager({ takeProfit: [{ profitPct: 2, fraction: Number.NaN }] }))).toBe('takeProfit[0].fraction')
    expect(path(() => createExitManager({ trailing: { activationPct: 1, distancePct: -1 } }))).toBe('trailing.distancePct')
    expect(path(() => createExitManager({}).open({ side: 'long', entryPrice: 0, openedAtMs: 0 }))).toBe('entryPrice')
  })

  it('property: the stop only tightens, partial exits never exceed the position, and nothing follows an exit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.array(fc.double({ min: -0.03, max: 0.03, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (side, moves) => {
          const m = createExitManager({
            stopLossPct: 2,
            takeProfit: TIERS_004,
            trailing: { activationPct: 1, distancePct: 0.8 },
            breakEven: { triggerPct: 0.7 },
            profitLock: { trailAfterPct: 0.5, trailDistancePct: 1.5, takeProfitPct: 7 },
          })
          m.open({ side, entryPrice: 100, openedAtMs: 0 })
          let price = 100
          let stop = m.stopPrice as number
          let closedOfInitial = 0
          let exited = false
          moves.forEach((mv, t) => {
            price *= 1 + mv
            const out: readonly ExitManagerIntent[] = m.onPrice(price, t)
            if (exited) expect(out).toEqual([])
            for (const i of out) {
              if (i.type === 'move-stop') {
                expect(side === 'long' ? i.stopPrice > stop : i.stopPrice < stop).toBe(true)
                stop = i.stopPrice
              }
              if (i.type === 'partial-exit') {
                expect(i.fraction).toBeGreaterThan(0)
                expect(i.fraction).toBeLessThan(1)
                closedOfInitial += i.fraction * (1 - closedOfInitial)
              }
              if (i.type === 'exit') exited = true
            }
          })
          expect(closedOfInitial).toBeLessThanOrEqual(1)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
