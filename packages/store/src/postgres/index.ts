import { storeOver } from '../store-over.js'
import type { TradeStore } from '../types.js'
import { postgresDriver, schemaName } from './driver.js'

/**
 * Where the PostgreSQL store lives.
 *
 * @example
 * ```ts
 * import type { PostgresStoreOptions } from '@perpkit/store/postgres'
 * const options: PostgresStoreOptions = { connectionString: 'postgres://perpkit@127.0.0.1:5432/perpkit', schema: 'paper' }
 * console.log(options.schema)
 * ```
 */
export interface PostgresStoreOptions {
  /** A libpq-style URL, e.g. `postgres://user:pass@127.0.0.1:5432/perpkit`. */
  readonly connectionString: string
  /**
   * A schema to keep the store's tables in (created if missing; lower-case identifier), so several stores can
   * share one database. Without it the connection's default `search_path` decides (usually `public`).
   */
  readonly schema?: string
}

/**
 * Opens (creating tables if needed) the trade store on a PostgreSQL server through `pg` (an optional peer
 * dependency: install `pg` 8.x to use this entry point). Same interface, validation and SQL as the embedded
 * store; every call is one transaction on one connection.
 *
 * @param options - the server's URL and, optionally, a schema
 * @returns the store; call `close()` when done (it ends the connection)
 * @throws InvalidInputError when `schema` is not a lower-case SQL identifier, and from store methods given bad
 *   input; `pg`'s connection errors when the server cannot be reached
 * @example
 * ```ts
 * import { openPostgresStore } from '@perpkit/store/postgres'
 * const store = await openPostgresStore({ connectionString: 'postgres://perpkit@127.0.0.1:5432/perpkit', schema: 'research' })
 * console.log((await store.listRuns()).length)
 * await store.close()
 * ```
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<TradeStore> {
  const schema = options.schema === undefined ? undefined : schemaName(options.schema)
  const driver = await postgresDriver(options.connectionString, schema)
  try {
    return await storeOver(driver)
  } catch (e) {
    await driver.close()
    throw e
  }
}
