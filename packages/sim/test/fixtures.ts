import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { Candle } from '@perpkit/core'

const here = dirname(fileURLToPath(import.meta.url))

/** The real Binance USDⓈ-M BTCUSDT 5m candles 2025-09-19 → 2025-10-27 (see fixtures/PROVENANCE.md). */
export function loadCandles5m(): Candle[] {
  const raw = gunzipSync(readFileSync(join(here, 'fixtures', 'binance_usdm_BTCUSDT_5m_2025-09-19_2025-10-27.freqtrade.json.gz'))).toString('utf8')
  const rows = JSON.parse(raw) as [number, number, number, number, number, number][]
  return rows.map(([openTimeMs, open, high, low, close, volume]) => ({ openTimeMs, open, high, low, close, volume }))
}

/** The real Binance USDⓈ-M BTCUSDT funding settlements over the same period. */
export function loadFunding(): { fundingTimeMs: number; rate: number }[] {
  const lines = readFileSync(join(here, 'fixtures', 'binance_usdm_BTCUSDT_funding_8h_2025-09-19_2025-10-27.csv'), 'utf8').trim().split('\n').slice(1)
  return lines.map((l) => {
    const [t, r] = l.split(',')
    return { fundingTimeMs: Number(t), rate: Number(r) }
  })
}
