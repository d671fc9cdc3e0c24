/**
 * `start()`: recover the journal (snapshot + records, or the state given to `restore()`), mark every order whose
 * create may have been sent before the crash as ambiguous, subscribe to the user stream, reconcile (the venue is
 * authoritative at start-up), re-arm maker timeouts and the periodic reconciliation.
 * @module
 */
import { PerpkitError } from '@perpkit/core'
import { isTerminalOrderState } from '../../order-state.js'
import type { ReconcileReport } from '../../order-manager.js'
import { applyJournalEntry, emptyOmsState } from '../../state.js'
import type { OmsState } from '../../types.js'
import { armMakerTimeout } from '../maker-timeout.js'
import { reconcile, schedulePeriodic } from '../reconciliation.js'
import { moveOrder, rebuildIndex } from '../records.js'
import { emit, now, type Runtime } from '../runtime.js'
import { onStreamEvent, scheduleStaleCheck } from '../stream.js'
import { openRequestWindow } from '../unknown-outcome.js'

/** Recover, subscribe and reconcile; entries are refused until this resolves. */
export async function start(rt: Runtime): Promise<ReconcileReport> {
  if (rt.started) throw new PerpkitError('invalid-state', 'order manager already started')
  rt.started = true
  const recovery = await rt.journal.recover()
  if (recovery.snapshot !== null || recovery.records.length > 0) {
    rt.state = recovery.snapshot === null ? emptyOmsState() : (structuredClone(recovery.snapshot.state) as OmsState)
    for (const r of recovery.records) applyJournalEntry(rt.state, r.payload)
    rt.lastSeq = recovery.records[recovery.records.length - 1]?.seq ?? recovery.snapshot?.seq ?? 0
  } else if (rt.restored !== undefined) {
    rt.state = rt.restored
  }
  rebuildIndex(rt)
  emit(rt, { type: 'recovered', timestampMs: now(rt), records: recovery.records.length, truncatedTail: recovery.truncatedTail, fromSnapshotSeq: recovery.snapshot?.seq ?? null })
  // every create that may have left before the crash gets a full validity window from now: the time that passed
  // since it was sent is unknown (the wall clock may have been stepped), so none of it is counted
  for (const o of Object.values(rt.state.orders)) {
    if (o.state === 'intent') {
      o.maybeSent = true
      o.unknownSinceMs = now(rt)
      o.absentChecks = 0
    } else if (o.state === 'submitting') {
      moveOrder(rt, o, 'outcome-unknown')
      o.unknownSinceMs = now(rt)
      o.absentChecks = 0
    }
    if (o.state === 'unknown' || (o.state === 'intent' && o.maybeSent === true)) openRequestWindow(rt, o)
  }
  rt.unsubscribeStream = rt.venue.subscribeUserStream((ev) => onStreamEvent(rt, ev))
  const report = await reconcile(rt, 'startup')
  for (const o of Object.values(rt.state.orders)) if (o.role === 'entry' && !isTerminalOrderState(o.state) && o.state !== 'intent') armMakerTimeout(rt, o)
  schedulePeriodic(rt)
  scheduleStaleCheck(rt)
  return report
}
