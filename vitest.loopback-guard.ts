/**
 * Test setup: any attempt to open a TCP connection to a host other than the loopback interface throws
 * (and is remembered, so the guard test can prove the guard is active). ccxt must never reach a real venue.
 */
import net from 'node:net'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1'])

/** Hosts that something tried to reach, in order (cleared by nobody: a test may assert it stays empty). */
export const blockedHosts: string[] = []

type ConnectArgs = Parameters<typeof net.Socket.prototype.connect>

function hostOf(args: ConnectArgs): string | undefined {
  const [first, second] = args as unknown[]
  // net.connect() hands Socket#connect its normalized arguments as one array: [options, callback]
  if (Array.isArray(first)) return hostOf(first as unknown as ConnectArgs)
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: string; path?: string }
    if (o.path !== undefined) return undefined // unix socket
    return o.host ?? 'localhost'
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return typeof second === 'string' ? second : 'localhost'
  return undefined // a unix socket path
}

const original = net.Socket.prototype.connect
const guarded = function (this: net.Socket, ...args: ConnectArgs): net.Socket {
  const host = hostOf(args)
  if (host !== undefined && !LOOPBACK.has(host)) {
    blockedHosts.push(host)
    throw new Error(`loopback guard: a test tried to reach ${host}; tests may only talk to 127.0.0.1`)
  }
  return original.apply(this, args)
} as typeof net.Socket.prototype.connect
net.Socket.prototype.connect = guarded
