import type { Candle } from '@perpkit/core'
import type { EquityPoint, FundingRate, RecordKind, Run, RunMode, RunRecord, SqlRow } from '../types.js'

/** Drivers may return int8 as bigint or string; the store speaks epoch-ms numbers. */
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v)
}

export function runFromRow(r: SqlRow): Run {
  return {
    id: String(r.id),
    mode: r.mode as RunMode,
    strategy: String(r.strategy),
    venue: String(r.venue),
    symbol: String(r.symbol),
    config: JSON.parse(String(r.config)) as unknown,
    startedAtMs: num(r.started_at_ms),
    endedAtMs: r.ended_at_ms === null || r.ended_at_ms === undefined ? null : num(r.ended_at_ms),
  }
}

export function candleFromRow(r: SqlRow): Candle {
  return {
    openTimeMs: num(r.open_time_ms),
    open: num(r.open),
    high: num(r.high),
    low: num(r.low),
    close: num(r.close),
    volume: num(r.volume),
  }
}

export function fundingFromRow(r: SqlRow): FundingRate {
  return { timestampMs: num(r.timestamp_ms), rate: num(r.rate) }
}

export function recordFromRow(r: SqlRow): RunRecord {
  return {
    runId: String(r.run_id),
    kind: r.kind as RecordKind,
    key: String(r.key),
    timestampMs: num(r.timestamp_ms),
    payload: JSON.parse(String(r.payload)) as unknown,
  }
}

export function equityFromRow(r: SqlRow): EquityPoint {
  return { timestampMs: num(r.timestamp_ms), equityUsd: num(r.equity_usd) }
}
