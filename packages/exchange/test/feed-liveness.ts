/**
 * The silent-socket story both market feeds must pass, on the venue server: frames keep a socket alive, a
 * silenced socket (no frames, pings unanswered) is closed as `heartbeat-timeout` one whole ping interval after an
 * unanswered ping, and once the venue speaks again the feed reconnects and data flows.
 */
import type { TestClock } from '@perpkit/core'
import type { VenueServer } from '@perpkit/venue-server'
import { expect } from 'vitest'
import { pause, until } from './wire-helpers.js'

/**
 * Run the story on a feed opened with `pingIntervalMs` (the caller keeps it inside one bar, so no reconnect gap
 * is backfilled).
 * @param t.subscribed - how many subscriptions of the feed's socket the venue has registered so far
 * @param t.forming - make the venue send a forming-bar frame (the `s`-th one)
 * @param t.candles - the candles received so far
 * @param t.close - make the venue send a closed bar
 */
export async function expectSilentSocketReplaced(t: {
  readonly clock: TestClock
  readonly server: VenueServer
  readonly pingIntervalMs: number
  readonly connections: () => string[]
  readonly subscribed: () => number
  readonly forming: (s: number) => void
  readonly candles: () => readonly { readonly closed: boolean }[]
  readonly close: () => void
}): Promise<void> {
  const { clock, server } = t
  await until('the subscription', () => t.subscribed() === 1)
  for (let s = 0; s < 4; s++) {
    clock.advance(t.pingIntervalMs) // a probe
    t.forming(s) // a healthy socket carries frames
    await until('the forming bar', () => t.candles().filter((c) => !c.closed).length === s + 1)
    await pause(50) // and the pong lands
  }
  expect(t.connections()).toEqual(['connecting/connect', 'open/connect'])
  server.handle.faults.ws({ kind: 'silence', channel: 'market', untilMs: clock.now() + 60_000 })
  clock.advance(t.pingIntervalMs) // a ping: the silent venue does not answer
  await pause(20) // a pong, were one sent, would arrive here
  expect(t.connections()).toEqual(['connecting/connect', 'open/connect'])
  clock.advance(t.pingIntervalMs) // a whole interval after the ping and nothing heard: dead
  expect(t.connections()).toEqual(['connecting/connect', 'open/connect', 'closed/heartbeat-timeout'])
  server.handle.faults.clear() // the venue speaks again
  clock.advance(1_000) // the reconnect delay passed
  await until('the reconnect', () => t.connections().includes('open/reconnect'))
  await until('the subscription on the new socket', () => t.subscribed() === 2)
  t.close()
  await until('data after the reconnect', () => t.candles().some((c) => c.closed))
}
