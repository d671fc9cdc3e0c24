/**
 * The one journal implementation behind both the file journal and the memory journal: record framing (CRC-32 +
 * JSON line), sequence numbers, serialised operations, torn-tail repair on recovery, snapshots and compaction.
 * Only where the bytes live differs — a {@link JournalStorage} (files with fsync, or strings in memory).
 * @module
 */
import { type Journal, type JournalRecord, type JournalRecovery, PerpkitError } from '@perpkit/core'
import { decodeLog, decodeSnapshot, encodeRecord, encodeSnapshot, recordSeqOf } from './codec.js'

/**
 * Where a journal's bytes live. Every method is called by one journal at a time, one call after the other.
 * Internal to `@perpkit/oms`.
 */
export interface JournalStorage {
  /** A name for error messages (a directory, or "memory"). */
  readonly name: string
  /** Prepare the storage (e.g. create the directory). */
  open(): Promise<void> | void
  /** The whole log, or null when there is none yet. */
  readLog(): Promise<Uint8Array | null> | Uint8Array | null
  /** Cut the log to its first `bytes` bytes (a torn tail found on recovery). */
  truncateLog(bytes: number): Promise<void> | void
  /** Append one encoded line; durable when the returned promise settles. */
  appendLine(line: string): Promise<void> | void
  /** Replace the whole log atomically with `text` (compaction). */
  replaceLog(text: string): Promise<void> | void
  /** The encoded snapshot, or null when there is none. */
  readSnapshot(): Promise<string | null> | string | null
  /** Replace the snapshot atomically with `text`. */
  writeSnapshot(text: string): Promise<void> | void
}

/**
 * Build a {@link Journal} over a storage. Call `recover()` once before the first `append()`.
 *
 * Recovery reads the snapshot (a checksum failure throws `corrupt-data`: a snapshot is only ever replaced
 * atomically), then the log; a torn tail is cut off, corruption followed by intact records throws `corrupt-data`
 * and leaves the log untouched. Operations run one after the other in call order; a record is encoded when its
 * turn comes.
 *
 * @param storage - where the bytes live
 * @returns the journal
 * @throws nothing itself; `append` rejects with `invalid-state` before `recover()` and after `close()`
 * @example
 * ```ts
 * import { createLogJournal } from './log-journal.js' // internal
 * import { memoryStorage } from './memory-journal.js' // internal
 * const journal = createLogJournal(memoryStorage({ records: [], snapshot: null }))
 * await journal.recover()
 * await journal.append({ n: 1 }, 0)
 * ```
 */
export function createLogJournal<S = unknown, T = unknown>(storage: JournalStorage): Journal<S, T> {
  let nextSeq: number | undefined
  let closed = false
  let chain: Promise<unknown> = Promise.resolve()
  /** Operations called and not yet settled. */
  let pending = 0
  const settled = (): void => {
    pending--
  }

  /**
   * Run `fn` after every earlier operation has settled. When none is pending it starts at once (a memory storage
   * then appends without any microtask hop); otherwise it is chained behind the last one.
   */
  const serial = <R>(fn: () => Promise<R> | R): Promise<R> => {
    let p: Promise<R>
    if (pending === 0) {
      try {
        const r = fn()
        p = r instanceof Promise ? r : Promise.resolve(r)
      } catch (error) {
        p = Promise.reject(error as Error)
      }
    } else p = chain.then(fn, fn)
    pending++
    chain = p.then(settled, settled)
    return p
  }

  return {
    recover: () =>
      serial(async (): Promise<JournalRecovery<S, T>> => {
        await storage.open()
        const snapText = await storage.readSnapshot()
        const snapshot = snapText === null ? null : decodeSnapshot<S>(snapText, `${storage.name} snapshot`)
        const decoded = decodeLog((await storage.readLog()) ?? new Uint8Array(0))
        if (decoded.truncatedTail) await storage.truncateLog(decoded.validBytes)
        const base = snapshot?.seq ?? 0
        const records = decoded.records.filter((r) => r.seq > base) as JournalRecord<T>[]
        const last = decoded.records[decoded.records.length - 1]?.seq ?? 0
        nextSeq = Math.max(base, last) + 1
        return { snapshot, records, truncatedTail: decoded.truncatedTail }
      }),
    append: (payload, timestampMs) =>
      serial((): Promise<JournalRecord<T>> | JournalRecord<T> => {
        if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
        if (nextSeq === undefined) throw new PerpkitError('invalid-state', 'call recover() before append()')
        const record: JournalRecord<T> = { seq: nextSeq, timestampMs, payload }
        const stored = storage.appendLine(encodeRecord(record))
        // the seq advances only once the line is stored: a failed append leaves no gap in the sequence
        if (stored === undefined) {
          nextSeq++
          return record
        }
        return stored.then(() => {
          nextSeq = record.seq + 1
          return record
        })
      }),
    writeSnapshot: (seq, state) =>
      serial(async () => {
        if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
        await storage.writeSnapshot(encodeSnapshot(seq, state))
        // compaction: keep only the lines after the snapshot, byte for byte (atomic rewrite of the log)
        const log = (await storage.readLog()) ?? new Uint8Array(0)
        await storage.replaceLog(linesAfter(log, seq))
        if (nextSeq !== undefined && nextSeq <= seq) nextSeq = seq + 1
      }),
    close: () =>
      serial(() => {
        closed = true
      }),
  }
}

/** The complete lines of `log` whose record seq is above `seq`, as text (lines that do not decode are dropped). */
function linesAfter(log: Uint8Array, seq: number): string {
  const buf = Buffer.from(log.buffer, log.byteOffset, log.byteLength)
  let out = ''
  for (let pos = 0; pos < buf.length; ) {
    const nl = buf.indexOf(10, pos)
    if (nl < 0) break
    const line = buf.toString('utf8', pos, nl)
    if (recordSeqOf(line) > seq) out += `${line}\n`
    pos = nl + 1
  }
  return out
}
