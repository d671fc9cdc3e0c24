import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Candle, Instrument } from '@perpkit/core'
import { BYBIT_BTCUSD } from '@perpkit/core/testing'
import { candlesToColumns, type EngineEvent, type EngineStrategy, runBacktest } from '@perpkit/engine'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'

const APP = join(import.meta.dirname, '..')
const profile = parse(readFileSync(join(APP, 'config', 'account-builder.yaml'), 'utf8')) as {
  risk: { settings: Record<string, unknown>; backtestWinRate: number }
  account: { leverage: number }
}

// Bybit BTCUSD inverse perpetual: equity is held in BTC, so its USD value — which picks the stage — moves with the price
const btcusd: Instrument = BYBIT_BTCUSD
const T0 = Date.UTC(2025, 0, 1)
const M5 = 300_000

describe('account-builder profile (config/account-builder.yaml) in a backtest', () => {
  it('the shipped file is a valid bot config: Bybit inverse BTCUSD, the account-builder risk profile', () => {
    const loaded = loadConfig({ path: join(APP, 'config', 'account-builder.yaml') })
    expect(loaded.config.venue).toBe('bybit-inverse')
    expect(loaded.symbols).toEqual(['BTC/USD:BTC'])
    expect(loaded.config.risk.settings['profile']).toBe('account-builder')
    expect(loaded.config.risk.backtestWinRate).toBe(0.56)
  })

  it('the stage follows equity at each entry evaluation (1 → 2), and the anti-flap block holds for its hour once the stage flapped', async () => {
    // 0.006 BTC: $294 at 49,000 (stage 1, below $300), $306 at 51,000 (stage 2). The price crosses the line every
    // 15 minutes for 45 minutes, then stays at 51,000 for two hours.
    const price = (i: number): number => (i < 12 ? (Math.floor(i / 3) % 2 === 0 ? 49_000 : 51_000) : 51_000)
    const candles: Candle[] = Array.from({ length: 36 }, (_, i) => ({ openTimeMs: T0 + i * M5, open: price(i), high: price(i) + 10, low: price(i) - 10, close: price(i), volume: 10 }))
    // proposes an entry at every close; none can be taken here (no 24 h of data for the volatility gate yet), but each
    // one makes risk determine the stage
    const proposer: EngineStrategy = { id: 'ab', className: 'Proposer', onCandle: () => [{ type: 'enter', side: 'long', signal: { confidence: 1, reason: 'probe' }, takeProfitPrice: 60_000 }] }
    const events: EngineEvent[] = []
    await runBacktest({
      symbol: btcusd.symbol, instrument: btcusd, timeframe: '5m', candles: candlesToColumns({ candles, source: 'synthetic' }), strategy: proposer,
      initialBalance: 0.006, venueProfile: 'bybit-inverse', leverage: profile.account.leverage, marginMode: 'cross', sizing: { mode: 'risk-fraction', riskFraction: 0.1 }, defaultStopPct: 0.03,
      risk: { config: profile.risk.settings, backtestWinRate: profile.risk.backtestWinRate }, onEvent: (e) => events.push(e),
    })
    const decisions = events.flatMap((e) => (e.type === 'decision' ? [e] : []))
    expect(decisions).toHaveLength(36)
    expect(decisions.every((d) => d.decision.action === 'skip')).toBe(true)
    const stages = decisions.map((d) => d.decision.verdict.stage)
    // stage 1 while equity is below $300, stage 2 above
    expect(stages.slice(0, 12)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
    expect(stages.slice(12).every((s) => s === 2)).toBe(true)
    const flapBlocked = decisions.map((d) => d.decision.verdict.reasons.some((r) => r.code === 'stage-flap-block'))
    // changes at the closes of 00:20 (1 → 2), 00:35 (2 → 1) and 00:50 (1 → 2): the third change in an hour blocks
    // entries for an hour (to 01:50), although the stage then stays at 2
    const first = flapBlocked.indexOf(true)
    const last = flapBlocked.lastIndexOf(true)
    expect(first).toBe(9)
    const blockedUntil = decisions[first]?.timestampMs as number
    expect(decisions[last]?.timestampMs).toBeLessThan(blockedUntil + 3_600_000)
    expect(decisions[last + 1]?.timestampMs).toBeGreaterThanOrEqual(blockedUntil + 3_600_000)
    expect(flapBlocked.slice(first, last + 1).every(Boolean)).toBe(true)
    const riskReasons = decisions[0]?.decision.verdict.reasons.map((r) => r.code)
    expect(riskReasons).toContain('missing-input') // the volatility gate has no 24 h range yet: fail-closed
  })
})
