/**
 * One WebSocket that stays connected: heartbeat, staleness detection, reconnect with exponential backoff, and a
 * `connection` report for every state change. Used by the market-data feeds and the user-data streams.
 *
 * Staleness: every `pingIntervalMs` the socket is probed (a WebSocket ping frame, or the venue's application
 * ping text). Any message or pong proves the connection alive. When a probe finds nothing heard since the
 * previous one (a whole interval after a ping), the socket is half-open as far as we can tell: it is terminated
 * (no close handshake to wait for), reported `closed` with reason `heartbeat-timeout`, and reconnected. The
 * stale timeout is thus derived from the ping interval (caught within two intervals). All timers run on the
 * injected clock.
 * @module
 */
import type { Clock, ConnectionReason, ConnectionState } from '@perpkit/core'
import WebSocket from 'ws'
import { type LivenessProbe, watchLiveness } from './heartbeat.js'

/**
 * Heartbeat and reconnect timings of a stream socket.
 * @example
 * ```ts
 * import type { SocketTimings } from '@perpkit/exchange'
 * const timings: SocketTimings = { pingIntervalMs: 10_000, reconnectInitialMs: 500, reconnectMaxMs: 30_000 }
 * ```
 */
export interface SocketTimings {
  /** Probe the connection this often (ping frame or application ping); silence through a whole interval after a probe → terminate and reconnect. */
  readonly pingIntervalMs: number
  /** First reconnect delay; doubled after each failed attempt. */
  readonly reconnectInitialMs: number
  /** Upper bound of the reconnect delay. */
  readonly reconnectMaxMs: number
}

/**
 * Default {@link SocketTimings} of market-data sockets: probe every 10 s (a dead socket is caught within 20 s),
 * reconnect after 0.5 s doubling to 30 s. (Bybit's feed uses its recommended 20 s; Binance pings every 3 minutes
 * and answers our pings.)
 * @example
 * ```ts
 * import { DEFAULT_SOCKET_TIMINGS } from '@perpkit/exchange'
 * DEFAULT_SOCKET_TIMINGS.pingIntervalMs // 10000
 * ```
 */
export const DEFAULT_SOCKET_TIMINGS: SocketTimings = { pingIntervalMs: 10_000, reconnectInitialMs: 500, reconnectMaxMs: 30_000 }

/** A socket kept open by {@link createResilientSocket}. */
export interface ResilientSocket {
  /** Connect (once); later drops reconnect by themselves. Resolves when the first connection opened or failed. */
  start(): Promise<void>
  /** Send a text frame when open; returns whether it was sent. */
  send(text: string): boolean
  /** Whether a connection is open now. */
  isOpen(): boolean
  /** Close on purpose and connect again (e.g. to a new URL); reported with `reason`. */
  reconnect(reason: ConnectionReason): void
  /** Close for good; reports `closed` / `client-closed` once. */
  stop(): void
}

/**
 * Create a resilient socket.
 * @param args.url - the URL to (re)connect to, read at every attempt (listen keys and stream lists change)
 * @param args.clock - heartbeat, staleness and backoff timers
 * @param args.timings - see {@link SocketTimings}
 * @param args.probe - how the socket is probed (WebSocket ping frames or the venue's ping text and its answer)
 * @param args.onOpen - called on every open, before `connection` `open` is reported (send subscriptions here)
 * @param args.onText - every text frame, in order
 * @param args.onConnection - every state change with its reason
 * @returns the socket (not started)
 * @throws never
 * @example
 * ```ts
 * import { createResilientSocket, DEFAULT_SOCKET_TIMINGS } from '@perpkit/exchange'
 * import { systemClock } from '@perpkit/core'
 * const socket = createResilientSocket({
 *   url: () => 'ws://127.0.0.1:8080/v5/public/linear',
 *   clock: systemClock,
 *   timings: DEFAULT_SOCKET_TIMINGS,
 *   probe: { text: () => '{"op":"ping"}', isAnswer: (text) => text.includes('"pong"') },
 *   onOpen: (send) => send('{"op":"subscribe","args":["publicTrade.BTCUSDT"]}'),
 *   onText: (text) => text.length,
 *   onConnection: (state, reason) => [state, reason],
 * })
 * await socket.start()
 * socket.stop()
 * ```
 */
export function createResilientSocket(args: {
  readonly url: () => string
  readonly clock: Clock
  readonly timings: SocketTimings
  readonly probe: LivenessProbe
  readonly onOpen: (send: (text: string) => void) => void
  readonly onText: (text: string) => void
  readonly onConnection: (state: ConnectionState, reason: ConnectionReason) => void
}): ResilientSocket {
  const { clock, timings } = args
  let ws: WebSocket | undefined
  let stopped = true
  let started = false
  let attempt = 0
  let cancelHeartbeat: (() => void) | undefined
  let cancelRetry: (() => void) | undefined

  const clearHeartbeat = (): void => {
    cancelHeartbeat?.()
    cancelHeartbeat = undefined
  }
  const heartbeat = (socket: WebSocket): void => {
    cancelHeartbeat = watchLiveness({ socket, clock, pingIntervalMs: timings.pingIntervalMs, probe: args.probe, isCurrent: () => ws === socket, onStale: () => drop(socket, 'heartbeat-timeout') })
  }
  /** Forget `socket`, report why, and schedule the next attempt. */
  const drop = (socket: WebSocket, reason: ConnectionReason): void => {
    if (ws !== socket) return
    ws = undefined
    clearHeartbeat()
    socket.terminate()
    args.onConnection('closed', reason)
    scheduleRetry()
  }
  const scheduleRetry = (): void => {
    if (stopped) return
    const delay = Math.min(timings.reconnectMaxMs, timings.reconnectInitialMs * 2 ** attempt)
    attempt++
    cancelRetry?.()
    cancelRetry = clock.setTimer(delay, () => {
      cancelRetry = undefined
      if (!stopped) void open('reconnect')
    })
  }
  const open = (reason: ConnectionReason): Promise<void> =>
    new Promise((resolve) => {
      args.onConnection('connecting', reason)
      const socket = new WebSocket(args.url())
      ws = socket
      let opened = false
      socket.on('open', () => {
        if (ws !== socket || stopped) {
          socket.terminate()
          resolve()
          return
        }
        opened = true
        attempt = 0
        args.onOpen((text) => socket.send(text))
        args.onConnection('open', reason)
        heartbeat(socket)
        resolve()
      })
      socket.on('message', (data, isBinary) => {
        if (ws === socket && !isBinary) args.onText(String(data))
      })
      socket.on('error', () => undefined) // 'close' follows and decides
      socket.on('close', () => {
        if (!opened) resolve()
        if (ws !== socket || stopped) return
        drop(socket, 'dropped')
      })
    })

  return {
    async start() {
      if (started) return
      started = true
      stopped = false
      await open('connect')
    },
    send(text) {
      if (ws === undefined || ws.readyState !== WebSocket.OPEN) return false
      ws.send(text)
      return true
    },
    isOpen: () => ws !== undefined && ws.readyState === WebSocket.OPEN,
    reconnect(reason) {
      if (stopped) return
      const socket = ws
      ws = undefined
      clearHeartbeat()
      cancelRetry?.()
      cancelRetry = undefined
      if (socket !== undefined) {
        socket.terminate()
        args.onConnection('closed', reason)
      }
      attempt = 0
      void open(reason)
    },
    stop() {
      if (stopped) return
      stopped = true
      clearHeartbeat()
      cancelRetry?.()
      cancelRetry = undefined
      const socket = ws
      ws = undefined
      socket?.close()
      args.onConnection('closed', 'client-closed')
    },
  }
}
