import { PerpkitError } from '@perpkit/core'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../src/postgres/index.js'
import { storeContract } from './contract.js'
import { crashTest } from './crash.js'

// A real PostgreSQL on 127.0.0.1: `bash .ci/run` starts a throwaway cluster (Debian's postgresql) and exports
// PERPKIT_TEST_PG_URL. Without it the suite is skipped with one line locally, and fails under CI.
const url = process.env.PERPKIT_TEST_PG_URL
const ci = process.env.CI !== undefined
if (url === undefined && !ci) console.warn('skipping the PostgreSQL store suite: set PERPKIT_TEST_PG_URL (bash .ci/run starts one)')

// Every store gets its own schema in the shared database, dropped at the end.
const schemas: string[] = []
const fresh = (): string => {
  const s = `perpkit_test_${process.pid}_${schemas.length}`
  schemas.push(s)
  return s
}
afterAll(async () => {
  if (url === undefined || schemas.length === 0) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
  await client.end()
})

describe('openPostgresStore', () => {
  it('refuses a schema that is not a plain lower-case identifier before connecting', async () => {
    await expect(openPostgresStore({ connectionString: 'postgres://127.0.0.1:1/none', schema: 'x; DROP TABLE runs' })).rejects.toSatisfy(
      (e: unknown) => e instanceof PerpkitError && e.code === 'invalid-input',
    )
  })
})

if (url === undefined) {
  describe.runIf(ci)('PostgreSQL store suite', () => {
    it('runs under CI', () => {
      throw new Error('CI: PostgreSQL is required (apt-get install postgresql; .ci/run starts it and sets PERPKIT_TEST_PG_URL)')
    })
  })
} else {
  storeContract('postgres', () => openPostgresStore({ connectionString: url, schema: fresh() }))

  describe('postgres store', () => {
    it('keeps what was committed across close and reopen', async () => {
      const schema = fresh()
      const a = await openPostgresStore({ connectionString: url, schema })
      await a.putEquity('r1', [{ timestampMs: 1, equityUsd: 5 }])
      await a.close()
      const b = await openPostgresStore({ connectionString: url, schema })
      expect(await b.getEquity('r1')).toEqual([{ timestampMs: 1, equityUsd: 5 }])
      await b.close()
    })
  })

  const crashSchema = fresh()
  crashTest('postgres', ['postgres', url, crashSchema], () => openPostgresStore({ connectionString: url, schema: crashSchema }))
}
