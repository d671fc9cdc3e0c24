import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../src/index.js'
import { storeContract } from './contract.js'

const dir = mkdtempSync(join(tmpdir(), 'perpkit-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

storeContract('sqlite in memory', () => openSqliteStore({ path: ':memory:' }))
storeContract('sqlite file', () => openSqliteStore({ path: join(dir, `s${n++}.db`) }))

describe('sqlite file store', () => {
  it('keeps what was committed across close and reopen', async () => {
    const path = join(dir, 'reopen.db')
    const a = await openSqliteStore({ path })
    await a.putEquity('r1', [{ timestampMs: 1, equityUsd: 5 }])
    await a.close()
    const b = await openSqliteStore({ path })
    expect(await b.getEquity('r1')).toEqual([{ timestampMs: 1, equityUsd: 5 }])
    await b.close()
  })
})
