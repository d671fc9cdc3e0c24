/**
 * Profiling driver (not part of `npm run bench`): runs the full engine path with the bench's SMA(10/30) crossover
 * (or the idle strategy with `IDLE=1`; risk's general profile with `RISK=1`) `REPS` times so a CPU profile is
 * dominated by it:
 *   REPS=8 node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@perpkit/source --import tsx bench/profile.ts
 * Each run prints its wall and CPU time; the first few are JIT warm-up.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { SmaCrossover } from '@perpkit/strategy'
import { type EngineStrategy, parseCandleBytesFast, runBacktest } from '../src/index.js'

const bytes = gunzipSync(readFileSync(join(import.meta.dirname, '../test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')))
const candles = parseCandleBytesFast({ bytes, source: 'btc5m' })
if (candles === null) throw new Error('fixture layout not recognised')
// the shared fixture without fees or minimum notional: the benchmark measures the code, not the costs
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0, makerFeeRate: 0, takerFeeRate: 0 }
const idle = process.env.IDLE === '1'
const risk = process.env.RISK === '1'
  ? { config: { profile: 'general', guard: { maxDailyLossPct: 5 }, breaker: { maxLossUsd: 50_000, maxTrades: 20, maxConsecutiveLosses: 5, resetMode: 'timed', resetAfterMs: 86_400_000 } } } as const
  : { enabled: false }
const reps = Number(process.env.REPS ?? 3)
for (let k = 0; k < reps; k++) {
  const strategy: EngineStrategy = idle
    ? { id: 'idle', className: 'Idle', onCandle: () => [] }
    : SmaCrossover.create({ id: 'p', name: 'p', market: { symbol: ins.symbol, primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: 10, slowPeriod: 30, mode: 'long-only' } })
  const t = performance.now()
  const c0 = process.cpuUsage()
  const r = await runBacktest({
    symbol: ins.symbol, instrument: ins, timeframe: '5m', candles, strategy, initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1,
    sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk, recordBars: false,
  })
  const ms = performance.now() - t
  const c = process.cpuUsage(c0)
  const cpuMs = (c.user + c.system) / 1000
  console.log(`${idle ? 'idle' : 'sma'} run ${k}: wall ${ms.toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms = ${(candles.length / (cpuMs / 1000) / 1000).toFixed(1)} k bars/s, value ${r.metrics.finalEquity.toFixed(1)}, trades ${r.trades.length}`)
}
