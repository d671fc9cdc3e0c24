import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openSqliteStore } from '../src/index.js'
import { crashTest } from './crash.js'

const dir = mkdtempSync(join(tmpdir(), 'perpkit-store-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const path = join(dir, 'crash.db')

crashTest('sqlite file', ['sqlite', path], () => openSqliteStore({ path }))
