import { createTestClock, type UserStreamEvent } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createSimVenue } from '../src/index.js'
import { loadCandles5m, loadFunding } from './fixtures.js'
import { BINANCE_BTCUSDT } from './helpers.js'

const S = BINANCE_BTCUSDT.symbol

describe('funding over the real Sep–Oct 2025 BTCUSDT series on the real 5m candles', () => {
  const candles = loadCandles5m()
  const rates = loadFunding()

  for (const [side, qty] of [['buy', 0.05], ['sell', 0.031]] as const) {
    it(`${side} ${qty} BTC held throughout: every payment equals an independent computation`, async () => {
      const first = candles[0]
      if (first === undefined) throw new Error('no candles')
      const clock = createTestClock(first.openTimeMs)
      const venue = createSimVenue({ profile: 'binance-usdm', instruments: [BINANCE_BTCUSDT], balances: { USDT: 100_000 }, clock, funding: { rates } })
      const events: UserStreamEvent[] = []
      venue.subscribeUserStream((e) => events.push(e))
      venue.applyCandle({ symbol: S, candle: first })
      await venue.createOrder({ symbol: S, clientOrderId: 'hold', side, type: 'market', qty })
      const entryFee = (await venue.fetchFills({ symbol: S }))[0]?.feeAmount ?? Number.NaN
      for (let i = 1; i < candles.length; i++) {
        const c = candles[i] as (typeof candles)[number]
        clock.advanceTo(c.openTimeMs)
        venue.applyCandle({ symbol: S, candle: c })
      }
      const got = events.flatMap((e) => (e.type === 'funding' ? [e] : []))

      // Independent computation: a settlement at T is paid at the first bar opening at or after T − 1 s, valued at
      // that bar's open (= mark at the funding instant); payment = −(±qty) × open × rate (longs pay positive rates).
      // The position exists from the close of bar 0, so settlements falling in bar 0 are not paid.
      const sign = side === 'buy' ? 1 : -1
      const expected: { rate: number; amount: number }[] = []
      let k = 0
      for (const { fundingTimeMs, rate } of rates) {
        while (k < candles.length && (candles[k] as (typeof candles)[number]).openTimeMs < fundingTimeMs - 1_000) k++
        if (k === 0 || k >= candles.length) continue
        expected.push({ rate, amount: -sign * qty * (candles[k] as (typeof candles)[number]).open * rate })
      }
      expect(expected.length).toBeGreaterThan(100)
      expect(got.length).toBe(expected.length)
      got.forEach((e, i) => {
        expect(e.rate).toBe(expected[i]?.rate)
        expect(e.amount).toBeCloseTo(expected[i]?.amount ?? Number.NaN, 9)
        expect(e.asset).toBe('USDT')
      })
      const totalFunding = expected.reduce((a, x) => a + x.amount, 0)
      expect(venue.state().balances.USDT).toBeCloseTo(100_000 - entryFee + totalFunding, 6)
      expect(venue.state().positions[0]?.qty).toBeCloseTo(qty, 12)
    })
  }

  it('fixed-rate funding is charged at 00/08/16 UTC only', async () => {
    const day = candles.slice(0, 288 + 1) // 24 h + the next midnight bar
    const clock = createTestClock(day[0]?.openTimeMs ?? 0)
    const venue = createSimVenue({ profile: 'binance-usdm', instruments: [BINANCE_BTCUSDT], balances: { USDT: 100_000 }, clock, funding: { fixedRate: 0.0001 } })
    const paidAt: number[] = []
    venue.subscribeUserStream((e) => {
      if (e.type === 'funding') paidAt.push(clock.now())
    })
    venue.applyCandle({ symbol: S, candle: day[0] as (typeof day)[number] })
    await venue.createOrder({ symbol: S, clientOrderId: 'hold', side: 'buy', type: 'market', qty: 0.01 })
    for (const c of day.slice(1)) {
      clock.advanceTo(c.openTimeMs)
      venue.applyCandle({ symbol: S, candle: c })
    }
    expect(paidAt.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['08:00', '16:00', '00:00'])
  })
})
