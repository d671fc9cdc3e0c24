import { timeframeMs } from '@perpkit/core'
import { z } from 'zod'
import { createExitManager } from '../exits/exit-manager.js'
import { createEma } from '../indicators/ema.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy } from '../strategy/types.js'
import { candleRequirements } from './shared.js'

/**
 * Parameters of {@link Scalping}.
 * @example
 * ```ts
 * import { scalpingParameters } from '@perpkit/strategy'
 * scalpingParameters.parse({ cooldownMs: 600_000 })
 * ```
 */
export const scalpingParameters = z
  .object({
    /** Fast EMA period (default 9). */
    fastPeriod: z.number().int().min(1).default(9),
    /** Slow (trend) EMA period (default 21). */
    slowPeriod: z.number().int().min(2).default(21),
    /** Take the whole position at this profit, percent (default 0.4). */
    takeProfitPct: z.number().gt(0).lt(100).default(0.4),
    /** Fixed stop, percent (default 0.25). */
    stopLossPct: z.number().gt(0).lt(100).default(0.25),
    /** No new entry until this long after the last exit, ms (default 15 min). */
    cooldownMs: z.number().int().min(0).default(900_000),
    /** Optional time exit, ms. */
    maxHoldMs: z.number().int().positive().optional(),
    /** Also take short setups (default true). */
    allowShort: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.fastPeriod < p.slowPeriod, { path: ['slowPeriod'], message: 'slowPeriod must be greater than fastPeriod' })

/**
 * Parsed parameters of {@link Scalping}.
 * @example
 * ```ts
 * import { scalpingParameters, type ScalpingParams } from '@perpkit/strategy'
 * const params: ScalpingParams = scalpingParameters.parse({})
 * ```
 */
export type ScalpingParams = z.output<typeof scalpingParameters>

/**
 * Scalping with a cooldown on closed bars of the primary timeframe.
 *
 * Entry (flat, cooldown over): long when EMA(fast) > EMA(slow) and the close crosses up through EMA(fast)
 * (previous close ≤ previous fast EMA, close > fast EMA); short is the mirror. Exits come from an internal
 * {@link createExitManager} (`stopLossPct`, `takeProfitPct`, optional `maxHoldMs`), evaluated on each bar's
 * pessimistic path once the runner reports the position. Cooldown: after an exit (emitted here, or observed as the
 * position disappearing) no entry until `cooldownMs` later (measured on `ctx.nowMs`). Warm-up: `slowPeriod + 1` bars.
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: scalp-1, name: Scalper, class: Scalping }
 * market: { symbol: BTC/USDC:USDC, primary_timeframe: 1m }
 * parameters: { cooldownMs: 600000, takeProfitPct: 0.3, stopLossPct: 0.2 }` }),
 * })
 * ```
 */
export const Scalping = defineStrategy({
  className: 'Scalping',
  summary: 'EMA pullback scalper with fixed TP/SL and an entry cooldown after every exit',
  parameters: scalpingParameters,
  create({ id, market, params }): Strategy {
    const tf = market.primaryTimeframe
    const barMs = timeframeMs(tf)
    const fast = createEma({ period: params.fastPeriod })
    const slow = createEma({ period: params.slowPeriod })
    const exits = createExitManager({
      stopLossPct: params.stopLossPct,
      takeProfit: [{ profitPct: params.takeProfitPct, fraction: 1 }],
      ...(params.maxHoldMs === undefined ? {} : { timeExit: { maxHoldMs: params.maxHoldMs } }),
    })
    let prevClose = Number.NaN
    let prevFast = Number.NaN
    let lastExitMs: number | null = null
    return {
      id,
      className: 'Scalping',
      requirements: candleRequirements(tf, params.slowPeriod + 1),
      onCandle(ctx, event) {
        if (event.timeframe !== tf || !event.closed) return NO_INTENTS
        const c = event.candle
        const f = fast.update(c.close)
        const s = slow.update(c.close)
        const pc = prevClose
        const pf = prevFast
        prevClose = c.close
        prevFast = f
        if (!slow.isReady || Number.isNaN(pf) || ctx.warmingUp) return NO_INTENTS
        const pos = ctx.position
        if (pos !== null) {
          let out: StrategyIntent[] | undefined
          if (!exits.isOpen) out = [...exits.open({ side: pos.side, entryPrice: pos.entryPrice, openedAtMs: pos.openedAtMs })]
          const r = exits.onCandle(c, c.openTimeMs + barMs)
          if (r.length > 0) (out ??= []).push(...r)
          if (!exits.isOpen) lastExitMs = ctx.nowMs
          return out ?? NO_INTENTS
        }
        if (exits.isOpen) {
          exits.close() // closed elsewhere (venue stop, manual): the cooldown starts now
          lastExitMs = ctx.nowMs
        }
        if (lastExitMs !== null && ctx.nowMs - lastExitMs < params.cooldownMs) return NO_INTENTS
        const up = f > s && pc <= pf && c.close > f
        const down = params.allowShort && f < s && pc >= pf && c.close < f
        if (!up && !down) return NO_INTENTS
        const signal = createSignal({
          type: up ? 'buy' : 'sell',
          source: 'technical',
          confidence: 0.6,
          reason: up ? `close crossed above EMA(${params.fastPeriod}) in an uptrend` : `close crossed below EMA(${params.fastPeriod}) in a downtrend`,
          metadata: { emaFast: f, emaSlow: s, close: c.close },
          timestampMs: ctx.nowMs,
          symbol: ctx.symbol,
          strategyId: id,
        })
        const k = params.stopLossPct / 100
        const t = params.takeProfitPct / 100
        return [
          up
            ? { type: 'enter', side: 'long', signal, stopPrice: c.close * (1 - k), takeProfitPrice: c.close * (1 + t) }
            : { type: 'enter', side: 'short', signal, stopPrice: c.close * (1 + k), takeProfitPrice: c.close * (1 - t) },
        ]
      },
      onTrade: () => NO_INTENTS,
      onTimer: () => NO_INTENTS,
      indicators: () => ({ emaFast: fast.value, emaSlow: slow.value }),
      snapshot: () => ({ lastExitMs, exits: exits.snapshot() }),
      restore(snapshot) {
        const v = snapshot['lastExitMs']
        lastExitMs = typeof v === 'number' ? v : null
        const e = snapshot['exits']
        if (e !== undefined && e !== null) exits.restore(e as Parameters<typeof exits.restore>[0])
      },
    }
  },
})
