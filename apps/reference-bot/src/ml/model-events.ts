/**
 * Model events of the `MlSignal` strategy (hot-swap, refused model, rollback) as log lines; a rollback is an
 * alert.
 * @module
 */
import type { ModelEvent } from '@perpkit/ml'

/** One log line for a model event (a rollback line starts with `ALERT`). */
export function describeModelEvent(e: ModelEvent): string {
  const at = new Date(e.atMs).toISOString()
  switch (e.type) {
    case 'model-loaded':
      return `model ${e.version} in use from ${at}${e.previousVersion !== null ? ` (was ${e.previousVersion})` : ''}`
    case 'model-load-failed':
      return `model ${e.version} refused at ${at}, keeping ${e.keptVersion ?? 'none'}: ${e.message}`
    case 'model-rolled-back':
      return `ALERT model ${e.from} rolled back to ${e.to} at ${at}: live ${e.metric} ${e.value.toFixed(3)} < floor ${e.floor} over ${e.observations} predictions`
  }
}
