/**
 * Test fixture of the sweep tests (not part of the CLI): a config file running SmaCrossover on the first `bars`
 * bars of the embedded real Binance BTCUSDT 5m file, written into `dir`.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/** The app's folder. */
export const APP_DIR = join(import.meta.dirname, '..', '..')

/** Write `small.csv` (the first `bars` bars) and `<name>.yaml` into `dir`; returns the config path. */
export function writeSweepFixture(dir: string, name: string, bars: number): string {
  const csv = gunzipSync(readFileSync(join(APP_DIR, 'data', 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1')
  writeFileSync(join(dir, 'small.csv'), `${csv.split('\n').slice(0, bars + 1).join('\n')}\n`)
  const file = join(dir, `${name}.yaml`)
  writeFileSync(
    file,
    `mode: backtest
venue: binance-usdm
testnet: true
symbols: [BTC]
data: { candles: small.csv, timeframe: 5m, cache: false }
strategy: { id: ${name}, class: SmaCrossover, parameters: { fastPeriod: 10, slowPeriod: 40, mode: long-short } }
account: { initialBalance: 10000, leverage: 3 }
sizing: { mode: risk-fraction, riskFraction: 0.01, stopDistancePct: 0.03 }
output: { dir: ${join(dir, 'out')} }
`,
  )
  return file
}
