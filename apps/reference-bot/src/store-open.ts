/**
 * Opens the trade store named on the command line: a SQLite file path, or a `postgres://` URL (PostgreSQL
 * through `@perpkit/store/postgres`).
 * @module
 */
import { openSqliteStore, type TradeStore } from '@perpkit/store'

/** True when `target` names a PostgreSQL server rather than a SQLite file. */
export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target)

/** Open the store at `target` (created if missing). */
export async function openStoreAt(target: string): Promise<TradeStore> {
  if (!isPostgresUrl(target)) return openSqliteStore({ path: target })
  const { openPostgresStore } = await import('@perpkit/store/postgres')
  return openPostgresStore({ connectionString: target })
}

/** The target as it may be printed: a URL without its password. */
export function printableStore(target: string): string {
  return isPostgresUrl(target) ? target.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') : target
}
