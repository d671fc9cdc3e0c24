import { z } from 'zod'
import { createSma } from '../indicators/sma.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy } from '../strategy/types.js'
import { candleRequirements } from './shared.js'

/**
 * Parameters of {@link SmaCrossover}.
 * @example
 * ```ts
 * import { smaCrossoverParameters } from '@perpkit/strategy'
 * smaCrossoverParameters.parse({ fastPeriod: 20, slowPeriod: 50, mode: 'long-short' })
 * ```
 */
export const smaCrossoverParameters = z
  .object({
    /** Fast SMA period (default 20). */
    fastPeriod: z.number().int().min(1).default(20),
    /** Slow SMA period (default 50); must exceed `fastPeriod`. */
    slowPeriod: z.number().int().min(2).default(50),
    /** `long-only` (backtrader's classic SmaCross: buy on up-cross, close on down-cross) or `long-short` (always in after the first cross). */
    mode: z.enum(['long-only', 'long-short']).default('long-only'),
  })
  .strict()
  .refine((p) => p.fastPeriod < p.slowPeriod, { path: ['slowPeriod'], message: 'slowPeriod must be greater than fastPeriod' })

/**
 * Parsed parameters of {@link SmaCrossover}.
 * @example
 * ```ts
 * import { smaCrossoverParameters, type SmaCrossoverParams } from '@perpkit/strategy'
 * const params: SmaCrossoverParams = smaCrossoverParameters.parse({}) // { fastPeriod: 20, slowPeriod: 50, mode: 'long-only' }
 * ```
 */
export type SmaCrossoverParams = z.output<typeof smaCrossoverParameters>

/**
 * SMA crossover on closed bars of the primary timeframe.
 *
 * A crossover happens when the sign of (fast − slow) is non-zero and opposite to its last non-zero value (a bar
 * where fast = slow neither crosses nor resets the memory) — backtrader's `CrossOver` rule. The first bar where
 * both SMAs exist only initialises the memory. Up-cross: enter long (in `long-short`, exit the short first).
 * Down-cross: exit the long (in `long-short`, then enter short). Signals have confidence 1 (a crossover is binary).
 * Warm-up: `slowPeriod` bars.
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: sma-1, name: SMA 20/50, class: SmaCrossover }
 * market: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }
 * parameters: { fastPeriod: 20, slowPeriod: 50 }` }),
 * })
 * ```
 */
export const SmaCrossover = defineStrategy({
  className: 'SmaCrossover',
  summary: 'Fast/slow SMA crossover (sign flip against the last non-zero difference)',
  parameters: smaCrossoverParameters,
  create({ id, market, params }): Strategy {
    const tf = market.primaryTimeframe
    const fast = createSma({ period: params.fastPeriod })
    const slow = createSma({ period: params.slowPeriod })
    let lastSign = 0
    const longShort = params.mode === 'long-short'
    return {
      id,
      className: 'SmaCrossover',
      requirements: candleRequirements(tf, params.slowPeriod),
      onCandle(ctx, event) {
        if (event.timeframe !== tf || !event.closed) return NO_INTENTS
        const f = fast.update(event.candle.close)
        const s = slow.update(event.candle.close)
        if (!slow.isReady) return NO_INTENTS
        const d = f - s
        const sign = d > 0 ? 1 : d < 0 ? -1 : 0
        if (sign === 0) return NO_INTENTS
        const crossed = lastSign !== 0 && sign !== lastSign
        lastSign = sign
        if (!crossed || ctx.warmingUp) return NO_INTENTS
        const pos = ctx.position
        const signal = createSignal({
          type: sign > 0 ? 'buy' : 'sell',
          source: 'technical',
          confidence: 1,
          reason: `SMA(${params.fastPeriod}) crossed ${sign > 0 ? 'above' : 'below'} SMA(${params.slowPeriod})`,
          metadata: { fast: f, slow: s, close: event.candle.close },
          timestampMs: ctx.nowMs,
          symbol: ctx.symbol,
          strategyId: id,
        })
        const out: StrategyIntent[] = []
        if (sign > 0) {
          if (pos?.side === 'short') out.push({ type: 'exit', reason: 'signal', detail: signal.reason, signal })
          if (pos === null || pos.side === 'short') out.push({ type: 'enter', side: 'long', signal })
        } else {
          if (pos?.side === 'long') out.push({ type: 'exit', reason: 'signal', detail: signal.reason, signal })
          if (longShort && (pos === null || pos.side === 'long')) out.push({ type: 'enter', side: 'short', signal })
        }
        return out.length === 0 ? NO_INTENTS : out
      },
      onTrade: () => NO_INTENTS,
      onTimer: () => NO_INTENTS,
      indicators: () => ({ fast: fast.value, slow: slow.value }),
      snapshot: () => ({ lastSign }),
      restore(snapshot) {
        const v = snapshot['lastSign']
        lastSign = v === 1 || v === -1 ? v : 0
      },
    }
  },
})
