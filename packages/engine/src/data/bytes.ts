/**
 * The fastest candle path: a byte scanner over the raw file bytes (no string decoding) for the common layout
 * `timestamp,open,high,low,close,volume` with epoch-ms (or epoch-s) times and plain decimal numbers.
 * @module
 */
import { allocateCandleColumns, type CandleColumns } from './candles.js'

const P10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i)
const HEADER = /^"?(timestamp|time|date|open_time|ts)"?,"?open"?,"?high"?,"?low"?,"?close"?,"?(volume|vol)"?\r?$/i

/**
 * Parse candle CSV bytes with the byte scanner. Returns `null` (caller falls back to the text parser, which
 * also produces the precise error for a corrupt row) when the header is not the standard one, the times are
 * not epoch numbers, or any row is not six plain decimals.
 *
 * @param args - `{ bytes, source }`.
 * @returns the columns, or null when the fast path does not apply.
 * @example
 * ```ts
 * import { parseCandleBytesFast } from '@perpkit/engine'
 * import { readFileSync } from 'node:fs'
 * const cols = parseCandleBytesFast({ bytes: readFileSync('BTCUSDT_5m.csv'), source: 'BTCUSDT_5m.csv' })
 * ```
 */
export function parseCandleBytesFast(args: { readonly bytes: Uint8Array; readonly source: string }): CandleColumns | null {
  const b = args.bytes
  const n = b.length
  let pos = 0
  if (n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) pos = 3
  let eol = b.indexOf(10, pos)
  if (eol < 0) eol = n
  let header = ''
  for (let i = pos; i < eol; i++) header += String.fromCharCode(b[i] as number)
  if (!HEADER.test(header)) return null
  pos = eol + 1
  let lines = 1
  for (let i = b.indexOf(10, pos); i !== -1; i = b.indexOf(10, i + 1)) lines++
  const cols = allocateCandleColumns({ length: lines, source: args.source })
  const { openTimeMs, open, high, low, close, volume, line } = cols
  const row = new Float64Array(6)
  let count = 0
  let lineNo = 2
  let seconds: boolean | undefined
  while (pos < n) {
    let c = b[pos] as number
    if (c === 10 || c === 13) {
      if (c === 10) lineNo++
      pos++
      continue
    }
    for (let f = 0; f < 6; f++) {
      c = pos < n ? (b[pos] as number) : 10
      let neg = false
      if (c === 45) {
        neg = true
        pos++
        c = pos < n ? (b[pos] as number) : 10
      }
      let mant = 0
      let digits = 0
      let frac = -1
      for (;;) {
        if (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48)
          digits++
          if (frac >= 0) frac++
        } else if (c === 46 && frac < 0) frac = 0
        else break
        pos++
        c = pos < n ? (b[pos] as number) : 10
      }
      if (digits === 0 || digits > 15) return null
      const v = frac > 0 ? mant / (P10[frac] as number) : mant
      row[f] = neg ? -v : v
      if (f < 5) {
        if (c !== 44) return null
        pos++
      } else {
        if (c === 13) {
          pos++
          c = pos < n ? (b[pos] as number) : 10
        }
        if (c !== 10) return null
        pos++
      }
    }
    if (seconds === undefined) {
      const t0 = row[0] as number
      if (t0 >= 1e8 && t0 < 1e11) seconds = true
      else if (t0 >= 1e11) seconds = false
      else return null
    }
    openTimeMs[count] = seconds ? (row[0] as number) * 1000 : (row[0] as number)
    open[count] = row[1] as number
    high[count] = row[2] as number
    low[count] = row[3] as number
    close[count] = row[4] as number
    volume[count] = row[5] as number
    line[count] = lineNo
    count++
    lineNo++
  }
  if (count === lines) return cols
  return {
    length: count,
    openTimeMs: openTimeMs.slice(0, count),
    open: open.slice(0, count),
    high: high.slice(0, count),
    low: low.slice(0, count),
    close: close.slice(0, count),
    volume: volume.slice(0, count),
    line: line.slice(0, count),
    source: args.source,
  }
}
