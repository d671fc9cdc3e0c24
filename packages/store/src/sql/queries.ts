/** Statements shared by every SQL driver (positional `?` parameters). */

/** A table written in bulk: its columns in bind order, its key, and what a row whose key is stored already does. */
export interface BulkTable {
  readonly table: string
  readonly columns: readonly string[]
  readonly key: readonly string[]
  /** `replace`: the new row wins (upsert); `keep`: the stored row stays (append-once). */
  readonly onConflict: 'replace' | 'keep'
}

export const CANDLES: BulkTable = {
  table: 'candles',
  columns: ['series_id', 'open_time_ms', 'open', 'high', 'low', 'close', 'volume'],
  key: ['series_id', 'open_time_ms'],
  onConflict: 'replace',
}
export const FUNDING: BulkTable = { table: 'funding', columns: ['venue', 'symbol', 'timestamp_ms', 'rate'], key: ['venue', 'symbol', 'timestamp_ms'], onConflict: 'replace' }
export const RECORDS: BulkTable = { table: 'records', columns: ['run_id', 'kind', 'key', 'timestamp_ms', 'payload'], key: ['run_id', 'kind', 'key'], onConflict: 'keep' }
export const EQUITY: BulkTable = { table: 'equity', columns: ['run_id', 'timestamp_ms', 'equity_usd'], key: ['run_id', 'timestamp_ms'], onConflict: 'replace' }

/** Most parameters one statement binds: well under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 3584

/** Rows per multi-row INSERT into `t` (512 for candles). */
export const chunkRows = (t: BulkTable): number => Math.floor(MAX_PARAMS / t.columns.length)

/** Rows per multi-row candle INSERT. */
export const CANDLE_CHUNK_ROWS = chunkRows(CANDLES)

/** Columns bound per candle row, in order: series id, open time, open, high, low, close, volume. */
export const CANDLE_COLUMNS = CANDLES.columns.length

const bulkSql = new Map<string, string>()

/** One INSERT of `rows` rows into `t` with its conflict rule (cached: drivers prepare each text once). */
export function bulkInsertSql(t: BulkTable, rows: number): string {
  const id = `${t.table}:${rows}`
  let sql = bulkSql.get(id)
  if (sql === undefined) {
    const one = `(${t.columns.map(() => '?').join(',')})`
    const rest = t.columns.filter((c) => !t.key.includes(c))
    const conflict = t.onConflict === 'keep' ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}`
    sql = `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(',')} ON CONFLICT (${t.key.join(', ')}) ${conflict}`
    bulkSql.set(id, sql)
  }
  return sql
}

export const INSERT_RUN_SQL =
  'INSERT INTO runs (id, mode, strategy, venue, symbol, config, started_at_ms, ended_at_ms) VALUES (?,?,?,?,?,?,?,NULL)'
export const END_RUN_SQL = 'UPDATE runs SET ended_at_ms = ? WHERE id = ?'
export const SELECT_RUN_SQL = 'SELECT * FROM runs WHERE id = ?'
export const SELECT_RUNS_SQL = 'SELECT * FROM runs ORDER BY started_at_ms, id'
/** Registers a series once; its id is then read with {@link SELECT_SERIES_ID_SQL}. */
export const INSERT_SERIES_SQL =
  'INSERT INTO series (venue, symbol, timeframe) VALUES (?,?,?) ON CONFLICT (venue, symbol, timeframe) DO NOTHING'
export const SELECT_SERIES_ID_SQL = 'SELECT id FROM series WHERE venue = ? AND symbol = ? AND timeframe = ?'
export const SELECT_CANDLES_SQL =
  'SELECT c.* FROM candles c JOIN series s ON s.id = c.series_id WHERE s.venue = ? AND s.symbol = ? AND s.timeframe = ?' +
  ' AND c.open_time_ms >= ? AND c.open_time_ms < ? ORDER BY c.open_time_ms'
export const SELECT_FUNDING_SQL =
  'SELECT * FROM funding WHERE venue = ? AND symbol = ? AND timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms'
export const SELECT_RECORDS_SQL =
  'SELECT * FROM records WHERE run_id = ? AND timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms, kind, key'
export const SELECT_RECORDS_OF_KIND_SQL =
  'SELECT * FROM records WHERE run_id = ? AND kind = ? AND timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms, key'
export const SELECT_EQUITY_SQL =
  'SELECT * FROM equity WHERE run_id = ? AND timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms'
