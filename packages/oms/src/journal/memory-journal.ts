/**
 * An in-memory journal for tests and backtests. Payloads are copied through JSON, as a file journal would.
 * @module
 */
import { type Journal, type JournalRecord, type JournalRecovery, PerpkitError } from '@perpkit/core'

const SEQ_PREFIX = '{"seq":'
/** The seq of a serialised record: read from the `{"seq":N,` prefix `append` writes, else by parsing the line. */
function seqOf(line: string): number {
  if (line.startsWith(SEQ_PREFIX)) {
    const end = line.indexOf(',', SEQ_PREFIX.length)
    const n = end > SEQ_PREFIX.length ? Number(line.slice(SEQ_PREFIX.length, end)) : Number.NaN
    if (Number.isSafeInteger(n)) return n
  }
  return (JSON.parse(line) as JournalRecord).seq
}

/** The storage of a memory journal; pass the same store to a new journal to simulate a restart. */
export interface MemoryJournalStore {
  /** Serialised records (`JSON.stringify` of each record), oldest first. */
  records: string[]
  /** Serialised snapshot `{ seq, state }`, or null. */
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

/**
 * A {@link Journal} kept in memory (optionally in a caller-owned store that outlives it, to test restarts).
 * Records are deep-copied through JSON on write and read, so recovered state never aliases live objects.
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
    const fromRecords = last === undefined ? 0 : (JSON.parse(last) as JournalRecord).seq
    const fromSnap = store.snapshot === null ? 0 : (JSON.parse(store.snapshot) as { seq: number }).seq
    return Math.max(fromRecords, fromSnap)
  }
  let nextSeq = lastSeq() + 1
  return {
    store,
    async recover(): Promise<JournalRecovery<S, T>> {
      const snapshot = store.snapshot === null ? null : (JSON.parse(store.snapshot) as { seq: number; state: S })
      const base = snapshot?.seq ?? 0
      const records = store.records.map((r) => JSON.parse(r) as JournalRecord<T>).filter((r) => r.seq > base)
      nextSeq = lastSeq() + 1
      return { snapshot, records, truncatedTail: false }
    },
    async append(payload, timestampMs) {
      if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
      const record: JournalRecord<T> = { seq: nextSeq++, timestampMs, payload }
      const text = JSON.stringify(record)
      store.records.push(text)
      return record
    },
    async writeSnapshot(seq, state) {
      if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
      store.snapshot = JSON.stringify({ seq, state })
      store.records = store.records.filter((r) => seqOf(r) > seq)
    },
    async close() {
      closed = true
    },
  }
}
