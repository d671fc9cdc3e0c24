import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPerpkitError } from '@perpkit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeLog, encodeRecord } from './codec.js'
import { crc32, crc32Portable } from './crc32.js'
import { createFileJournal, FILE_JOURNAL_FILES, removeFileJournal } from './file-journal.js'
import { createMemoryJournal, createMemoryJournalStore } from './memory-journal.js'

const root = mkdtempSync(join(tmpdir(), 'perpkit-oms-journal-'))
let n = 0
const freshDir = (): string => join(root, `j${n++}`)
afterAll(async () => removeFileJournal(root))

describe.each([
  ['crc32 (native when available)', crc32],
  ['crc32Portable (table loop)', crc32Portable],
] as const)('%s', (_name, crc) => {
  it('matches the standard check values (IEEE 802.3)', () => {
    expect(crc('123456789')).toBe(0xcbf43926)
    expect(crc('')).toBe(0)
    expect(crc('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339)
  })
  it('checksums the UTF-8 bytes of non-ASCII text (value from Python zlib.crc32 of the UTF-8 encoding)', () => {
    const text = '{"sym":"BTC/USD","note":"héllo wörld €"}'
    expect(crc(text)).toBe(0xa6168977)
    expect(crc(Buffer.from(text, 'utf8'))).toBe(0xa6168977)
  })
})

describe('file journal', () => {
  it('recovers records in order after reopening, and continues the sequence', async () => {
    const dir = freshDir()
    const j = createFileJournal<unknown, { n: number }>({ dir })
    expect(await j.recover()).toEqual({ snapshot: null, records: [], truncatedTail: false })
    for (let i = 1; i <= 5; i++) expect((await j.append({ n: i }, 1000 + i)).seq).toBe(i)
    await j.close()
    const j2 = createFileJournal<unknown, { n: number }>({ dir })
    const r = await j2.recover()
    expect(r.records.map((x) => x.payload.n)).toEqual([1, 2, 3, 4, 5])
    expect(r.records.map((x) => x.timestampMs)).toEqual([1001, 1002, 1003, 1004, 1005])
    expect((await j2.append({ n: 6 }, 2000)).seq).toBe(6)
  })

  it('refuses to append before recover and after close', async () => {
    const j = createFileJournal({ dir: freshDir() })
    await expect(j.append({}, 0)).rejects.toMatchObject({ code: 'invalid-state' })
    await j.recover()
    await j.close()
    await expect(j.append({}, 0)).rejects.toMatchObject({ code: 'invalid-state' })
  })

  it('writes snapshots atomically and compacts covered records', async () => {
    const dir = freshDir()
    const j = createFileJournal<{ total: number }, { n: number }>({ dir })
    await j.recover()
    for (let i = 1; i <= 10; i++) await j.append({ n: i }, i)
    await j.writeSnapshot(7, { total: 28 })
    await j.append({ n: 11 }, 11)
    const log = readFileSync(join(dir, FILE_JOURNAL_FILES.log), 'utf8').trim().split('\n')
    expect(log).toHaveLength(4) // 8, 9, 10, 11
    const r = await createFileJournal<{ total: number }, { n: number }>({ dir }).recover()
    expect(r.snapshot).toEqual({ seq: 7, state: { total: 28 } })
    expect(r.records.map((x) => x.seq)).toEqual([8, 9, 10, 11])
  })

  it('a corrupt snapshot is a corrupt-data error, never silently ignored', async () => {
    const dir = freshDir()
    const j = createFileJournal({ dir })
    await j.recover()
    await j.append({ a: 1 }, 1)
    await j.writeSnapshot(1, { ok: true })
    const p = join(dir, FILE_JOURNAL_FILES.snapshot)
    writeFileSync(p, readFileSync(p, 'utf8').replace('true', 'fals'))
    const err = await createFileJournal({ dir })
      .recover()
      .catch((e: unknown) => e)
    expect(isPerpkitError(err, 'corrupt-data')).toBe(true)
  })

  // ~200 torn / corrupted journals: truncation at every byte of the last records, and single-byte corruption at
  // seeded positions. Recovery must stop exactly at the last record that is fully intact.
  const RECORDS = 12
  const build = (): { text: string; ends: number[] } => {
    let text = ''
    const ends: number[] = []
    for (let i = 1; i <= RECORDS; i++) {
      text += encodeRecord({ seq: i, timestampMs: 1000 + i, payload: { order: `pk_${i}`, qty: i / 1000, note: 'ünïcødé' } })
      ends.push(Buffer.byteLength(text))
    }
    return { text, ends }
  }
  const { text, ends } = build()
  const full = Buffer.from(text)
  const intactBefore = (offset: number): number => ends.filter((e) => e <= offset).length

  const truncations = Array.from({ length: 120 }, (_, i) => full.length - 1 - i * 3).filter((x) => x > 0)
  it.each(truncations)('torn tail: truncated to %i bytes', async (len) => {
    const dir = freshDir()
    const j0 = createFileJournal({ dir })
    await j0.recover()
    writeFileSync(join(dir, FILE_JOURNAL_FILES.log), full.subarray(0, len))
    const j = createFileJournal<unknown, { order: string }>({ dir, fsync: false })
    const r = await j.recover()
    const expected = intactBefore(len)
    expect(r.records).toHaveLength(expected)
    expect(r.truncatedTail).toBe(len !== ends[expected - 1])
    // the torn tail is cut: new records follow the last valid one and survive the next recovery
    const next = await j.append({ order: 'after' }, 9999)
    expect(next.seq).toBe(expected + 1)
    const again = await createFileJournal<unknown, { order: string }>({ dir }).recover()
    expect(again.truncatedTail).toBe(false)
    expect(again.records.map((x) => x.seq)).toEqual([...Array.from({ length: expected }, (_, i) => i + 1), expected + 1])
  })

  // deterministic LCG for corruption positions
  let seed = 12345
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  const corruptions = Array.from({ length: 90 }, () => [Math.floor(rand() * full.length), 1 + Math.floor(rand() * 254)] as const)
  const lastStart = ends[RECORDS - 2] as number
  it.each(corruptions)('corrupt byte at %i (xor %i): torn tail if in the last record, else a corrupt-data error', (pos, xor) => {
    const bytes = Buffer.from(full)
    bytes[pos] = (bytes[pos] as number) ^ xor
    const recordIndex = ends.findIndex((e) => e > pos) // the record containing the flipped byte
    if (pos >= lastStart) {
      const decoded = decodeLog(bytes)
      expect(decoded.records.length).toBe(recordIndex)
      expect(decoded.truncatedTail).toBe(true)
      for (const [i, r] of decoded.records.entries()) expect(r.seq).toBe(i + 1)
    } else {
      const err = (() => {
        try {
          decodeLog(bytes)
          return undefined
        } catch (e) {
          return e
        }
      })()
      expect(isPerpkitError(err, 'corrupt-data')).toBe(true)
      expect((err as { details: { lastGoodSeq: number | null } }).details.lastGoodSeq).toBe(recordIndex === 0 ? null : recordIndex)
    }
  })

  it('a corrupt middle record stops recovery with corrupt-data and leaves the file byte-for-byte untouched', async () => {
    const dir = freshDir()
    const j0 = createFileJournal({ dir })
    await j0.recover()
    const bytes = Buffer.from(full)
    const mid = (ends[4] as number) + 20 // inside record 6 of 12
    bytes[mid] = (bytes[mid] as number) ^ 0x01
    writeFileSync(join(dir, FILE_JOURNAL_FILES.log), bytes)
    const err = await createFileJournal({ dir })
      .recover()
      .catch((e: unknown) => e)
    expect(isPerpkitError(err, 'corrupt-data')).toBe(true)
    expect((err as Error).message).toMatch(/line 6 .*after seq 5.* 6 intact record\(s\) follow/)
    expect(readFileSync(join(dir, FILE_JOURNAL_FILES.log)).equals(bytes)).toBe(true)
    // and it keeps refusing: a second start does not quietly succeed
    await expect(createFileJournal({ dir }).recover()).rejects.toMatchObject({ code: 'corrupt-data' })
  })

  it('a torn last record followed by a cut line is still a torn tail (nothing intact after the break)', async () => {
    const dir = freshDir()
    await createFileJournal({ dir }).recover()
    const torn = Buffer.concat([full.subarray(0, (ends[9] as number) + 15), Buffer.from('\n\u0000\u0000garbage')])
    writeFileSync(join(dir, FILE_JOURNAL_FILES.log), torn)
    const r = await createFileJournal({ dir }).recover()
    expect(r.records.map((x) => x.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
    expect(r.truncatedTail).toBe(true)
  })

  it('an out-of-sequence intact record (e.g. a duplicated line) is corrupt-data, never a silent cut', () => {
    const lines = text.split('\n')
    const dup = [lines[0], lines[1], lines[1], lines[2]].join('\n') + '\n'
    expect(() => decodeLog(Buffer.from(dup))).toThrow(/line 3 .*out of sequence/)
  })
})

describe('memory journal', () => {
  it('survives a restart through its store and copies payloads', async () => {
    const store = createMemoryJournalStore()
    const j = createMemoryJournal<{ s: number }, { n: number }>({ store })
    await j.recover()
    const payload = { n: 1 }
    await j.append(payload, 1)
    payload.n = 99
    await j.append({ n: 2 }, 2)
    await j.writeSnapshot(1, { s: 1 })
    const r = await createMemoryJournal<{ s: number }, { n: number }>({ store }).recover()
    expect(r.snapshot).toEqual({ seq: 1, state: { s: 1 } })
    expect(r.records.map((x) => x.payload.n)).toEqual([2])
    const j3 = createMemoryJournal<{ s: number }, { n: number }>({ store })
    await j3.recover()
    expect((await j3.append({ n: 3 }, 3)).seq).toBe(3)
  })

  it('is the file journal minus the file: same lines, byte for byte, and the same compaction', async () => {
    const dir = freshDir()
    const file = createFileJournal<{ total: number }, { n: string }>({ dir, fsync: false })
    const mem = createMemoryJournal<{ total: number }, { n: string }>()
    await file.recover()
    await mem.recover()
    for (let i = 1; i <= 9; i++) {
      await file.append({ n: `ü${i}` }, 1000 + i)
      await mem.append({ n: `ü${i}` }, 1000 + i)
    }
    await file.writeSnapshot(6, { total: 21 })
    await mem.writeSnapshot(6, { total: 21 })
    expect(mem.store.records.join('')).toBe(readFileSync(join(dir, FILE_JOURNAL_FILES.log), 'utf8'))
    expect(mem.store.records).toHaveLength(3)
    expect(mem.store.snapshot).toBe(readFileSync(join(dir, FILE_JOURNAL_FILES.snapshot), 'utf8'))
  })

  it('refuses to append before recover and after close, like the file journal', async () => {
    const j = createMemoryJournal()
    await expect(j.append({}, 0)).rejects.toMatchObject({ code: 'invalid-state' })
    await j.recover()
    await j.close()
    await expect(j.append({}, 0)).rejects.toMatchObject({ code: 'invalid-state' })
  })

  it('cuts a torn last line of its store on recovery', async () => {
    const store = createMemoryJournalStore()
    const j = createMemoryJournal<unknown, { n: number }>({ store })
    await j.recover()
    for (let i = 1; i <= 3; i++) await j.append({ n: i }, i)
    store.records[2] = (store.records[2] as string).slice(0, 12)
    const r = await createMemoryJournal<unknown, { n: number }>({ store }).recover()
    expect(r.truncatedTail).toBe(true)
    expect(r.records.map((x) => x.payload.n)).toEqual([1, 2])
    expect(store.records).toHaveLength(2)
  })
})
