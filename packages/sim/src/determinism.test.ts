import { createHash } from 'node:crypto'
import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { loadCandles5m, loadFunding } from '../test/fixtures.js'
import { BINANCE_BTCUSDT } from '../test/helpers.js'
import { createSimVenue } from './index.js'

const S = BINANCE_BTCUSDT.symbol

/** A scripted session over the first 3,000 real candles: entries, stops, take-profits, faults, funding. */
async function session(seed: number, bump = 0): Promise<{ hash: string; log: string }> {
  const candles = loadCandles5m().slice(0, 3_000)
  const clock = createTestClock(candles[0]?.openTimeMs ?? 0)
  const venue = createSimVenue({
    profile: 'binance-usdm',
    instruments: [BINANCE_BTCUSDT],
    balances: { USDT: 50_000 },
    clock,
    seed,
    record: { events: true },
    funding: { rates: loadFunding() },
    slippage: { fixedBps: 0.5, impactCoefficient: 0.05 },
    fillModel: { participation: 0.05 },
  })
  venue.faults.fail('createOrder', { kind: 'timeout-before', probability: 0.5, times: Number.POSITIVE_INFINITY })
  venue.faults.reorderNext(4)
  let n = 0
  for (const [i, c] of candles.entries()) {
    clock.advanceTo(c.openTimeMs)
    venue.applyCandle({ symbol: S, candle: c })
    if (i % 23 === 0 && venue.state().positions.length === 0) {
      const id = `e${n++}`
      const qty = 0.01 + bump
      await venue.createOrder({ symbol: S, clientOrderId: id, side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', qty }).catch(() => undefined)
      const pos = venue.state().positions[0]
      if (pos !== undefined) {
        const px = Math.round(c.close / 10) * 10
        const close = pos.side === 'long' ? 'sell' : 'buy'
        const away = pos.side === 'long' ? -1 : 1
        await venue.createOrder({ symbol: S, clientOrderId: `${id}sl`, side: close, type: 'stop-market', qty: pos.qty, triggerPrice: px + away * 250, reduceOnly: true }).catch(() => undefined)
        await venue.createOrder({ symbol: S, clientOrderId: `${id}tp`, side: close, type: 'limit', qty: pos.qty, price: px - away * 250, reduceOnly: true }).catch(() => undefined)
      }
    }
    if (venue.state().positions.length === 0) for (const o of venue.state().openOrders) await venue.cancelOrder(o).catch(() => undefined)
  }
  const log = venue.eventLog().map((e) => JSON.stringify(e)).join('\n')
  return { hash: venue.eventLogHash(), log }
}

describe('determinism', () => {
  it('same seed and inputs → byte-identical event log (SHA-256)', async () => {
    const a = await session(42)
    const b = await session(42)
    expect(a.log.length).toBeGreaterThan(10_000)
    expect(b.hash).toBe(a.hash)
    expect(a.hash).toBe(createHash('sha256').update(`${a.log}\n`).digest('hex'))
  })

  it('a different seed or input changes the log', async () => {
    const a = await session(42)
    expect((await session(43)).hash).not.toBe(a.hash)
    expect((await session(42, 0.001)).hash).not.toBe(a.hash)
  })
})
