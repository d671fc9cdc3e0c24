/**
 * The Bybit v5 private stream over our own `ws` connection: connect to `/v5/private`, authenticate with
 * `{ op: 'auth', args: [apiKey, expires, HMAC-SHA256("GET/realtime" + expires)] }`, subscribe to the category's
 * `order`, `execution`, `position` topics and `wallet`, and send `{ op: 'ping' }` every `pingIntervalMs` (2 s by
 * default: well inside Bybit's request for a ping at least every 20 s, and often enough that a consumer measuring
 * silence hears a quiet account's stream alive). Each `pong` is reported (`onAlive`); a socket that stays silent
 * for a whole ping interval after a ping is declared dead (`heartbeat-timeout`); a drop reconnects after a delay
 * on the injected clock, re-authenticates and re-subscribes. Every change is a `connection` event with a closed reason; the consumer reconciles over REST on
 * the `open` that follows a reconnect.
 * @module
 */
import { createHmac } from 'node:crypto'
import { type Clock, type ConnectionReason, type ConnectionState, PerpkitError } from '@perpkit/core'
import WebSocket from 'ws'
import { USER_STREAM_PING_INTERVAL_MS, watchLiveness } from '../transport/heartbeat.js'

/**
 * Timings of the Bybit private stream.
 * @example
 * ```ts
 * import type { BybitStreamTimings } from '@perpkit/exchange'
 * const timings: BybitStreamTimings = { pingIntervalMs: 2_000, reconnectDelayMs: 1_000, authTimeoutMs: 10_000 }
 * ```
 */
export interface BybitStreamTimings {
  /** Period of `ping`; each pong is reported, and a socket silent for a whole period after a ping is dead. Default {@link USER_STREAM_PING_INTERVAL_MS}. */
  readonly pingIntervalMs: number
  /** Wait before reconnecting after a drop. Default 1,000 ms. */
  readonly reconnectDelayMs: number
  /** How long the socket may take to open, authenticate and subscribe. Default 10,000 ms. */
  readonly authTimeoutMs: number
}

/** Default {@link BybitStreamTimings}. */
export const DEFAULT_BYBIT_STREAM_TIMINGS: BybitStreamTimings = { pingIntervalMs: USER_STREAM_PING_INTERVAL_MS, reconnectDelayMs: 1_000, authTimeoutMs: 10_000 }

const PING = JSON.stringify({ req_id: 'ping', op: 'ping' })
/** The private stream's answer to a ping: `{"op":"pong","args":[<server ms>],...}` (Bybit v5 "Connect" page). */
const isPong = (text: string): boolean => {
  if (!text.includes('"pong"')) return false
  try {
    return (JSON.parse(text) as { op?: unknown }).op === 'pong'
  } catch {
    return false
  }
}

/** The running stream. */
export interface BybitPrivateStream {
  /** Connect, authenticate and subscribe; resolves once subscribed, rejects with a `PerpkitError` otherwise. */
  start(): Promise<void>
  /** Close the socket and stop timers; emits `closed` / `client-closed` once. */
  stop(): Promise<void>
}

/**
 * The `auth` operation's arguments: key, expiry (venue ms) and the hex HMAC-SHA256 of `GET/realtime{expires}`.
 * @param args.apiKey - the key
 * @param args.secret - the secret (only used to sign)
 * @param args.expiresMs - when the signature stops being valid, on the venue's clock
 * @returns `[apiKey, expires, signature]`
 */
export function bybitAuthArgs(args: { readonly apiKey: string; readonly secret: string; readonly expiresMs: number }): [string, number, string] {
  const expires = Math.round(args.expiresMs)
  return [args.apiKey, expires, createHmac('sha256', args.secret).update(`GET/realtime${String(expires)}`).digest('hex')]
}

/**
 * Create the stream.
 * @param args.url - e.g. `wss://stream-testnet.bybit.com/v5/private`
 * @param args.apiKey - the key
 * @param args.secret - the secret
 * @param args.topics - topics to subscribe to after auth
 * @param args.clock - timers
 * @param args.venueNow - the venue's clock (local clock plus the measured offset), for the auth expiry
 * @param args.timings - see {@link BybitStreamTimings}
 * @param args.onMessage - each parsed topic message, in the order received
 * @param args.onConnection - each connection state change
 * @param args.onAlive - each `pong`: the connection answered a ping
 * @returns the stream (not started)
 */
export function createBybitPrivateStream(args: {
  readonly url: string
  readonly apiKey: string
  readonly secret: string
  readonly topics: readonly string[]
  readonly clock: Clock
  readonly venueNow: () => number
  readonly timings: BybitStreamTimings
  readonly onMessage: (message: Record<string, unknown>) => void
  readonly onConnection: (state: ConnectionState, reason: ConnectionReason) => void
  readonly onAlive: () => void
}): BybitPrivateStream {
  const { clock, timings } = args
  let socket: WebSocket | undefined
  let stopped = true
  let timers: (() => void)[] = []

  const clearTimers = (): void => {
    for (const t of timers) t()
    timers = []
  }

  /** Open, authenticate and subscribe one socket. */
  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(args.url)
      socket = ws
      let ready = false
      let settled = false
      const fail = (error: PerpkitError): void => {
        if (settled) return
        settled = true
        cancelDeadline()
        if (socket === ws) socket = undefined
        ws.terminate()
        reject(error)
      }
      const cancelDeadline = clock.setTimer(timings.authTimeoutMs, () => fail(new PerpkitError('network', 'the Bybit private stream did not authenticate and subscribe in time')))
      ws.on('open', () => {
        ws.send(JSON.stringify({ req_id: 'auth', op: 'auth', args: bybitAuthArgs({ apiKey: args.apiKey, secret: args.secret, expiresMs: args.venueNow() + timings.authTimeoutMs }) }))
      })
      ws.on('message', (data) => {
        if (socket !== ws) return
        let m: unknown
        try {
          m = JSON.parse(String(data))
        } catch {
          return // not a message of the protocol
        }
        if (typeof m !== 'object' || m === null) return
        const msg = m as Record<string, unknown>
        if (msg['op'] === 'auth') {
          if (msg['success'] !== true) {
            fail(new PerpkitError('authentication', `Bybit refused the private stream's auth: ${String(msg['ret_msg'] ?? '')}`))
            return
          }
          ws.send(JSON.stringify({ req_id: 'subscribe', op: 'subscribe', args: args.topics }))
          return
        }
        if (msg['op'] === 'subscribe') {
          if (msg['success'] !== true) {
            fail(new PerpkitError('venue-rejected', `Bybit refused the private subscription: ${String(msg['ret_msg'] ?? '')}`))
            return
          }
          ready = true
          settled = true
          cancelDeadline()
          resolve()
          return
        }
        if (typeof msg['topic'] === 'string' && ready) args.onMessage(msg)
      })
      ws.on('error', () => undefined) // 'close' follows and decides
      ws.on('close', () => {
        if (!settled) {
          fail(new PerpkitError('network', 'the Bybit private stream closed before it was subscribed'))
          return
        }
        if (socket !== ws || stopped) return
        socket = undefined
        args.onConnection('closed', 'dropped')
        scheduleReconnect()
      })
    })

  const armHeartbeat = (): void => {
    clearTimers()
    const ws = socket
    if (ws === undefined) return
    const stop = watchLiveness({
      socket: ws,
      clock,
      pingIntervalMs: timings.pingIntervalMs,
      probe: { text: () => PING, isAnswer: isPong },
      isCurrent: () => socket === ws && !stopped,
      onAlive: args.onAlive,
      onStale: () => {
        socket = undefined // dead even if TCP has not noticed; the consumer reconciles on the reconnect's 'open'
        args.onConnection('closed', 'heartbeat-timeout')
        scheduleReconnect()
      },
    })
    timers.push(stop)
  }

  const scheduleReconnect = (): void => {
    clearTimers()
    timers.push(
      clock.setTimer(timings.reconnectDelayMs, () => {
        if (stopped) return
        args.onConnection('connecting', 'reconnect')
        open().then(
          () => {
            if (stopped) return
            armHeartbeat()
            args.onConnection('open', 'reconnect')
          },
          () => {
            if (!stopped) scheduleReconnect()
          },
        )
      }),
    )
  }

  return {
    async start() {
      stopped = false
      args.onConnection('connecting', 'connect')
      try {
        await open()
      } catch (e) {
        stopped = true
        args.onConnection('closed', e instanceof PerpkitError && e.code === 'authentication' ? 'auth-failed' : 'dropped')
        throw e
      }
      armHeartbeat()
      args.onConnection('open', 'connect')
    },
    async stop() {
      if (stopped) return
      stopped = true
      clearTimers()
      const ws = socket
      socket = undefined
      ws?.close()
      args.onConnection('closed', 'client-closed')
    },
  }
}
