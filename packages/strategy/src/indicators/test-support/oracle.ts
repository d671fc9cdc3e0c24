/**
 * Test-only helpers: load the TA-Lib oracle CSV fixtures and compare series.
 * @module
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { expect } from 'vitest'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/oracles')

/** Columns of a CSV fixture as Float64Arrays (empty cell → NaN). */
export function loadCsv(file: string): Record<string, Float64Array> {
  const raw = readFileSync(join(FIXTURES, file))
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')
  const lines = text.split('\n').filter((l) => l.length > 0)
  const header = (lines[0] as string).split(',')
  const cols: Record<string, Float64Array> = {}
  for (const h of header) cols[h] = new Float64Array(lines.length - 1)
  for (let r = 1; r < lines.length; r++) {
    const cells = (lines[r] as string).split(',')
    for (let c = 0; c < header.length; c++) {
      const cell = cells[c] ?? ''
      ;(cols[header[c] as string] as Float64Array)[r - 1] = cell === '' ? Number.NaN : Number(cell)
    }
  }
  return cols
}

/** Column accessor that fails loudly on a missing column. */
export function col(table: Record<string, Float64Array>, name: string): Float64Array {
  const c = table[name]
  if (!c) throw new Error(`missing oracle column ${name}`)
  return c
}

/**
 * Assert `actual` matches `expected` to ≤ `tol` relative (absolute near zero), with NaN in exactly the same positions.
 * Returns the max relative error seen (for reporting).
 */
export function expectSeriesClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): number {
  expect(actual.length).toBe(expected.length)
  let maxRel = 0
  let firstNumber = -1
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number
    const e = expected[i] as number
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`index ${i}: expected NaN (lookback), got ${a}`)
      continue
    }
    if (firstNumber < 0) firstNumber = i
    if (Number.isNaN(a)) expect.fail(`index ${i}: expected ${e}, got NaN`)
    const rel = Math.abs(a - e) / Math.max(Math.abs(e), 1)
    if (rel > maxRel) maxRel = rel
    if (rel > tol) expect.fail(`index ${i}: expected ${e}, got ${a} (rel err ${rel})`)
  }
  expect(firstNumber).toBeGreaterThanOrEqual(0)
  return maxRel
}

/** Assert two series are bit-identical (NaN equal to NaN). */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number
    const e = expected[i] as number
    if (!(Object.is(a, e) || (a === e))) expect.fail(`index ${i}: ${a} !== ${e}`)
  }
}

/** One streaming operation in a property test. */
export interface StreamOp<I> {
  readonly replace: boolean
  readonly input: I
}

/**
 * Apply `ops` to a streaming indicator and return the final input series together with, per position,
 * the value returned by the last operation that touched that position (what a batch run must reproduce),
 * plus an optional per-position snapshot of extra fields.
 */
export function runOps<I, S extends { update(i: I): number; replaceLast(i: I): number }>(
  ind: S,
  ops: readonly StreamOp<I>[],
  read?: (s: S) => number[],
): { inputs: I[]; values: number[]; extras: number[][] } {
  const inputs: I[] = []
  const values: number[] = []
  const extras: number[][] = []
  for (const op of ops) {
    if (op.replace && inputs.length > 0) {
      inputs[inputs.length - 1] = op.input
      values[values.length - 1] = ind.replaceLast(op.input)
      if (read) extras[extras.length - 1] = read(ind)
    } else {
      inputs.push(op.input)
      values.push(op.replace ? ind.replaceLast(op.input) : ind.update(op.input))
      if (read) extras.push(read(ind))
    }
  }
  return { inputs, values, extras }
}
