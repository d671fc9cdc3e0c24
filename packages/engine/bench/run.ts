/**
 * Engine benchmarks (run: `npm run bench`). Prints bars/s and ratios measured in the same process:
 *   1. the floor: a hand-written tight JS loop of backtrader's SMA(10)/SMA(30) crossover rules on preloaded Float64Arrays
 *   2. the full engine path on the same preloaded candles (SmaCrossover → signed risk decision → sizing → OMS → sim),
 *      with risk permitting everything (the same trades as the floor: checked) and with risk's general profile
 *   3. the engine path with a strategy that never trades (per-bar cost of the event flow itself)
 *   4. CSV parsing (fast scanner) and binary-cache loading, rows/s
 *   5. end to end from CSV bytes: parse + full engine path
 * The 2-core box this runs on is shared, so each engine row is the best of several runs after a warm-up, and
 * reports bars per second of this process's CPU time (user + system, every thread: GC included) next to wall time:
 * CPU time does not count the time the process waited for a core, wall time does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { SmaCrossover } from '@perpkit/strategy'
import { type CandleColumns, type EngineStrategy, loadCandles, parseCandleBytesFast, parseCandles, runBacktest } from '../src/index.js'

const bytes = gunzipSync(readFileSync(join(import.meta.dirname, '../test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')))
const text = bytes.toString('latin1')
const candles = parseCandles({ text, source: 'btc5m' })
const N = candles.length
const FAST = 10
const SLOW = 30
// the shared fixture without fees or minimum notional: the benchmark measures the code, not the costs
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0, makerFeeRate: 0, takerFeeRate: 0 }

/** The floor: backtrader's SmaCross rules (buy on an up-cross when flat, close on a down-cross, at the next open), one unit. */
function rawLoop(c: CandleColumns): { buys: number; sells: number; value: number } {
  const o = c.open
  const cl = c.close
  const F = FAST
  const S = SLOW
  let sf = 0
  let ss = 0
  let last = 0
  let pos = 0
  let cash = 1e6
  let buys = 0
  let sells = 0
  let pending = 0
  for (let i = 0; i < c.length; i++) {
    if (pending !== 0) {
      if (pending > 0) {
        cash -= o[i] as number
        pos++
        buys++
      } else {
        cash += o[i] as number
        pos--
        sells++
      }
      pending = 0
    }
    const x = cl[i] as number
    sf += x
    if (i >= F) sf -= cl[i - F] as number
    ss += x
    if (i >= S) ss -= cl[i - S] as number
    if (i >= S - 1) {
      const d = sf / F - ss / S
      const sg = d > 0 ? 1 : d < 0 ? -1 : 0
      if (sg !== 0) {
        if (last !== 0 && sg !== last) {
          if (sg > 0 && pos === 0) pending = 1
          else if (sg < 0 && pos > 0) pending = -1
        }
        last = sg
      }
    }
  }
  return { buys, sells, value: cash + pos * (cl[c.length - 1] as number) }
}

const sma = (): EngineStrategy =>
  SmaCrossover.create({ id: 'bench', name: 'bench', market: { symbol: ins.symbol, primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: FAST, slowPeriod: SLOW, mode: 'long-only' } })
const idle: () => EngineStrategy = () => ({ id: 'idle', className: 'Idle', onCandle: () => [] })

/** Risk's general profile as the reference bot's default run sets it, its loss limit scaled to this 1,000,000 account. */
const RISK = {
  profile: 'general',
  guard: { maxDailyLossPct: 5 },
  breaker: { maxLossUsd: 50_000, maxTrades: 20, maxConsecutiveLosses: 5, resetMode: 'timed', resetAfterMs: 86_400_000 },
} as const
async function engine(c: CandleColumns, strategy: EngineStrategy, riskOn = false): Promise<{ value: number; trades: number }> {
  const r = await runBacktest({
    symbol: ins.symbol, instrument: ins, timeframe: '5m', candles: c, strategy, initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1,
    sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk: riskOn ? { config: RISK } : { enabled: false }, recordBars: false,
  })
  return { value: r.metrics.finalEquity, trades: r.trades.length }
}

interface Timing<T> {
  readonly value: T
  /** Best wall time, ms. */
  readonly wallMs: number
  /** Best CPU time (user + system of the whole process), ms. */
  readonly cpuMs: number
}
/** Best of `reps` timed runs after `warm` untimed ones (the JIT needs a few runs of the engine to settle). */
async function best<T>(reps: number, warm: number, fn: () => T | Promise<T>): Promise<Timing<T>> {
  for (let k = 0; k < warm; k++) await fn()
  let value: T | undefined
  let wallMs = Number.POSITIVE_INFINITY
  let cpuMs = Number.POSITIVE_INFINITY
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    value = await fn()
    wallMs = Math.min(wallMs, performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000)
  }
  return { value: value as T, wallMs, cpuMs }
}
const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0))
/** bars (rows) per second of CPU time, and of wall time. */
const rate = (n: number, t: Timing<unknown>): { cpu: number; wall: number } => ({ cpu: n / (Math.max(t.cpuMs, 0.001) / 1000), wall: n / (t.wallMs / 1000) })

// 1. the floor: one pass takes well under a millisecond, so each timed run is 100 passes (best of 5)
const PASSES = 100
const raw = await best(5, 1, () => {
  let r = rawLoop(candles)
  for (let k = 1; k < PASSES; k++) r = rawLoop(candles)
  return r
})
const rawRate = rate(N * PASSES, raw)

// 2. + 3. engine
const eng = await best(5, 3, () => engine(candles, sma()))
const engRate = rate(N, eng)
if (eng.value.trades !== raw.value.buys || Math.abs(eng.value.value - raw.value.value) > 1e-6 * raw.value.value) {
  throw new Error(`the engine and the floor disagree: ${eng.value.trades} trades, value ${eng.value.value} vs ${raw.value.buys} buys, value ${raw.value.value}`)
}
const riskOn = await best(3, 1, () => engine(candles, sma(), true))
const riskRate = rate(N, riskOn)
const idleRun = await best(5, 3, () => engine(candles, idle()))
const idleRate = rate(N, idleRun)

// 4. CSV parse and cache load
const textParse = await best(10, 1, () => parseCandles({ text, source: 'btc5m' }))
const byteParse = await best(10, 1, () => parseCandleBytesFast({ bytes, source: 'btc5m' }))
const naive = await best(3, 0, () => text.split('\n').slice(1).filter((l) => l !== '').map((l) => l.split(',').map(Number)).length)
const dir = mkdtempSync(join(tmpdir(), 'perpkit-bench-'))
const csv = join(dir, 'btc5m.csv')
writeFileSync(csv, text)
loadCandles({ path: csv, cacheDir: join(dir, 'cache') })
const cacheLoad = await best(10, 0, () => loadCandles({ path: csv, cacheDir: join(dir, 'cache') }))
const fileLoad = await best(5, 0, () => loadCandles({ path: csv, cacheDir: false }))
rmSync(dir, { recursive: true, force: true })

// 5. end to end from CSV bytes
const e2e = await best(3, 1, () => engine(parseCandleBytesFast({ bytes, source: 'btc5m' }) as CandleColumns, sma()))
const e2eRate = rate(N, e2e)

const of = (r: { cpu: number; wall: number }): string => `${(r.cpu / rawRate.cpu).toExponential(2)} of floor`
const rows: [string, string, string, string][] = [
  ['measurement', 'bars/s (CPU)', 'bars/s (wall)', 'notes'],
  [`floor: tight JS loop, SMA(${FAST}/${SLOW}) cross (backtrader rules)`, fmt(rawRate.cpu), fmt(rawRate.wall), `1 (buys ${raw.value.buys}, value ${raw.value.value.toFixed(1)})`],
  ['engine, full path (SmaCrossover → risk → sizing → OMS → sim)', fmt(engRate.cpu), fmt(engRate.wall), `${of(engRate)} (${eng.value.trades} trades, value ${eng.value.value.toFixed(1)}: = floor)`],
  ["engine, full path, risk's general profile (halts)", fmt(riskRate.cpu), fmt(riskRate.wall), `${of(riskRate)} (${riskOn.value.trades} trades)`],
  ['engine, event flow only (strategy never trades)', fmt(idleRate.cpu), fmt(idleRate.wall), of(idleRate)],
  ['end to end from CSV bytes (parse + full path)', fmt(e2eRate.cpu), fmt(e2eRate.wall), of(e2eRate)],
  [`CSV parse, byte scanner (${N} rows)`, fmt(rate(N, byteParse).cpu), fmt(rate(N, byteParse).wall), `rows/s; ${(naive.wallMs / byteParse.wallMs).toFixed(1)}x split+Number`],
  ['CSV parse, text scanner (general layouts)', fmt(rate(N, textParse).cpu), fmt(rate(N, textParse).wall), `rows/s; ${(naive.wallMs / textParse.wallMs).toFixed(1)}x split+Number`],
  ['CSV file load, no cache (read + parse)', fmt(rate(N, fileLoad).cpu), fmt(rate(N, fileLoad).wall), 'rows/s'],
  ['binary cache load (.perpkit-cache)', fmt(rate(N, cacheLoad).cpu), fmt(rate(N, cacheLoad).wall), `rows/s; ${(fileLoad.wallMs / cacheLoad.wallMs).toFixed(1)}x faster than parsing`],
]
const widths = [0, 1, 2].map((k) => Math.max(...rows.map((r) => r[k]?.length ?? 0)))
console.log(`@perpkit/engine bench — ${N} real Binance BTCUSDT 5m bars, node ${process.version}; engine rows: best of 5 (risk on: 3) after warm-up`)
for (const r of rows) console.log(`${r[0].padEnd(widths[0] as number)}  ${r[1].padStart(widths[1] as number)}  ${r[2].padStart(widths[2] as number)}  ${r[3]}`)
