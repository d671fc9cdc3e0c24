import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBinanceUsdm } from '@perpkit/exchange'
import { DEFAULT_API_KEY, startVenueServer } from '@perpkit/venue-server'
import { type Io, main } from '../cli.js'
import { runCli } from '../test-cli.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-operator-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const SYMBOL = 'BTC/USDT:USDT'
const KEYS = { PERPKIT_TESTNET_API_KEY: DEFAULT_API_KEY.apiKey, PERPKIT_TESTNET_API_SECRET: DEFAULT_API_KEY.secret }

const run = (argv: readonly string[]) => runCli(argv, { env: KEYS, nowMs: () => Date.now() })

describe('perpkit status / orders / positions (read-only, against the local Binance venue)', () => {
  it('show the position, its protective stop and the balance, and send nothing but reads', async () => {
    const server = await startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet' })
    try {
      const venue = ['--rest-url', server.httpUrl, '--ws-url', server.wsUrl, '--state-dir', join(tmp, 'state')]
      expect(await run(['positions', ...venue])).toMatchObject({ code: 0, out: expect.stringMatching(/: no open position on BTC\/USDT:USDT\n$/) as unknown })
      expect(await run(['orders', ...venue])).toMatchObject({ code: 0, out: expect.stringMatching(/: no open order on BTC\/USDT:USDT\n$/) as unknown })

      // another client opens a long and protects it, as the bot would
      server.handle.venue.applyTrade({ symbol: SYMBOL, trade: { tradeId: 't1', timestampMs: Date.now(), price: 60_000, qty: 1, side: 'buy' } })
      const client = createBinanceUsdm({ ...DEFAULT_API_KEY, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl })
      await client.connect()
      await client.createOrder({ symbol: SYMBOL, clientOrderId: 'pk_test_en0', side: 'buy', type: 'market', qty: 0.01 })
      await client.createOrder({ symbol: SYMBOL, clientOrderId: 'pk_test_sl0', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 58_800, reduceOnly: true })
      await client.close()
      const posted = server.handle.requestLog().filter((e) => e.transport === 'http' && e.method !== 'GET').length

      const positions = await run(['positions', ...venue])
      expect(positions.code).toBe(0)
      expect(positions.out).toMatch(/\| BTC\/USDT:USDT \| long \| +0\.01 \| +60000 \|/)
      const orders = await run(['orders', ...venue])
      expect(orders.code).toBe(0)
      expect(orders.out).toMatch(/\| pk_test_sl0 \| sell \| stop-market \| untriggered \| 0\.01 \| +0 \| +— \| +58800 \| yes +\|/)
      const status = await run(['status', ...venue, '--lock-dir', join(tmp, 'locks')])
      expect(status.code).toBe(0)
      expect(status.out).toMatch(/\| bot +\| never ran here \(no heartbeat file\)/)
      expect(status.out).toMatch(/\| lock +\| free/)
      expect(status.out).toMatch(/\| position +\| long 0\.01 @ 60000/)
      expect(status.out).toMatch(/\| open orders +\| 1 \(1 stop\)/)
      expect(status.out).toMatch(/\| balance +\| [\d.]+ USDT \(available [\d.]+\)/)
      // reads only: over HTTP nothing but GETs (and the user stream's listen key, which the client's start-up opens)
      const writes = server.handle.requestLog().filter((e) => e.transport === 'http' && e.method !== 'GET').slice(posted)
      expect(writes.filter((e) => !e.path.includes('listenKey'))).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('refuse like live does: missing keys are one line, exit 1, nothing sent', async () => {
    let err = ''
    const io: Io = { out: () => {}, err: (t) => (err += t), env: {}, isTty: false, nowMs: () => Date.now(), sleep: async () => {} }
    expect(await main(['orders', '--rest-url', 'http://127.0.0.1:9'], io)).toBe(1)
    expect(err).toMatch(/^perpkit orders: API keys missing: set PERPKIT_TESTNET_API_KEY/)
  })
})
