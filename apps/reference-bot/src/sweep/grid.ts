/**
 * Parameter grids of `perpkit sweep`: `name=v1,v2,…` (a list) or `name=from:to:step` (an inclusive range), expanded
 * to every combination in a fixed order (the first parameter varies slowest), so point `i` is the same in every run.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/** One parameter's values. */
export interface GridAxis {
  readonly name: string
  readonly values: readonly (number | string | boolean)[]
}

/** One point of the grid: parameter name → value. */
export type GridPoint = Readonly<Record<string, number | string | boolean>>

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_POINTS = 100_000

function scalar(text: string): number | string | boolean {
  const t = text.trim()
  if (t === 'true') return true
  if (t === 'false') return false
  const n = Number(t)
  return t !== '' && Number.isFinite(n) ? n : t
}

/** Decimal places of a range bound or step, so `0.1:0.3:0.1` gives 0.1, 0.2, 0.3 (not 0.30000000000000004). */
const decimals = (t: string): number => (t.includes('.') ? (t.split('.')[1] as string).length : 0)

/**
 * Parse one `--param` value.
 *
 * @param spec - `name=v1,v2,…` or `name=from:to:step` (step > 0, from ≤ to; inclusive)
 * @returns the axis
 * @throws InvalidInputError for a bad name, an empty list, a bad range or more than 100,000 values
 * @example
 * ```ts
 * parseGridAxis('fastPeriod=10:30:10') // { name: 'fastPeriod', values: [10, 20, 30] }
 * parseGridAxis('mode=long-only,long-short') // { name: 'mode', values: ['long-only', 'long-short'] }
 * ```
 */
export function parseGridAxis(spec: string): GridAxis {
  const eq = spec.indexOf('=')
  const name = eq < 0 ? '' : spec.slice(0, eq).trim()
  if (!NAME.test(name)) throw new InvalidInputError(`--param ${JSON.stringify(spec)}: expected name=v1,v2 or name=from:to:step`, { path: 'param' })
  const body = spec.slice(eq + 1).trim()
  const range = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(body)
  if (range !== null) {
    const [, a, b, s] = range as unknown as [string, string, string, string]
    const from = Number(a)
    const to = Number(b)
    const step = Number(s)
    if (!(step > 0) || from > to) throw new InvalidInputError(`--param ${name}: a range needs from <= to and step > 0, got ${body}`, { path: 'param' })
    const count = Math.floor((to - from) / step + 1e-9) + 1
    if (count > MAX_POINTS) throw new InvalidInputError(`--param ${name}: ${count} values (at most ${MAX_POINTS})`, { path: 'param' })
    const d = Math.max(decimals(a), decimals(s))
    const values = Array.from({ length: count }, (_, k) => Number((from + k * step).toFixed(d)))
    return { name, values }
  }
  const values = body.split(',').map((v) => v.trim()).filter((v) => v !== '').map(scalar)
  if (values.length === 0) throw new InvalidInputError(`--param ${name}: no values`, { path: 'param' })
  return { name, values }
}

/**
 * Every combination of the axes, the first axis varying slowest.
 *
 * @param axes - the parsed axes (names must be distinct)
 * @returns the points, in a fixed order
 * @throws InvalidInputError for a repeated name or more than 100,000 points
 * @example
 * ```ts
 * expandGrid([{ name: 'a', values: [1, 2] }, { name: 'b', values: ['x', 'y'] }])
 * // [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]
 * ```
 */
export function expandGrid(axes: readonly GridAxis[]): GridPoint[] {
  const names = new Set<string>()
  let total = 1
  for (const a of axes) {
    if (names.has(a.name)) throw new InvalidInputError(`--param ${a.name} is given twice`, { path: 'param' })
    names.add(a.name)
    total *= a.values.length
  }
  if (total > MAX_POINTS) throw new InvalidInputError(`the grid has ${total} points (at most ${MAX_POINTS})`, { path: 'param' })
  let points: GridPoint[] = [{}]
  for (const a of axes) {
    const next: GridPoint[] = []
    for (const p of points) for (const v of a.values) next.push({ ...p, [a.name]: v })
    points = next
  }
  return points
}
