import type { Candle } from '@perpkit/core'
import { schemaSql } from './sql/schema.js'
import * as q from './sql/queries.js'
import { candleFromRow, equityFromRow, fundingFromRow, recordFromRow, runFromRow } from './sql/rows.js'
import type { EquityPoint, FundingRate, SqlValue, StoreDriver, TradeStore } from './types.js'
import * as v from './validate.js'

/**
 * The items with one per key, the last given winning (what upserting them one by one would leave). Already
 * strictly increasing keys, the usual case, come back as they are without a copy. PostgreSQL refuses one INSERT
 * that upserts the same key twice, so every backend gets the deduplicated rows.
 */
function lastPerKey<T>(items: readonly T[], key: (item: T) => number): readonly T[] {
  let increasing = true
  for (let i = 1; i < items.length && increasing; i++) increasing = key(items[i] as T) > key(items[i - 1] as T)
  if (increasing) return items
  const byKey = new Map<number, T>()
  for (const item of items) byKey.set(key(item), item)
  return [...byKey.values()]
}

/** Validates values stamped with a time (epoch ms, one finite `field` each); one per time, the last winning. */
function timedValues<T extends { readonly timestampMs: number }>(input: readonly T[], path: string, field: keyof T & string): readonly T[] {
  input.forEach((x, i) => {
    v.timeMs(x.timestampMs, `${path}[${i}].timestampMs`)
    v.finite(x[field], `${path}[${i}].${field}`)
  })
  return lastPerKey(input, (x) => x.timestampMs)
}

/**
 * Builds the {@link TradeStore} over a SQL driver: the one place holding validation and SQL; drivers only
 * run statements. Creates the schema on first use. Writes are serialised so transactions never interleave.
 *
 * @param driver - a SQL backend (see `openSqliteStore` for the embedded one)
 * @returns the store
 * @throws InvalidInputError from any method given bad input (nothing is written)
 * @example
 * ```ts
 * import { openSqliteStore } from '@perpkit/store'
 * const store = await openSqliteStore({ path: ':memory:' })
 * await store.startRun({ id: 'r1', mode: 'backtest', strategy: 'ema', venue: 'binance', symbol: 'BTC/USDT:USDT', config: {}, startedAtMs: 0 })
 * await store.close()
 * ```
 */
export async function storeOver(driver: StoreDriver): Promise<TradeStore> {
  for (const s of schemaSql(driver.dialect)) await driver.exec(s)
  let queue: Promise<unknown> = Promise.resolve()
  const write = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => driver.transaction(fn))
    queue = next.catch(() => undefined)
    return next
  }
  /** Writes `count` rows into `t` as multi-row INSERTs; `put(i, out, at)` binds row i at out[at…]. Call inside write(). */
  const bulk = async (t: q.BulkTable, count: number, put: (i: number, out: SqlValue[], at: number) => void): Promise<number> => {
    const per = q.chunkRows(t)
    const width = t.columns.length
    let written = 0
    for (let start = 0; start < count; start += per) {
      const rows = Math.min(per, count - start)
      const params = new Array<SqlValue>(rows * width)
      for (let r = 0; r < rows; r++) put(start + r, params, r * width)
      written += await driver.run(q.bulkInsertSql(t, rows), params)
    }
    return written
  }
  return {
    async startRun(run) {
      const row: SqlValue[] = [
        v.text(run.id, 'id'), v.runMode(run.mode), v.text(run.strategy, 'strategy'), v.text(run.venue, 'venue'),
        v.text(run.symbol, 'symbol'), v.json(run.config, 'config'), v.timeMs(run.startedAtMs, 'startedAtMs'),
      ]
      await write(() => driver.run(q.INSERT_RUN_SQL, row))
    },
    async endRun(runId, endedAtMs) {
      const p = [v.timeMs(endedAtMs, 'endedAtMs'), v.text(runId, 'runId')]
      await write(() => driver.run(q.END_RUN_SQL, p))
    },
    async getRun(runId) {
      const rows = await driver.all(q.SELECT_RUN_SQL, [v.text(runId, 'runId')])
      return rows[0] === undefined ? undefined : runFromRow(rows[0])
    },
    async listRuns() {
      return (await driver.all(q.SELECT_RUNS_SQL, [])).map(runFromRow)
    },
    async putCandles(series, input) {
      v.series(series, true)
      input.forEach(v.candle)
      const candles = lastPerKey(input, (c) => c.openTimeMs)
      const key = [series.venue, series.symbol, series.timeframe]
      return write(async () => {
        await driver.run(q.INSERT_SERIES_SQL, key)
        const seriesId = Number((await driver.all(q.SELECT_SERIES_ID_SQL, key))[0]?.id)
        return bulk(q.CANDLES, candles.length, (i, out, k) => {
          const c = candles[i] as Candle
          out[k] = seriesId; out[k + 1] = c.openTimeMs; out[k + 2] = c.open; out[k + 3] = c.high; out[k + 4] = c.low
          out[k + 5] = c.close; out[k + 6] = c.volume
        })
      })
    },
    async getCandles(series, range) {
      v.series(series, true)
      const [from, to] = v.range(range)
      const rows = await driver.all(q.SELECT_CANDLES_SQL, [series.venue, series.symbol, series.timeframe, from, to])
      return rows.map(candleFromRow) satisfies Candle[]
    },
    async putFunding(series, input) {
      v.series(series, false)
      const rates = timedValues(input, 'rates', 'rate')
      return write(() =>
        bulk(q.FUNDING, rates.length, (i, out, k) => {
          const r = rates[i] as FundingRate
          out[k] = series.venue; out[k + 1] = series.symbol; out[k + 2] = r.timestampMs; out[k + 3] = r.rate
        }),
      )
    },
    async getFunding(series, range) {
      v.series(series, false)
      const [from, to] = v.range(range)
      return (await driver.all(q.SELECT_FUNDING_SQL, [series.venue, series.symbol, from, to])).map(fundingFromRow)
    },
    async putRecords(records) {
      const rows = records.map((r, i) => [
        v.text(r.runId, `records[${i}].runId`), v.recordKind(r.kind, `records[${i}].kind`), v.text(r.key, `records[${i}].key`),
        v.timeMs(r.timestampMs, `records[${i}].timestampMs`), v.json(r.payload, `records[${i}].payload`),
      ])
      // a key repeated within the call is kept once, the first time, as a stored key is
      return write(() =>
        bulk(q.RECORDS, rows.length, (i, out, k) => {
          const row = rows[i] as SqlValue[]
          for (let c = 0; c < row.length; c++) out[k + c] = row[c] as SqlValue
        }),
      )
    },
    async getRecords(runId, options) {
      const [from, to] = v.range(options)
      const rows = options?.kind === undefined
        ? await driver.all(q.SELECT_RECORDS_SQL, [v.text(runId, 'runId'), from, to])
        : await driver.all(q.SELECT_RECORDS_OF_KIND_SQL, [v.text(runId, 'runId'), v.recordKind(options.kind, 'kind'), from, to])
      return rows.map(recordFromRow)
    },
    async putEquity(runId, input) {
      v.text(runId, 'runId')
      const points = timedValues(input, 'points', 'equityUsd')
      return write(() =>
        bulk(q.EQUITY, points.length, (i, out, k) => {
          const p = points[i] as EquityPoint
          out[k] = runId; out[k + 1] = p.timestampMs; out[k + 2] = p.equityUsd
        }),
      )
    },
    async getEquity(runId, range) {
      const [from, to] = v.range(range)
      return (await driver.all(q.SELECT_EQUITY_SQL, [v.text(runId, 'runId'), from, to])).map(equityFromRow)
    },
    async close() {
      await queue
      await driver.close()
    },
  }
}
