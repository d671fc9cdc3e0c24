/**
 * File loading with a binary columnar cache (`.perpkit-cache/<sha256 of the file's content>.bin`) so repeated runs
 * skip parsing.
 * @module
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { PerpkitError } from '@perpkit/core'
import { parseCandleBytesFast } from './bytes.js'
import { type CandleColumns, type CandleTimeFormat, parseCandleCsv, parseCandleJson } from './candles.js'

const MAGIC = 'PKCANDL1'
const HEADER_BYTES = 16

/** Options of {@link loadCandles}. */
export interface LoadCandlesOptions {
  /** CSV, JSON (freqtrade) or either gzip-compressed (`.gz`). */
  readonly path: string
  /** Cache directory; default `.perpkit-cache` next to the current working directory. `false` disables caching. */
  readonly cacheDir?: string | false
  /** Timestamp encoding for CSV (default `auto`). */
  readonly timeFormat?: CandleTimeFormat
  /** Lean files: midnight UTC of the file's day; inferred from a `YYYY-MM-DD` / `YYYYMMDD` in the file name when omitted. */
  readonly leanDateMs?: number
}

/** What {@link loadCandles} returns. */
export interface LoadedCandles {
  readonly columns: CandleColumns
  /** True when the columns came from the binary cache. */
  readonly fromCache: boolean
  /** The cache file used or written (undefined when caching is off or the write failed). */
  readonly cachePath?: string
}

/**
 * Read a whole data file as text, gunzipping `.gz` files.
 *
 * @param path - file path.
 * @returns the text (latin1 for speed: data files are ASCII).
 * @throws PerpkitError `invalid-input` when the file does not exist or cannot be read; `corrupt-data` for a bad gzip.
 * @example
 * ```ts
 * import { readDataText } from '@perpkit/engine'
 * const text = readDataText('candles.csv.gz')
 * ```
 */
export function readDataText(path: string): string {
  const b = readDataBytes(path)
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1')
}

/**
 * Read a whole data file as bytes, gunzipping `.gz` files.
 *
 * @param path - file path.
 * @returns the bytes.
 * @throws PerpkitError `invalid-input` when the file does not exist or cannot be read; `corrupt-data` for a bad gzip.
 * @example
 * ```ts
 * import { readDataBytes } from '@perpkit/engine'
 * const bytes = readDataBytes('candles.csv.gz')
 * ```
 */
export function readDataBytes(path: string): Uint8Array {
  return decompress(path, readRaw(path))
}

function readRaw(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new PerpkitError('invalid-input', code === 'ENOENT' ? `data file not found: ${path}` : `cannot read data file ${path}: ${(cause as Error).message}`, {
      cause,
      details: { file: path },
      path: 'data.path',
    })
  }
}

function decompress(path: string, buf: Buffer): Uint8Array {
  if (!path.endsWith('.gz')) return buf
  try {
    return gunzipSync(buf)
  } catch (cause) {
    throw new PerpkitError('corrupt-data', `${path}: not a valid gzip file`, { cause, details: { file: path } })
  }
}

/**
 * Midnight UTC of a date found in a file name (`2022-12-13` or `20221213`), for Lean files.
 *
 * @param path - file path.
 * @returns epoch ms, or undefined when the name has no date.
 * @example
 * ```ts
 * import { leanDateFromName } from '@perpkit/engine'
 * leanDateFromName('bybit_linear_BTCUSDT_1m_2022-12-13.lean.csv') // 1670889600000
 * ```
 */
export function leanDateFromName(path: string): number | undefined {
  const m = /(\d{4})-?(\d{2})-?(\d{2})/.exec(basename(path))
  if (m === null) return undefined
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
}

/**
 * Parse candle text of any supported layout (CSV or freqtrade JSON, chosen by content).
 *
 * @param args - `{ text, source, timeFormat?, leanDateMs? }`.
 * @returns columns.
 * @throws PerpkitError `corrupt-data` for malformed rows.
 * @example
 * ```ts
 * import { parseCandles } from '@perpkit/engine'
 * declare const text: string // the file's contents
 * const cols = parseCandles({ text, source: 'x.csv' })
 * ```
 */
export function parseCandles(args: { readonly text: string; readonly source: string; readonly timeFormat?: CandleTimeFormat; readonly leanDateMs?: number }): CandleColumns {
  const first = args.text.trimStart().charCodeAt(0)
  if (first === 91 /* [ */) return parseCandleJson({ text: args.text, source: args.source })
  return parseCandleCsv({
    text: args.text,
    source: args.source,
    ...(args.timeFormat !== undefined ? { timeFormat: args.timeFormat } : {}),
    ...(args.leanDateMs !== undefined ? { leanDateMs: args.leanDateMs } : {}),
  })
}

/**
 * Encode candle columns to the binary cache layout: 8-byte magic, uint32 version, uint32 rows, then the
 * `openTimeMs, open, high, low, close, volume` Float64 columns and the Int32 `line` column (little endian).
 *
 * @param columns - columns to encode.
 * @returns the bytes.
 * @example
 * ```ts
 * import { type CandleColumns, encodeCandleColumns } from '@perpkit/engine'
 * declare const cols: CandleColumns // e.g. from loadCandles()
 * const bytes = encodeCandleColumns(cols)
 * ```
 */
export function encodeCandleColumns(columns: CandleColumns): Uint8Array {
  const n = columns.length
  const out = new Uint8Array(HEADER_BYTES + n * 8 * 6 + n * 4)
  const dv = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i)
  dv.setUint32(8, 1, true)
  dv.setUint32(12, n, true)
  let off = HEADER_BYTES
  for (const col of [columns.openTimeMs, columns.open, columns.high, columns.low, columns.close, columns.volume]) {
    out.set(new Uint8Array(col.buffer, col.byteOffset, n * 8), off)
    off += n * 8
  }
  out.set(new Uint8Array(columns.line.buffer, columns.line.byteOffset, n * 4), off)
  return out
}

/**
 * Decode bytes written by {@link encodeCandleColumns}.
 *
 * @param args - `{ bytes, source }`.
 * @returns the columns (copied, aligned).
 * @throws PerpkitError `corrupt-data` when the magic, version or length do not match.
 * @example
 * ```ts
 * import { type CandleColumns, decodeCandleColumns, encodeCandleColumns } from '@perpkit/engine'
 * declare const c: CandleColumns // e.g. from loadCandles()
 * const cols = decodeCandleColumns({ bytes: encodeCandleColumns(c), source: 'x.csv' })
 * ```
 */
export function decodeCandleColumns(args: { readonly bytes: Uint8Array; readonly source: string }): CandleColumns {
  const b = args.bytes
  const bad = (why: string): PerpkitError => new PerpkitError('corrupt-data', `candle cache for ${args.source}: ${why}`, { details: { file: args.source } })
  if (b.length < HEADER_BYTES) throw bad('too short')
  for (let i = 0; i < 8; i++) if (b[i] !== MAGIC.charCodeAt(i)) throw bad('bad magic')
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  if (dv.getUint32(8, true) !== 1) throw bad('unknown version')
  const n = dv.getUint32(12, true)
  if (b.length !== HEADER_BYTES + n * 52) throw bad('length mismatch')
  let off = HEADER_BYTES
  const f64 = (): Float64Array => {
    const a = new Float64Array(n)
    new Uint8Array(a.buffer).set(b.subarray(off, off + n * 8))
    off += n * 8
    return a
  }
  const openTimeMs = f64()
  const open = f64()
  const high = f64()
  const low = f64()
  const close = f64()
  const volume = f64()
  const line = new Int32Array(n)
  new Uint8Array(line.buffer).set(b.subarray(off, off + n * 4))
  return { length: n, openTimeMs, open, high, low, close, volume, line, source: args.source }
}

/**
 * Load candles from a file, using the binary columnar cache keyed by the SHA-256 of the file's bytes (as stored,
 * before gunzip) + parse options: a file edited in place is re-parsed even when its size and modification time
 * are unchanged. A cache miss parses the file with the fast scanner and writes the cache atomically (temp file +
 * rename); a cache that fails to decode is ignored and rewritten.
 *
 * @param options - see {@link LoadCandlesOptions}.
 * @returns the columns and whether they came from the cache.
 * @throws PerpkitError `invalid-input` (missing file) or `corrupt-data` (malformed row, naming file and line).
 * @example
 * ```ts
 * import { loadCandles } from '@perpkit/engine'
 * const { columns, fromCache } = loadCandles({ path: 'data/BTCUSDT_5m.csv.gz' })
 * ```
 */
export function loadCandles(options: LoadCandlesOptions): LoadedCandles {
  const abs = resolve(options.path)
  const raw = readRaw(options.path)
  const lean = options.leanDateMs ?? leanDateFromName(abs)
  const cacheDir = options.cacheDir === false ? undefined : resolve(options.cacheDir ?? '.perpkit-cache')
  let cachePath: string | undefined
  if (cacheDir !== undefined) {
    const key = createHash('sha256')
      .update(`v2|${abs.endsWith('.gz') ? 'gz' : 'plain'}|${options.timeFormat ?? 'auto'}|${lean ?? ''}|`)
      .update(raw)
      .digest('hex')
    cachePath = join(cacheDir, `${key}.bin`)
    try {
      const bytes = readFileSync(cachePath)
      return { columns: decodeCandleColumns({ bytes, source: options.path }), fromCache: true, cachePath }
    } catch {
      // miss or unreadable cache: parse below
    }
  }
  const bytes = decompress(abs, raw)
  const fast = options.timeFormat === undefined || options.timeFormat === 'auto' || options.timeFormat === 'epoch-ms' ? parseCandleBytesFast({ bytes, source: options.path }) : null
  const columns = fast ?? parseCandles({
    text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
    source: options.path,
    ...(options.timeFormat !== undefined ? { timeFormat: options.timeFormat } : {}),
    ...(lean !== undefined ? { leanDateMs: lean } : {}),
  })
  if (cacheDir !== undefined && cachePath !== undefined) {
    try {
      mkdirSync(cacheDir, { recursive: true })
      const tmp = `${cachePath}.${process.pid}.tmp`
      writeFileSync(tmp, encodeCandleColumns(columns))
      renameSync(tmp, cachePath)
    } catch {
      return { columns, fromCache: false }
    }
  }
  return cachePath !== undefined ? { columns, fromCache: false, cachePath } : { columns, fromCache: false }
}
