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
 * Create a JSONL writer for `path` (the file is created empty immediately).
 *
 * @param path - file path.
 * @returns the writer.
 */
export function createJsonlWriter(path: string): JsonlWriter {
  writeFileSync(path, '')
  let buf: string[] = []
  let count = 0
  return {
    write(record) {
      buf.push(JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
      count++
      if (buf.length >= 1000) this.flush()
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
