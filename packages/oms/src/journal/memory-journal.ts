/**
 * An in-memory journal for tests, backtests and benchmarks. It runs the file journal's code path — the same
 * record encoding (JSON with a CRC-32 per line) on append and the same log decoding on recovery — and only keeps
 * the lines in memory instead of writing and fsyncing a file.
 * @module
 */
import { type Journal, type JournalRecord, type JournalRecovery, PerpkitError } from '@perpkit/core'
import { decodeLog, decodeRecord, decodeSnapshot, encodeRecord, encodeSnapshot } from './codec.js'

/** The storage of a memory journal; pass the same store to a new journal to simulate a restart. */
export interface MemoryJournalStore {
  /** Journal lines exactly as the file journal writes them (`crc32hex TAB json NEWLINE`), oldest first. */
  records: string[]
  /** The snapshot exactly as the file journal writes it (`crc32hex TAB json` of `{ seq, state }`), or null. */
  snapshot: string | null
}

/**
 * Create an empty {@link MemoryJournalStore}.
 * @returns a store
 * @example
 * ```ts
 * import { createMemoryJournalStore } from '@perpkit/oms'
 * const store = createMemoryJournalStore()
 * ```
 */
export function createMemoryJournalStore(): MemoryJournalStore {
  return { records: [], snapshot: null }
}

/** The seq of one stored line (0 when it does not decode). */
const seqOf = (line: string): number => decodeRecord(line.endsWith('\n') ? line.slice(0, -1) : line)?.seq ?? 0

/**
 * A {@link Journal} kept in memory (optionally in a caller-owned store that outlives it, to test restarts).
 * Records are encoded on write and decoded on read, so recovered state never aliases live objects.
 *
 * @param args.store - storage to use (default: a fresh one)
 * @returns the journal
 * @example
 * ```ts
 * import { createMemoryJournal, createMemoryJournalStore } from '@perpkit/oms'
 * const store = createMemoryJournalStore()
 * const j1 = createMemoryJournal({ store })
 * await j1.recover()
 * await j1.append({ n: 1 }, 0)
 * const again = await createMemoryJournal({ store }).recover() // again.records[0].payload → { n: 1 }
 * ```
 */
export function createMemoryJournal<S = unknown, T = unknown>(args: { readonly store?: MemoryJournalStore } = {}): Journal<S, T> & { readonly store: MemoryJournalStore } {
  const store = args.store ?? createMemoryJournalStore()
  let closed = false
  const lastSeq = (): number => {
    const last = store.records[store.records.length - 1]
    const fromRecords = last === undefined ? 0 : seqOf(last)
    const fromSnap = store.snapshot === null ? 0 : decodeSnapshot<S>(store.snapshot, 'memory snapshot').seq
    return Math.max(fromRecords, fromSnap)
  }
  let nextSeq = lastSeq() + 1
  return {
    store,
    async recover(): Promise<JournalRecovery<S, T>> {
      const snapshot = store.snapshot === null ? null : decodeSnapshot<S>(store.snapshot, 'memory snapshot')
      const decoded = decodeLog(Buffer.from(store.records.join(''), 'utf8'))
      if (decoded.truncatedTail) store.records = store.records.slice(0, decoded.records.length)
      const base = snapshot?.seq ?? 0
      const records = decoded.records.filter((r) => r.seq > base) as JournalRecord<T>[]
      nextSeq = Math.max(base, decoded.records[decoded.records.length - 1]?.seq ?? 0) + 1
      return { snapshot, records, truncatedTail: decoded.truncatedTail }
    },
    async append(payload, timestampMs) {
      if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
      const record = { seq: nextSeq++, timestampMs, payload }
      store.records.push(encodeRecord(record))
      return record
    },
    async writeSnapshot(seq, state) {
      if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
      store.snapshot = encodeSnapshot(seq, state)
      store.records = store.records.filter((r) => seqOf(r) > seq)
      if (nextSeq <= seq) nextSeq = seq + 1
    },
    async close() {
      closed = true
    },
  }
}
