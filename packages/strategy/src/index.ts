/**
 * `@perpkit/strategy`: fast streaming + batch technical indicators, signals, aggregation, exits,
 * multi-timeframe candles and strategy plugins. Strategies emit intents and never touch a venue.
 * @packageDocumentation
 */
export type { CloseVolumeInput, HlcBatchInput, HlcInput, SeriesBatchInput, StreamingIndicator, TradeInput } from './indicators/types.js'
export { createSma, sma, type SmaIndicator, type SmaOptions } from './indicators/sma.js'
export { createEma, ema, type EmaIndicator, type EmaOptions, type EmaSeed } from './indicators/ema.js'
export { createWma, wma, type WmaIndicator, type WmaOptions } from './indicators/wma.js'
export { createRsi, rsi, type RsiIndicator, type RsiOptions } from './indicators/rsi.js'
export { createMacd, macd, type MacdIndicator, type MacdOptions, type MacdSeries } from './indicators/macd.js'
export { bollinger, type BollingerIndicator, type BollingerOptions, type BollingerSeries, createBollinger } from './indicators/bollinger.js'
export { createStdDev, stdDev, type StdDevIndicator, type StdDevOptions } from './indicators/stddev.js'
export { atr, type AtrIndicator, type AtrOptions, createAtr, createNatr, natr } from './indicators/atr.js'
export { createStoch, stoch, type StochIndicator, type StochOptions, type StochSeries } from './indicators/stoch.js'
export { createWilliamsR, williamsR, type WilliamsRIndicator, type WilliamsROptions } from './indicators/willr.js'
export { adx, type AdxIndicator, type AdxOptions, type AdxSeries, createAdx } from './indicators/adx.js'
export { cci, type CciIndicator, type CciOptions, createCci } from './indicators/cci.js'
export { createObv, obv, type ObvIndicator } from './indicators/obv.js'
export { createDonchian, donchian, type DonchianIndicator, type DonchianOptions, type DonchianSeries, type HighLowInput } from './indicators/donchian.js'
export { createKeltner, keltner, type KeltnerIndicator, type KeltnerOptions, type KeltnerSeries } from './indicators/keltner.js'
export {
  createRollingVwap,
  createSessionVwap,
  rollingVwap,
  type RollingVwapOptions,
  sessionVwap,
  type SessionVwapIndicator,
  type SessionVwapOptions,
  type TradeBatchInput,
  type VwapAnchor,
  type VwapIndicator,
} from './indicators/vwap.js'
export type { SessionPeriod } from './indicators/session.js'
export { atrPercent24h, type AtrPercent24hInput } from './indicators/atr-percent-24h.js'

// Signals, aggregation, exits, multi-timeframe candles, strategy API, loader and built-in strategies.
export {
  type DirectionalSignal,
  type PartialCloseSignal,
  SIGNAL_SOURCES,
  SIGNAL_TYPES,
  type Signal,
  type SignalBase,
  type SignalMetadata,
  type SignalSource,
  type SignalType,
} from './signals/types.js'
export { createSignal, type CreateSignalInput } from './signals/create-signal.js'
export {
  type AggregateSignalsInput,
  aggregateSignals,
  type AggregationConfig,
  type AggregationMode,
  type AggregationVerdict,
  type AggregationVote,
  signalFromVerdict,
  type SignalFromVerdictInput,
  type VerdictOutcome,
} from './signals/aggregate.js'
export type { CandleEvent } from './candles/candle-event.js'
export {
  type AggregatorBucket,
  type CandleAggregator,
  type CandleAggregatorOptions,
  type CandleAggregatorSnapshot,
  createCandleAggregator,
} from './candles/aggregator.js'
export {
  createExitManager,
  type ExitManager,
  type ExitManagerConfig,
  type ExitManagerSnapshot,
  type ExitPosition,
  DEFAULT_PROFIT_LOCK,
  type TakeProfitTier,
} from './exits/exit-manager.js'
export {
  type EnterIntent,
  type ExitIntent,
  type ExitManagerIntent,
  type ExitReason,
  type MoveStopIntent,
  NO_INTENTS,
  type PartialExitIntent,
  type StrategyIntent,
} from './strategy/intents.js'
export type { PositionView, Strategy, StrategyContext, StrategyRequirements, StrategySnapshot } from './strategy/types.js'
export { createWarmupTracker, seedStrategy, type SeedStrategyInput, type WarmupReport, type WarmupTracker } from './strategy/warmup.js'
export { defineStrategy, isStrategyDefinition, type MarketConfig, type StrategyCreateInput, type StrategyDefinition } from './strategy/definition.js'
export { createStrategyRegistry, type StrategyRegistry } from './strategy/registry.js'
export {
  buildStrategy,
  instantiateStrategy,
  loadStrategy,
  type LoadStrategyInput,
  parseStrategyConfig,
  type ParseStrategyConfigInput,
  type StrategyConfig,
  strategyConfigSchema,
} from './strategy/loader.js'
export { BUILTIN_STRATEGIES, createBuiltinRegistry } from './strategies/builtins.js'
export { SmaCrossover, type SmaCrossoverParams, smaCrossoverParameters } from './strategies/sma-crossover.js'
export { RsiMeanReversion, type RsiMeanReversionParams, rsiMeanReversionParameters } from './strategies/rsi-mean-reversion.js'
export { Scalping, type ScalpingParams, scalpingParameters } from './strategies/scalping.js'
export { Grid, type GridParams, gridParameters } from './strategies/grid.js'
export { gridStopDistancePct } from './strategies/grid-stop-distance.js'
export { createPumpDetector, type PumpDetection, type PumpDetector, type PumpDetectorOptions } from './strategies/pump-detector.js'
export { PumpMomentum, type PumpMomentumParams, pumpMomentumParameters } from './strategies/pump-strategy.js'
export { VwapMeanReversion, type VwapMeanReversionParams, vwapMeanReversionParameters } from './strategies/vwap-mean-reversion.js'
