/**
 * Server-side WebSocket connections as {@link WsPeer}s: every frame sent goes through the fault plan and into
 * the wire event log; every frame received goes into the request log.
 * @module
 */
import type { WebSocket } from 'ws'
import type { Clock } from '@perpkit/core'
import type { WsChannel, WsPeer } from './dialect.js'
import type { WireEventLog } from './event-log.js'
import type { FaultEngine } from './fault-plan.js'
import type { RequestLog } from './request-log.js'

/**
 * Wrap an accepted `ws` socket.
 *
 * @param args.socket - the accepted socket
 * @param args.id - connection number
 * @param args.url - the upgrade request URL (path and query)
 * @param args.clock - server clock
 * @param args.faults - the fault engine (frame shaping)
 * @param args.eventLog - wire event log
 * @param args.requestLog - request log (received frames)
 * @returns the peer
 * @throws never
 * @example
 * ```ts
 * wss.on('connection', (socket, req) => dialect.onWsConnection(createWsPeer({ socket, id: 1, url: new URL(req.url ?? '/', 'ws://127.0.0.1'), clock, faults, eventLog, requestLog })))
 * ```
 */
export function createWsPeer(args: {
  readonly socket: WebSocket
  readonly id: number
  readonly url: URL
  readonly clock: Clock
  readonly faults: FaultEngine
  readonly eventLog: WireEventLog
  readonly requestLog: RequestLog
}): WsPeer {
  const { socket, id, url, clock, faults, eventLog, requestLog } = args
  const messageListeners: ((text: string) => void)[] = []
  const closeListeners: (() => void)[] = []
  let closed = false
  const ref = `${id}:${url.pathname}`
  requestLog.add({ timestampMs: clock.now(), transport: 'ws', method: 'CONNECT', path: url.pathname, params: Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'listenKey')), accepted: false })
  socket.on('message', (data, isBinary) => {
    if (isBinary) return
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8')
    requestLog.add({ timestampMs: clock.now(), transport: 'ws', method: 'MESSAGE', path: url.pathname, params: { frame: text }, accepted: false })
    for (const l of messageListeners) l(text)
  })
  // the server answers pings itself (the WebSocketServer runs with autoPong off) so that a silenced channel
  // stays silent at the protocol level too, like a half-open connection
  socket.on('ping', (data) => {
    if (!closed && socket.readyState === socket.OPEN && !faults.isSilent(peer.channel, clock.now())) socket.pong(data)
  })
  socket.on('close', () => {
    if (closed) return
    closed = true
    for (const l of closeListeners) l()
  })
  socket.on('error', () => {
    // a client that vanished: 'close' follows; nothing to report to the caller
  })
  const peer: WsPeer = {
    id,
    path: url.pathname,
    query: url.searchParams,
    channel: 'unknown' as WsChannel,
    send(frame) {
      if (closed || socket.readyState !== socket.OPEN) return
      const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
      for (const out of faults.shapeFrames(peer.channel, text, clock.now())) {
        eventLog.record({ timestampMs: clock.now(), kind: 'ws', ref, body: out })
        socket.send(out)
      }
    },
    onMessage(listener) {
      messageListeners.push(listener)
    },
    onClose(listener) {
      closeListeners.push(listener)
    },
    close(code, reason) {
      socket.close(code, reason)
    },
    terminate() {
      socket.terminate()
    },
    isOpen: () => !closed && socket.readyState === socket.OPEN,
  }
  return peer
}
