/**
 * A real ccxt 4.5.84 `bybit` (ccxt pro, so the WebSocket methods exist) with every Bybit URL pointed at a local
 * venue server. Nothing else is changed: ccxt signs, builds and parses as it does live. A user needs the same
 * two things: the REST URLs and the WebSocket URLs (see the README's Bybit section).
 */
import ccxt from 'ccxt'
import { DEFAULT_API_KEY, type VenueServer } from '../src/index.js'

type Bybit = InstanceType<typeof ccxt.pro.bybit>

export function ccxtBybit(server: VenueServer, overrides: Record<string, unknown> = {}): Bybit {
  const exchange = new ccxt.pro.bybit({
    apiKey: DEFAULT_API_KEY.apiKey,
    secret: DEFAULT_API_KEY.secret,
    enableRateLimit: false,
    timeout: 30_000, // generous: CI machines are shared; tests that need a timeout set their own
    ...overrides,
  })
  // The server runs on a test clock that tests move by minutes; ccxt's request timestamps (`nonce`) are read
  // from that clock, as a client whose clock is synced to the venue's would send them.
  exchange.nonce = () => server.handle.clock.now()
  const api = exchange.urls['api'] as Record<string, unknown>
  for (const k of ['spot', 'futures', 'v2', 'public', 'private']) api[k] = server.httpUrl
  const ws = api['ws'] as { public: Record<string, string>; private: Record<string, unknown> }
  for (const k of Object.keys(ws.public)) ws.public[k] = `${server.wsUrl}/v5/public/${k}`
  ws.private['contract'] = `${server.wsUrl}/v5/private`
  ws.private['spot'] = { unified: `${server.wsUrl}/v5/private`, nonUnified: `${server.wsUrl}/v5/private` }
  ws.private['usdc'] = `${server.wsUrl}/v5/private`
  ws.private['trade'] = `${server.wsUrl}/v5/trade`
  return exchange
}
