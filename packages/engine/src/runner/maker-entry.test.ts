import type { Candle, Instrument } from '@perpkit/core'
import { BYBIT_BTCUSD } from '@perpkit/core/testing'
import type { OmsEvent } from '@perpkit/oms'
import type { RiskEvent } from '@perpkit/risk'
import { describe, expect, it } from 'vitest'
import { candlesToColumns } from '../data/candles.js'
import { runBacktest } from './backtest.js'
import type { EngineEvent, EngineStrategy } from './types.js'

// Bybit's BTCUSD inverse perpetual (the shared fixture): 1 USD contracts, 0.5 USD tick, settled in BTC
const btcusd: Instrument = BYBIT_BTCUSD
const T0 = Date.UTC(2025, 0, 1)
const M5 = 300_000
const bar = (i: number, o: number, h: number, l: number, c: number): Candle => ({ openTimeMs: T0 + i * M5, open: o, high: h, low: l, close: c, volume: 10 })

/** A day of 5-minute bars swinging between 49,000 and 51,000 (a 4 % daily range), then a market that only rises. */
function market(): Candle[] {
  const out: Candle[] = []
  for (let i = 0; i < 300; i++) out.push(i % 2 === 0 ? bar(i, 50_000, 51_000, 49_000, 50_000) : bar(i, 50_000, 50_500, 49_500, 50_000))
  // from bar 300 on, every bar opens at the previous close and never trades below its open: a bid one tick under the
  // last trade is never reached
  let p = 50_000
  for (let i = 300; i < 312; i++) {
    out.push(bar(i, p, p + 60, p, p + 50))
    p += 50
  }
  return out
}

const entersOnce = (atBar: number): EngineStrategy => ({
  id: 'maker',
  className: 'Maker',
  onCandle: (_ctx, ev) => (ev.baseBarCount === atBar ? [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'test' }, takeProfitPrice: 52_000 }] : []),
})

describe('maker-only entries below $300 of equity', () => {
  it('a post-only entry that never fills is retried at the new price, then falls back to a taker entry after the timeouts', async () => {
    const events: EngineEvent[] = []
    const result = await runBacktest({
      symbol: btcusd.symbol, instrument: btcusd, timeframe: '5m', candles: candlesToColumns({ candles: market(), source: 'synthetic' }), strategy: entersOnce(300),
      // 0.004 BTC at 50,000 = $200: account-builder stage 1 (maker-only, $10 / 12 % loss caps, 3x, liquidation ≥ 30 % away)
      initialBalance: 0.004, venueProfile: 'bybit-inverse', leverage: 3, marginMode: 'cross',
      sizing: { mode: 'risk-fraction', riskFraction: 0.12 }, defaultStopPct: 0.03,
      risk: { config: { profile: 'account-builder' }, backtestWinRate: 0.6 },
      forwardLibraryEvents: true, onEvent: (e) => events.push(e),
    })
    const decisions = events.flatMap((e) => (e.type === 'decision' ? [e] : []))
    expect(decisions).toHaveLength(1)
    const d = decisions[0]
    expect(d?.decision.action).toBe('enter')
    expect(d?.decision.verdict.stage).toBe(1)
    const ctx = (d?.decision.inputs as { context: { liquidity: string; atrPct24h: number } }).context
    expect(ctx.liquidity).toBe('maker')
    expect(ctx.atrPct24h).toBeCloseTo(4, 9) // (51,000 − 49,000) / 50,000

    const oms = events.flatMap((e) => (e.type === 'oms' ? [e.event] : []))
    const timeouts = oms.filter((e): e is Extract<OmsEvent, { type: 'maker-timeout' }> => e.type === 'maker-timeout')
    // the default maker fallback: 3 timeouts before the taker; the first two retry as maker one tick under the last trade
    expect(timeouts.map((t) => t.decision.action)).toEqual(['retry-maker', 'retry-maker', 'taker'])
    const retries = timeouts.flatMap((t) => (t.decision.action === 'retry-maker' ? [t.decision.price] : []))
    expect(retries).toEqual([50_049.5, 50_099.5])
    const risk = events.flatMap((e) => (e.type === 'risk' ? [e.event] : []))
    expect(risk.filter((e): e is Extract<RiskEvent, { type: 'taker-fallback-granted' }> => e.type === 'taker-fallback-granted').map((e) => e.signalId)).toEqual([d?.decision.proposal.signalId])

    const fills = events.flatMap((e) => (e.type === 'fill' ? [e.fill] : []))
    expect(fills).toHaveLength(1)
    expect(fills[0]?.liquidity).toBe('taker')
    expect(fills[0]?.qty).toBe(d?.sizedQty)
    expect(result.trades).toHaveLength(1)
  })
})
