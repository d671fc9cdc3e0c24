import type { SqlDialect } from '../types.js'

/**
 * The store's tables, one statement each, for `dialect`. Candles are keyed by a small integer series id and
 * their open time: in SQLite the table is clustered on that key (`WITHOUT ROWID`), so a bulk load writes one
 * B-tree of short rows instead of a rowid table plus an index repeating venue, symbol and timeframe per row.
 */
export function schemaSql(dialect: SqlDialect): readonly string[] {
  const pg = dialect === 'postgres'
  const int = pg ? 'BIGINT' : 'INTEGER'
  const real = pg ? 'DOUBLE PRECISION' : 'REAL'
  const clustered = pg ? '' : ' WITHOUT ROWID'
  const seriesId = pg ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY'
  return [
    `CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, mode TEXT NOT NULL, strategy TEXT NOT NULL, venue TEXT NOT NULL,
      symbol TEXT NOT NULL, config TEXT NOT NULL, started_at_ms ${int} NOT NULL, ended_at_ms ${int})`,
    `CREATE TABLE IF NOT EXISTS series (id ${seriesId}, venue TEXT NOT NULL, symbol TEXT NOT NULL, timeframe TEXT NOT NULL,
      UNIQUE (venue, symbol, timeframe))`,
    `CREATE TABLE IF NOT EXISTS candles (series_id ${int} NOT NULL REFERENCES series (id), open_time_ms ${int} NOT NULL,
      open ${real} NOT NULL, high ${real} NOT NULL, low ${real} NOT NULL, close ${real} NOT NULL, volume ${real} NOT NULL,
      PRIMARY KEY (series_id, open_time_ms))${clustered}`,
    `CREATE TABLE IF NOT EXISTS funding (venue TEXT NOT NULL, symbol TEXT NOT NULL, timestamp_ms ${int} NOT NULL,
      rate ${real} NOT NULL, PRIMARY KEY (venue, symbol, timestamp_ms))${clustered}`,
    `CREATE TABLE IF NOT EXISTS records (run_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
      timestamp_ms ${int} NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (run_id, kind, key))`,
    `CREATE INDEX IF NOT EXISTS records_by_time ON records (run_id, timestamp_ms)`,
    `CREATE TABLE IF NOT EXISTS equity (run_id TEXT NOT NULL, timestamp_ms ${int} NOT NULL, equity_usd ${real} NOT NULL,
      PRIMARY KEY (run_id, timestamp_ms))${clustered}`,
  ]
}
