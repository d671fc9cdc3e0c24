/** The recorded price path of the Binance tests (see fixtures/PROVENANCE.md), parsed. */
import { readFileSync } from 'node:fs'
import type { Candle } from '@perpkit/core'

const dir = new URL('./fixtures/', import.meta.url)

export function recordedCandles(): Candle[] {
  const lines = readFileSync(new URL('binance_usdm_BTCUSDT_5m_2025-09-19_first108.csv', dir), 'utf8').trim().split('\n').slice(1)
  return lines.map((line) => {
    const [t, o, h, l, c, v] = line.split(',').map(Number)
    return { openTimeMs: t as number, open: o as number, high: h as number, low: l as number, close: c as number, volume: v as number }
  })
}

export function recordedFunding(): { fundingTimeMs: number; rate: number }[] {
  const lines = readFileSync(new URL('binance_usdm_BTCUSDT_funding_2025-09-19_first3.csv', dir), 'utf8').trim().split('\n').slice(1)
  return lines.map((line) => {
    const [t, r] = line.split(',').map(Number)
    return { fundingTimeMs: t as number, rate: r as number }
  })
}

export function docsFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'))
}
