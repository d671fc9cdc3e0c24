import { pnl } from '@perpkit/sizing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { intrabarPath } from './intrabar.js'
import { applyFill, type SimPosition } from './position-math.js'

const contracts = fc.constantFrom({ kind: 'linear' as const, contractSize: 1 }, { kind: 'inverse' as const, contractSize: 1 }, { kind: 'inverse' as const, contractSize: 100 })
const price = fc.double({ min: 100, max: 200_000, noNaN: true })
const qty = fc.integer({ min: 1, max: 100_000 })

describe('applyFill (properties)', () => {
  it('open then fully close: realized PnL equals sizing pnl, position flat', () => {
    fc.assert(
      fc.property(contracts, fc.constantFrom('buy' as const, 'sell' as const), qty, price, price, (contract, side, q, p0, p1) => {
        const open = applyFill({ contract, position: null, side, qty: q, price: p0, leverage: 10, marginMode: 'cross' })
        const close = applyFill({ contract, position: open.position, side: side === 'buy' ? 'sell' : 'buy', qty: q, price: p1, leverage: 10, marginMode: 'cross' })
        expect(close.position).toBeNull()
        const ref = pnl({ contract, side: side === 'buy' ? 'long' : 'short', qty: q, entryPrice: p0, exitPrice: p1 })
        expect(close.realizedPnl).toBeCloseTo(ref, 9)
      }),
      { numRuns: 1000 },
    )
  })

  it('the averaged entry reproduces both legs PnL; a partial close keeps the entry and splits isolated margin pro rata', () => {
    fc.assert(
      fc.property(contracts, qty, qty, price, price, fc.integer({ min: 1, max: 99 }), (contract, q1, q2, p1, p2, pct) => {
        const a = applyFill({ contract, position: null, side: 'buy', qty: q1, price: p1, leverage: 5, marginMode: 'isolated' })
        const b = applyFill({ contract, position: a.position, side: 'buy', qty: q2, price: p2, leverage: 5, marginMode: 'isolated' })
        const pos = b.position as SimPosition
        expect(pos.qty).toBe(q1 + q2)
        expect(pos.entryPrice).toBeGreaterThanOrEqual(Math.min(p1, p2) * (1 - 1e-12))
        expect(pos.entryPrice).toBeLessThanOrEqual(Math.max(p1, p2) * (1 + 1e-12))
        // total PnL of the two legs at any exit equals the PnL of the averaged position
        const exit = (p1 + p2) / 2
        const legs = pnl({ contract, side: 'long', qty: q1, entryPrice: p1, exitPrice: exit }) + pnl({ contract, side: 'long', qty: q2, entryPrice: p2, exitPrice: exit })
        const whole = pnl({ contract, side: 'long', qty: q1 + q2, entryPrice: pos.entryPrice, exitPrice: exit })
        const scale = Math.max(1, (q1 + q2) * contract.contractSize * Math.max(p1, p2), ((q1 + q2) * contract.contractSize) / Math.min(p1, p2))
        expect(Math.abs(whole - legs)).toBeLessThanOrEqual(1e-12 * scale)
        const part = Math.max(1, Math.floor(((q1 + q2) * pct) / 100))
        if (part >= q1 + q2) return
        const c = applyFill({ contract, position: pos, side: 'sell', qty: part, price: exit, leverage: 5, marginMode: 'isolated' })
        const rest = c.position as SimPosition
        expect(rest.entryPrice).toBe(pos.entryPrice)
        const want = (pos.isolatedMargin * (q1 + q2 - part)) / (q1 + q2)
        expect(Math.abs(rest.isolatedMargin - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want))
      }),
      { numRuns: 1000 },
    )
  })

  it('a fill larger than the position flips it with the remainder at the fill price', () => {
    fc.assert(
      fc.property(contracts, qty, qty, price, price, (contract, q1, extra, p0, p1) => {
        const a = applyFill({ contract, position: null, side: 'sell', qty: q1, price: p0, leverage: 3, marginMode: 'cross' })
        const b = applyFill({ contract, position: a.position, side: 'buy', qty: q1 + extra, price: p1, leverage: 3, marginMode: 'cross' })
        expect(b.closedQty).toBe(q1)
        expect(b.openedQty).toBe(extra)
        expect(b.position).toEqual({ side: 'long', qty: extra, entryPrice: p1, isolatedMargin: 0 })
      }),
      { numRuns: 1000 },
    )
  })
})

describe('intrabarPath (properties)', () => {
  it('starts at open, ends at close, visits both extremes, nearer extreme first', () => {
    fc.assert(
      fc.property(price, price, price, price, (a, b, c, d) => {
        const [low, o, cl, high] = [a, b, c, d].sort((x, y) => x - y) as [number, number, number, number]
        const candle = { openTimeMs: 0, open: o, high, low, close: cl, volume: 1 }
        const p = intrabarPath({ candle })
        expect(p[0]).toBe(o)
        expect(p[3]).toBe(cl)
        expect([p[1], p[2]].sort((x, y) => x - y)).toEqual([low, high])
        expect(Math.abs(p[1] - o)).toBeLessThanOrEqual(Math.abs(p[2] - o))
      }),
      { numRuns: 1000 },
    )
  })
})
