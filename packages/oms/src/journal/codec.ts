/**
 * Line codec of the file journal: `crc32hex TAB json NEWLINE`, the JSON holding `{ seq, ts, p }`.
 * @module
 */
import type { JournalRecord } from '@perpkit/core'
import { crc32 } from './crc32.js'

/** Encode one record as a journal line (with trailing newline). */
export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify({ seq: record.seq, ts: record.timestampMs, p: record.payload })
  return `${crc32(json).toString(16).padStart(8, '0')}\t${json}\n`
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

/**
 * Decode a whole log: records in order until the first torn, corrupt or out-of-sequence line.
 * @returns the valid records, the byte length they occupy, and whether anything after them was discarded
 */
export function decodeLog(bytes: Uint8Array): { readonly records: JournalRecord[]; readonly validBytes: number; readonly truncatedTail: boolean } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: JournalRecord[] = []
  let pos = 0
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos)
    if (nl < 0) return { records, validBytes: pos, truncatedTail: true }
    const rec = decodeRecord(buf.toString('utf8', pos, nl))
    const prev = records[records.length - 1]
    if (rec === null || (prev !== undefined && rec.seq !== prev.seq + 1)) return { records, validBytes: pos, truncatedTail: true }
    records.push(rec)
    pos = nl + 1
  }
  return { records, validBytes: pos, truncatedTail: false }
}
