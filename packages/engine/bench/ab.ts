/**
 * Before/after in one process (not part of `npm run bench`): the engine source of a git revision against the
 * working tree, run alternately on the bench's data, so both see the same load on a shared machine. The other
 * libraries are the same for both (their built `dist/`).
 *   REV=main KINDS=idle,sma,risk REPS=8 npx tsx bench/ab.ts
 * Kinds: `idle` (a strategy that never trades: the per-bar cost), `sma` (SMA 10/30 crossover, risk permitting
 * everything: the bench's full path), `risk` (the same with risk's general profile). Prints the best CPU time of
 * each after two warm-up rounds. The revision's `src/` is extracted to `.ab/<rev>/` (git-ignored).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { SmaCrossover } from '@perpkit/strategy'
import * as after from '../src/index.js'

const rev = process.env.REV ?? 'main'
const pkg = join(import.meta.dirname, '..')
const dir = join(pkg, '.ab', rev.replace(/[^\w.-]/g, '_'))
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const tar = execFileSync('git', ['archive', rev, 'src'], { cwd: pkg })
execFileSync('tar', ['-x', '-C', dir], { input: tar })
const before = (await import(join(dir, 'src', 'index.ts'))) as typeof after

const bytes = gunzipSync(readFileSync(join(pkg, 'test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')))
const candles = after.parseCandleBytesFast({ bytes, source: 'btc5m' }) as after.CandleColumns
// the shared fixture without fees or minimum notional: the benchmark measures the code, not the costs
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0, makerFeeRate: 0, takerFeeRate: 0 }
const RISK = { profile: 'general', guard: { maxDailyLossPct: 5 }, breaker: { maxLossUsd: 50_000, maxTrades: 20, maxConsecutiveLosses: 5, resetMode: 'timed', resetAfterMs: 86_400_000 } } as const
const kinds = (process.env.KINDS ?? 'idle,sma,risk').split(',')
const reps = Number(process.env.REPS ?? 8)
const best = new Map<string, number>()
for (let k = 0; k < reps + 2; k++) {
  for (const kind of kinds) {
    for (const [name, lib] of [[rev, before], ['working tree', after]] as const) {
      const strategy: after.EngineStrategy = kind === 'idle'
        ? { id: 'idle', className: 'Idle', onCandle: () => [] }
        : SmaCrossover.create({ id: 'p', name: 'p', market: { symbol: ins.symbol, primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: 10, slowPeriod: 30, mode: 'long-only' } })
      const c0 = process.cpuUsage()
      const r = await lib.runBacktest({
        symbol: ins.symbol, instrument: ins, timeframe: '5m', candles, strategy, initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1,
        sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk: kind === 'risk' ? { config: RISK } : { enabled: false }, recordBars: false,
      })
      const c = process.cpuUsage(c0)
      const key = `${kind.padEnd(5)} ${name}`
      if (k === 0) console.log(`${key}: ${r.trades.length} trades, final equity ${r.metrics.finalEquity.toFixed(4)}`)
      if (k >= 2) best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, (c.user + c.system) / 1000))
    }
  }
}
for (const [key, ms] of best) console.log(`${key.padEnd(20)} best CPU ${ms.toFixed(1).padStart(6)} ms = ${(candles.length / ms).toFixed(0).padStart(5)} k bars/s`)
