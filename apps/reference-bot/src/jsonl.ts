/**
 * JSONL log files (one JSON object per line), buffered and flushed at the end of a run.
 * @module
 */
import { appendFileSync, writeFileSync } from 'node:fs'

/** An append-only JSONL writer. */
export interface JsonlWriter {
  write(record: unknown): void
  flush(): void
  readonly count: number
}

/**
 * Create a JSONL writer for `path`. By default the file is created empty immediately and lines are written in
 * batches of 1,000 (a run's logs); with `append` the file is kept and extended, and each line is written at once
 * (a live bot's logs, which a restart continues and a crash must not lose).
 *
 * @param path - file path.
 * @param options - `{ append }` (default false).
 * @returns the writer.
 */
export function createJsonlWriter(path: string, options: { readonly append?: boolean } = {}): JsonlWriter {
  const append = options.append === true
  if (!append) writeFileSync(path, '')
  const batch = append ? 1 : 1000
  let buf: string[] = []
  let count = 0
  return {
    write(record) {
      buf.push(JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
      count++
      if (buf.length >= batch) this.flush()
    },
    flush() {
      if (buf.length === 0) return
      appendFileSync(path, `${buf.join('\n')}\n`)
      buf = []
    },
    get count() {
      return count
    },
  }
}
