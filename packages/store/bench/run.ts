/**
 * Bulk-load rate of the embedded store: one `putCandles` call of 1,000,000 candles into a fresh SQLite file
 * (validation, upsert, one transaction, committed with `synchronous = FULL`), side by side with two floors in
 * the same run:
 *  - raw better-sqlite3: the same table, the same pragmas, one prepared multi-row plain INSERT reused for every
 *    chunk, one transaction, no validation (the least any SQLite-backed store can pay);
 *  - typed array: the same candles copied into one Float64Array (the least any store at all can pay).
 * A second `putCandles` of the same candles over the loaded file measures an idempotent re-import (every row
 * hits the conflict path). Ratios are vs the raw better-sqlite3 floor.
 * With PERPKIT_BENCH_PG_URL (or PERPKIT_TEST_PG_URL) set, the same load also goes to PostgreSQL, against raw `pg`
 * (see postgres.ts; wall time only, since the server's work is not in this process's CPU time).
 *
 * Run: npm run bench   (from packages/store)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Candle } from '@perpkit/core'
import Database from 'better-sqlite3'
import { openSqliteStore } from '../src/index.js'
import { benchPostgres } from './postgres.js'
import { CANDLE_CHUNK_ROWS as CHUNK, CANDLE_COLUMNS } from '../src/sql/queries.js'
import { schemaSql } from '../src/sql/schema.js'

const N = 1_000_000
const series = { venue: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '1m' } as const

// A seeded random walk of 1m bars (valid OHLC); the load rate does not depend on the prices.
function walk(n: number): Candle[] {
  let seed = 0x2545f491
  const rnd = (): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5
    return (seed >>> 0) / 4294967296
  }
  const out: Candle[] = new Array<Candle>(n)
  let price = 60_000
  for (let i = 0; i < n; i++) {
    const open = price
    const close = Math.max(1, open * (1 + (rnd() - 0.5) * 0.004))
    const high = Math.max(open, close) * (1 + rnd() * 0.001)
    const low = Math.min(open, close) * (1 - rnd() * 0.001)
    out[i] = { openTimeMs: 1_500_000_000_000 + i * 60_000, open, high, low, close, volume: rnd() * 100 }
    price = close
  }
  return out
}

const candles = walk(N)
const dir = mkdtempSync(join(tmpdir(), 'perpkit-store-bench-'))
let fileNo = 0
const freshFile = (): string => join(dir, `b${fileNo++}.db`)

interface Took { readonly wallMs: number; readonly cpuMs: number }
function timer(): () => Took {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  return () => {
    const c = process.cpuUsage(c0)
    return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }
  }
}

function rawSqlite(): Took {
  const db = new Database(freshFile())
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  for (const s of schemaSql('sqlite')) db.exec(s)
  const row = '(?,?,?,?,?,?,?)'
  const head = 'INSERT INTO candles (series_id, open_time_ms, open, high, low, close, volume) VALUES '
  const full = db.prepare(head + Array.from({ length: CHUNK }, () => row).join(','))
  const params = new Array<number>(CHUNK * CANDLE_COLUMNS)
  const stop = timer()
  db.transaction(() => {
    db.prepare('INSERT INTO series (id, venue, symbol, timeframe) VALUES (1, ?, ?, ?)').run(series.venue, series.symbol, series.timeframe)
    for (let start = 0; start < N; start += CHUNK) {
      const end = Math.min(N, start + CHUNK)
      let k = 0
      for (let i = start; i < end; i++) {
        const c = candles[i] as Candle
        params[k++] = 1; params[k++] = c.openTimeMs; params[k++] = c.open; params[k++] = c.high; params[k++] = c.low; params[k++] = c.close; params[k++] = c.volume
      }
      if (end - start === CHUNK) full.run(params)
      else db.prepare(head + Array.from({ length: end - start }, () => row).join(',')).run(params.slice(0, k))
    }
  })()
  const took = stop()
  const count = (db.prepare('SELECT count(*) AS n FROM candles').get() as { n: number }).n
  db.close()
  if (count !== N) throw new Error(`raw floor stored ${count} rows, expected ${N}`)
  return took
}

function typedArray(): Took {
  const stop = timer()
  const a = new Float64Array(N * 6)
  let k = 0
  for (let i = 0; i < N; i++) {
    const c = candles[i] as Candle
    a[k++] = c.openTimeMs; a[k++] = c.open; a[k++] = c.high; a[k++] = c.low; a[k++] = c.close; a[k++] = c.volume
  }
  const took = stop()
  if (a[(N - 1) * 6] !== (candles[N - 1] as Candle).openTimeMs) throw new Error('typed-array floor lost a row')
  return took
}

async function store(reimport: boolean): Promise<Took> {
  const s = await openSqliteStore({ path: freshFile() })
  if (reimport) await s.putCandles(series, candles)
  const stop = timer()
  const written = await s.putCandles(series, candles)
  const took = stop()
  const back = await s.getCandles(series, { fromMs: (candles[N - 10] as Candle).openTimeMs })
  await s.close()
  if (written !== N || back.length !== 10) throw new Error(`store wrote ${written} rows, read back ${back.length} of the last 10`)
  return took
}

// Shared, loaded machine: best of 3 rounds per scenario, for wall time and for CPU time (user + system) of the
// process separately; CPU time is the steadier figure when other processes compete for the cores.
const best = new Map<string, Took>()
const keep = (name: string, t: Took): void => {
  const b = best.get(name)
  best.set(name, b === undefined ? t : { wallMs: Math.min(b.wallMs, t.wallMs), cpuMs: Math.min(b.cpuMs, t.cpuMs) })
}
try {
  for (let round = 0; round < 3; round++) {
    keep('floor: Float64Array copy', typedArray())
    keep('floor: raw better-sqlite3 multi-row INSERT', rawSqlite())
    keep('store: putCandles into a fresh file', await store(false))
    keep('store: putCandles re-import (all upserts)', await store(true))
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const floor = best.get('floor: raw better-sqlite3 multi-row INSERT') ?? { wallMs: 1, cpuMs: 1 }
const rate = (ms: number, rows = N): string => ((rows / ms) / 1e3).toFixed(2).padStart(6)
console.log(`bulk load of ${N.toLocaleString('en-US')} 1m candles, one call, one transaction, WAL + synchronous=FULL, ${CHUNK} rows per INSERT (best of 3)`)
console.log(`${''.padEnd(46)} ${'wall M/s'.padStart(9)} ${'× floor'.padStart(8)} ${'cpu M/s'.padStart(9)} ${'× floor'.padStart(8)}`)
for (const [name, t] of best) {
  console.log(`${name.padEnd(46)} ${rate(t.wallMs).padStart(9)} ${(t.wallMs / floor.wallMs).toFixed(2).padStart(8)} ${rate(t.cpuMs).padStart(9)} ${(t.cpuMs / floor.cpuMs).toFixed(2).padStart(8)}`)
}

const pgUrl = process.env.PERPKIT_BENCH_PG_URL ?? process.env.PERPKIT_TEST_PG_URL
if (pgUrl === undefined) {
  console.log('PostgreSQL: skipped (set PERPKIT_BENCH_PG_URL to a database the bench may create schemas in)')
} else {
  const PG_N = 200_000
  let floorMs = Number.POSITIVE_INFINITY
  let storeMs = Number.POSITIVE_INFINITY
  for (let round = 0; round < 2; round++) {
    const r = await benchPostgres(pgUrl, candles.slice(0, PG_N))
    floorMs = Math.min(floorMs, r.floorMs)
    storeMs = Math.min(storeMs, r.storeMs)
  }
  console.log(`PostgreSQL bulk load of ${PG_N.toLocaleString('en-US')} candles, one transaction, ${CHUNK} rows per INSERT (best of 2, wall time)`)
  console.log(`${'floor: raw pg prepared multi-row INSERT'.padEnd(46)} ${rate(floorMs, PG_N).padStart(9)} M/s  1.00× floor`)
  console.log(`${'store: putCandles (@perpkit/store/postgres)'.padEnd(46)} ${rate(storeMs, PG_N).padStart(9)} M/s  ${(storeMs / floorMs).toFixed(2).padStart(5)}× floor`)
}
