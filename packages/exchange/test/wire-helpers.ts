/**
 * Helpers of the adapters' wire tests: the typed failure of a call, and waiting (in real time, bounded) for
 * something that arrives over a socket.
 */
import { isPerpkitError } from '@perpkit/core'

/** Wait `ms` of real time (for frames in flight on a loopback socket). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The code, venue code and wait of the `PerpkitError` a call rejects with (throws on success or a foreign error). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; venueCode: unknown; retryAfterMs: unknown }> {
  try {
    await p
  } catch (e) {
    if (isPerpkitError(e)) return { code: e.code, venueCode: e.venueCode, retryAfterMs: e.retryAfterMs }
    throw e
  }
  throw new Error('expected a failure')
}

/** Wait up to ~1 s (200 × 5 ms) for `predicate`; throws naming `what` otherwise. */
export async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await pause(5)
  if (!predicate()) throw new Error(`waited for ${what}`)
}
