/**
 * `stop()`: unsubscribe from the user stream and cancel every timer; requests in flight finish, and the journal
 * is drained before it resolves.
 * @module
 */
import type { Runtime } from '../runtime.js'

/** Stop the manager. */
export async function stop(rt: Runtime): Promise<void> {
  rt.stopped = true
  rt.unsubscribeStream?.()
  for (const cancel of rt.timers) cancel()
  rt.timers.clear()
  await rt.journalChain
}
