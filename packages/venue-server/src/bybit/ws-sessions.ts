/**
 * Bybit v5 WebSocket connections. Private (`/v5/private`): `auth`, then `subscribe` to `order`, `execution`,
 * `position`, `wallet` (or their `.linear` / `.inverse` forms); `ping` answers `op: pong` with the server time.
 * Public (`/v5/public/linear`, `/v5/public/inverse`): `subscribe` to `kline.{interval}.{symbol}`,
 * `publicTrade.{symbol}`, `tickers.{symbol}`; `ping` answers `ret_msg: pong`. Answers follow the docs' shapes.
 * @module
 */
import type { WsPeer } from '../dialect.js'
import type { KeyStore } from '../keys.js'
import { verifyBybitWsAuth } from './auth.js'
import type { BybitDerivativeCategory } from './books.js'
import { klineIntervalMs } from './market-tape.js'

/** A connection's state as the publisher sees it. */
export interface BybitSession {
  readonly kind: 'private' | 'public'
  /** Category of a public connection. */
  readonly category: BybitDerivativeCategory | undefined
  readonly connId: string
  /** Handle one text frame from the client. */
  receive(text: string): void
  /** Whether the connection gets `topic` (of `category`, for private topics; a private one only after `auth`). */
  wants(topic: string, category?: BybitDerivativeCategory): boolean
  /** Send a message (JSON-encoded) to the client. */
  send(message: unknown): void
  /** Topics subscribed to, in subscription order. */
  topicsList(): readonly string[]
}

/** What sessions need from the dialect. */
export interface SessionHost {
  readonly keys: KeyStore
  nowMs(): number
  /** Instruments a public connection of `category` may subscribe to (Bybit symbols). */
  symbols(category: BybitDerivativeCategory): readonly string[]
  /** Called after a public subscription so the first snapshot can be sent. */
  subscribed(session: BybitSession, topics: readonly string[]): void
}

const PRIVATE_TOPICS = new Set(['order', 'execution', 'position', 'wallet'])

function privateTopicOk(topic: string): boolean {
  const [base, suffix, extra] = topic.split('.')
  return base !== undefined && PRIVATE_TOPICS.has(base) && extra === undefined && (suffix === undefined || suffix === 'linear' || suffix === 'inverse')
}

function publicTopicOk(topic: string, symbols: readonly string[]): boolean {
  const parts = topic.split('.')
  if (parts[0] === 'kline' && parts.length === 3) return klineIntervalMs(parts[1] ?? '') !== undefined && symbols.includes(parts[2] ?? '')
  if ((parts[0] === 'publicTrade' || parts[0] === 'tickers') && parts.length === 2) return symbols.includes(parts[1] ?? '')
  return false
}

function parse(text: string): { op?: unknown; args?: unknown; req_id?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null ? (v as { op?: unknown; args?: unknown; req_id?: unknown }) : undefined
  } catch {
    return undefined
  }
}

/**
 * Open a session for a connection, or `undefined` when its path is not a Bybit stream. The caller feeds it
 * the peer's messages.
 * @example
 * ```ts
 * const session = openBybitSession({ peer, host })
 * if (session !== undefined) peer.onMessage((text) => session.receive(text))
 * ```
 */
export function openBybitSession(args: { readonly peer: WsPeer; readonly host: SessionHost }): BybitSession | undefined {
  const { peer, host } = args
  const connId = `conn-${String(peer.id)}`
  const path = peer.path
  const kind = path === '/v5/private' ? 'private' : path === '/v5/public/linear' || path === '/v5/public/inverse' ? 'public' : undefined
  if (kind === undefined) return undefined
  const category: BybitDerivativeCategory | undefined = path === '/v5/public/linear' ? 'linear' : path === '/v5/public/inverse' ? 'inverse' : undefined
  const topics = new Set<string>()
  let authed = false
  const send = (message: unknown): void => {
    peer.send(message)
  }
  const reqId = (m: { req_id?: unknown }): Record<string, string> => (typeof m.req_id === 'string' ? { req_id: m.req_id } : kind === 'public' ? { req_id: '' } : {})
  const session: BybitSession = {
    kind,
    category,
    connId,
    send,
    topicsList: () => [...topics],
    wants: (topic, cat) => (kind === 'public' || authed) && (topics.has(topic) || (kind === 'private' && cat !== undefined && topics.has(`${topic}.${cat}`))),
    receive: (text) => {
      const m = parse(text)
      if (m === undefined) {
        send({ success: false, ret_msg: 'error:invalid op', conn_id: connId, request: { op: '', args: null } })
        return
      }
      if (m.op === 'ping') {
        if (kind === 'private') send({ ...reqId(m), op: 'pong', args: [String(host.nowMs())], conn_id: connId })
        else send({ success: true, ret_msg: 'pong', conn_id: connId, ...reqId(m), op: 'ping' })
        return
      }
      if (m.op === 'auth' && kind === 'private') {
        const outcome = verifyBybitWsAuth({ args: m.args, keys: host.keys, nowMs: host.nowMs() })
        authed = outcome.ok
        send({ success: outcome.ok, ret_msg: outcome.ok ? '' : outcome.reason, op: 'auth', conn_id: connId, ...reqId(m) })
        return
      }
      if (m.op === 'subscribe' || m.op === 'unsubscribe') {
        const list = Array.isArray(m.args) ? m.args.filter((a): a is string => typeof a === 'string') : []
        if (kind === 'private' && !authed) {
          send({ success: false, ret_msg: 'Request not authorized', op: m.op, conn_id: connId, ...reqId(m) })
          return
        }
        const ok = (t: string): boolean => (kind === 'private' ? privateTopicOk(t) : publicTopicOk(t, host.symbols(category as BybitDerivativeCategory)))
        const bad = list.filter((t) => !ok(t))
        if (list.length === 0 || bad.length > 0) {
          send({ success: false, ret_msg: `error:handler not found,topic:${bad[0] ?? ''}`, conn_id: connId, ...reqId(m), op: m.op })
          return
        }
        for (const t of list) {
          if (m.op === 'subscribe') topics.add(t)
          else topics.delete(t)
        }
        send({ success: true, ret_msg: '', conn_id: connId, ...reqId(m), op: m.op })
        if (m.op === 'subscribe' && kind === 'public') host.subscribed(session, list)
        return
      }
      send({ success: false, ret_msg: `error:invalid op ${String(m.op)}`, conn_id: connId, ...reqId(m), op: typeof m.op === 'string' ? m.op : '' })
    },
  }
  return session
}
