import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { Candle } from '@perpkit/core'

/** The real Binance BTCUSDT 5m candles the reference bot embeds (see apps/reference-bot/data/PROVENANCE.md), oldest first. */
export function embeddedBars(limit: number): Candle[] {
  const url = new URL('../../../../apps/reference-bot/data/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz', import.meta.url)
  const lines = gunzipSync(readFileSync(url)).toString('utf8').trim().split('\n').slice(1, limit + 1)
  return lines.map((l) => {
    const [t, o, h, lo, c, v] = l.split(',').map(Number) as [number, number, number, number, number, number]
    return { openTimeMs: t, open: o, high: h, low: lo, close: c, volume: v }
  })
}
