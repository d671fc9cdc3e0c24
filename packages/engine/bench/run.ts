/**
 * Engine benchmarks (run: `npm run bench`). Prints bars/s and ratios measured in the same process:
 *   1. raw hand-written JS loop: SMA(20)/SMA(50) crossover with backtrader's rules on preloaded Float64Arrays
 *   2. the full engine path on the same preloaded candles (SmaCrossover → signed risk decision → sizing → OMS → sim)
 *   3. the engine path with a strategy that never trades (per-bar cost of the event flow itself)
 *   4. CSV parsing (fast scanner) and binary-cache loading, rows/s
 *   5. end to end from CSV text: parse + full engine path
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { SmaCrossover } from '@perpkit/strategy'
import { type CandleColumns, type EngineStrategy, loadCandles, parseCandleBytesFast, parseCandles, runBacktest } from '../src/index.js'

const bytes = gunzipSync(readFileSync(join(import.meta.dirname, '../test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')))
const text = bytes.toString('latin1')
const candles = parseCandles({ text, source: 'btc5m' })
const N = candles.length
const ins: Instrument = {
  symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT',
  contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 0, maxLeverage: 125, makerFeeRate: 0, takerFeeRate: 0,
}

function rawLoop(c: CandleColumns): { buys: number; sells: number; value: number } {
  const o = c.open
  const cl = c.close
  const F = 20
  const S = 50
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
  SmaCrossover.create({ id: 'bench', name: 'bench', market: { symbol: ins.symbol, primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: 20, slowPeriod: 50, mode: 'long-only' } })
const idle: () => EngineStrategy = () => ({ id: 'idle', className: 'Idle', onCandle: () => [] })

async function engine(c: CandleColumns, strategy: EngineStrategy): Promise<number> {
  const r = await runBacktest({
    symbol: ins.symbol, instrument: ins, timeframe: '5m', candles: c, strategy, initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1,
    sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk: { enabled: false }, recordBars: false,
  })
  return r.metrics.finalEquity
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now()
  const v = fn()
  return [v, performance.now() - t]
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const v = await fn()
  return [v, performance.now() - t]
}
const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0))

// 1. raw loop (best of 20)
let rawRes = rawLoop(candles)
let rawMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 20; k++) {
  const [r, ms] = time(() => rawLoop(candles))
  rawRes = r
  rawMs = Math.min(rawMs, ms)
}
const rawBps = N / (rawMs / 1000)

// 2. + 3. engine (best of 2)
let engMs = Number.POSITIVE_INFINITY
let engValue = 0
for (let k = 0; k < 2; k++) {
  const [v, ms] = await timeAsync(() => engine(candles, sma()))
  engValue = v
  engMs = Math.min(engMs, ms)
}
const engBps = N / (engMs / 1000)
let idleMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 2; k++) idleMs = Math.min(idleMs, (await timeAsync(() => engine(candles, idle())))[1])
const idleBps = N / (idleMs / 1000)

// 4. CSV parse (best of 10) and cache load
let parseMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 10; k++) parseMs = Math.min(parseMs, time(() => parseCandles({ text, source: 'btc5m' }))[1])
const parseRps = N / (parseMs / 1000)
let byteMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 10; k++) byteMs = Math.min(byteMs, time(() => parseCandleBytesFast({ bytes, source: 'btc5m' }))[1])
const byteRps = N / (byteMs / 1000)
let naiveMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 3; k++) {
  naiveMs = Math.min(
    naiveMs,
    time(() => {
      const rows = text.split('\n').slice(1).filter((l) => l !== '').map((l) => l.split(',').map(Number))
      return rows.length
    })[1],
  )
}
const dir = mkdtempSync(join(tmpdir(), 'perpkit-bench-'))
const csv = join(dir, 'btc5m.csv')
writeFileSync(csv, text)
loadCandles({ path: csv, cacheDir: join(dir, 'cache') })
let cacheMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 10; k++) cacheMs = Math.min(cacheMs, time(() => loadCandles({ path: csv, cacheDir: join(dir, 'cache') }))[1])
let fileMs = Number.POSITIVE_INFINITY
for (let k = 0; k < 5; k++) fileMs = Math.min(fileMs, time(() => loadCandles({ path: csv, cacheDir: false }))[1])
rmSync(dir, { recursive: true, force: true })

// 5. end to end from CSV text
const [, e2eMs] = await timeAsync(async () => engine(parseCandleBytesFast({ bytes, source: 'btc5m' }) as CandleColumns, sma()))
const e2eBps = N / (e2eMs / 1000)

const rows: [string, string, string][] = [
  ['raw JS loop, SMA(20/50) crossover (backtrader rules)', `${fmt(rawBps)} bars/s`, `1.000 (buys ${rawRes.buys}, sells ${rawRes.sells}, value ${rawRes.value.toFixed(1)})`],
  ['engine, full path (SmaCrossover → risk → sizing → OMS → sim)', `${fmt(engBps)} bars/s`, `${(engBps / rawBps).toExponential(2)} of raw (value ${engValue.toFixed(1)})`],
  ['engine, event flow only (strategy never trades)', `${fmt(idleBps)} bars/s`, `${(idleBps / rawBps).toExponential(2)} of raw`],
  ['CSV parse, byte scanner (51,840 rows)', `${fmt(byteRps)} rows/s`, `${(naiveMs / byteMs).toFixed(1)}x split+Number`],
  ['CSV parse, text scanner (general layouts)', `${fmt(parseRps)} rows/s`, `${(naiveMs / parseMs).toFixed(1)}x split+Number`],
  ['CSV file load, no cache (read + parse)', `${fmt(N / (fileMs / 1000))} rows/s`, ''],
  ['binary cache load (.perpkit-cache)', `${fmt(N / (cacheMs / 1000))} rows/s`, `${(fileMs / cacheMs).toFixed(1)}x faster than parsing`],
  ['end to end from CSV text (parse + full engine path)', `${fmt(e2eBps)} bars/s`, `parse ${byteMs.toFixed(1)} ms + engine ${(e2eMs - byteMs).toFixed(0)} ms`],
]
const w0 = Math.max(...rows.map((r) => r[0].length))
const w1 = Math.max(...rows.map((r) => r[1].length))
console.log(`@perpkit/engine bench — ${N} real Binance BTCUSDT 5m bars, node ${process.version}`)
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`)
