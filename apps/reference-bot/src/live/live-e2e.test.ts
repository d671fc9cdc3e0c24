/**
 * End to end: `perpkit live` as a child process against the local venue server in this process (Binance USDⓈ-M
 * testnet flavour and Bybit v5 linear). The test moves the market itself (one closed 1-minute bar at a time through the server's
 * market stream) and waits on what the bot logs or what the venue holds, never on wall-clock durations.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Candle } from '@perpkit/core'
import { DEFAULT_API_KEY, type DialectName, type RequestLogEntry, startVenueServer, type VenueServer } from '@perpkit/venue-server'
import { type Io, main } from '../cli.js'

const APP = join(import.meta.dirname, '..', '..')
const tsx = createRequire(import.meta.url).resolve('tsx/esm')
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-live-e2e-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const SYMBOL = 'BTC/USDT:USDT'
const MINUTE = 60_000
/**
 * SMA 2/4 long-only on 1-minute bars, 0.01 BTC per entry with a 2 % protective stop. The bars are stamped in the
 * past (the test feeds them faster than real time), so the decision's data-age limit is widened to an hour: that
 * is the only setting the test changes for its clock.
 */
const config = (venue: string): string => `
mode: live
venue: ${venue}
testnet: true
symbols: [BTC]
data: { timeframe: 1m }
strategy: { id: e2e-sma, class: SmaCrossover, parameters: { fastPeriod: 2, slowPeriod: 4, mode: long-only } }
account: { leverage: 3, marginMode: cross }
sizing: { mode: fixed-qty, qty: 0.01, stopDistancePct: 0.02 }
risk: { enabled: true, settings: { profile: general, decision: { maxDataAgeMs: 3600000 } } }
`
/** Closes that end in an SMA(2) crossing above SMA(4) on the last bar (the first ready bar sets the memory below). */
const CROSS_UP = [60_400, 60_300, 60_200, 60_100, 60_300, 60_500]
/**
 * After CROSS_UP: four rising closes (SMA(2) stays above SMA(4), however much history the strategy warmed up on),
 * then one that crosses it below (SMA(2) 60,600 < SMA(4) 60,675), above the 2 % stop.
 */
const EXIT_AFTER_RESTART = [60_600, 60_700, 60_800, 60_900, 60_300]

interface Bot {
  readonly child: ChildProcess
  readonly lines: () => readonly Record<string, unknown>[]
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

/** A dialect of the venue server and the config venue that trades it; how its order creations are logged. */
interface Profile {
  readonly dialect: DialectName
  readonly venue: 'binance-usdm' | 'bybit-linear'
  /** Paths of the requests that create an order (regular and conditional). */
  readonly createPaths: readonly string[]
  /** The client id parameter(s) of those requests. */
  readonly idParams: readonly string[]
  /** Whether a request cancels an order. */
  readonly isCancel: (e: RequestLogEntry) => boolean
}
const BINANCE: Profile = {
  dialect: 'binance-usdm', venue: 'binance-usdm', createPaths: ['/fapi/v1/order', '/fapi/v1/algoOrder'], idParams: ['newClientOrderId', 'clientAlgoId'],
  isCancel: (e) => e.method === 'DELETE' && ['/fapi/v1/order', '/fapi/v1/algoOrder'].includes(e.path),
}
const BYBIT: Profile = { dialect: 'bybit', venue: 'bybit-linear', createPaths: ['/v5/order/create'], idParams: ['orderLinkId'], isCancel: (e) => e.method === 'POST' && e.path === '/v5/order/cancel' }
const CONFIG_OF = (p: Profile): string => config(p.venue)

/** The `perpkit` operator commands, run in this process (the bot is the child) with real sleeps and no terminal. */
async function operator(bot: { readonly server: VenueServer; readonly dir: string; readonly profile: Profile }, argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = {
    out: (t) => (out += t), err: (t) => (err += t), env: { PERPKIT_TESTNET_API_KEY: DEFAULT_API_KEY.apiKey, PERPKIT_TESTNET_API_SECRET: DEFAULT_API_KEY.secret },
    isTty: false, nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  }
  const where = ['--config', join(bot.dir, 'live.yaml'), '--rest-url', bot.server.httpUrl, '--ws-url', bot.server.wsUrl, '--state-dir', join(bot.dir, 'state'), '--lock-dir', join(bot.dir, 'locks')]
  const [command, ...rest] = argv
  const code = await main([command as string, ...where, ...rest], io)
  return { code, out, err }
}

function startBot(args: { readonly profile: Profile; readonly server: VenueServer; readonly dir: string; readonly extra?: readonly string[] }): Bot {
  const config = join(args.dir, 'live.yaml')
  writeFileSync(config, CONFIG_OF(args.profile))
  const argv = [
    '--conditions=@perpkit/source', '--import', tsx, join(APP, 'src', 'cli.ts'), 'live', '--config', config,
    '--rest-url', args.server.httpUrl, '--ws-url', args.server.wsUrl,
    '--state-dir', join(args.dir, 'state'), '--lock-dir', join(args.dir, 'locks'), '--heartbeat-ms', '200', ...(args.extra ?? []),
  ]
  const env = { ...process.env, PERPKIT_TESTNET_API_KEY: DEFAULT_API_KEY.apiKey, PERPKIT_TESTNET_API_SECRET: DEFAULT_API_KEY.secret, PERPKIT_CONFIRM_PRODUCTION: '' }
  const child = spawn(process.execPath, argv, { cwd: args.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const parsed: Record<string, unknown>[] = []
  let partial = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => {
    partial += d.toString()
    const cut = partial.lastIndexOf('\n')
    if (cut < 0) return
    for (const line of partial.slice(0, cut).split('\n')) if (line.trim() !== '') parsed.push(JSON.parse(line) as Record<string, unknown>)
    partial = partial.slice(cut + 1)
  })
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  running.add(child)
  void exited.then(() => running.delete(child))
  return { child, lines: () => parsed, stderr: () => err, exited }
}

const running = new Set<ChildProcess>()
afterEach(() => {
  for (const c of running) c.kill('SIGKILL')
})

/** Wait until `ready()` holds (checked every 25 ms); fail with `what` after `limitMs` (a safety net, not a timing assertion). */
async function until(what: string, ready: () => boolean, bot?: Bot, limitMs = 90_000): Promise<void> {
  const give = Date.now() + limitMs
  while (!ready()) {
    if (Date.now() > give) throw new Error(`timed out waiting for: ${what}\nstderr: ${bot?.stderr() ?? ''}\nlog: ${(bot?.lines() ?? []).map((l) => l.msg).join(' | ')}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const logged = (bot: Bot, msg: string | RegExp): boolean => bot.lines().some((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg))))
const streamOpen = (bot: Bot): boolean => bot.lines().some((l) => l.msg === 'market data connection' && l.state === 'open')
const count = (bot: Bot, msg: string): number => bot.lines().filter((l) => l.msg === msg).length

/**
 * The market: it opens 50 minutes ago with one public trade (the venues' tickers and mark price follow it), then
 * closed 1-minute bars from there, one per `push`, stamped faster than real time.
 */
function openMarket(server: VenueServer): { push(close: number): void; readonly bars: number } {
  const startMs = Math.floor(Date.now() / MINUTE) * MINUTE - 50 * MINUTE
  server.handle.venue.applyTrade({ symbol: SYMBOL, trade: { tradeId: 'open', timestampMs: startMs - 1, price: CROSS_UP[0] as number, qty: 1, side: 'buy' } })
  let k = 0
  let prev = CROSS_UP[0] as number
  return {
    push(close) {
      const candle: Candle = { openTimeMs: startMs + k * MINUTE, open: prev, high: Math.max(prev, close) + 5, low: Math.min(prev, close) - 5, close, volume: 10 }
      server.handle.venue.applyCandle({ symbol: SYMBOL, candle })
      prev = close
      k++
    },
    get bars() {
      return k
    },
  }
}


/** Order-creating requests the venue received (regular and conditional orders), by client id. */
function createdIds(profile: Profile, server: VenueServer): string[] {
  return server.handle
    .requestLog()
    .filter((e) => e.method === 'POST' && profile.createPaths.includes(e.path))
    .map((e) => profile.idParams.map((k) => e.params[k]).find((v) => v !== undefined) ?? '?')
}

const stopsOnVenue = (server: VenueServer) => server.handle.state(SYMBOL).openOrders.filter((o) => o.type === 'stop-market' && (o.reduceOnly || o.closePosition))

describe.each([BINANCE, BYBIT])('perpkit live against the local $dialect venue (child process)', (profile) => {
  it('trades a signal with its protective stop; kill -9 and restart reconcile without a duplicate order, the restarted bot exits the recovered position by its strategy; SIGTERM exits 0', async () => {
    const server = await startVenueServer({ dialect: profile.dialect, flavour: 'testnet', data: { timeframeMs: MINUTE } })
    const dir = mkdtempSync(join(tmp, 'run-'))
    try {
      const bars = openMarket(server)
      const first = startBot({ profile, server, dir, extra: ['--metrics-port', '0'] })
      await until('the start-up reconciliation and the market stream', () => logged(first, 'reconciliation finished') && streamOpen(first), first)
      expect(first.stderr()).toMatch(/connected \(keys accepted, one-way mode, instruments loaded\); open positions: none/)
      for (const close of CROSS_UP) bars.push(close)
      await until('a long position protected by a stop on the venue', () => server.handle.state(SYMBOL).positions.length === 1 && stopsOnVenue(server).length === 1, first)
      const position = server.handle.state(SYMBOL).positions[0]
      expect(position).toMatchObject({ side: 'long', qty: 0.01 })
      const stop = stopsOnVenue(server)[0]
      expect(stop?.side).toBe('sell')
      // 2 % under the fill (the last close), rounded down to the 0.1 tick
      expect(stop?.triggerPrice).toBeCloseTo(59_290, 1)
      await until('the stop confirmed ACTIVE', () => logged(first, 'stop ACTIVE'), first)
      // the Prometheus endpoint shows the position and its stop
      const url = first.lines().find((l) => l.msg === 'metrics served')?.url as string
      const scraped = await (await fetch(url)).text()
      expect(scraped).toMatch(/^perpkit_position_contracts\{[^}]*symbol="BTC\/USDT:USDT"[^}]*\} 0\.01$/m)
      expect(scraped).toMatch(/^perpkit_stop_status\{[^}]*status="ACTIVE"[^}]*\} 1$/m)
      expect(scraped).toMatch(/^perpkit_equity\{[^}]*currency="USDT"[^}]*\} 10000$/m)
      const sentBeforeKill = createdIds(profile, server)
      // the entry, then its stop: the live adapters cannot hold a reduce-only stop before a position exists
      expect(sentBeforeKill.map((id) => id.slice(-3))).toEqual(['en0', 'sl1'])
      expect(new Set(sentBeforeKill).size).toBe(2)

      // kill -9 mid-position: no shutdown runs; the lock file and the journal stay behind
      first.child.kill('SIGKILL')
      expect(await first.exited).toBe(null)
      expect(readdirSync(join(dir, 'locks'))).toHaveLength(1)

      const second = startBot({ profile, server, dir })
      await until('the restart reconciled', () => logged(second, 'reconciliation finished') && streamOpen(second), second)
      expect(logged(second, 'took over the lock of a bot that is gone')).toBe(true)
      expect(second.lines().find((l) => l.msg === 'journal recovered')?.records).toBeGreaterThan(0)
      expect(second.stderr()).toMatch(/open positions: BTC\/USDT:USDT long 0\.01/)
      // the restarted bot knows the position its predecessor opened (recovered by the order manager) before trading
      expect(second.lines().find((l) => l.msg === 'position recovered')?.position).toMatchObject({ side: 'long', qty: 0.01, entryPrice: position?.entryPrice, stopPrice: stop?.triggerPrice })
      // rising closes (the long-only strategy holds: no second entry), then a close that crosses SMA(2) below SMA(4):
      // the strategy's own exit closes the recovered position
      for (const close of EXIT_AFTER_RESTART) bars.push(close)
      await until('the recovered position closed by the strategy', () => logged(second, 'trade closed') && server.handle.state(SYMBOL).positions.length === 0, second)
      const closed = second.lines().find((l) => l.msg === 'trade closed')?.trade as Record<string, unknown>
      expect(closed).toMatchObject({ side: 'long', qty: 0.01, entryPrice: position?.entryPrice, exitReason: 'signal', openAtEnd: false, recovered: true })
      expect(count(second, 'the order manager refused')).toBe(0)
      for (const kind of ['orphan', 'mismatch', 'fatal', 'order-rejected']) expect(count(second, kind)).toBe(0)
      await until('the protective stop canceled', () => stopsOnVenue(server).length === 0, second)

      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
      expect(second.stderr()).toMatch(/perpkit live: stopped \(exit 0\); protective orders stay on the venue/)
      const shutdown = second.lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('shutdown: ')).map((l) => l.msg)
      expect(shutdown).toEqual([
        'shutdown: stop new entries and flush the journal: done',
        'shutdown: close venue connections: done',
        'shutdown: stop the heartbeat: done',
        'shutdown: close the metrics server: done',
        'shutdown: release the lock: done',
      ])
      // nothing was sent twice; after the restart one order only, the exit
      const sentAfterRestart = createdIds(profile, server).slice(sentBeforeKill.length)
      expect(createdIds(profile, server).slice(0, sentBeforeKill.length)).toEqual(sentBeforeKill)
      expect(sentAfterRestart).toHaveLength(1)
      expect(sentBeforeKill).not.toContain(sentAfterRestart[0])
      expect(server.handle.state(SYMBOL).positions).toHaveLength(0)
      expect(readdirSync(join(dir, 'locks'))).toEqual([])
      expect(JSON.parse(readFileSync(join(dir, 'state', 'heartbeat.json'), 'utf8'))).toMatchObject({ status: 'stopping' })
      // the request budget is durable: both processes stamped their venue requests (at least the two creates) in the ledger
      const stamps = readFileSync(join(dir, 'state', 'oms-budget.log'), 'utf8').split('\n').filter((l) => l !== '')
      expect(stamps.length).toBeGreaterThanOrEqual(sentBeforeKill.length)
      for (const line of stamps) expect(line).toMatch(/^\d+ \d+$/)
      expect(existsSync(join(dir, 'state', 'decisions.jsonl'))).toBe(true)
    } finally {
      await server.close()
    }
  }, 240_000)

  it('kill -9 while the first orders of a trade are in flight: the restart resolves them from its journal; no client id is sent twice, an open position is protected', async () => {
    const server = await startVenueServer({ dialect: profile.dialect, flavour: 'testnet', data: { timeframeMs: MINUTE } })
    const dir = mkdtempSync(join(tmp, 'flight-'))
    try {
      const bars = openMarket(server)
      const first = startBot({ profile, server, dir })
      await until('the first bot trading', () => logged(first, 'reconciliation finished') && streamOpen(first), first)
      for (const close of CROSS_UP) bars.push(close)
      // the first order of the trade is the stop (the entry is held until its stop is on the book): kill on its log line
      await until('the stop sent', () => first.lines().some((l) => l.msg === 'order sent'), first)
      first.child.kill('SIGKILL')
      await first.exited
      const before = createdIds(profile, server)

      const second = startBot({ profile, server, dir })
      await until('the restart reconciled', () => logged(second, 'reconciliation finished') && streamOpen(second), second)
      // whatever the kill interrupted is settled by the restart: wait until the venue and the bot agree and are quiet
      await until(
        'no order in flight and every open position protected',
        () => {
          const st = server.handle.state(SYMBOL)
          const protectedOk = st.positions.every((p) => stopsOnVenue(server).some((o) => o.qty >= p.qty || o.closePosition))
          return protectedOk && !second.lines().slice(-1).some((l) => l.msg === 'order sent')
        },
        second,
      )
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
      const ids = createdIds(profile, server)
      expect(ids.slice(0, before.length)).toEqual(before)
      expect(new Set(ids).size).toBe(ids.length) // never the same client id twice
      const st = server.handle.state(SYMBOL)
      expect(st.positions.length).toBeLessThanOrEqual(1)
      for (const p of st.positions) {
        expect(p.qty).toBe(0.01) // one entry at most
        expect(stopsOnVenue(server).some((o) => o.qty >= p.qty || o.closePosition)).toBe(true)
      }
      for (const kind of ['orphan', 'fatal']) expect(count(second, kind)).toBe(0)
    } finally {
      await server.close()
    }
  }, 240_000)

  it('perpkit halt makes the running bot refuse entries, resume lifts it, flatten --yes closes the position with reduce-only orders only; bad input sends nothing', async () => {
    const server = await startVenueServer({ dialect: profile.dialect, flavour: 'testnet', data: { timeframeMs: MINUTE } })
    const dir = mkdtempSync(join(tmp, 'operator-'))
    const at = { server, dir, profile }
    try {
      const bars = openMarket(server)
      const bot = startBot({ profile, server, dir })
      await until('the bot trading', () => logged(bot, 'reconciliation finished') && streamOpen(bot), bot)

      const halted = await operator(at, ['halt', '--reason', 'e2e maintenance'])
      expect(halted).toMatchObject({ code: 0, out: 'perpkit halt: halted (e2e maintenance): no new entries; protective orders stay on the venue\n', err: '' })
      expect(bot.lines().find((l) => l.msg === 'HALT')?.reason).toBe('operator: e2e maintenance')
      expect(JSON.parse(readFileSync(join(dir, 'state', 'control', 'halt.json'), 'utf8'))).toMatchObject({ reason: 'e2e maintenance' })
      expect(readFileSync(join(dir, 'state', 'halts.jsonl'), 'utf8')).toMatch(/"type":"halt-entered".*"reason":"operator: e2e maintenance"/)
      // the cross the first test trades is refused while halted: a skipped entry decision, nothing sent
      for (const close of CROSS_UP) bars.push(close)
      await until('the entry refused', () => bot.lines().some((l) => l.msg === 'decision skip' && l.kind === 'entry'), bot)
      expect(createdIds(profile, server)).toEqual([])

      expect(await operator(at, ['resume'])).toMatchObject({ code: 0, out: 'perpkit resume: resumed: entries allowed again\n' })
      expect(logged(bot, 'HALT lifted')).toBe(true)
      expect(existsSync(join(dir, 'state', 'control', 'halt.json'))).toBe(false)
      for (const close of CROSS_UP) bars.push(close) // falls below, then crosses up again on the last bar
      await until('a long protected by a stop', () => server.handle.state(SYMBOL).positions.length === 1 && stopsOnVenue(server).length === 1, bot)
      await until('the stop confirmed ACTIVE', () => logged(bot, 'stop ACTIVE'), bot)

      // bad input: one line, a usage or run exit code, nothing sent and nothing queued for the bot
      const sent = server.handle.requestLog().length
      const unknown = await operator(at, ['close', 'ETH', '--yes'])
      expect(unknown).toEqual({ code: 1, out: '', err: 'perpkit close: unknown symbol ETH: this bot trades BTC/USDT:USDT (BTC); nothing sent\n' })
      const typo = await operator(at, ['flatten', '--yse'])
      expect(typo.code).toBe(2)
      expect(typo.err).toMatch(/^perpkit flatten: unknown option '--yse'/)
      const unconfirmed = await operator(at, ['flatten'])
      expect(unconfirmed).toMatchObject({ code: 2, err: expect.stringMatching(/^perpkit flatten: refusing to close the BTC\/USDT:USDT position .* without confirmation: stdin is not a terminal; pass --yes/) as unknown })
      expect(server.handle.requestLog().slice(sent).filter((e) => e.transport === 'http' && e.method !== 'GET' && !e.path.includes('listenKey'))).toEqual([])
      expect(readdirSync(join(dir, 'state', 'control', 'inbox'))).toEqual([])

      // flatten while the bot runs: the bot closes through its own OMS (this process never takes the lock)
      const before = server.handle.requestLog().length
      const flat = await operator(at, ['flatten', '--yes'])
      expect(flat.err).toBe('')
      expect(flat.code).toBe(0)
      expect(flat.out).toMatch(/^perpkit flatten: BTC\/USDT:USDT: closed the long 0\.01 with a reduce-only market order \(\S+, filled at [\d.]+\)\n$/)
      await until('the stop canceled', () => stopsOnVenue(server).length === 0, bot)
      expect(server.handle.state(SYMBOL).positions).toEqual([])
      const writes = server.handle.requestLog().slice(before).filter((e) => e.transport === 'http' && e.method !== 'GET' && !e.path.includes('listenKey'))
      const creates = writes.filter((e) => e.method === 'POST' && profile.createPaths.includes(e.path))
      // every order created is a reduce-only market close (on Binance the OMS sends a second one, rejected by the venue:
      // the REST answer says FILLED before the user stream's fill is applied, and the OMS reads that as a remainder)
      expect(creates.length).toBeGreaterThanOrEqual(1)
      for (const c of creates) {
        expect(c.params.reduceOnly).toBe('true')
        expect(String(c.params.type ?? c.params.orderType).toLowerCase()).toBe('market')
      }
      expect(writes.filter((e) => !creates.includes(e) && !profile.isCancel(e))).toEqual([])
      expect(writes.filter((e) => profile.isCancel(e))).toHaveLength(1) // the protective stop, once flat
      expect(logged(bot, 'operator request done')).toBe(true)

      // another trade, then the bot stops (SIGTERM: the position stays, protected)
      for (const close of CROSS_UP) bars.push(close)
      await until('a second long protected by a stop', () => server.handle.state(SYMBOL).positions.length === 1 && stopsOnVenue(server).length === 1, bot)
      await until('its stop confirmed ACTIVE', () => count(bot, 'stop ACTIVE') === 2, bot)
      bot.child.kill('SIGTERM')
      expect(await bot.exited).toBe(0)
      for (const kind of ['orphan', 'mismatch', 'fatal']) expect(count(bot, kind)).toBe(0)
      for (const r of bot.lines().filter((l) => l.msg === 'order-rejected')) expect(r.clientOrderId).toMatch(/_fl\d+$/)

      // no bot running: a halt is recorded for the next start; flatten takes the lock and closes through the same OMS
      const queued = await operator(at, ['halt', '--reason', 'closed for the night'])
      expect(queued).toMatchObject({ code: 0, out: expect.stringMatching(/^perpkit halt: no bot is running for BTC\/USDT:USDT on .*: the next `perpkit live` applies it before its first bar\n$/) as unknown })
      const direct = server.handle.requestLog().length
      const closed = await operator(at, ['flatten', '--yes'])
      expect(closed.err).toBe('')
      expect(closed).toMatchObject({ code: 0, out: expect.stringMatching(/^perpkit flatten: BTC\/USDT:USDT: closed the long 0\.01 with a reduce-only market order/) as unknown })
      expect(server.handle.state(SYMBOL).positions).toEqual([])
      expect(stopsOnVenue(server)).toEqual([])
      const directCreates = server.handle.requestLog().slice(direct).filter((e) => e.method === 'POST' && profile.createPaths.includes(e.path))
      expect(directCreates.length).toBeGreaterThanOrEqual(1)
      for (const c of directCreates) expect(c.params.reduceOnly).toBe('true')
      expect(readdirSync(join(dir, 'locks'))).toEqual([])

      // the next start applies the queued halt before its first bar
      const next = startBot({ profile, server, dir })
      await until('the restart reconciled', () => logged(next, 'reconciliation finished') && streamOpen(next), next)
      await until('the queued halt applied', () => logged(next, /^operator HALT/), next)
      expect(next.lines().find((l) => l.msg === 'operator HALT: no new entries; protective orders stay on the venue')?.reason).toBe('closed for the night')
      next.child.kill('SIGTERM')
      expect(await next.exited).toBe(0)
    } finally {
      await server.close()
    }
  }, 240_000)

  it('the watchdog: a silent market stream halts trading (a HALT with its reason, logged at error level); the stream back is logged, and perpkit resume lifts the HALT', async () => {
    const server = await startVenueServer({ dialect: profile.dialect, flavour: 'testnet', data: { timeframeMs: MINUTE } })
    const dir = mkdtempSync(join(tmp, 'watchdog-'))
    try {
      const bars = openMarket(server)
      const bot = startBot({ profile, server, dir, extra: ['--stream-silence-ms', '1500'] })
      await until('the bot trading', () => logged(bot, 'reconciliation finished') && streamOpen(bot), bot)
      // no bar is pushed: the market stream says nothing
      await until('the watchdog HALT', () => logged(bot, 'HALT') && logged(bot, /^watchdog: market-data silent/), bot)
      expect(bot.lines().find((l) => l.msg === 'HALT')?.reason).toMatch(/^health-check: market-data silent for \d+ s \(limit 2 s\)$/)
      const alarm = bot.lines().find((l) => typeof l.msg === 'string' && l.msg.startsWith('watchdog: market-data silent'))
      expect(alarm).toMatchObject({ level: 50, component: 'watchdog' })
      expect(JSON.parse(readFileSync(join(dir, 'state', 'heartbeat.json'), 'utf8'))).toMatchObject({ status: 'halted' })
      bars.push(CROSS_UP[0] as number)
      await until('the stream back', () => logged(bot, /^watchdog: recovered from: market-data silent/), bot)
      expect(logged(bot, 'HALT lifted')).toBe(false) // recovery alone does not resume trading
      expect(await operator({ server, dir, profile }, ['resume'])).toMatchObject({ code: 0, out: 'perpkit resume: resumed: entries allowed again\n' })
      expect(logged(bot, 'HALT lifted')).toBe(true)
      bot.child.kill('SIGTERM')
      expect(await bot.exited).toBe(0)
      expect(createdIds(profile, server)).toEqual([])
    } finally {
      await server.close()
    }
  }, 120_000)
})
