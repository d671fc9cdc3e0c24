/**
 * The liveness watch of one open WebSocket, used by every stream socket (market and user): probe it every
 * `pingIntervalMs` (a WebSocket ping frame, or the venue's application ping), count any frame, ping or pong as
 * proof of life, and report each answer to a probe (`onAlive`) so a consumer that measures silence hears a
 * healthy but quiet stream. The stale timeout is derived from the interval, not set apart: a probe that finds
 * nothing heard since the previous probe (one whole interval after a ping) declares the socket dead, so a silent
 * socket is caught within two intervals and a healthy one never is. Timers run on the injected clock.
 * @module
 */
import type { Clock } from '@perpkit/core'
import type WebSocket from 'ws'

/**
 * Default ping interval of the private (user-data) streams: 2 s. The order manager treats a user stream silent
 * for `streamStaleAfterMs` (5 s by default) as half-open, so a quiet account's stream must prove itself alive
 * more often than that: with a pong every 2 s it never looks silent while healthy, and a dead socket is caught
 * by the adapter within two intervals (4 s). Both venues allow it: Bybit asks for a ping at least every 20 s,
 * Binance USDⓈ-M accepts 10 incoming messages per second on a connection.
 * @example
 * ```ts
 * import { USER_STREAM_PING_INTERVAL_MS } from '@perpkit/exchange'
 * USER_STREAM_PING_INTERVAL_MS // 2000
 * ```
 */
export const USER_STREAM_PING_INTERVAL_MS = 2_000

/**
 * How a socket is probed: `'frame'` for WebSocket ping frames (answered by pong frames), or the venue's
 * application ping text with a test that recognises its answer among the text frames.
 * @example
 * ```ts
 * import type { LivenessProbe } from '@perpkit/exchange'
 * const bybitPrivate: LivenessProbe = { text: () => '{"op":"ping"}', isAnswer: (text) => text.includes('"op":"pong"') }
 * ```
 */
export type LivenessProbe = 'frame' | { readonly text: () => string; readonly isAnswer: (text: string) => boolean }

/**
 * Watch `socket` (already open) until the returned function is called, the socket closes, or it goes stale.
 * @param args.socket - an open `ws` socket
 * @param args.clock - timers
 * @param args.pingIntervalMs - probe period; silence through a whole period after a probe is death
 * @param args.probe - see {@link LivenessProbe}
 * @param args.isCurrent - whether the caller still uses this socket (default: always); nothing is reported for one it replaced
 * @param args.onAlive - called for every answer to a probe (a pong frame or the venue's pong text)
 * @param args.onStale - called once when the socket is dead, after it was terminated (the caller reports and reconnects)
 * @returns a function that stops the watch
 * @throws never
 * @example
 * ```ts
 * const stop = watchLiveness({ socket, clock, pingIntervalMs: 2_000, probe: 'frame', onAlive: () => undefined, onStale: () => reconnect() })
 * ```
 */
export function watchLiveness(args: {
  readonly socket: WebSocket
  readonly clock: Clock
  readonly pingIntervalMs: number
  readonly probe: LivenessProbe
  readonly isCurrent?: () => boolean
  readonly onAlive?: () => void
  readonly onStale: () => void
}): () => void {
  const { socket, clock, probe } = args
  const current = args.isCurrent ?? ((): boolean => true)
  let heard = true
  let cancel: (() => void) | undefined
  let stopped = false
  const seen = (): void => {
    heard = true
  }
  const answered = (): void => {
    heard = true
    if (!stopped && current()) args.onAlive?.()
  }
  const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    heard = true
    if (args.onAlive !== undefined && probe !== 'frame' && !isBinary && probe.isAnswer(String(data))) answered()
  }
  const stop = (): void => {
    if (stopped) return
    stopped = true
    cancel?.()
    socket.off('message', onMessage)
    socket.off('pong', answered)
    socket.off('ping', seen)
    socket.off('close', stop)
  }
  const tick = (): void => {
    cancel = clock.setTimer(args.pingIntervalMs, () => {
      cancel = undefined
      if (stopped) return
      if (!heard) {
        // nothing since the last probe, not even its answer: dead, even if TCP has not noticed
        stop()
        if (!current()) return
        socket.terminate()
        args.onStale()
        return
      }
      heard = false
      try {
        if (probe === 'frame') socket.ping()
        else socket.send(probe.text())
      } catch {
        // the socket is closing: its own 'close' decides
      }
      tick()
    })
  }
  socket.on('message', onMessage)
  if (probe === 'frame') socket.on('pong', answered)
  socket.on('ping', seen)
  socket.on('close', stop)
  tick()
  return stop
}
