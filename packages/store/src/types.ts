import type { Candle, Timeframe } from '@perpkit/core'

/** How a run traded: replayed history, live data against a simulated venue, or a real venue. */
export type RunMode = 'backtest' | 'paper' | 'live'

/** What a run record holds. */
export type RecordKind = 'decision' | 'order' | 'fill' | 'trade'

/** A run to start: who traded what, where, with which config. */
export interface RunStart {
  readonly id: string
  readonly mode: RunMode
  readonly strategy: string
  readonly venue: string
  readonly symbol: string
  /** Any JSON value (stored as text). */
  readonly config: unknown
  readonly startedAtMs: number
}

/** A stored run; `endedAtMs` is null while it runs (or if it never ended cleanly). */
export interface Run extends RunStart {
  readonly endedAtMs: number | null
}

/** One candle series: venue, symbol and timeframe. */
export interface CandleSeries {
  readonly venue: string
  readonly symbol: string
  readonly timeframe: Timeframe
}

/** One funding rate at its settlement time. */
export interface FundingRate {
  readonly timestampMs: number
  readonly rate: number
}

/** A decision, order, fill or trade of a run; `key` is unique per run and kind (writes are idempotent). */
export interface RunRecord {
  readonly runId: string
  readonly kind: RecordKind
  readonly key: string
  readonly timestampMs: number
  /** Any JSON value (stored as text). */
  readonly payload: unknown
}

/** One point of a run's equity curve. */
export interface EquityPoint {
  readonly timestampMs: number
  readonly equityUsd: number
}

/** Half-open time range `[fromMs, toMs)`; missing ends are open. */
export interface TimeRange {
  readonly fromMs?: number
  readonly toMs?: number
}

/**
 * One store for candles, funding and everything a run did, the same for every backend.
 * Writes are idempotent: candles on open time, funding on its time, records on `(run, kind, key)`,
 * equity on `(run, time)`. Bad input throws core's `InvalidInputError` before anything is written.
 */
export interface TradeStore {
  startRun(run: RunStart): Promise<void>
  endRun(runId: string, endedAtMs: number): Promise<void>
  getRun(runId: string): Promise<Run | undefined>
  listRuns(): Promise<readonly Run[]>
  /** Upserts candles in one transaction; returns how many were written. */
  putCandles(series: CandleSeries, candles: readonly Candle[]): Promise<number>
  getCandles(series: CandleSeries, range?: TimeRange): Promise<readonly Candle[]>
  putFunding(series: Omit<CandleSeries, 'timeframe'>, rates: readonly FundingRate[]): Promise<number>
  getFunding(series: Omit<CandleSeries, 'timeframe'>, range?: TimeRange): Promise<readonly FundingRate[]>
  /** Appends records in one transaction; a record whose key is already stored is skipped. */
  putRecords(records: readonly RunRecord[]): Promise<number>
  getRecords(runId: string, options?: TimeRange & { readonly kind?: RecordKind }): Promise<readonly RunRecord[]>
  putEquity(runId: string, points: readonly EquityPoint[]): Promise<number>
  getEquity(runId: string, range?: TimeRange): Promise<readonly EquityPoint[]>
  close(): Promise<void>
}

/** Which SQL a driver speaks; the schema differs only in column types and SQLite's clustered tables. */
export type SqlDialect = 'sqlite' | 'postgres'

/** A value bound to a SQL parameter. */
export type SqlValue = string | number | null

/** A row as the driver returns it (column name → value). */
export type SqlRow = Readonly<Record<string, unknown>>

/**
 * What a SQL backend provides to {@link TradeStore}: statements with positional `?` parameters and a
 * transaction. Drivers are thin; validation and SQL live in the store.
 */
export interface StoreDriver {
  readonly dialect: SqlDialect
  /** Runs statements with no parameters (schema). */
  exec(sql: string): Promise<void>
  /** Runs one statement; returns the number of changed rows. */
  run(sql: string, params: readonly SqlValue[]): Promise<number>
  all(sql: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]>
  /** Runs `fn` in one transaction: all of it commits or none of it does. */
  transaction<T>(fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}
