/**
 * Journaling: every state change is appended to the journal, in order, before it is acted on; every
 * `snapshotEveryRecords` appends a compacted snapshot is written (and, optionally, the compacted orders are
 * dropped from memory). A failed append stops trading.
 * @module
 */
import { PerpkitError } from '@perpkit/core'
import { clonePlain } from '../clone.js'
import { isTerminalOrderState } from '../order-state.js'
import { compactOmsState, pruneRetired, retireOrder } from '../state.js'
import type { ManagedOrder, OmsJournalEntry, OmsState, SymbolRecord } from '../types.js'
import { emit, enterFatal, now, type Runtime } from './runtime.js'

/**
 * Append one entry (after every earlier one); write a snapshot when due.
 * @returns resolves once the entry is durable; rejects (and enters fatal) when the append failed
 */
export function persist(rt: Runtime, entry: OmsJournalEntry): Promise<void> {
  const { journal, config } = rt
  const p = rt.journalChain.then(async () => {
    const rec = await journal.append(entry, now(rt))
    rt.lastSeq = rec.seq
    rt.recordsSinceSnapshot++
    if (rt.recordsSinceSnapshot >= config.snapshotEveryRecords && !rt.snapshotting) {
      rt.snapshotting = true
      rt.recordsSinceSnapshot = 0
      try {
        const cutoffMs = now(rt) - config.retainTerminalMs
        // ids of signals older than the horizon need no record: such a signal is refused by its age
        const retiredBeforeMs = now(rt) - config.signalHorizonMs
        const compacted = compactOmsState(rt.state, cutoffMs, retiredBeforeMs)
        await journal.writeSnapshot(rt.lastSeq, compacted)
        pruneRetired(rt.state, retiredBeforeMs)
        emit(rt, { type: 'journal-snapshot', timestampMs: now(rt), seq: rt.lastSeq, orders: Object.keys(compacted.orders).length })
        if (config.pruneCompactedOrders === true) pruneCompacted(rt, compacted, cutoffMs)
      } finally {
        rt.snapshotting = false
      }
    }
  })
  rt.journalChain = p.catch(() => undefined)
  return p.catch((error: unknown) => {
    enterFatal(rt, new PerpkitError('internal', 'journal append failed', { cause: error }))
    throw error
  })
}

/** {@link persist} without waiting (a failure still enters fatal). */
export function persistLater(rt: Runtime, entry: OmsJournalEntry): void {
  persist(rt, entry).catch(() => undefined)
}

/**
 * `pruneCompactedOrders`: drop from memory the orders a written snapshot dropped. Conditions are re-checked now
 * (the state may have moved while the snapshot was written): only terminal orders last updated before the
 * cutoff, not of a symbol's current trade, not indexed (no unapplied venue fills), with no cancel or
 * resolution in progress.
 */
function pruneCompacted(rt: Runtime, compacted: OmsState, cutoffMs: number): void {
  const { state } = rt
  const liveTrades = new Set<string>()
  for (const s of Object.values(state.symbols)) if (s.trade !== undefined) liveTrades.add(s.trade.tradeKey)
  for (const [id, o] of Object.entries(state.orders)) {
    if (compacted.orders[id] !== undefined) continue
    if (!isTerminalOrderState(o.state) || o.updatedAtMs >= cutoffMs || liveTrades.has(o.tradeKey)) continue
    if (rt.liveIndex.get(o.symbol)?.has(o) === true || rt.cancelling.has(id) || rt.resolving.has(id)) continue
    retireOrder((state.retired ??= {}), o)
    delete state.orders[id]
    rt.createdElapsed.delete(id)
  }
  for (const [key, ts] of Object.entries(state.tradeIds)) {
    if (compacted.tradeIds[key] !== undefined || ts >= cutoffMs) continue
    rt.prunedTradeIds.add(key)
    delete state.tradeIds[key]
  }
}

/** A journal entry holding copies of `orders` (their requests copied too). */
export const orderEntry = (...orders: ManagedOrder[]): OmsJournalEntry => ({ orders: orders.map((o) => ({ ...o, request: { ...o.request } })) })

/** A copy of a symbol record for a journal entry. */
export const symEntry = (s: SymbolRecord): SymbolRecord => clonePlain(s)
