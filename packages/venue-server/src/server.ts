/**
 * `startVenueServer`: one HTTP + WebSocket server on 127.0.0.1 speaking a venue dialect over the simulated
 * venue, with a handle to drive prices and time, inject faults and read the venue's true state.
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { type Clock, InvalidInputError, type Instrument, systemClock, type TestClock, type VenueId } from '@perpkit/core'
import { createSeededRandom, type SimState } from '@perpkit/sim'
import type { Dialect, DialectInstance, DialectName, Flavour, WsPeer } from './dialect.js'
import { createWireEventLog, type WireEvent } from './event-log.js'
import { createFaultEngine, type FaultPlan, type FaultTarget, type HttpFault } from './fault-plan.js'
import { createHttpPipeline } from './http-pipeline.js'
import { type ApiKeySpec, createKeyStore } from './keys.js'
import { resolveDialect } from './registry.js'
import { createRequestLog, type RequestLogEntry } from './request-log.js'
import { createVenueState, type SimPassThrough, type VenueData, type VenueState } from './venue-state.js'
import { createWsPeer } from './ws-peer.js'

/**
 * Options of {@link startVenueServer}.
 * @example
 * ```ts
 * import { type VenueServerOptions } from '@perpkit/venue-server'
 * import { createTestClock } from '@perpkit/core'
 * const options: VenueServerOptions = { dialect: 'binance-usdm', flavour: 'testnet', clock: createTestClock(Date.UTC(2025, 8, 19)), seed: 7 }
 * ```
 */
export interface VenueServerOptions {
  /** Which venue to speak (`binance-usdm`, `bybit`) or a custom {@link Dialect}. */
  readonly dialect: DialectName | Dialect
  /** Default `testnet`. */
  readonly flavour?: Flavour
  /** Tradable instruments (default: the dialect's defaults for the flavour). */
  readonly instruments?: readonly Instrument[]
  /** Starting balances per simulated profile (default: the dialect's defaults). */
  readonly balances?: Partial<Record<VenueId, Readonly<Record<string, number>>>>
  /** Recorded candles / funding that `handle.step()` feeds. */
  readonly data?: VenueData
  /** HTTP faults scripted from the start (more can be added through `handle.faults`). */
  readonly faults?: readonly { readonly target: FaultTarget; readonly fault: HttpFault }[]
  /** Server clock (default: the system clock). A `TestClock` makes `handle.advanceTime` available. */
  readonly clock?: Clock
  /** API keys (default: one key, `DEFAULT_API_KEY`). */
  readonly keys?: readonly ApiKeySpec[]
  /** TCP port on 127.0.0.1 (default 0 = any free port). */
  readonly port?: number
  /** Seed of every random choice (ids, fault probabilities, shuffles). Default 1. */
  readonly seed?: number
  /** Options passed to the simulated venue(s): fill model, slippage, latency, leverage … */
  readonly sim?: SimPassThrough
}

/**
 * Controls of a running server.
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm', clock: createTestClock(Date.UTC(2025, 8, 19)) })
 * server.handle.venue.setMarkPrice({ symbol: 'BTC/USDT:USDT', markPrice: 64000 })
 * server.handle.advanceTime(61 * 60_000) // listen keys expire
 * server.handle.faults.http('order.create', { kind: 'http-5xx-after-accept' })
 * ```
 */
export interface VenueServerHandle {
  readonly clock: Clock
  /** The venue's true state and price inputs. */
  readonly venue: VenueState
  /** Fault plan. */
  readonly faults: FaultPlan
  /** The running dialect (its route table). */
  readonly dialect: DialectInstance
  /** Feed the next `bars` recorded candles (see {@link VenueState.step}). */
  step(bars?: number): number
  /** Move a `TestClock` forward (fires listen-key expiry and other timers); throws for other clocks. */
  advanceTime(ms: number): void
  /** Balances, positions and open orders of the simulated venue trading `symbol` (default: the first instrument). */
  state(symbol?: string): SimState
  /** Every request that reached the server. */
  requestLog(): readonly RequestLogEntry[]
  /** Every answer and frame the server sent. */
  eventLog(): readonly WireEvent[]
  /** SHA-256 of {@link VenueServerHandle.eventLog}. */
  eventLogHash(): string
}

/**
 * A running server.
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm' })
 * console.log(server.httpUrl, server.wsUrl)
 * await server.close()
 * ```
 */
export interface VenueServer {
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string
  readonly port: number
  readonly handle: VenueServerHandle
  /** Stop listening, close every connection and cancel the dialect's timers. */
  close(): Promise<void>
}

function isTestClock(clock: Clock): clock is TestClock {
  return typeof (clock as Partial<TestClock>).advance === 'function'
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/**
 * Start a local, wire-compatible venue on 127.0.0.1.
 *
 * @param options - see {@link VenueServerOptions}
 * @returns the running {@link VenueServer}
 * @throws InvalidInputError for an unknown dialect, bad instruments, balances, keys or data
 * @example
 * ```ts
 * import { startVenueServer } from '@perpkit/venue-server'
 * const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet' })
 * const res = await fetch(`${server.httpUrl}/fapi/v1/time`)
 * console.log(await res.json()) // { serverTime: … }
 * await server.close()
 * ```
 */
export async function startVenueServer(options: VenueServerOptions): Promise<VenueServer> {
  const dialect = resolveDialect(options.dialect)
  const flavour = options.flavour ?? 'testnet'
  const port = options.port ?? 0
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new InvalidInputError('must be an integer in 0..65535', { path: 'port' })
  const seed = options.seed ?? 1
  const clock = options.clock ?? systemClock
  const defaults = dialect.defaults(flavour)
  const instruments = options.instruments ?? defaults.instruments
  for (const [i, ins] of instruments.entries()) {
    if (!dialect.venues.includes(ins.venue)) throw new InvalidInputError(`the ${dialect.name} dialect serves ${dialect.venues.join(', ')} instruments, not ${ins.venue}`, { path: `instruments[${i}].venue` })
  }
  const random = createSeededRandom(seed)
  const faults = createFaultEngine({ random })
  for (const f of options.faults ?? []) faults.http(f.target, f.fault)
  const venue = createVenueState({
    instruments,
    balances: options.balances ?? defaults.balances,
    clock,
    seed,
    ...(options.data === undefined ? {} : { data: options.data }),
    ...(options.sim === undefined ? {} : { sim: options.sim }),
  })
  const keys = createKeyStore(options.keys ?? [])
  const eventLog = createWireEventLog()
  const requestLog = createRequestLog()
  const instance = dialect.create({ flavour, clock, random, venue, keys, faults, eventLog })
  const pipeline = createHttpPipeline({ instance, clock, faults, requestLog, eventLog })

  const http = createServer((req, res) => void pipeline.handle(req, res))
  const wss = new WebSocketServer({ server: http, autoPong: false })
  const peers = new Set<WsPeer>()
  let nextPeer = 1
  wss.on('connection', (socket, req) => {
    const peer = createWsPeer({ socket, id: nextPeer++, url: new URL(req.url ?? '/', 'ws://127.0.0.1'), clock, faults, eventLog, requestLog })
    peers.add(peer)
    peer.onClose(() => peers.delete(peer))
    instance.onWsConnection(peer)
  })
  faults.onWsFault((fault) => {
    if (fault.kind !== 'drop') return
    const channel = fault.channel ?? 'all'
    for (const p of [...peers]) if (channel === 'all' || p.channel === channel) p.terminate()
  })
  const boundPort = await listen(http, port)

  const handle: VenueServerHandle = {
    clock,
    venue,
    faults,
    dialect: instance,
    step: (bars) => venue.step(bars),
    advanceTime(ms) {
      if (!isTestClock(clock)) throw new InvalidInputError('advanceTime needs a TestClock (options.clock)', { path: 'clock' })
      clock.advance(ms)
    },
    state: (symbol) => venue.simFor(symbol ?? (instruments[0] as Instrument).symbol).state(),
    requestLog: () => requestLog.entries(),
    eventLog: () => eventLog.entries(),
    eventLogHash: () => eventLog.hash(),
  }
  return {
    httpUrl: `http://127.0.0.1:${boundPort}`,
    wsUrl: `ws://127.0.0.1:${boundPort}`,
    port: boundPort,
    handle,
    close() {
      instance.close()
      pipeline.releaseHeld()
      for (const p of peers) p.terminate()
      return new Promise((resolve) => {
        wss.close(() => {
          http.closeAllConnections()
          http.close(() => resolve())
        })
      })
    },
  }
}
