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
