/**
 * Snapshots written before the event-time rename stamped their records with `timeMs`; they are read back as
 * `timestampMs`, so a risk state saved by an older version restores unchanged.
 * @module
 */

/**
 * Move a record's legacy `timeMs` to `timestampMs` (when the record has no `timestampMs` yet); anything else is
 * returned as is. Used as a zod preprocess step in the snapshot schemas.
 */
export function legacyTimeKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  if (!('timeMs' in value) || 'timestampMs' in value) return value
  const { timeMs, ...rest } = value as Record<string, unknown>
  return { ...rest, timestampMs: timeMs }
}
