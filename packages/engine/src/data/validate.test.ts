import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { allocateCandleColumns } from './candles.js'
import { parseCandles } from './load.js'
import { DEFAULT_MAX_JUMP_FACTOR, MAX_CANDLE_VALUE, validateCandles } from './validate.js'

// real recorded Binance USDⓈ-M BTCUSDT 5m candles (test/fixtures/PROVENANCE.md)
const REAL = gunzipSync(readFileSync(join(import.meta.dirname, '../../test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1')
const LINES = REAL.split('\n')

/** The real file with line `lineNo` (1-based) given a new close (high/low widened so OHLC stays consistent). */
function withClose(lineNo: number, close: string): string {
  const lines = [...LINES]
  const [t, o, h, l, , v] = (lines[lineNo - 1] as string).split(',')
  const c = Number(close)
  lines[lineNo - 1] = [t, o, String(Math.max(Number(h), c)), String(Math.min(Number(l), c)), close, v].join(',')
  return lines.join('\n')
}

describe('validateCandles: outliers and absurd values', () => {
  it('accepts the real file with the default bound (its largest close-to-price move is far below it)', () => {
    const cols = parseCandles({ text: REAL, source: 'real.csv' })
    const r = validateCandles({ columns: cols })
    expect(r.issues).toEqual([])
    // measured independently of the validator: the largest ratio between a bar's high/low and the previous close
    let worst = 1
    const rows = LINES.slice(1).filter((l) => l !== '').map((l) => l.split(',').map(Number))
    for (let i = 1; i < rows.length; i++) {
      const prev = (rows[i - 1] as number[])[4] as number
      const [, , h, l] = rows[i] as number[]
      worst = Math.max(worst, (h as number) / prev, prev / (l as number))
    }
    expect(worst).toBeLessThan(1.1)
    expect(worst).toBeLessThan(DEFAULT_MAX_JUMP_FACTOR)
  })

  it('refuses a close of 1e308 with file:line', () => {
    const r = validateCandles({ columns: parseCandles({ text: withClose(1500, '1e308'), source: 'edited.csv' }) })
    expect(r.ok).toBe(false)
    expect(r.issues[0]?.kind).toBe('absurd-value')
    expect(r.issues[0]?.message).toMatch(/^edited\.csv:1500: absurd value \(.*c=1e\+308.*\): above 9007199254740991/)
  })

  it('refuses a shifted decimal point (10× the previous close) as a price jump, with file:line of both bars', () => {
    const [, , , , prevClose] = (LINES[1498] as string).split(',')
    const r = validateCandles({ columns: parseCandles({ text: withClose(1500, String(Number(prevClose) * 10)), source: 'edited.csv' }) })
    expect(r.issues.map((i) => [i.kind, i.line])).toEqual([
      ['price-jump', 1500],
      ['price-jump', 1501],
    ])
    expect(r.issues[0]?.message).toBe(`edited.csv:1500: price jump: ${Number(prevClose) * 10} is 10.0× above the previous close ${Number(prevClose)} (line 1499); the bound is 5×`)
  })

  it('the bound is configurable: a 30 % move passes by default and is refused at 1.2×', () => {
    const [, , , , prevClose] = (LINES[1498] as string).split(',')
    const cols = parseCandles({ text: withClose(1500, String(Math.round(Number(prevClose) * 0.7))), source: 'e.csv' })
    expect(validateCandles({ columns: cols }).ok).toBe(true)
    const strict = validateCandles({ columns: cols, maxJumpFactor: 1.2 })
    expect(strict.issues[0]?.kind).toBe('price-jump')
    expect(strict.issues[0]?.message).toMatch(/^e\.csv:1500: price jump: \d+ is 1\.43× below the previous close/)
    expect(() => validateCandles({ columns: cols, maxJumpFactor: 1 })).toThrow(/maxJumpFactor must be > 1/)
  })

  it('refuses non-finite values (a JSON null or NaN reaches the columns)', () => {
    const c = allocateCandleColumns({ length: 2, source: 'mem' })
    c.openTimeMs.set([0, 60_000])
    for (const col of [c.open, c.high, c.low, c.close]) col.set([100, 100])
    c.close[1] = Number.NaN
    const r = validateCandles({ columns: c })
    expect(r.issues[0]?.kind).toBe('non-finite')
    expect(r.issues[0]?.message).toBe('mem row 1: non-finite value (o=100 h=100 l=100 c=NaN v=0)')
    expect(MAX_CANDLE_VALUE).toBe(2 ** 53 - 1)
  })
})
