/**
 * WebSocket frame → core market-data event, in ns per event, next to the floor: `JSON.parse` of the same frame
 * alone (what any client pays). Frames are Binance combined-stream `aggTrade` and `kline` payloads and Bybit
 * `publicTrade` payloads shaped as the venues document them. The kline row includes the candle sequencer (closed
 * once, gap check). Then createOrder over loopback: our adapter and ccxt next to a hand-signed fetch of the same
 * request (test/bench/create-order.ts: it needs the venue server, a test-only dependency). Run: `npm run bench` (same process, same frames, ratios are what to read).
 */
import { systemClock, type Candle } from '@perpkit/core'
import { binanceMarketVenue } from '../src/feed/binance-market.js'
import { bybitMarketVenue } from '../src/feed/bybit-market.js'
import { createCandleSequencer } from '../src/feed/candle-sequencer.js'
import { benchCreateOrder } from '../test/bench/create-order.js'

function bench(fn: (i: number) => number, iterations = 200_000): number {
  let sink = 0
  for (let i = 0; i < 20_000; i++) sink += fn(i)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) sink += fn(i)
  const ns = Number(process.hrtime.bigint() - t0) / iterations
  if (Number.isNaN(sink)) throw new Error('NaN')
  return ns
}

const N = 1024
const T0 = 1_767_571_200_000
const aggTrades = Array.from({ length: N }, (_, i) =>
  JSON.stringify({ stream: 'btcusdt@aggTrade', data: { e: 'aggTrade', E: T0 + i, a: 5_933_014 + i, s: 'BTCUSDT', p: (65_000 + (i % 50) / 10).toFixed(1), q: '0.013', f: 100, l: 105, T: T0 + i, m: i % 2 === 0 } }),
)
const klines = Array.from({ length: N }, (_, i) =>
  JSON.stringify({
    stream: 'btcusdt@kline_1m',
    data: { e: 'kline', E: T0 + i * 60_000, s: 'BTCUSDT', k: { t: T0 + i * 60_000, T: T0 + i * 60_000 + 59_999, s: 'BTCUSDT', i: '1m', f: 1, L: 9, o: '65000.0', c: '65010.0', h: '65020.0', l: '64990.0', v: '12.345', n: 9, x: true, q: '802500.1', V: '6.1', Q: '400000.0', B: '0' } },
  }),
)
const bybitTrades = Array.from({ length: N }, (_, i) =>
  JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: T0 + i, data: [{ T: T0 + i, s: 'BTCUSDT', S: i % 2 === 0 ? 'Buy' : 'Sell', v: '0.001', p: '65000.50', L: 'PlusTick', i: `id-${i}`, BT: false }] }),
)

const opts = { restBaseUrl: 'http://127.0.0.1:1', wsBaseUrl: 'ws://127.0.0.1:1', clock: systemClock, timeoutMs: 1_000 }
const binance = binanceMarketVenue({ ...opts, pageLimit: 1500 })
binance.streamOf({ channel: 'trades', symbol: 'BTC/USDT:USDT' }) // registers the symbol
const bybit = bybitMarketVenue({ ...opts, pageLimit: 1000 })
bybit.streamOf({ channel: 'trades', symbol: 'BTC/USDT:USDT' })
let delivered = 0
let nowMs = T0
const sequencer = createCandleSequencer({
  timeframeMs: 60_000,
  effects: { deliver: (c: Candle) => (delivered += c.close), gap: () => undefined, backfill: () => Promise.resolve([]), nowMs: () => nowMs },
})

const rows: [string, number, number][] = [
  ['binance aggTrade → trade', bench((i) => binance.parse(aggTrades[i % N] as string).length), bench((i) => (JSON.parse(aggTrades[i % N] as string) as { data: { a: number } }).data.a)],
  ['bybit publicTrade → trade', bench((i) => bybit.parse(bybitTrades[i % N] as string).length), bench((i) => (JSON.parse(bybitTrades[i % N] as string) as { ts: number }).ts)],
  [
    'binance kline → candle (+ sequencer)',
    bench((i) => {
      // each round replays the same 1,024 bars: a fresh sequencer per lap keeps every frame a new closed bar
      const m = binance.parse(klines[i % N] as string)[0]
      if (m?.kind === 'candle') {
        nowMs = m.candle.openTimeMs + 60_000
        sequencer.push({ ...m.candle, openTimeMs: m.candle.openTimeMs + Math.floor(i / N) * N * 60_000 }, m.closed)
      }
      return delivered
    }),
    bench((i) => (JSON.parse(klines[i % N] as string) as { data: { k: { t: number } } }).data.k.t),
  ],
]
console.log('frame → event'.padEnd(38), 'ns/event'.padStart(10), 'JSON.parse ns'.padStart(14), 'ratio'.padStart(7))
for (const [name, ns, floor] of rows) console.log(name.padEnd(38), ns.toFixed(0).padStart(10), floor.toFixed(0).padStart(14), (ns / floor).toFixed(2).padStart(7))

console.log()
console.log('createOrder over loopback (median µs)'.padEnd(38), 'µs/create'.padStart(10), '÷ raw fetch'.padStart(12), '÷ raw node:http'.padStart(16))
for (const dialect of ['binance-usdm', 'bybit'] as const) {
  const r = await benchCreateOrder(dialect)
  for (const [side, us] of Object.entries(r)) console.log(`${dialect} ${side}`.padEnd(38), us.toFixed(0).padStart(10), (us / (r['raw'] as number)).toFixed(2).padStart(12), (us / (r['raw node:http'] as number)).toFixed(2).padStart(16))
}
