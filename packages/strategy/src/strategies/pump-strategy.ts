import { z } from 'zod'
import { createExitManager } from '../exits/exit-manager.js'
import { createSignal } from '../signals/create-signal.js'
import { defineStrategy } from '../strategy/definition.js'
import { NO_INTENTS, type StrategyIntent } from '../strategy/intents.js'
import type { Strategy } from '../strategy/types.js'
import { createPumpDetector } from './pump-detector.js'
import { clamp01, tradeRequirements } from './shared.js'

/**
 * Parameters of {@link PumpMomentum}.
 * @example
 * ```ts
 * import { pumpMomentumParameters } from '@perpkit/strategy'
 * pumpMomentumParameters.parse({ minBuysPerSecond: 300 })
 * ```
 */
export const pumpMomentumParameters = z
  .object({
    /** Counting window, ms (default 1000). */
    windowMs: z.number().int().positive().default(1000),
    /** Aggressive buys per second that count as a pump (required). */
    minBuysPerSecond: z.number().positive(),
    /** Minimum share of buys among window trades, 0..1 (default 0.6). */
    minBuyShare: z.number().min(0).max(1).default(0.6),
    /** Minimum time between detections, ms (default 10 000). */
    cooldownMs: z.number().int().min(0).default(10_000),
    /** Take profit, percent (default 0.3). */
    takeProfitPct: z.number().gt(0).lt(100).default(0.3),
    /** Stop, percent (default 0.2). */
    stopLossPct: z.number().gt(0).lt(100).default(0.2),
    /** Time exit, ms (default 60 000). */
    maxHoldMs: z.number().int().positive().default(60_000),
    /** Trades to see before trading (default 1000). */
    warmupTrades: z.number().int().min(0).default(1000),
  })
  .strict()

/**
 * Parsed parameters of {@link PumpMomentum}.
 * @example
 * ```ts
 * import { pumpMomentumParameters, type PumpMomentumParams } from '@perpkit/strategy'
 * const params: PumpMomentumParams = pumpMomentumParameters.parse({ minBuysPerSecond: 300 })
 * ```
 */
export type PumpMomentumParams = z.output<typeof pumpMomentumParameters>

/**
 * Pump momentum on the trade stream: a {@link createPumpDetector} burst (buys per second over the
 * threshold) produces a `buy` signal (source `orderbook`: order flow; confidence = rate / (2 × threshold), capped
 * at 1) and, when flat, an `enter long`. The position is then managed per trade by an exit manager (stop, take
 * profit, time exit).
 *
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const strategy = buildStrategy({
 *   registry: createBuiltinRegistry(),
 *   config: parseStrategyConfig({ yaml: `
 * strategy: { id: pump-1, name: Pump, class: PumpMomentum }
 * market: { symbol: BTC/USDT:USDT, primary_timeframe: 1m }
 * parameters: { minBuysPerSecond: 300 }` }),
 * })
 * ```
 */
export const PumpMomentum = defineStrategy({
  className: 'PumpMomentum',
  summary: 'Enter long on a burst of aggressive buys (trade stream), exit by stop / take-profit / time',
  parameters: pumpMomentumParameters,
  create({ id, params }): Strategy {
    const detector = createPumpDetector({ windowMs: params.windowMs, minBuysPerSecond: params.minBuysPerSecond, minBuyShare: params.minBuyShare, cooldownMs: params.cooldownMs })
    const exits = createExitManager({
      stopLossPct: params.stopLossPct,
      takeProfit: [{ profitPct: params.takeProfitPct, fraction: 1 }],
      timeExit: { maxHoldMs: params.maxHoldMs },
    })
    let seen = 0
    return {
      id,
      className: 'PumpMomentum',
      requirements: tradeRequirements(params.warmupTrades),
      onCandle: () => NO_INTENTS,
      onTrade(ctx, trade) {
        seen++
        const hit = detector.update(trade)
        if (ctx.warmingUp || seen <= params.warmupTrades) return NO_INTENTS
        const pos = ctx.position
        if (pos !== null) {
          let out: StrategyIntent[] | undefined
          if (!exits.isOpen) out = [...exits.open({ side: pos.side, entryPrice: pos.entryPrice, openedAtMs: pos.openedAtMs })]
          const r = exits.onPrice(trade.price, trade.timestampMs)
          if (r.length > 0) (out ??= []).push(...r)
          return out ?? NO_INTENTS
        }
        if (exits.isOpen) exits.close()
        if (hit === null) return NO_INTENTS
        const signal = createSignal({
          type: 'buy',
          source: 'orderbook',
          confidence: clamp01(hit.buysPerSecond / (2 * params.minBuysPerSecond)),
          reason: `${hit.buysPerSecond.toFixed(0)} buys/s >= ${params.minBuysPerSecond} (buy share ${(hit.buyShare * 100).toFixed(0)}%)`,
          metadata: { buysPerSecond: hit.buysPerSecond, buyShare: hit.buyShare, buyQty: hit.buyQty, price: hit.price },
          timestampMs: trade.timestampMs,
          symbol: ctx.symbol,
          strategyId: id,
        })
        return [{ type: 'enter', side: 'long', signal, stopPrice: trade.price * (1 - params.stopLossPct / 100), takeProfitPrice: trade.price * (1 + params.takeProfitPct / 100) }]
      },
      onTimer: () => NO_INTENTS,
      indicators: () => ({ buysPerSecond: detector.buysPerSecond }),
      snapshot: () => ({ exits: exits.snapshot() }),
      restore(snapshot) {
        const e = snapshot['exits']
        if (e !== undefined && e !== null) exits.restore(e as Parameters<typeof exits.restore>[0])
      },
    }
  },
})
