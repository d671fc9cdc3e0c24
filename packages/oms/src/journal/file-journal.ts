/**
 * A durable file journal implementing core's `Journal` port: append-only JSON lines with a CRC-32 each, fsync
 * per append, atomic snapshots (write temp + fsync + rename) and compaction of records the snapshot covers. The
 * journal logic is the shared log journal (`log-journal.ts`); this module is its file storage.
 * @module
 */
import { mkdir, open, readFile, rename, rm, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import type { Journal } from '@perpkit/core'
import { createLogJournal, type JournalStorage } from './log-journal.js'

/**
 * Files of a file journal inside its directory.
 * @example
 * ```ts
 * import { FILE_JOURNAL_FILES } from '@perpkit/oms'
 * FILE_JOURNAL_FILES.log // 'journal.log'
 * ```
 */
export const FILE_JOURNAL_FILES = { log: 'journal.log', snapshot: 'snapshot.json' } as const

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

async function writeAtomic(dir: string, name: string, text: string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`)
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, join(dir, name))
  try {
    const d = await open(dir, 'r')
    try {
      await d.sync()
    } finally {
      await d.close()
    }
  } catch {
    // directory fsync is not supported everywhere (e.g. some network file systems); the rename is still atomic
  }
}

/**
 * Open (creating if needed) a file journal in `dir`. Call `recover()` once before the first `append()`.
 *
 * Recovery reads the snapshot (a checksum failure there throws `corrupt-data`: a snapshot is only ever replaced
 * atomically, so it cannot be torn), then the log. A torn tail (the last append cut by a crash: a partial line or
 * garbage with no intact record after it) is cut off the file so new records follow the last valid one. A bad or
 * out-of-sequence record with intact records after it is corruption, not a torn write: recovery throws
 * `corrupt-data` naming the line and leaves the file byte-for-byte untouched, so no valid history is ever lost.
 *
 * @param args.dir - directory holding `journal.log` and `snapshot.json`
 * @param args.fsync - fsync each append (default true; tests may turn it off for speed)
 * @returns a {@link Journal}
 * @throws PerpkitError `corrupt-data` from `recover()` on a corrupt snapshot or a corrupt record in the middle of the log; `invalid-state` on append before recover
 * @example
 * ```ts
 * import { createFileJournal } from '@perpkit/oms'
 * const journal = createFileJournal({ dir: './state/oms' })
 * const { snapshot, records, truncatedTail } = await journal.recover()
 * await journal.append({ type: 'hello' }, Date.now())
 * ```
 */
export function createFileJournal<S = unknown, T = unknown>(args: { readonly dir: string; readonly fsync?: boolean }): Journal<S, T> {
  return createLogJournal<S, T>(fileStorage(args.dir, args.fsync ?? true))
}

/** The file journal's {@link JournalStorage}: `journal.log` appended (and fsynced) per record, atomic rewrites. */
function fileStorage(dir: string, fsync: boolean): JournalStorage {
  const logPath = join(dir, FILE_JOURNAL_FILES.log)
  return {
    name: FILE_JOURNAL_FILES.snapshot,
    open: async () => {
      await mkdir(dir, { recursive: true })
    },
    readLog: () => readOrNull(logPath),
    truncateLog: (bytes) => truncate(logPath, bytes),
    async appendLine(line) {
      const fh = await open(logPath, 'a')
      try {
        await fh.writeFile(line, 'utf8')
        if (fsync) await fh.datasync()
      } finally {
        await fh.close()
      }
    },
    replaceLog: (text) => writeAtomic(dir, FILE_JOURNAL_FILES.log, text),
    readSnapshot: async () => (await readOrNull(join(dir, FILE_JOURNAL_FILES.snapshot)))?.toString('utf8') ?? null,
    writeSnapshot: (text) => writeAtomic(dir, FILE_JOURNAL_FILES.snapshot, text),
  }
}

/**
 * Remove a file journal's directory and files (tests and tools).
 * @param dir - the journal directory
 * @returns when removed
 * @example
 * ```ts
 * import { removeFileJournal } from '@perpkit/oms'
 * await removeFileJournal('/tmp/oms-test')
 * ```
 */
export async function removeFileJournal(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}
