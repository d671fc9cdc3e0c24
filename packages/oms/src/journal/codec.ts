/**
 * Line codec of the file journal: `crc32hex TAB json NEWLINE`, the JSON holding `{ seq, ts, p }`.
 * @module
 */
import { type JournalRecord, PerpkitError } from '@perpkit/core'
import { crc32 } from './crc32.js'

/** Encode one record as a journal line (with trailing newline). */
export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify({ seq: record.seq, ts: record.timestampMs, p: record.payload })
  return `${crc32(json).toString(16).padStart(8, '0')}\t${json}\n`
}

/** Encode a snapshot `{ seq, state }` as the snapshot file holds it: `crc32hex TAB json` (no newline). */
export function encodeSnapshot(seq: number, state: unknown): string {
  const json = JSON.stringify({ seq, state })
  return `${crc32(json).toString(16).padStart(8, '0')}\t${json}`
}

/**
 * Decode a snapshot written by {@link encodeSnapshot}.
 * @throws PerpkitError `corrupt-data` when its checksum fails or its seq is not an integer ≥ 0
 */
export function decodeSnapshot<S>(text: string, file: string): { seq: number; state: S } {
  const tab = text.indexOf('\t')
  const json = text.slice(tab + 1)
  if (tab !== 8 || crc32(json).toString(16).padStart(8, '0') !== text.slice(0, tab)) {
    throw new PerpkitError('corrupt-data', 'journal snapshot fails its checksum', { details: { file } })
  }
  const o = JSON.parse(json) as { seq: number; state: S }
  if (!Number.isInteger(o.seq) || o.seq < 0) throw new PerpkitError('corrupt-data', 'journal snapshot has a bad seq')
  return o
}

/** Decode one journal line (without newline); `null` when torn or corrupt. */
export function decodeRecord(line: string): JournalRecord | null {
  if (line.length < 10 || line.charCodeAt(8) !== 9) return null
  const sum = line.slice(0, 8)
  const json = line.slice(9)
  if (!/^[0-9a-f]{8}$/.test(sum) || crc32(json).toString(16).padStart(8, '0') !== sum) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const o = parsed as { seq?: unknown; ts?: unknown; p?: unknown }
  if (typeof o.seq !== 'number' || !Number.isInteger(o.seq) || o.seq < 1 || typeof o.ts !== 'number' || !Number.isFinite(o.ts) || !('p' in o)) return null
  return { seq: o.seq, timestampMs: o.ts, payload: o.p }
}

/** Where a log stops being valid, and why. */
/**
 * The seq of one encoded line (with or without its newline), or 0 when the line does not decode.
 * @param line - one journal line
 * @returns its record's seq, or 0
 * @example
 * ```ts
 * import { encodeRecord, recordSeqOf } from './codec.js' // internal
 * recordSeqOf(encodeRecord({ seq: 7, timestampMs: 0, payload: {} })) // 7
 * ```
 */
export function recordSeqOf(line: string): number {
  return decodeRecord(line.endsWith('\n') ? line.slice(0, -1) : line)?.seq ?? 0
}

interface Break {
  readonly offset: number
  readonly line: number
  readonly reason: 'checksum' | 'sequence'
}

/** Number of complete lines after `from` that decode as records (checksum intact), whatever their seq. */
function intactLinesAfter(buf: Buffer, from: number): number {
  let n = 0
  for (let pos = from; pos < buf.length; ) {
    const nl = buf.indexOf(10, pos)
    if (nl < 0) break
    if (decodeRecord(buf.toString('utf8', pos, nl)) !== null) n++
    pos = nl + 1
  }
  return n
}

/**
 * Decode a whole log. A bad record is a **torn tail** only when nothing intact follows it (a crash during the
 * last append: a cut line, or garbage after the last newline): the records before it are returned and
 * `truncatedTail` is true. A bad or out-of-sequence record **followed by any intact record** is corruption in
 * the middle of the history: nothing is dropped, a `corrupt-data` error is thrown instead.
 *
 * @param bytes - the whole log file
 * @returns the valid records, the byte length they occupy, and whether a torn tail follows them
 * @throws PerpkitError `corrupt-data` when a bad record has intact records after it, or an intact record is out of sequence
 */
export function decodeLog(bytes: Uint8Array): { readonly records: JournalRecord[]; readonly validBytes: number; readonly truncatedTail: boolean } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: JournalRecord[] = []
  let pos = 0
  for (let line = 1; pos < buf.length; line++) {
    const nl = buf.indexOf(10, pos)
    if (nl < 0) return { records, validBytes: pos, truncatedTail: true }
    const rec = decodeRecord(buf.toString('utf8', pos, nl))
    const prev = records[records.length - 1]
    if (rec !== null && prev !== undefined && rec.seq !== prev.seq + 1) throw corruption(buf, records, { offset: pos, line, reason: 'sequence' })
    if (rec === null) {
      if (intactLinesAfter(buf, nl + 1) === 0) return { records, validBytes: pos, truncatedTail: true }
      throw corruption(buf, records, { offset: pos, line, reason: 'checksum' })
    }
    records.push(rec)
    pos = nl + 1
  }
  return { records, validBytes: pos, truncatedTail: false }
}

function corruption(buf: Buffer, records: readonly JournalRecord[], at: Break): PerpkitError {
  const nl = buf.indexOf(10, at.offset)
  const after = intactLinesAfter(buf, nl < 0 ? buf.length : nl + 1)
  const lastGoodSeq = records[records.length - 1]?.seq ?? null
  const what = at.reason === 'checksum' ? 'fails its checksum' : 'is out of sequence'
  return new PerpkitError(
    'corrupt-data',
    `journal record on line ${at.line} (byte ${at.offset}, after seq ${lastGoodSeq ?? 'none'}) ${what} and ${after} intact record(s) follow it: ` +
      'refusing to drop history; the file is left untouched for inspection or restore',
    { details: { line: at.line, offset: at.offset, reason: at.reason, lastGoodSeq, intactRecordsAfter: after } },
  )
}
