import { InvalidInputError } from '@perpkit/core'
import pg from 'pg'
import type { SqlValue, StoreDriver } from '../types.js'

/** The store's SQL uses `?` placeholders (it has no `?` inside literals); PostgreSQL wants `$1, $2, …`. */
function numbered(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Validates a schema name before it is spliced into SQL (identifiers cannot be bound as parameters). */
export function schemaName(v: string): string {
  if (!SCHEMA_NAME.test(v)) {
    throw new InvalidInputError(`schema must be a lower-case SQL identifier, got ${JSON.stringify(v)}`, { path: 'schema' })
  }
  return v
}

/**
 * A thin driver over one `pg` connection: statements are prepared once per connection (named) and reused, so a
 * bulk load parses its multi-row INSERT once. One connection, like the embedded store: writes are serialised by
 * the store, and reads on the same connection see its own committed and in-flight writes.
 */
export async function postgresDriver(connectionString: string, schema: string | undefined): Promise<StoreDriver> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    if (schema !== undefined) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await client.query(`SET search_path TO ${schema}`)
    }
  } catch (e) {
    await client.end()
    throw e
  }
  const statements = new Map<string, { readonly name: string; readonly text: string }>()
  const statement = (sql: string): { readonly name: string; readonly text: string } => {
    let s = statements.get(sql)
    if (s === undefined) {
      s = { name: `perpkit_store_${statements.size}`, text: numbered(sql) }
      statements.set(sql, s)
    }
    return s
  }
  const query = (sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult> =>
    client.query({ ...statement(sql), values: params as SqlValue[] })
  return {
    dialect: 'postgres',
    exec: async (sql) => {
      await client.query(sql)
    },
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    all: async (sql, params) => (await query(sql, params)).rows as Record<string, unknown>[],
    async transaction(fn) {
      await client.query('BEGIN')
      try {
        const out = await fn()
        await client.query('COMMIT')
        return out
      } catch (e) {
        await client.query('ROLLBACK')
        throw e
      }
    },
    close: () => client.end(),
  }
}
