import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_API_KEY, startVenueServer } from '@perpkit/venue-server'
import { type Io, main } from '../cli.js'
import type { InterruptSource } from '../interrupt.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-live-cmd-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** An in-process run: stderr and stdout captured, and a stop signal the test sends itself. */
function io(env: NodeJS.ProcessEnv): { io: Io; err: () => string; out: () => string; stop: (signal: 'SIGINT' | 'SIGTERM') => void } {
  let err = ''
  let out = ''
  const controller = new AbortController()
  const interrupt: InterruptSource = { signal: controller.signal, hold: () => () => {} }
  return {
    io: { out: (t) => (out += t), err: (t) => (err += t), env, isTty: false, nowMs: () => Date.now(), sleep: async () => {}, interrupt },
    err: () => err,
    out: () => out,
    stop: (signal) => controller.abort(signal),
  }
}

async function until(ready: () => boolean, what: string): Promise<void> {
  const give = Date.now() + 60_000
  while (!ready()) {
    if (Date.now() > give) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const KEYS = { PERPKIT_TESTNET_API_KEY: DEFAULT_API_KEY.apiKey, PERPKIT_TESTNET_API_SECRET: DEFAULT_API_KEY.secret }

describe('perpkit live start-up against the local venue server', () => {
  it('connects (clock, instruments, one-way mode), reconciles, and on SIGTERM stops with exit 0 without having sent an order', async () => {
    const server = await startVenueServer({ dialect: 'binance-usdm' })
    try {
      const r = io(KEYS)
      const dir = mkdtempSync(join(tmp, 'a-'))
      const running = main(['live', '--rest-url', server.httpUrl, '--ws-url', server.wsUrl, '--state-dir', join(dir, 'state'), '--lock-dir', join(dir, 'locks')], r.io)
      await until(() => r.out().includes('"msg":"reconciliation finished"'), 'the start-up reconciliation')
      r.stop('SIGTERM')
      expect(await running).toBe(0)
      expect(r.err()).toMatch(/^perpkit live: binance-usdm TESTNET at http:\/\/127\.0\.0\.1:\d+: connected \(keys accepted, one-way mode, instruments loaded\); open positions: none\n/)
      expect(r.err()).toMatch(/perpkit live: stopped \(exit 0\)/)
      const paths = server.handle.requestLog().map((e) => `${e.method} ${e.path}`)
      expect(paths.some((p) => p.includes('/fapi/v1/exchangeInfo'))).toBe(true)
      expect(paths.filter((p) => p.startsWith('POST') && (p.endsWith('/order') || p.endsWith('/algoOrder')))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('a second instance for the same account and symbol refuses to start (exit 1, one line naming the owner); the first keeps running', async () => {
    const server = await startVenueServer({ dialect: 'binance-usdm' })
    try {
      const dir = mkdtempSync(join(tmp, 'b-'))
      const args = ['live', '--rest-url', server.httpUrl, '--ws-url', server.wsUrl, '--state-dir', join(dir, 'state'), '--lock-dir', join(dir, 'locks')]
      const a = io(KEYS)
      const first = main(args, a.io)
      await until(() => a.out().includes('"msg":"reconciliation finished"'), 'the first bot running')
      const b = io(KEYS)
      expect(await main(args, b.io)).toBe(1)
      const lines = b.err().trimEnd().split('\n')
      expect(lines[1]).toMatch(new RegExp(`^perpkit live: binance-usdm-testnet-[0-9a-f]{12} BTC/USDT:USDT is already locked by pid ${process.pid} on `))
      expect(lines).toHaveLength(2) // the connection line, then the refusal
      a.stop('SIGINT')
      expect(await first).toBe(0)
    } finally {
      await server.close()
    }
  })

  it('a key the venue does not know is refused with one line (exit 1), no order sent', async () => {
    const server = await startVenueServer({ dialect: 'binance-usdm' })
    try {
      const r = io({ PERPKIT_TESTNET_API_KEY: 'not-a-key', PERPKIT_TESTNET_API_SECRET: 'nope' })
      const code = await main(['live', '--rest-url', server.httpUrl, '--ws-url', server.wsUrl], r.io)
      expect(code).toBe(1)
      expect(r.err().trimEnd().split('\n')).toHaveLength(1)
      expect(r.err()).toMatch(/^perpkit live: Invalid API-key/)
      expect(server.handle.requestLog().filter((e) => e.method === 'POST' && e.path.includes('/order'))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('an unreachable venue is one line and exit 1', async () => {
    const r = io(KEYS)
    const code = await main(['live', '--rest-url', 'http://127.0.0.1:9', '--ws-url', 'ws://127.0.0.1:9'], r.io)
    expect(code).toBe(1)
    expect(r.err()).toMatch(/^perpkit live: could not reach Binance .*nothing was sent/) // a refused connection: provably not sent
    expect(r.err().trimEnd().split('\n')).toHaveLength(1)
  })
})
