import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = join(import.meta.dirname, 'fixtures')

/** A docs example copied into the package (see fixtures/PROVENANCE.md). */
export function docsFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as unknown
}
