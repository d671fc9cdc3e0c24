/**
 * createOrder overhead over loopback: our adapter (validation, exact decimal strings, ccxt's signer, the request
 * budget, error mapping) next to ccxt's own `createOrder` and next to the floor, the same request signed by hand. All three send the same limit IOC buy below the market (the venue expires it: nothing accumulates) to
 * the local venue server, in interleaved batches so machine noise hits every side alike; the clock the server
 * and the signers share moves on between batches, so no side waits on a rate limit. Reported: median µs per create
 * and the ratio to the raw `fetch` (what the adapter sends with) and to a raw `node:http` request with a keep-alive
 * agent (what ccxt sends with in Node).
 */
import { createHmac } from 'node:crypto'
import { Agent, request } from 'node:http'
import { createTestClock, type ExchangeClient } from '@perpkit/core'
import { DEFAULT_API_KEY, startVenueServer, type VenueServer } from '@perpkit/venue-server'
import ccxt from 'ccxt'
import { createBinanceUsdm, createBybit } from '../../src/index.js'

type Side = (cid: string) => Promise<unknown>
const agent = new Agent({ keepAlive: true })
/** POST over node:http with a keep-alive agent (ccxt's HTTP client in Node); resolves with the body, rejects on a non-2xx. */
const post = (url: string, headers: Record<string, string>, body: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(text) : reject(new Error(`raw create: HTTP ${String(res.statusCode)} ${text}`))))
    })
    req.on('error', reject)
    req.end(body)
  })
const { apiKey, secret } = DEFAULT_API_KEY
const PRICE = 63_050 // 3 % below the 65,000 market: inside the percent-price band, never fills

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

async function sides(dialect: 'binance-usdm' | 'bybit', server: VenueServer, client: ExchangeClient, now: () => number): Promise<Record<string, Side>> {
  if (dialect === 'binance-usdm') {
    const ex = new ccxt.binanceusdm({ apiKey, secret, enableRateLimit: false, options: { fetchCurrencies: false } })
    for (const [k, v] of Object.entries(ex.urls['api'] as Record<string, unknown>)) if (typeof v === 'string') (ex.urls['api'] as Record<string, string>)[k] = v.replace('https://fapi.binance.com', server.httpUrl)
    ex.milliseconds = () => now()
    await ex.loadMarkets()
    return {
      adapter: (cid) => client.createOrder({ symbol: 'BTC/USDT:USDT', clientOrderId: cid, side: 'buy', type: 'limit', qty: 0.002, price: PRICE, timeInForce: 'IOC' }),
      ccxt: (cid) => ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.002, PRICE, { timeInForce: 'IOC', newClientOrderId: cid }),
      raw: async (cid) => {
        // Binance "SIGNED" endpoint rule: signature = HMAC-SHA256(secret, totalParams) in hex
        const query = new URLSearchParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.002', price: String(PRICE), newClientOrderId: cid, recvWindow: '5000', timestamp: String(now()) }).toString()
        const signature = createHmac('sha256', secret).update(query).digest('hex')
        const res = await fetch(`${server.httpUrl}/fapi/v1/order`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${query}&signature=${signature}` })
        if (!res.ok) throw new Error(`raw create: HTTP ${res.status} ${await res.text()}`)
        return res.json()
      },
      'raw node:http': (cid) => {
        const query = new URLSearchParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.002', price: String(PRICE), newClientOrderId: cid, recvWindow: '5000', timestamp: String(now()) }).toString()
        const signature = createHmac('sha256', secret).update(query).digest('hex')
        return post(`${server.httpUrl}/fapi/v1/order`, { 'X-MBX-APIKEY': apiKey, 'Content-Type': 'application/x-www-form-urlencoded' }, `${query}&signature=${signature}`)
      },
    }
  }
  const ex = new ccxt.bybit({ apiKey, secret, enableRateLimit: false, options: { fetchMarkets: { types: ['linear'] } } })
  for (const k of ['spot', 'futures', 'v2', 'public', 'private']) (ex.urls['api'] as Record<string, string>)[k] = server.httpUrl
  ex.milliseconds = () => now()
  ex.nonce = () => now()
  await ex.loadMarkets()
  return {
    adapter: (cid) => client.createOrder({ symbol: 'BTC/USDT:USDT', clientOrderId: cid, side: 'buy', type: 'limit', qty: 0.002, price: PRICE, timeInForce: 'IOC' }),
    ccxt: (cid) => ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.002, PRICE, { timeInForce: 'IOC', orderLinkId: cid, positionIdx: 0 }),
    raw: async (cid) => {
      // Bybit v5 rule: X-BAPI-SIGN = HMAC-SHA256(secret, timestamp + apiKey + recvWindow + body) in hex
      const body = JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.002', price: String(PRICE), timeInForce: 'IOC', orderLinkId: cid, positionIdx: 0 })
      const ts = String(now())
      const sign = createHmac('sha256', secret).update(`${ts}${apiKey}5000${body}`).digest('hex')
      const res = await fetch(`${server.httpUrl}/v5/order/create`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-BAPI-API-KEY': apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign }, body })
      const json = (await res.json()) as { retCode?: number; retMsg?: string }
      if (json.retCode !== 0) throw new Error(`raw create: retCode ${String(json.retCode)} ${String(json.retMsg)}`)
      return json
    },
    'raw node:http': async (cid) => {
      const body = JSON.stringify({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.002', price: String(PRICE), timeInForce: 'IOC', orderLinkId: cid, positionIdx: 0 })
      const ts = String(now())
      const sign = createHmac('sha256', secret).update(`${ts}${apiKey}5000${body}`).digest('hex')
      const json = JSON.parse(await post(`${server.httpUrl}/v5/order/create`, { 'Content-Type': 'application/json', 'X-BAPI-API-KEY': apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign }, body)) as { retCode?: number; retMsg?: string }
      if (json.retCode !== 0) throw new Error(`raw create: retCode ${String(json.retCode)} ${String(json.retMsg)}`)
      return json
    },
  }
}

/**
 * Measure one dialect.
 * @param dialect - venue dialect
 * @param batches - interleaved batches per side
 * @returns median µs per create of each side
 */
export async function benchCreateOrder(dialect: 'binance-usdm' | 'bybit', batches = 12): Promise<Record<string, number>> {
  const clock = createTestClock(Date.now())
  const server = await startVenueServer({ dialect, flavour: 'testnet', clock, seed: 1 })
  server.handle.venue.applyTrade({ symbol: 'BTC/USDT:USDT', trade: { tradeId: 't0', timestampMs: clock.now(), price: 65_000, qty: 1, side: 'buy' } })
  server.handle.venue.setMarkPrice({ symbol: 'BTC/USDT:USDT', markPrice: 65_000 })
  const common = { apiKey, secret, restBaseUrl: server.httpUrl, wsBaseUrl: server.wsUrl, clock }
  const client = dialect === 'binance-usdm' ? createBinanceUsdm(common) : createBybit({ ...common, category: 'linear' })
  await client.loadInstruments()
  const bySide = await sides(dialect, server, client, () => clock.now())
  // per batch and side: below 80 % of the venue's order limits (Binance 300 per 10 s, Bybit 10 per second)
  const perBatch = dialect === 'binance-usdm' ? 60 : 8
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bySide).map((k) => [k, []]))
  let n = 0
  try {
    for (let b = 0; b < batches; b++) {
      const order = Object.keys(bySide)
      const rotated = [...order.slice(b % order.length), ...order.slice(0, b % order.length)]
      for (const name of rotated) {
        const create = bySide[name] as Side
        for (let i = 0; i < perBatch; i++) {
          const t0 = process.hrtime.bigint()
          await create(`bench_${name.replace(/[^a-z]/g, '')}_${n++}`)
          if (b > 0) samples[name]?.push(Number(process.hrtime.bigint() - t0) / 1_000) // batch 0 warms up
        }
        clock.advance(61_000) // every rate window (the venue's and our budget's) starts afresh
      }
    }
  } finally {
    await client.close()
    await server.close()
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]))
}
