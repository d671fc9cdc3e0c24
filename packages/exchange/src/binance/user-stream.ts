/**
 * The Binance USDⓈ-M user-data stream over our own `ws` connection: a listen key is created
 * (`POST /fapi/v1/listenKey`), kept alive every 30 minutes (`PUT`), replaced before its connection's 24-hour
 * limit, and recreated when the venue says `listenKeyExpired` or a keep-alive answers that the key is gone.
 * Every state change is reported as a `connection` event with a closed reason. The socket is pinged (WebSocket
 * ping frames) every `pingIntervalMs` and each pong is reported (`onAlive`), so a consumer measuring silence
 * hears a quiet account's stream as alive; a socket silent through a whole interval after a ping is dead
 * (`heartbeat-timeout`). A drop or a dead socket reconnects after a delay on the injected clock, and the consumer
 * reconciles on the `open` that follows.
 * @module
 */
import type { Clock, ConnectionReason, ConnectionState } from '@perpkit/core'
import { isPerpkitError, PerpkitError } from '@perpkit/core'
import WebSocket from 'ws'
import { USER_STREAM_PING_INTERVAL_MS, watchLiveness } from '../transport/heartbeat.js'
import type { BinanceTransport } from './transport.js'

/**
 * Timings of the user-data stream (defaults follow Binance's documented key validity and connection limit).
 * @example
 * ```ts
 * import type { UserStreamTimings } from '@perpkit/exchange'
 * const timings: UserStreamTimings = { keepAliveMs: 30 * 60_000, rotateAfterMs: 23 * 3_600_000, reconnectDelayMs: 1_000, pingIntervalMs: 2_000 }
 * ```
 */
export interface UserStreamTimings {
  /** Keep-alive period of the listen key (valid 60 minutes after the last keep-alive). Default 30 minutes. */
  readonly keepAliveMs: number
  /** Replace key and connection after this long (Binance closes connections at 24 hours). Default 23 hours. */
  readonly rotateAfterMs: number
  /** Wait before reconnecting after a drop. Default 1,000 ms. */
  readonly reconnectDelayMs: number
  /**
   * Ping the socket (WebSocket ping frame) this often; each pong is reported as alive, and a socket silent through
   * a whole interval after a ping is dead. Default {@link USER_STREAM_PING_INTERVAL_MS}.
   */
  readonly pingIntervalMs: number
}

/** Default {@link UserStreamTimings}. */
export const DEFAULT_USER_STREAM_TIMINGS: UserStreamTimings = { keepAliveMs: 30 * 60_000, rotateAfterMs: 23 * 3_600_000, reconnectDelayMs: 1_000, pingIntervalMs: USER_STREAM_PING_INTERVAL_MS }

/** The running stream. */
export interface BinanceUserStream {
  /** Create a key and connect; resolves once the socket is open, rejects with a `PerpkitError` otherwise. */
  start(): Promise<void>
  /** Close the socket, delete the key, stop timers; emits `closed` / `client-closed` once. */
  stop(): Promise<void>
}

/**
 * Create the stream.
 * @param args.transport - REST transport (listen key calls)
 * @param args.clock - timers
 * @param args.wsBaseUrl - e.g. `wss://fstream.binance.com` (the socket is `${wsBaseUrl}/ws/<listenKey>`)
 * @param args.timings - see {@link UserStreamTimings}
 * @param args.onFrame - each parsed event object, in the order received
 * @param args.onConnection - each connection state change
 * @param args.onAlive - each pong: the connection answered a ping
 * @returns the stream (not started)
 */
export function createBinanceUserStream(args: {
  readonly transport: BinanceTransport
  readonly clock: Clock
  readonly wsBaseUrl: string
  readonly timings: UserStreamTimings
  readonly onFrame: (frame: Record<string, unknown>) => void
  readonly onConnection: (state: ConnectionState, reason: ConnectionReason) => void
  readonly onAlive: () => void
}): BinanceUserStream {
  const { transport, clock, timings } = args
  let socket: WebSocket | undefined
  let listenKey: string | undefined
  let stopped = true
  let timers: (() => void)[] = []

  const clearTimers = (): void => {
    for (const t of timers) t()
    timers = []
  }
  const createKey = async (): Promise<string> => {
    const body = (await transport.request({ api: 'fapiPrivate', method: 'POST', path: 'listenKey', endpoint: 'listenKey.create' })) as { listenKey?: unknown }
    if (typeof body.listenKey !== 'string' || body.listenKey === '') throw new PerpkitError('corrupt-data', 'Binance answered listenKey.create without a listenKey')
    return body.listenKey
  }
  const open = (key: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${args.wsBaseUrl}/ws/${key}`)
      socket = ws
      let opened = false
      ws.on('open', () => {
        opened = true
        watchLiveness({
          socket: ws,
          clock,
          pingIntervalMs: timings.pingIntervalMs,
          probe: 'frame',
          isCurrent: () => socket === ws && !stopped,
          onAlive: args.onAlive,
          onStale: () => {
            socket = undefined // half-open; the consumer reconciles on the reconnect's 'open'
            args.onConnection('closed', 'heartbeat-timeout')
            scheduleReconnect('reconnect', false)
          },
        })
        resolve()
      })
      ws.on('message', (data) => {
        if (socket !== ws) return
        let frame: unknown
        try {
          frame = JSON.parse(String(data))
        } catch {
          return // not an event
        }
        if (typeof frame !== 'object' || frame === null) return
        const f = frame as Record<string, unknown>
        if (f['e'] === 'listenKeyExpired') {
          void replace('listen-key-expired', true)
          return
        }
        args.onFrame(f)
      })
      ws.on('error', () => undefined) // 'close' follows and decides
      ws.on('close', () => {
        if (!opened) {
          reject(new PerpkitError('network', 'the Binance user-data socket did not open'))
          return
        }
        if (socket !== ws || stopped) return
        socket = undefined
        args.onConnection('closed', 'dropped')
        scheduleReconnect('reconnect', false)
      })
    })
  const armTimers = (): void => {
    clearTimers()
    const keepAlive = (): void => {
      timers.push(
        clock.setTimer(timings.keepAliveMs, () => {
          void transport.request({ api: 'fapiPrivate', method: 'PUT', path: 'listenKey', endpoint: 'listenKey.keepAlive' }).then(keepAlive, (e: unknown) => {
            if (isPerpkitError(e) && e.venueCode === -1125) void replace('listen-key-expired', true)
            else keepAlive()
          })
        }),
      )
    }
    keepAlive()
    timers.push(clock.setTimer(timings.rotateAfterMs, () => void replace('listen-key-rotated', false)))
  }
  const connect = async (): Promise<void> => {
    listenKey = await createKey()
    await open(listenKey)
    armTimers()
  }
  const scheduleReconnect = (reason: ConnectionReason, newKey: boolean): void => {
    clearTimers()
    timers.push(
      clock.setTimer(timings.reconnectDelayMs, () => {
        if (stopped) return
        args.onConnection('connecting', reason)
        const attempt = newKey || listenKey === undefined ? connect() : open(listenKey).then(armTimers)
        attempt.then(
          () => args.onConnection('open', reason),
          () => {
            if (!stopped) scheduleReconnect(reason, true)
          },
        )
      }),
    )
  }
  /** Close the current socket on purpose and come back with a fresh key. */
  const replace = async (reason: ConnectionReason, expired: boolean): Promise<void> => {
    if (stopped) return
    const old = socket
    socket = undefined
    old?.terminate()
    if (!expired && listenKey !== undefined) {
      await transport.request({ api: 'fapiPrivate', method: 'DELETE', path: 'listenKey', endpoint: 'listenKey.close' }).catch(() => undefined)
    }
    listenKey = undefined
    args.onConnection('closed', reason)
    scheduleReconnect(reason, true)
  }

  return {
    async start() {
      stopped = false
      args.onConnection('connecting', 'connect')
      try {
        await connect()
      } catch (e) {
        stopped = true
        args.onConnection('closed', isPerpkitError(e) && e.code === 'authentication' ? 'auth-failed' : 'dropped')
        throw e
      }
      args.onConnection('open', 'connect')
    },
    async stop() {
      if (stopped) return
      stopped = true
      clearTimers()
      const ws = socket
      socket = undefined
      ws?.close()
      if (listenKey !== undefined) await transport.request({ api: 'fapiPrivate', method: 'DELETE', path: 'listenKey', endpoint: 'listenKey.close' }).catch(() => undefined)
      listenKey = undefined
      args.onConnection('closed', 'client-closed')
    },
  }
}
