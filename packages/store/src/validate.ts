import { InvalidInputError, timeframeSchema, type Candle } from '@perpkit/core'
import type { CandleSeries, RecordKind, RunMode, TimeRange } from './types.js'

const RUN_MODES: readonly RunMode[] = ['backtest', 'paper', 'live']
const RECORD_KINDS: readonly RecordKind[] = ['decision', 'order', 'fill', 'trade']

export function text(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidInputError('expected a non-empty string', { path })
  return v
}

export function timeMs(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidInputError(`expected epoch ms (a non-negative integer), got ${String(v)}`, { path })
  }
  return v
}

export function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`expected a finite number, got ${String(v)}`, { path })
  return v
}

export function runMode(v: unknown): RunMode {
  if (!RUN_MODES.includes(v as RunMode)) throw new InvalidInputError(`unknown run mode ${String(v)}`, { path: 'mode' })
  return v as RunMode
}

export function recordKind(v: unknown, path: string): RecordKind {
  if (!RECORD_KINDS.includes(v as RecordKind)) throw new InvalidInputError(`unknown record kind ${String(v)}`, { path })
  return v as RecordKind
}

export function series(s: Partial<CandleSeries>, withTimeframe: boolean): void {
  text(s.venue, 'venue')
  text(s.symbol, 'symbol')
  if (withTimeframe && !timeframeSchema.safeParse(s.timeframe).success) {
    throw new InvalidInputError(`unknown timeframe ${String(s.timeframe)}`, { path: 'timeframe' })
  }
}

/** Hand-written (not zod) because bulk loads run at a million rows a second; same rules as core's candle schema. */
export function candle(c: Candle, i: number): void {
  const p = `candles[${i}]`
  timeMs(c.openTimeMs, `${p}.openTimeMs`)
  for (const f of ['open', 'high', 'low', 'close'] as const) {
    if (!(c[f] > 0) || !Number.isFinite(c[f])) throw new InvalidInputError(`expected a price > 0, got ${String(c[f])}`, { path: `${p}.${f}` })
  }
  if (!(c.volume >= 0) || !Number.isFinite(c.volume)) throw new InvalidInputError(`expected volume >= 0, got ${String(c.volume)}`, { path: `${p}.volume` })
  if (c.high < Math.max(c.open, c.close) || c.low > Math.min(c.open, c.close)) {
    throw new InvalidInputError('high/low do not bound open and close', { path: p })
  }
}

export function json(v: unknown, path: string): string {
  const s = JSON.stringify(v)
  if (s === undefined) throw new InvalidInputError('expected a JSON value', { path })
  return s
}

export function range(r: TimeRange | undefined): [number, number] {
  const from = r?.fromMs === undefined ? 0 : timeMs(r.fromMs, 'fromMs')
  const to = r?.toMs === undefined ? Number.MAX_SAFE_INTEGER : timeMs(r.toMs, 'toMs')
  return [from, to]
}
