/**
 * The journal port: durable, append-only storage of state that must survive a crash.
 * State is journaled **before** it is acted on.
 * @module
 */

/** One journal record: a monotonically increasing sequence number and a JSON payload. */
export interface JournalRecord<T = unknown> {
  readonly seq: number
  readonly timestampMs: number
  readonly payload: T
}

/** What a journal recovered at open. */
export interface JournalRecovery<S = unknown, T = unknown> {
  /** Last snapshot written, if any, and the sequence number it covers. */
  readonly snapshot: { readonly seq: number; readonly state: S } | null
  /** Records after the snapshot, in order. */
  readonly records: readonly JournalRecord<T>[]
  /** True when a torn or corrupt tail was found and discarded (recovery stopped at the last valid record). */
  readonly truncatedTail: boolean
}

/**
 * Append-only durable log with snapshots.
 *
 * Implementers must guarantee: `append` resolves only after the record is durable (fsync or equivalent);
 * records are recovered in append order; a record that fails its checksum ends recovery at the previous
 * one; `writeSnapshot(seq, state)` is atomic and lets records ≤ `seq` be compacted away.
 */
export interface Journal<S = unknown, T = unknown> {
  /** Recover the snapshot and the records written after it. */
  recover(): Promise<JournalRecovery<S, T>>
  /** Durably append one record; returns it with its sequence number. */
  append(payload: T, timestampMs: number): Promise<JournalRecord<T>>
  /** Atomically store a snapshot covering every record up to `seq`, and compact. */
  writeSnapshot(seq: number, state: S): Promise<void>
  /** Release resources. */
  close(): Promise<void>
}
