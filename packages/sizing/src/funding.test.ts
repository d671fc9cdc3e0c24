import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fundingCost } from './funding.js'

describe('fundingCost', () => {
  it('Binance BTCUSDT, funding 2025-09-19 08:00:00.005 UTC (1758268800005): rate 2.109e-5, mark 116,850.1 → 1 BTC long pays 2.4644 USDT', () => {
    // Real data: test/fixtures (copied from shared data funding/binance_usdm_BTCUSDT_*_2025-09-19_2025-10-27):
    // funding rate row [1758268800005, 0.00002109]; 8h mark-price kline opening 1758268800000 with open 116850.1.
    const contract = { kind: 'linear', contractSize: 1 } as const
    const paid = fundingCost({ contract, side: 'long', qty: 1, markPrice: 116_850.1, fundingRate: 2.109e-5 })
    expect(paid).toBeCloseTo(2.4644, 4)
    expect(fundingCost({ contract, side: 'short', qty: 1, markPrice: 116_850.1, fundingRate: 2.109e-5 })).toBeCloseTo(-2.4644, 4)
  })

  it('the reference rate and mark are the real recorded values', () => {
    const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8').trim().split(/\r?\n/)
    const funding = fixture('binance_usdm_BTCUSDT_funding_8h_2025-09-19_2025-10-27.csv')
    expect(funding).toContain('1758268800005,2.109e-05')
    const mark = fixture('binance_usdm_BTCUSDT_mark_8h_2025-09-19_2025-10-27.csv').find((l) => l.startsWith('1758268800000,'))
    expect(mark?.split(',')[1]).toBe('116850.1')
  })

  it('total funding over the recorded period for a 1 BTC long equals Σ mark × rate', () => {
    const read = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number))
    const rates = read('binance_usdm_BTCUSDT_funding_8h_2025-09-19_2025-10-27.csv')
    const marks = new Map(read('binance_usdm_BTCUSDT_mark_8h_2025-09-19_2025-10-27.csv').map((r) => [Math.floor((r[0] as number) / 1000) * 1000, r[1] as number]))
    let total = 0
    let expected = 0
    for (const [t, rate] of rates as [number, number][]) {
      const mark = marks.get(Math.floor(t / 1000) * 1000)
      expect(mark).toBeDefined()
      total += fundingCost({ contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, markPrice: mark as number, fundingRate: rate })
      expected += (mark as number) * rate
    }
    expect(total).toBeCloseTo(expected, 9)
    expect(total).toBeGreaterThan(0) // funding was mostly positive in that period: longs paid
  })

  it('inverse: contracts / mark × rate (coin)', () => {
    const contract = { kind: 'inverse', contractSize: 1 } as const
    // 10,000 USD at 50,000 = 0.2 BTC; rate 0.01 % → 0.00002 BTC
    expect(fundingCost({ contract, side: 'long', qty: 10_000, markPrice: 50_000, fundingRate: 0.0001 })).toBeCloseTo(0.00002, 15)
    expect(fundingCost({ contract, side: 'long', qty: 10_000, markPrice: 50_000, fundingRate: -0.0001 })).toBeCloseTo(-0.00002, 15)
  })

  it('rejects a zero mark price', () => {
    expect(() => fundingCost({ contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, markPrice: 0, fundingRate: 0.0001 })).toThrow(/markPrice/)
  })
})
