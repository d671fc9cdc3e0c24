/**
 * `@perpkit/strategy`: fast streaming + batch technical indicators, signals, aggregation, exits,
 * multi-timeframe candles and strategy plugins. Strategies emit intents and never touch a venue.
 * @packageDocumentation
 */
export type { CloseVolumeInput, HlcBatchInput, HlcInput, SeriesBatchInput, StreamingIndicator, TradeInput } from './indicators/types.js'
export { createSma, sma, type SmaIndicator, type SmaOptions } from './indicators/sma.js'
export { createEma, ema, type EmaIndicator, type EmaOptions, type EmaSeed } from './indicators/ema.js'
