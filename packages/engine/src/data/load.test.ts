import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { isPerpkitError } from '@perpkit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCandleBytesFast } from './bytes.js'
import { candleAt } from './candles.js'
import { decodeCandleColumns, encodeCandleColumns, loadCandles, parseCandles } from './load.js'
import { parseFunding, parseTradeCsv, tradeAt } from './trades.js'
import { validateCandles } from './validate.js'

const FIX = join(import.meta.dirname, '../../test/fixtures')
const MAIN = join(FIX, 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-engine-load-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** An independent, naive parser (split + Number/Date.parse) to compare the fast scanner against. */
function naive(text: string, toMs: (s: string) => number): number[][] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(',')
      return [toMs(f[0] as string), ...f.slice(1).map(Number)]
    })
}

describe('candle loaders', () => {
  it('parses the real Binance USDⓈ-M 5m file exactly like a naive parser (51,840 rows, README range)', () => {
    const text = gunzipSync(readFileSync(MAIN)).toString('latin1')
    const cols = parseCandles({ text, source: 'main.csv' })
    expect(cols.length).toBe(51_840)
    expect(new Date(cols.openTimeMs[0] as number).toISOString()).toBe('2025-07-04T11:35:00.000Z')
    expect(new Date(cols.openTimeMs[cols.length - 1] as number).toISOString()).toBe('2025-12-31T11:30:00.000Z')
    const ref = naive(text, Number)
    for (let i = 0; i < cols.length; i++) {
      const r = ref[i] as number[]
      const c = candleAt(cols, i)
      if (c.openTimeMs !== r[0] || c.open !== r[1] || c.high !== r[2] || c.low !== r[3] || c.close !== r[4] || c.volume !== r[5]) {
        throw new Error(`row ${i} differs: ${JSON.stringify(c)} vs ${JSON.stringify(r)}`)
      }
    }
    expect(cols.line[0]).toBe(2)
    const report = validateCandles({ columns: cols })
    expect(report.timeframeMs).toBe(300_000)
    expect(report.gaps).toEqual([])
    expect(report.issues).toEqual([])
  })

  it.each([
    ['ftx_BTC-PERP_1m_head2000.csv', 60_000, '2021-12-31T23:01:00.000Z'],
    ['bybit_linear_BTCUSDT_5m_cobra_head2000.csv', 300_000, '2025-04-03T17:05:00.000Z'],
    ['binance_spot_BTCUSDT_1m_head2000.csv', 60_000, '2025-01-01T03:00:00.000Z'],
  ])('parses date-time CSV %s like Date.parse', (file, tf, first) => {
    const text = readFileSync(join(FIX, file), 'latin1')
    const cols = parseCandles({ text, source: file })
    expect(cols.length).toBe(2000)
    expect(new Date(cols.openTimeMs[0] as number).toISOString()).toBe(first)
    const ref = naive(text, (s) => Date.parse(s.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1').replace(/(\d\d:\d\d:\d\d(\.\d+)?)$/, '$1Z')))
    ref.forEach((r, i) => expect([cols.openTimeMs[i], cols.open[i], cols.high[i], cols.low[i], cols.close[i], cols.volume[i]]).toEqual(r))
    expect(validateCandles({ columns: cols }).timeframeMs).toBe(tf)
  })

  it('parses Lean no-header files with the date from the file name and reports the 1 missing minute', () => {
    const file = join(FIX, 'binance_coinm_BTCUSD_PERP_1m_2022-12-13.lean.csv')
    const { columns } = loadCandles({ path: file, cacheDir: false })
    expect(columns.length).toBe(1439)
    expect(columns.openTimeMs[0]).toBe(Date.UTC(2022, 11, 13))
    expect(columns.open[0]).toBe(17204)
    const report = validateCandles({ columns })
    expect(report.gaps).toHaveLength(1)
    expect(report.gaps[0]?.missingBars).toBe(1)
  })

  it('parses freqtrade JSON', () => {
    const file = join(FIX, 'binance_usdm_BTCUSDT_1h_2025-09-19_2025-10-23.freqtrade.json')
    const { columns } = loadCandles({ path: file, cacheDir: false })
    expect(columns.length).toBe(838)
    expect(columns.openTimeMs[0]).toBe(Date.UTC(2025, 8, 19))
    expect(validateCandles({ columns }).timeframeMs).toBe(3_600_000)
  })

  it('the byte scanner agrees exactly with the text scanner and declines unusual layouts', () => {
    const bytes = gunzipSync(readFileSync(MAIN))
    const fast = parseCandleBytesFast({ bytes, source: 'm' })
    const slow = parseCandles({ text: bytes.toString('latin1'), source: 'm' })
    expect(fast).not.toBeNull()
    for (const k of ['openTimeMs', 'open', 'high', 'low', 'close', 'volume', 'line'] as const) expect(Array.from(fast?.[k] ?? [])).toEqual(Array.from(slow[k]))
    const enc = (t: string): Uint8Array => new TextEncoder().encode(t)
    expect(parseCandleBytesFast({ bytes: enc('timestamp,open,high,low,close,volume\n1000,1,2,0.5,abc,3\n'), source: 'x' })).toBeNull()
    expect(parseCandleBytesFast({ bytes: enc('timestamp,open,high,low,close,volume\n2025-01-01 00:00:00,1,2,0.5,1,3\n'), source: 'x' })).toBeNull()
    expect(parseCandleBytesFast({ bytes: enc('time,close,open,high,low,volume\n1751628900000,1,2,3,0.5,3\n'), source: 'x' })).toBeNull()
    const ok = parseCandleBytesFast({ bytes: enc('timestamp,open,high,low,close,volume\r\n1751628900000,1.5,2,0.5,-1e0,3\r\n'), source: 'x' })
    expect(ok).toBeNull() // exponent → text path
    const crlf = parseCandleBytesFast({ bytes: enc('timestamp,open,high,low,close,volume\r\n1751628900000,1.5,2,0.5,1.25,3\r\n1751629200000,1.25,2,1,1.5,4'), source: 'x' })
    expect(crlf?.length).toBe(2)
    expect(Array.from(crlf?.close ?? [])).toEqual([1.25, 1.5])
    expect(Array.from(crlf?.line ?? [])).toEqual([2, 3])
  })

  it('loadCandles reports a corrupt row through the text parser even when the byte path declines', () => {
    const file = join(tmp, 'corrupt.csv')
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n60000,10,12,9,11,1\n120000,11,12,x,11.5,1\n')
    expect(() => loadCandles({ path: file, cacheDir: false })).toThrow(/corrupt\.csv:3: column 4: "x" is not a number/)
  })

  it('fails fast on a corrupt row, naming file and line', () => {
    const text = 'timestamp,open,high,low,close,volume\n1000,1,2,0.5,1.5,3\n2000,1,2,abc,1.5,3\n'
    try {
      parseCandles({ text, source: 'bad.csv' })
      expect.unreachable()
    } catch (e) {
      expect(isPerpkitError(e, 'corrupt-data')).toBe(true)
      expect((e as Error).message).toContain('bad.csv:3')
      expect((e as Error).message).toContain('abc')
    }
    expect(() => parseCandles({ text: 'timestamp,open,high,low,close,volume\n1000,1,2,0.5\n', source: 'short.csv' })).toThrow(/short\.csv:2: expected 6 fields/)
    expect(() => parseCandles({ text: 'timestamp,open,high,low,close,volume\n1000,1,2,0.5,1,1,9\n', source: 'long.csv' })).toThrow(/long\.csv:2/)
  })

  it('reports duplicates, out-of-order rows and OHLC violations with their row and line', () => {
    const text = [
      'timestamp,open,high,low,close,volume',
      '60000,10,12,9,11,1',
      '120000,11,12,10,11.5,1',
      '120000,11,12,10,11.5,1',
      '60000,11,12,10,11.5,1',
      '300000,11,10,10,11.5,1',
    ].join('\n')
    const report = validateCandles({ columns: parseCandles({ text, source: 'v.csv' }), timeframeMs: 60_000 })
    expect(report.ok).toBe(false)
    expect(report.issues.map((i) => [i.kind, i.row, i.line])).toEqual([
      ['duplicate-timestamp', 2, 4],
      ['out-of-order', 3, 5],
      ['ohlc-violation', 4, 6],
    ])
    expect(report.gaps).toEqual([{ afterRow: 3, line: 5, fromMs: 120_000, toMs: 300_000, missingBars: 3 }])
  })

  it('round-trips the binary cache and uses it on the second load', () => {
    const file = join(tmp, 'c.csv')
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n60000,10,12,9,11,1\n120000,11,12.5,10,11.5,2\n')
    const cacheDir = join(tmp, 'cache')
    const a = loadCandles({ path: file, cacheDir })
    const b = loadCandles({ path: file, cacheDir })
    expect(a.fromCache).toBe(false)
    expect(b.fromCache).toBe(true)
    expect(Array.from(b.columns.high)).toEqual([12, 12.5])
    expect(Array.from(b.columns.line)).toEqual([2, 3])
    const dec = decodeCandleColumns({ bytes: encodeCandleColumns(a.columns), source: 'x' })
    expect(Array.from(dec.close)).toEqual(Array.from(a.columns.close))
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n60000,10,12,9,11,1\n')
    expect(loadCandles({ path: file, cacheDir }).columns.length).toBe(1)
  })

  it('re-parses a file edited in place with the same size and modification time (the cache keys on content)', () => {
    const file = join(tmp, 'same-size.csv')
    const cacheDir = join(tmp, 'cache-content')
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n60000,10,12,9,11,1\n')
    const mtime = new Date(1_700_000_000_000)
    utimesSync(file, mtime, mtime)
    expect(loadCandles({ path: file, cacheDir }).columns.close[0]).toBe(11)
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n60000,10,12,9,10,1\n') // same length
    utimesSync(file, mtime, mtime)
    expect(statSync(file).mtimeMs).toBe(1_700_000_000_000)
    expect(statSync(file).size).toBe(56)
    const again = loadCandles({ path: file, cacheDir })
    expect(again.fromCache).toBe(false)
    expect(again.columns.close[0]).toBe(10)
    expect(loadCandles({ path: file, cacheDir }).fromCache).toBe(true)
  })

  it('binary content is refused with file:line and no raw bytes in the message', () => {
    const garbage = Buffer.concat([Buffer.from('timestamp,open,high,low,close,volume\n60000,10,12,9,11,1\n'), Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x07, 0xff, 0x0a])])
    writeFileSync(join(tmp, 'garbage.csv'), garbage)
    const err = (() => {
      try {
        loadCandles({ path: join(tmp, 'garbage.csv'), cacheDir: false })
      } catch (e) {
        return e as Error
      }
      return undefined
    })()
    expect(err?.message).toBe(`${join(tmp, 'garbage.csv')}:3: binary data (a NUL byte) in a text data file; is it compressed without a .gz name, or not CSV at all?`)
    // without a NUL byte: the quoted field is escaped, never echoed raw
    writeFileSync(join(tmp, 'escape.csv'), Buffer.concat([Buffer.from('timestamp,open,high,low,close,volume\n60000,'), Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x07, 0xe9]), Buffer.from(',12,9,11,1\n')]))
    expect(() => loadCandles({ path: join(tmp, 'escape.csv'), cacheDir: false })).toThrow('escape.csv:2: column 2: "\\x1b[2J\\x07\\xe9" is not a number')
    const header = Buffer.concat([Buffer.from([0x1b, 0x5d, 0x30, 0x3b, 0x70, 0x77, 0x6e, 0x07]), Buffer.from('\n1,2,3\n')])
    writeFileSync(join(tmp, 'header.csv'), header)
    let message = ''
    try {
      loadCandles({ path: join(tmp, 'header.csv'), cacheDir: false })
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/^.*header\.csv:1: unrecognised candle header "\\x1b]0;pwn\\x07"/)
    expect([...message].filter((ch) => ch < " " || ch > "~")).toEqual([])
  })

  it('names a missing file', () => {
    expect(() => loadCandles({ path: join(tmp, 'nope.csv'), cacheDir: false })).toThrow(/data file not found: .*nope\.csv/)
  })
})

describe('trades and funding', () => {
  it('parses Binance trades (m=true → aggressive sell) like a naive parser', () => {
    const text = readFileSync(join(FIX, 'binance_usdm_BTCUSDT_trades_head2000.csv'), 'latin1')
    const t = parseTradeCsv({ text, source: 'trades.csv' })
    expect(t.length).toBe(2000)
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(','))
    rows.forEach((f, i) => {
      expect(t.timestampMs[i]).toBe(Number(f[2]))
      expect(t.price[i]).toBe(Number(f[4]))
      expect(t.qty[i]).toBe(Number(f[5]))
      expect(t.side[i]).toBe(f[6] === 'true' ? -1 : 1)
    })
    expect(tradeAt(t, 0)).toEqual({ tradeId: '5266583935', timestampMs: 1723161256322, price: 61800.3, qty: 0.006, side: 'buy' })
  })

  it('parses funding CSV and Lean funding', () => {
    const f = parseFunding({ text: readFileSync(join(FIX, 'binance_usdm_BTCUSDT_funding_8h_2025-09-19_2025-10-27.csv'), 'latin1'), source: 'f.csv', symbol: 'BTC/USDT:USDT' })
    expect(f).toHaveLength(115)
    expect(f[1]).toEqual({ symbol: 'BTC/USDT:USDT', fundingTimeMs: 1758268800005, rate: 2.109e-5 })
    const l = parseFunding({ text: readFileSync(join(FIX, 'bybit_linear_BTCUSDT_funding_2022-12-13.lean.csv'), 'latin1'), source: 'l.csv', symbol: 'BTC/USDT:USDT' })
    expect(l.map((x) => x.fundingTimeMs)).toEqual([Date.UTC(2022, 11, 13, 0), Date.UTC(2022, 11, 13, 8), Date.UTC(2022, 11, 13, 16)])
    expect(l[0]?.rate).toBe(-0.0002016)
  })
})
