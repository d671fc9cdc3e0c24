import { z } from 'zod'
import { createExitManager } from '../exits/exit-manager.js'
import { createRollingVwap, createSessionVwap, type VwapIndicator } from '../indicators/vwap.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy } from '../strategy/types.js'
import { clamp01, tradeRequirements } from './shared.js'

/**
 * Parameters of {@link VwapMeanReversion}.
 * @example
 * ```ts
 * import { vwapMeanReversionParameters } from '@perpkit/strategy'
 * vwapMeanReversionParameters.parse({ vwap: { mode: 'rolling', windowMs: 300_000 }, entryDeviationPct: 0.2 })
 * ```
 */
export const vwapMeanReversionParameters = z
  .object({
    /** True VWAP from trades: session-anchored (calendar period in a time zone) or a rolling window. */
    vwap: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('session'), anchor: z.enum(['day', 'week', 'month']).default('day'), timeZone: z.string().min(1).default('UTC') }).strict(),
        z.object({ mode: z.literal('rolling'), windowMs: z.number().int().positive() }).strict(),
      ])
      .default({ mode: 'session', anchor: 'day', timeZone: 'UTC' }),
    /** Enter when the trade price is this far beyond the VWAP, percent (default 0.1). */
    entryDeviationPct: z.number().gt(0).lt(50).default(0.1),
    /** Exit when the price is back within this distance of the VWAP, percent (default 0 = at the VWAP). */
    exitDeviationPct: z.number().min(0).lt(50).default(0),
    /** Also fade moves above the VWAP (default true). */
    allowShort: z.boolean().default(true),
    /** Optional fixed stop, percent. */
    stopLossPct: z.number().gt(0).lt(100).optional(),
    /** Trades to see before trading (default 500). */
    warmupTrades: z.number().int().min(0).default(500),
    /** Minimum time between two entry intents, ms (default 1000): the runner may need a moment to fill. */
    entryCooldownMs: z.number().int().min(0).default(1000),
  })
  .strict()
  .refine((p) => p.exitDeviationPct < p.entryDeviationPct, { path: ['exitDeviationPct'], message: 'exitDeviationPct must be below entryDeviationPct' })

/**
 * Parsed parameters of {@link VwapMeanReversion}.
 * @example
 * ```ts
 * import { vwapMeanReversionParameters, type VwapMeanReversionParams } from '@perpkit/strategy'
 * const params: VwapMeanReversionParams = vwapMeanReversionParameters.parse({})
 * ```
 */
export type VwapMeanReversionParams = z.output<typeof vwapMeanReversionParameters>

/**
 * VWAP mean reversion on the trade stream, with the true VWAP computed from trades
 * (not OHLC). Flat and price ≤ VWAP·(1 − entryDeviationPct %) → enter long; with `allowShort`, price ≥
 * VWAP·(1 + entryDeviationPct %) → enter short. A long exits when price ≥ VWAP·(1 − exitDeviationPct %) (a short
 * mirrors it), or at the optional stop. Confidence = 0.5 + 0.5·min(1, deviation / (2·entryDeviationPct)).
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: vwap-1, name: VWAP MR, class: VwapMeanReversion }
 * market: { symbol: BTC/USDT:USDT, primary_timeframe: 1m }
 * parameters: { vwap: { mode: session, anchor: day, timeZone: UTC }, entryDeviationPct: 0.2 }` }),
 * })
 * ```
 */
export const VwapMeanReversion = defineStrategy({
  className: 'VwapMeanReversion',
  summary: 'Fade deviations from the true (trade-based) VWAP, exit back at the VWAP',
  parameters: vwapMeanReversionParameters,
  create({ id, params }): Strategy {
    const v = params.vwap
    const vwap: VwapIndicator = v.mode === 'session' ? createSessionVwap({ anchor: v.anchor, timeZone: v.timeZone }) : createRollingVwap({ windowMs: v.windowMs })
    const exits = params.stopLossPct === undefined ? undefined : createExitManager({ stopLossPct: params.stopLossPct })
    const entryDev = params.entryDeviationPct / 100
    const exitDev = params.exitDeviationPct / 100
    let seen = 0
    let lastEntryMs = -Infinity
    return {
      id,
      className: 'VwapMeanReversion',
      requirements: tradeRequirements(params.warmupTrades),
      onCandle: () => NO_INTENTS,
      onTrade(ctx, trade) {
        seen++
        const w = vwap.update(trade)
        if (ctx.warmingUp || seen <= params.warmupTrades || !vwap.isReady) return NO_INTENTS
        const p = trade.price
        const pos = ctx.position
        if (pos !== null) {
          let out: StrategyIntent[] | undefined
          if (exits !== undefined) {
            if (!exits.isOpen) out = [...exits.open({ side: pos.side, entryPrice: pos.entryPrice, openedAtMs: pos.openedAtMs })]
            const r = exits.onPrice(p, trade.timestampMs)
            if (r.length > 0) return [...(out ?? []), ...r]
          }
          const back = pos.side === 'long' ? p >= w * (1 - exitDev) : p <= w * (1 + exitDev)
          if (back) {
            exits?.close()
            ;(out ??= []).push({ type: 'exit', reason: 'signal', detail: `price ${p} back to VWAP ${w.toFixed(2)}` })
          }
          return out ?? NO_INTENTS
        }
        if (exits?.isOpen === true) exits.close()
        if (trade.timestampMs - lastEntryMs < params.entryCooldownMs) return NO_INTENTS
        const dev = (p - w) / w
        const long = dev <= -entryDev
        const short = params.allowShort && dev >= entryDev
        if (!long && !short) return NO_INTENTS
        lastEntryMs = trade.timestampMs
        const signal = createSignal({
          type: long ? 'buy' : 'sell',
          source: 'technical',
          confidence: 0.5 + 0.5 * clamp01(Math.abs(dev) / (2 * entryDev)),
          reason: `price ${p} is ${(dev * 100).toFixed(3)}% from VWAP ${w.toFixed(2)}`,
          metadata: { vwap: w, price: p, deviationPct: dev * 100 },
          timestampMs: trade.timestampMs,
          symbol: ctx.symbol,
          strategyId: id,
        })
        const sl = params.stopLossPct
        return [{ type: 'enter', side: long ? 'long' : 'short', signal, takeProfitPrice: w, ...(sl === undefined ? {} : { stopPrice: p * (long ? 1 - sl / 100 : 1 + sl / 100) }) }]
      },
      onTimer: () => NO_INTENTS,
      indicators: () => ({ vwap: vwap.value }),
      snapshot: () => ({ lastEntryMs: Number.isFinite(lastEntryMs) ? lastEntryMs : null }),
      restore(snapshot) {
        const t = snapshot['lastEntryMs']
        lastEntryMs = typeof t === 'number' ? t : -Infinity
      },
    }
  },
})
