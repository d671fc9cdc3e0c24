/**
 * The PostgreSQL half of the bulk-load bench (run by run.ts when PERPKIT_BENCH_PG_URL or PERPKIT_TEST_PG_URL is
 * set): `putCandles` through `@perpkit/store/postgres` against raw `pg` running the same prepared multi-row INSERT
 * in one transaction on the same table. Each load goes into a fresh schema, dropped afterwards.
 */
import type { Candle } from '@perpkit/core'
import pg from 'pg'
import { openPostgresStore } from '../src/postgres/index.js'
import { CANDLE_CHUNK_ROWS as CHUNK, CANDLE_COLUMNS } from '../src/sql/queries.js'
import { schemaSql } from '../src/sql/schema.js'

const series = { venue: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '1m' } as const
let schemaNo = 0

async function withSchema<T>(url: string, fn: (schema: string, client: pg.Client) => Promise<T>): Promise<T> {
  const schema = `perpkit_bench_${process.pid}_${schemaNo++}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA ${schema}`)
    await client.query(`SET search_path TO ${schema}`)
    return await fn(schema, client)
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
}

/** Milliseconds of wall time to load `candles` through raw pg (floor) and through the store. */
export async function benchPostgres(url: string, candles: readonly Candle[]): Promise<{ floorMs: number; storeMs: number }> {
  const n = candles.length - (candles.length % CHUNK)
  const floorMs = await withSchema(url, async (_schema, client) => {
    for (const s of schemaSql('postgres')) await client.query(s)
    const { rows } = await client.query<{ id: string }>('INSERT INTO series (venue, symbol, timeframe) VALUES ($1, $2, $3) RETURNING id', [series.venue, series.symbol, series.timeframe])
    const id = Number(rows[0]?.id)
    const text = `INSERT INTO candles (series_id, open_time_ms, open, high, low, close, volume) VALUES ${Array.from({ length: CHUNK }, (_, r) => `(${Array.from({ length: CANDLE_COLUMNS }, (_, c) => `$${r * CANDLE_COLUMNS + c + 1}`).join(',')})`).join(',')}`
    const params = new Array<number>(CHUNK * CANDLE_COLUMNS)
    const t0 = performance.now()
    await client.query('BEGIN')
    for (let start = 0; start < n; start += CHUNK) {
      let k = 0
      for (let i = start; i < start + CHUNK; i++) {
        const c = candles[i] as Candle
        params[k++] = id; params[k++] = c.openTimeMs; params[k++] = c.open; params[k++] = c.high; params[k++] = c.low; params[k++] = c.close; params[k++] = c.volume
      }
      await client.query({ name: 'bench_floor', text, values: params })
    }
    await client.query('COMMIT')
    return performance.now() - t0
  })
  const storeMs = await withSchema(url, async (schema) => {
    const store = await openPostgresStore({ connectionString: url, schema })
    const t0 = performance.now()
    const written = await store.putCandles(series, candles.slice(0, n))
    const ms = performance.now() - t0
    await store.close()
    if (written !== n) throw new Error(`postgres store wrote ${written} rows, expected ${n}`)
    return ms
  })
  return { floorMs, storeMs }
}
