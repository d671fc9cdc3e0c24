import { InvalidInputError, timeframeMs, timeframeSchema } from '@perpkit/core'
import { z } from 'zod'
import { createRsi } from '../indicators/rsi.js'
import { createSma } from '../indicators/sma.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy, StrategyContext } from '../strategy/types.js'
import { candleRequirements, clamp01 } from './shared.js'

/**
 * Parameters of {@link RsiMeanReversion}.
 * @example
 * ```ts
 * import { rsiMeanReversionParameters } from '@perpkit/strategy'
 * rsiMeanReversionParameters.parse({ period: 14, oversold: 25, trendFilter: { timeframe: '1h', smaPeriod: 50 } })
 * ```
 */
export const rsiMeanReversionParameters = z
  .object({
    /** Wilder RSI period (default 14). */
    period: z.number().int().min(2).default(14),
    /** Enter long when RSI < oversold (default 30). */
    oversold: z.number().gt(0).lt(100).default(30),
    /** Enter short (if allowed) when RSI > overbought (default 70). */
    overbought: z.number().gt(0).lt(100).default(70),
    /** Exit a long when RSI ≥ exitLevel, a short when RSI ≤ exitLevel (default 50). */
    exitLevel: z.number().gt(0).lt(100).default(50),
    /** Also trade the overbought side (default false). */
    allowShort: z.boolean().default(false),
    /** Suggested protective stop distance in percent of the close (omit for none). */
    stopLossPct: z.number().gt(0).lt(100).optional(),
    /**
     * Optional multi-timeframe trend filter: longs only while the last closed bar of `timeframe` closes above its
     * SMA(`smaPeriod`), shorts only while below. `timeframe` must be listed in `market.timeframes` and be longer
     * than the primary timeframe.
     */
    trendFilter: z.object({ timeframe: timeframeSchema, smaPeriod: z.number().int().min(1).default(50) }).strict().optional(),
  })
  .strict()
  .refine((p) => p.oversold < p.exitLevel && p.exitLevel < p.overbought, {
    path: ['exitLevel'],
    message: 'need oversold < exitLevel < overbought',
  })

/**
 * Parsed parameters of {@link RsiMeanReversion}.
 * @example
 * ```ts
 * import { rsiMeanReversionParameters, type RsiMeanReversionParams } from '@perpkit/strategy'
 * const params: RsiMeanReversionParams = rsiMeanReversionParameters.parse({}) // period 14, 30/70, exit 50
 * ```
 */
export type RsiMeanReversionParams = z.output<typeof rsiMeanReversionParameters>

/**
 * RSI mean reversion on closed bars of the primary timeframe.
 *
 * Flat and RSI < `oversold` → enter long; long and RSI ≥ `exitLevel` → exit. With `allowShort`, flat and
 * RSI > `overbought` → enter short; short and RSI ≤ `exitLevel` → exit. Entry confidence grows with the distance
 * beyond the band: `0.5 + 0.5·(oversold − RSI)/oversold` (mirror for shorts). Warm-up: `period + 1` bars (Wilder
 * RSI's first value, TA-Lib convention). With `trendFilter` the strategy subscribes to a second, longer timeframe
 * (fed by the runner, e.g. from `createCandleAggregator`) and trades only with its trend; it also needs
 * `smaPeriod` closed bars of that timeframe.
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: rsi-1, name: RSI MR, class: RsiMeanReversion }
 * market: { symbol: BTC/USDT:USDT, primary_timeframe: 1m }
 * parameters: { period: 14, oversold: 30, overbought: 70, exitLevel: 50 }` }),
 * })
 * ```
 */
export const RsiMeanReversion = defineStrategy({
  className: 'RsiMeanReversion',
  summary: 'Buy oversold / sell overbought Wilder RSI, exit at the middle level',
  parameters: rsiMeanReversionParameters,
  create({ id, market, params }): Strategy {
    const tf = market.primaryTimeframe
    const rsi = createRsi({ period: params.period })
    const one = (i: StrategyIntent): readonly StrategyIntent[] => [i]
    const trend = params.trendFilter
    if (trend !== undefined) {
      if (!market.timeframes.includes(trend.timeframe)) {
        throw new InvalidInputError(`${trend.timeframe} is not in market.timeframes`, { path: 'parameters.trendFilter.timeframe' })
      }
      if (timeframeMs(trend.timeframe) <= timeframeMs(tf)) {
        throw new InvalidInputError(`must be longer than the primary timeframe ${tf}`, { path: 'parameters.trendFilter.timeframe' })
      }
    }
    const trendSma = trend === undefined ? undefined : createSma({ period: trend.smaPeriod })
    let trendClose = Number.NaN
    // Defined once per instance (not per call): only called when a signal is actually emitted.
    const signal = (ctx: StrategyContext, r: number, close: number, type: 'buy' | 'sell' | 'close', confidence: number, reason: string) =>
      createSignal({
        type,
        source: 'technical',
        confidence,
        reason,
        metadata: trendSma === undefined ? { rsi: r, close } : { rsi: r, close, trendClose, trendSma: trendSma.value },
        timestampMs: ctx.nowMs,
        symbol: ctx.symbol,
        strategyId: id,
      })
    return {
      id,
      className: 'RsiMeanReversion',
      requirements: candleRequirements(tf, params.period + 1, trend === undefined ? {} : { [trend.timeframe]: trend.smaPeriod }),
      onCandle(ctx, event) {
        if (trend !== undefined && trendSma !== undefined && event.timeframe === trend.timeframe && event.closed) {
          trendSma.update(event.candle.close)
          trendClose = event.candle.close
          return NO_INTENTS
        }
        if (event.timeframe !== tf || !event.closed) return NO_INTENTS
        const close = event.candle.close
        const r = rsi.update(close)
        if (!rsi.isReady || ctx.warmingUp) return NO_INTENTS
        const pos = ctx.position
        let allowLong = true
        let allowShort = params.allowShort
        if (trendSma !== undefined) {
          if (!trendSma.isReady) return NO_INTENTS
          allowLong = trendClose > trendSma.value
          allowShort = allowShort && trendClose < trendSma.value
        }
        if (pos === null) {
          if (allowLong && r < params.oversold) {
            const s = signal(ctx, r, close, 'buy', clamp01(0.5 + (0.5 * (params.oversold - r)) / params.oversold), `RSI ${r.toFixed(2)} < ${params.oversold}`)
            return one({ type: 'enter', side: 'long', signal: s, ...(params.stopLossPct === undefined ? {} : { stopPrice: close * (1 - params.stopLossPct / 100) }) })
          }
          if (allowShort && r > params.overbought) {
            const s = signal(ctx, r, close, 'sell', clamp01(0.5 + (0.5 * (r - params.overbought)) / (100 - params.overbought)), `RSI ${r.toFixed(2)} > ${params.overbought}`)
            return one({ type: 'enter', side: 'short', signal: s, ...(params.stopLossPct === undefined ? {} : { stopPrice: close * (1 + params.stopLossPct / 100) }) })
          }
          return NO_INTENTS
        }
        if (pos.side === 'long' ? r >= params.exitLevel : r <= params.exitLevel) {
          const s = signal(ctx, r, close, 'close', 1, `RSI ${r.toFixed(2)} back to ${params.exitLevel}`)
          return one({ type: 'exit', reason: 'signal', detail: s.reason, signal: s })
        }
        return NO_INTENTS
      },
      onTrade: () => NO_INTENTS,
      onTimer: () => NO_INTENTS,
      indicators: () => (trendSma === undefined ? { rsi: rsi.value } : { rsi: rsi.value, trendSma: trendSma.value, trendClose }),
      snapshot: () => ({}),
      restore: () => {},
    }
  },
})
