/**
 * Writes what a run does into a `@perpkit/store` trade store as it runs: the run itself, every decision, order
 * event, fill and closed trade (from the engine's events), and the equity curve when the run ends.
 * @module
 */
import type { EngineEvent, RunResult } from '@perpkit/engine'
import type { RunRecord, RunStart, TradeStore } from '@perpkit/store'

/** Records buffered before they are written (one transaction per batch, in order). */
const BATCH_RECORDS = 500

/** What {@link createStoreSink} returns. */
export interface StoreSink {
  /** Takes an engine event (synchronously: the engine does not wait); records are written in batches. */
  readonly onEvent: (e: EngineEvent) => void
  /** Writes what is left, the equity curve and the run's end; rethrows the first failed write. */
  readonly finish: (result: RunResult, endedAtMs: number) => Promise<void>
}

/**
 * Start a run in `store` and return the sink for its events. Keys make every write idempotent: a decision by
 * its id, a fill by the venue's trade id, a trade by its number, an order event by the client order id and its
 * position in that order's event sequence.
 */
export async function createStoreSink(store: TradeStore, run: RunStart): Promise<StoreSink> {
  await store.startRun(run)
  let pending: RunRecord[] = []
  let writes: Promise<unknown> = Promise.resolve()
  let failed: unknown
  const orderEvents = new Map<string, number>()
  const flush = (): void => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    writes = writes.then(() => store.putRecords(batch)).catch((e: unknown) => {
      failed ??= e
    })
  }
  const add = (kind: RunRecord['kind'], key: string, timestampMs: number, payload: unknown): void => {
    pending.push({ runId: run.id, kind, key, timestampMs, payload })
    if (pending.length >= BATCH_RECORDS) flush()
  }
  return {
    onEvent(e) {
      switch (e.type) {
        case 'decision':
          add('decision', e.decision.id, e.timestampMs, { sizedQty: e.sizedQty, ...(e.sizeRefusal !== undefined ? { sizeRefusal: e.sizeRefusal } : {}), decision: e.decision })
          break
        case 'fill':
          add('fill', e.fill.tradeId, e.timestampMs, e.fill)
          break
        case 'trade':
          add('trade', String(e.trade.id), e.timestampMs, e.trade)
          break
        case 'oms':
          if ('clientOrderId' in e.event) {
            const n = orderEvents.get(e.event.clientOrderId) ?? 0
            orderEvents.set(e.event.clientOrderId, n + 1)
            add('order', `${e.event.clientOrderId}#${n}`, e.timestampMs, e.event)
          }
          break
        default:
          break
      }
    },
    async finish(result, endedAtMs) {
      flush()
      await writes
      if (failed !== undefined) throw failed
      const { timestampMs, equity } = result.curve
      await store.putEquity(run.id, timestampMs.map((t, i) => ({ timestampMs: t, equityUsd: equity[i] as number })))
      await store.endRun(run.id, endedAtMs)
    },
  }
}
