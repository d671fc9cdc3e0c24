import { z } from 'zod'
import { createNatr } from '../indicators/atr.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy } from '../strategy/types.js'
import { gridStopDistancePct } from './grid-stop-distance.js'
import { candleRequirements } from './shared.js'

/**
 * Parameters of {@link Grid}.
 * @example
 * ```ts
 * import { gridParameters } from '@perpkit/strategy'
 * gridParameters.parse({ spacing: { mode: 'volatility', atrPeriod: 14, multiplier: 2 } })
 * ```
 */
export const gridParameters = z
  .object({
    /** Grid spacing: a fixed percentage, or NATR(period) × multiplier measured when the grid is (re)anchored. */
    spacing: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('fixed'), pct: z.number().gt(0).lt(50) }).strict(),
        z.object({ mode: z.literal('volatility'), atrPeriod: z.number().int().min(1).default(14), multiplier: z.number().gt(0).default(1) }).strict(),
      ])
      .default({ mode: 'fixed', pct: 0.5 }),
    /** `long`: buy a level crossed downward, sell at the next level up; `short`: the mirror (default long). */
    direction: z.enum(['long', 'short']).default('long'),
    /** Override of the structure-break stop distance in percent (default: 001 rule, {@link gridStopDistancePct}). */
    stopDistancePct: z.number().gt(0).lt(50).optional(),
  })
  .strict()

/**
 * Parsed parameters of {@link Grid}.
 * @example
 * ```ts
 * import { gridParameters, type GridParams } from '@perpkit/strategy'
 * const params: GridParams = gridParameters.parse({}) // { spacing: { mode: 'fixed', pct: 0.5 }, direction: 'long' }
 * ```
 */
export type GridParams = z.output<typeof gridParameters>

/**
 * Grid trading on closed bars of the primary timeframe.
 *
 * Levels are `anchor × (1 + k·spacingPct/100)` for integer k; the anchor is the first close once ready (and the
 * close after every structure break). `long`: when flat and the close crosses down through a level (previous close
 * above it, close at or below), enter long at that level with take-profit at the next level up and a stop
 * `stopDistancePct` below the level. In position: a close at or below the stop is a structure break (exit, grid
 * re-anchored at that close); otherwise a high reaching the next level exits (`take-profit`). `short` mirrors it.
 * Signals carry `anchor`, `spacingPct`, `level`, `k` in their metadata. Warm-up: 2 bars (fixed) or `atrPeriod + 1`.
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: grid-1, name: Grid, class: Grid }
 * market: { symbol: BTC/USD:BTC, primary_timeframe: 15m }
 * parameters: { spacing: { mode: volatility, atrPeriod: 14, multiplier: 2 } }` }),
 * })
 * ```
 */
export const Grid = defineStrategy({
  className: 'Grid',
  summary: 'Grid: enter at a level, exit at the next, stop when structure breaks (spacing fixed or from NATR)',
  parameters: gridParameters,
  create({ id, market, params }): Strategy {
    const tf = market.primaryTimeframe
    const sp = params.spacing
    const natr = sp.mode === 'volatility' ? createNatr({ period: sp.atrPeriod }) : undefined
    const long = params.direction === 'long'
    let anchor = Number.NaN
    let spacingPct = Number.NaN
    let prevClose = Number.NaN
    let entryK: number | null = null
    const level = (k: number): number => anchor * (1 + (k * spacingPct) / 100)
    const stopPct = (): number => params.stopDistancePct ?? gridStopDistancePct({ gridSpacingPct: spacingPct })
    const reanchor = (close: number): void => {
      anchor = close
      spacingPct = sp.mode === 'fixed' ? sp.pct : (natr as { value: number }).value * sp.multiplier
    }
    return {
      id,
      className: 'Grid',
      requirements: candleRequirements(tf, sp.mode === 'fixed' ? 2 : sp.atrPeriod + 1),
      onCandle(ctx, event) {
        if (event.timeframe !== tf || !event.closed) return NO_INTENTS
        const c = event.candle
        natr?.update(c)
        const pc = prevClose
        prevClose = c.close
        if (natr !== undefined && !natr.isReady) return NO_INTENTS
        if (Number.isNaN(anchor)) {
          reanchor(c.close)
          return NO_INTENTS
        }
        if (ctx.warmingUp) return NO_INTENTS
        const pos = ctx.position
        const step = spacingPct / 100
        if (pos !== null) {
          const k = entryK ?? Math.round((pos.entryPrice / anchor - 1) / step)
          const stop = level(k) * (long ? 1 - stopPct() / 100 : 1 + stopPct() / 100)
          const target = level(long ? k + 1 : k - 1)
          let out: StrategyIntent | undefined
          if (long ? c.close <= stop : c.close >= stop) {
            out = { type: 'exit', reason: 'structure-break', detail: `close ${c.close} beyond stop ${stop} of level ${level(k)}` }
            reanchor(c.close)
          } else if (long ? c.high >= target : c.low <= target) {
            out = { type: 'exit', reason: 'take-profit', detail: `next grid level ${target} reached` }
          }
          if (out === undefined) return NO_INTENTS
          entryK = null
          return [out]
        }
        entryK = null
        if (Number.isNaN(pc)) return NO_INTENTS
        const x = (c.close / anchor - 1) / step
        // long: the highest level at or above the close that was below the previous close (crossed downward)
        const k = long ? Math.ceil(x - 1e-12) : Math.floor(x + 1e-12)
        const lv = level(k)
        const crossed = long ? lv < pc && lv >= c.close : lv > pc && lv <= c.close
        if (!crossed) return NO_INTENTS
        entryK = k
        const d = stopPct() / 100
        const signal = createSignal({
          type: long ? 'buy' : 'sell',
          source: 'technical',
          confidence: 0.5,
          reason: `close ${c.close} crossed grid level ${k} (${lv.toFixed(2)})`,
          metadata: { anchor, spacingPct, level: lv, k, close: c.close },
          timestampMs: ctx.nowMs,
          symbol: ctx.symbol,
          strategyId: id,
        })
        return [{ type: 'enter', side: long ? 'long' : 'short', signal, stopPrice: lv * (long ? 1 - d : 1 + d), takeProfitPrice: level(long ? k + 1 : k - 1) }]
      },
      onTrade: () => NO_INTENTS,
      onTimer: () => NO_INTENTS,
      indicators: () => ({ anchor, spacingPct, ...(natr === undefined ? {} : { natr: natr.value }) }),
      snapshot: () => ({ anchor: Number.isNaN(anchor) ? null : anchor, spacingPct: Number.isNaN(spacingPct) ? null : spacingPct, entryK }),
      restore(snapshot) {
        const a = snapshot['anchor']
        const s = snapshot['spacingPct']
        const k = snapshot['entryK']
        anchor = typeof a === 'number' ? a : Number.NaN
        spacingPct = typeof s === 'number' ? s : Number.NaN
        entryK = typeof k === 'number' ? k : null
      },
    }
  },
})
