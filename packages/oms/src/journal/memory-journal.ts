/**
 * An in-memory journal for tests, backtests and benchmarks: the shared log journal (`log-journal.ts`, the file
 * journal's code) over a storage that keeps the lines in memory instead of writing and fsyncing a file.
 * @module
 */
import type { Journal } from '@perpkit/core'
import { createLogJournal, type JournalStorage } from './log-journal.js'

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

/**
 * A {@link Journal} kept in memory (optionally in a caller-owned store that outlives it, to test restarts). It is
 * the file journal minus the file: the same journal code (framing, checksums, sequence, recovery, compaction) over
 * a storage that keeps the lines in `store.records` instead of writing and fsyncing them. Call `recover()` once
 * before the first `append()`. Records are encoded on write and decoded on read, so recovered state never aliases
 * live objects.
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
  return { ...createLogJournal<S, T>(memoryStorage(store)), store }
}

/**
 * The memory journal's {@link JournalStorage}: one string per line in `store.records`, the snapshot in
 * `store.snapshot`. Internal to `@perpkit/oms`.
 * @param store - where the lines live
 * @returns the storage
 * @example
 * ```ts
 * import { memoryStorage } from './memory-journal.js' // internal
 * const storage = memoryStorage({ records: [], snapshot: null })
 * ```
 */
export function memoryStorage(store: MemoryJournalStore): JournalStorage {
  return {
    name: 'memory',
    open: () => undefined,
    readLog: () => (store.records.length === 0 ? null : Buffer.from(store.records.join(''), 'utf8')),
    truncateLog(bytes) {
      // keep the whole lines that fit in the first `bytes` bytes (recovery only cuts at a line boundary)
      let used = 0
      let keep = 0
      for (const line of store.records) {
        used += Buffer.byteLength(line, 'utf8')
        if (used > bytes) break
        keep++
      }
      store.records = store.records.slice(0, keep)
    },
    appendLine(line) {
      store.records.push(line)
    },
    replaceLog(text) {
      store.records = text === '' ? [] : text.split(/(?<=\n)/)
    },
    readSnapshot: () => store.snapshot,
    writeSnapshot(text) {
      store.snapshot = text
    },
  }
}
