// Child process for the crash tests: appends equity points in committed batches and prints each committed batch.
// argv: sqlite <file> | postgres <url> <schema>
import type { TradeStore } from '../src/index.js'
import { openSqliteStore } from '../src/index.js'
import { openPostgresStore } from '../src/postgres/index.js'

const [kind, target, schema] = process.argv.slice(2) as [string, string, string | undefined]
const store: TradeStore = kind === 'postgres'
  ? await openPostgresStore({ connectionString: target, ...(schema === undefined ? {} : { schema }) })
  : await openSqliteStore({ path: target })
for (let batch = 0; ; batch++) {
  const points = Array.from({ length: 100 }, (_, i) => ({ timestampMs: batch * 100 + i, equityUsd: 10000 + i }))
  await store.putEquity('crash', points)
  process.stdout.write(`${batch}\n`)
}
