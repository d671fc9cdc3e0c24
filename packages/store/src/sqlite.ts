import Database from 'better-sqlite3'
import { storeOver } from './store-over.js'
import type { SqlValue, StoreDriver, TradeStore } from './types.js'

/** Where the embedded store lives. */
export interface SqliteStoreOptions {
  /** A file path, or `':memory:'` for a store that lives as long as the process. */
  readonly path: string
}

function sqliteDriver(path: string): StoreDriver {
  const db = new Database(path)
  // WAL + FULL: a committed transaction survives a crash of the process or the machine.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string): Database.Statement => {
    let s = statements.get(sql)
    if (s === undefined) {
      s = db.prepare(sql)
      statements.set(sql, s)
    }
    return s
  }
  return {
    dialect: 'sqlite',
    exec: (sql) => Promise.resolve(void db.exec(sql)),
    run: (sql, params: readonly SqlValue[]) => Promise.resolve(prepare(sql).run(...params).changes),
    all: (sql, params: readonly SqlValue[]) => Promise.resolve(prepare(sql).all(...params) as Record<string, unknown>[]),
    async transaction(fn) {
      db.exec('BEGIN IMMEDIATE')
      try {
        const out = await fn()
        db.exec('COMMIT')
        return out
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw e
      }
    },
    close: () => Promise.resolve(void db.close()),
  }
}

/**
 * Opens (creating if needed) the embedded trade store: SQLite through better-sqlite3, WAL journal with
 * `synchronous = FULL`, so everything committed survives a crash.
 *
 * @param options - the database file, or `':memory:'`
 * @returns the store; call `close()` when done
 * @throws InvalidInputError from store methods given bad input
 * @example
 * ```ts
 * import { openSqliteStore } from '@perpkit/store'
 * const store = await openSqliteStore({ path: ':memory:' })
 * await store.putCandles({ venue: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '1h' }, [
 *   { openTimeMs: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 3 },
 * ])
 * await store.close()
 * ```
 */
export function openSqliteStore(options: SqliteStoreOptions): Promise<TradeStore> {
  return storeOver(sqliteDriver(options.path))
}
