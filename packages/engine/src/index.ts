/**
 * `@perpkit/engine`: one event flow for backtest, paper and live trading — data loaders with a binary
 * columnar cache, the runner, results and metrics, and JSON / CSV / HTML reports.
 * @packageDocumentation
 */
export { parseCandleBytesFast } from './data/bytes.js'
export {
  allocateCandleColumns,
  candleAt,
  type CandleColumns,
  candlesToColumns,
  type CandleTimeFormat,
  parseCandleCsv,
  type ParseCandleCsvOptions,
  parseCandleJson,
  sliceCandleColumns,
} from './data/candles.js'
export { type CandleGap, type CandleIssue, type CandleValidationReport, DEFAULT_MAX_JUMP_FACTOR, inferTimeframeMs, MAX_CANDLE_VALUE, validateCandles } from './data/validate.js'
export { parseFunding, parseTradeCsv, tradeAt, type TradeColumns, tradesToCandles } from './data/trades.js'
export {
  decodeCandleColumns,
  encodeCandleColumns,
  leanDateFromName,
  type LoadCandlesOptions,
  type LoadedCandles,
  loadCandles,
  parseCandles,
  readDataBytes,
  readDataText,
} from './data/load.js'
export type {
  ChartBars,
  EquityCurve,
  HaltPeriod,
  Metrics,
  RunMeta,
  RunMode,
  RunResult,
  TradeDecisionRef,
  TradeRecord,
} from './results/types.js'
export { computeMetrics, dailyEquity, drawdownOf } from './results/metrics.js'
export { equityToCsv, TRADE_CSV_COLUMNS, tradesToCsv } from './results/csv.js'
export { REPORT_FILES, resultToJson, writeReportFiles } from './results/write.js'
export { createTradeLedger, type RestoredPosition, type TradeLedger } from './runner/ledger.js'
export type { RecoveredPosition } from './runner/recovered-position.js'
export { type EntrySize, type EntrySizeArgs, type EntrySizeResult, sizeEntry, type SizingPolicy, type StageCaps } from './runner/entry-size.js'
export { type BarObservation, createRiskSession, type HaltTransition, type MakerEntryTerms, type RiskSession } from './runner/risk-session.js'
export type {
  DailyRollup,
  EngineCandleEvent,
  EngineEvent,
  EngineIntent,
  EnginePositionView,
  EngineStrategy,
  EngineStrategyContext,
} from './runner/types.js'
export { type ExecutionTiming, runSession, type RunSessionOptions } from './runner/run.js'
export { type BacktestOptions, runBacktest } from './runner/backtest.js'
export { type LiveOptions, type LiveServices, runLive } from './runner/live.js'
export { createSimMarketDriver, type MarketDriver, type SimMarketDriverArgs } from './runner/market-driver.js'
export { type SessionRiskOptions } from './runner/services.js'
export { createReplayFeed, type ReplayFeed, type ReplayFeedOptions } from './feed/replay-feed.js'
