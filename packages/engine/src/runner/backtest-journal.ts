/**
 * The journal the OMS of a {@link runBacktest} run (backtest, or paper replay with `pace`) writes to. Such a run
 * never recovers — its OMS state is not returned and lives only as long as the run, as the in-memory journal it
 * used before did — so nothing written needs to be kept: records get sequence numbers and are dropped, snapshots
 * are not stored. A session that must survive a restart needs a file journal instead.
 * @module
 */
import { InvalidInputError, type Journal, type JournalRecord, PerpkitError } from '@perpkit/core'

/**
 * Create a write-only journal: `recover()` is always empty, `append` numbers and returns the record without
 * storing or serialising it, `writeSnapshot` checks its arguments and stores nothing.
 * Internal to the engine (not exported): `runBacktest` passes it to `createOrderManager` as its `journal`.
 * @returns the journal
 */
export function createBacktestJournal<S = unknown, T = unknown>(): Journal<S, T> {
  let nextSeq = 1
  let closed = false
  const open = (): void => {
    if (closed) throw new PerpkitError('invalid-state', 'journal is closed')
  }
  return {
    recover: async () => ({ snapshot: null, records: [], truncatedTail: false }),
    async append(payload, timestampMs): Promise<JournalRecord<T>> {
      open()
      return { seq: nextSeq++, timestampMs, payload }
    },
    async writeSnapshot(seq) {
      open()
      if (!Number.isInteger(seq) || seq < 0 || seq >= nextSeq) throw new InvalidInputError(`snapshot seq ${seq} was never appended`, { path: 'seq' })
    },
    async close() {
      closed = true
    },
  }
}
