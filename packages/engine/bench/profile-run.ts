import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { SmaCrossover } from '@perpkit/strategy'
import { parseCandles } from '../src/data/load.js'
import { runBacktest } from '../src/runner/backtest.js'

const candles = parseCandles({ text: gunzipSync(readFileSync('test/fixtures/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')).toString('latin1'), source: 'x' })
const strategy = SmaCrossover.create({ id: 'p', name: 'p', market: { symbol: 'BTC/USDT:USDT', primaryTimeframe: '5m', timeframes: ['5m'] }, params: { fastPeriod: 20, slowPeriod: 50, mode: 'long-only' } })
const t0 = performance.now()
const r = await runBacktest({
  symbol: 'BTC/USDT:USDT',
  instrument: { symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC', quote: 'USDT', settle: 'USDT', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 0, maxLeverage: 125, makerFeeRate: 0, takerFeeRate: 0 },
  timeframe: '5m', candles, strategy, initialBalance: 1e6, venueProfile: 'binance-usdm', leverage: 1, sizing: { mode: 'fixed-qty', qty: 1 }, defaultStopPct: 0.99, risk: { enabled: false }, recordBars: false,
})
console.log(r.metrics.finalEquity, r.trades.length, (performance.now() - t0).toFixed(0), 'ms')
