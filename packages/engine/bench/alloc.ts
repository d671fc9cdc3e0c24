/**
 * Bytes allocated per bar by the full engine path (not part of `npm run bench`, which times): run with
 *   node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 --conditions=@perpkit/source --import tsx bench/alloc.ts
 * (a fixed 128 MB young generation: V8 starts it small and grows it, collecting on the way)
 * Method: a full GC, the run, then the growth of the used heap, over a bar count small enough that no garbage
 * collection runs in between (checked with a `gc` performance observer; a run that saw one is reported as invalid),
 * so the growth is everything the run allocated. The same for a strategy that never trades (the event flow alone).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import { gunzipSync } from 'node:zlib'
import type { Instrument } from '@perpkit/core'
import { BINANCE_BTCUSDT } from '@perpkit/core/testing'
import { SmaCrossover } from '@perpkit/strategy'
import { type CandleColumns, type EngineStrategy, parseCandleBytesFast, runBacktest, sliceCandleColumns } from '../src/index.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc')
const bytes = gunzipSync(readFileSync(join(import.meta.dirname, '../test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')))
const all = parseCandleBytesFast({ bytes, source: 'btc5m' }) as CandleColumns
// the shared fixture without fees or minimum notional: the benchmark measures the code, not the costs
const ins: Instrument = { ...BINANCE_BTCUSDT, minNotional: 0, makerFeeRate: 0, takerFeeRate: 0 }
const sma = (): EngineStrategy =>
  SmaCrossover.create({ id: 'bench', name: 'bench', market: { symbol: ins.symbol, primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: 20, slowPeriod: 50, mode: 'long-only' } })
const idle = (): EngineStrategy => ({ id: 'idle', className: 'Idle', onCandle: () => [] })
/** Start times of every garbage collection (observer entries arrive late: they are matched to the run's window). */
const gcStarts: number[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcStarts.push(e.startTime)
    if (process.env.ALLOC_TRACE !== undefined) console.log(`gc kind ${(e as unknown as { detail: { kind: number } }).detail.kind} at ${e.startTime.toFixed(0)}`)
  }
}).observe({ entryTypes: ['gc'] })

async function measure(strategy: () => EngineStrategy, bars: number): Promise<{ perBar: number; trades: number; valid: boolean }> {
  const candles = sliceCandleColumns({ columns: all, from: 0, to: bars })
  const run = () =>
    runBacktest({ symbol: ins.symbol, instrument: ins, timeframe: '5m', candles, strategy: strategy(), initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1,
      sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk: { enabled: false }, recordBars: false })
  await run() // warm-up (JIT)
  gc?.()
  const t0 = performance.now()
  const h0 = process.memoryUsage().heapUsed
  const r = await run()
  const h1 = process.memoryUsage().heapUsed
  const t1 = performance.now()
  await new Promise((r2) => setTimeout(r2, 50)) // let the observer deliver the run's GC entries
  return { perBar: (h1 - h0) / bars, trades: r.trades.length, valid: !gcStarts.some((t) => t >= t0 && t <= t1) }
}

for (const [name, s, n] of [['event flow only (never trades)', idle, 20_000], ['full path, SMA(20/50)', sma, 5_000]] as const) {
  const m = await measure(s, n)
  console.log(`${name.padEnd(32)} ${n} bars, ${m.trades} trades: ${m.perBar.toFixed(0)} bytes allocated per bar${m.valid ? '' : ' (INVALID: a GC ran during the run; lower the bar count)'}`)
}
