/**
 * A Bybit venue server on a test clock with a few real bars of recorded data: Bybit's own BTCUSD (inverse)
 * and BTCUSDT (linear) 1-minute trade bars of 2022-12-13 00:00–00:09 UTC (QuantConnect Lean data, copied
 * into ./fixtures/bybit_*_1m_2022-12-13_first10.csv with provenance in PROVENANCE.md).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Candle, createTestClock, type TestClock } from '@perpkit/core'
import { type ApiKeySpec, type SimPassThrough, startVenueServer, type VenueServer } from '../../src/index.js'

export const DAY0 = Date.UTC(2022, 11, 13)

/** Lean minute bars: `ms_since_midnight,open,high,low,close,volume` (UTC). */
export function leanBars(file: string): Candle[] {
  return readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [ms, o, h, l, c, v] = line.split(',').map(Number)
      return { openTimeMs: DAY0 + (ms ?? 0), open: o ?? 0, high: h ?? 0, low: l ?? 0, close: c ?? 0, volume: v ?? 0 }
    })
}

export const INVERSE_BARS = leanBars('bybit_inverse_BTCUSD_1m_2022-12-13_first10.csv')
export const LINEAR_BARS = leanBars('bybit_linear_BTCUSDT_1m_2022-12-13_first10.csv')

export const READ_ONLY_KEY: ApiKeySpec = { apiKey: 'read-only-key', secret: 'read-only-secret', permissions: { read: true, trade: false, withdraw: false } }

export async function startBybit(options: { readonly seed?: number; readonly keys?: readonly ApiKeySpec[]; readonly sim?: SimPassThrough } = {}): Promise<{ server: VenueServer; clock: TestClock }> {
  const clock = createTestClock(DAY0)
  const server = await startVenueServer({
    dialect: 'bybit',
    clock,
    seed: options.seed ?? 1,
    ...(options.keys === undefined ? {} : { keys: options.keys }),
    ...(options.sim === undefined ? {} : { sim: options.sim }),
    data: { timeframeMs: 60_000, candles: { 'BTC/USD:BTC': INVERSE_BARS, 'BTC/USDT:USDT': LINEAR_BARS } },
  })
  return { server, clock }
}
