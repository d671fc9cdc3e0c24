/**
 * `MlSignal`: a strategy whose entries and exits come from a model in the registry, fed by the streaming feature
 * pipeline, with `source: 'ml'` signals, an ML exit, an optional time exit, hot-swap at bar boundaries and an
 * optional live rollback policy.
 * @module
 */
import { resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { InvalidInputError } from '@perpkit/core'
import { createSignal, defineStrategy, NO_INTENTS, type Strategy, type StrategyContext, type StrategyDefinition, type StrategyIntent } from '@perpkit/strategy'
import { z } from 'zod'
import { createFeaturePipeline, featureWarmupBars } from '../features.js'
import type { ModelEvent } from '../registry/events.js'
import { createLiveModel } from '../registry/live-model.js'
import { type ModelMetadata, VERSION_PATTERN } from '../registry/metadata.js'
import { createOutcomeTracker } from '../registry/outcomes.js'
import { createModelRegistry } from '../registry/registry.js'
import { createRollbackPolicy } from '../registry/rollback-policy.js'

const probability = z.number().gt(0).lt(1)

/**
 * Parameters of the `MlSignal` strategy class.
 * @example
 * ```ts
 * import { mlSignalParameters } from '@perpkit/ml'
 * mlSignalParameters.parse({ registry: 'models', enterAbove: 0.6, shortBelow: 0.4, maxHoldBars: 12 })
 * ```
 */
export const mlSignalParameters = z
  .object({
    /** Folder of the model registry (relative paths resolve against the definition's `baseDir`). */
    registry: z.string().min(1),
    /** Pin one version; without it the strategy follows the registry's current model and hot-swaps at bar boundaries. */
    version: z.string().regex(VERSION_PATTERN).optional(),
    /** Enter long when the model's probability of label 1 is at or above this (default 0.6). */
    enterAbove: probability.default(0.6),
    /** Enter short when the probability is at or below this (omit: long only). */
    shortBelow: probability.optional(),
    /** ML exit: close a long when the probability falls below this (default 0.5). */
    exitLongBelow: probability.default(0.5),
    /** ML exit: close a short when the probability rises above this (default 0.5). */
    exitShortAbove: probability.default(0.5),
    /** Time exit after this many closed bars in the position (omit: none). */
    maxHoldBars: z.number().int().min(1).optional(),
    /** Suggested protective stop, percent of the entry close (omit: the runner's default stop). */
    stopLossPct: z.number().gt(0).lt(100).optional(),
    /** Live rollback: revert to the previous model when its live metric falls below the floor over N resolved predictions. */
    rollback: z
      .object({ metric: z.enum(['accuracy', 'precision']).default('accuracy'), floor: z.number().min(0).max(1), observations: z.number().int().min(1), threshold: probability.optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => p.shortBelow === undefined || p.shortBelow < p.enterAbove, { path: ['shortBelow'], message: 'must be below enterAbove' })

/**
 * Parsed parameters of `MlSignal`.
 * @example
 * ```ts
 * import { mlSignalParameters, type MlSignalParams } from '@perpkit/ml'
 * const params: MlSignalParams = mlSignalParameters.parse({ registry: 'models' }) // long only, enter at 0.6, exit under 0.5
 * ```
 */
export type MlSignalParams = z.output<typeof mlSignalParameters>

/**
 * Options of {@link createMlSignalDefinition}.
 * @example
 * ```ts
 * import type { MlSignalDefinitionOptions } from '@perpkit/ml'
 * const options: MlSignalDefinitionOptions = { baseDir: '/srv/bot', onEvent: (e) => console.log(e.type) }
 * ```
 */
export interface MlSignalDefinitionOptions {
  /** Folder a relative `registry` parameter resolves against (default: the working directory). */
  readonly baseDir?: string
  /** Model events: swaps, refused models, rollbacks (for logs and alerts). */
  readonly onEvent?: (event: ModelEvent) => void
}

/** Same features and label: what a hot-swapped model must share with the one the strategy started with. */
function compatibility(first: ModelMetadata): (next: ModelMetadata) => string | null {
  return (next) => {
    if (!isDeepStrictEqual(next.features, first.features)) return `${next.version} reads other features than ${first.version} (restart the strategy to switch)`
    if (!isDeepStrictEqual(next.label, first.label)) return `${next.version} predicts another label than ${first.version} (restart the strategy to switch)`
    return null
  }
}

/**
 * The `MlSignal` strategy class, bound to a base folder and an event sink (a factory, because the strategy reads the
 * registry from disk). On each closed bar of the primary timeframe it feeds the feature pipeline, checks the
 * registry pointer (hot-swap), and asks the model for the probability `p` of label 1:
 * - flat: `p ≥ enterAbove` → enter long (`buy`, confidence `p`); `p ≤ shortBelow` → enter short (`sell`, confidence `1 − p`);
 * - long: `p < exitLongBelow` → exit (ML exit, `close` signal); short: `p > exitShortAbove` → exit;
 * - in a position for `maxHoldBars` bars → exit (`time`).
 * Signals carry `{ p, modelVersion, feature values }` as metadata. With `rollback`, each prediction is scored when its
 * label's horizon has passed and the rollback policy may revert the registry to the previous model (picked up at the
 * next bar).
 *
 * @param options - {@link MlSignalDefinitionOptions}
 * @returns a strategy definition with class name `MlSignal`
 * @throws (from `create`) InvalidInputError (path `parameters.registry` / `parameters.version`) when there is no
 *   loadable model to start with
 * @example
 * ```ts
 * import { createMlSignalDefinition } from '@perpkit/ml'
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const registry = createBuiltinRegistry()
 * registry.register(createMlSignalDefinition({ baseDir: '.' }))
 * const strategy = buildStrategy({
 *   registry,
 *   config: parseStrategyConfig({ yaml: 'strategy: {id: ml-1, name: ML, class: MlSignal}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 5m}\nparameters: {registry: models}' }),
 * })
 * ```
 */
export function createMlSignalDefinition(options: MlSignalDefinitionOptions = {}): StrategyDefinition<MlSignalParams> {
  return defineStrategy({
    className: 'MlSignal',
    summary: 'Enter and exit on the probability of the registry model (streaming features, hot-swap, rollback policy)',
    parameters: mlSignalParameters,
    create({ id, market, params }): Strategy {
      const tf = market.primaryTimeframe
      const registry = createModelRegistry({ dir: resolve(options.baseDir ?? '.', params.registry) })
      const pin = params.version !== undefined ? { version: params.version } : {}
      const startup: ModelEvent[] = []
      const probe = createLiveModel({ registry, ...pin, onEvent: (e) => startup.push(e) })
      probe.refresh(0)
      const first = probe.current
      if (first === null) {
        const why = startup.find((e) => e.type === 'model-load-failed')
        throw new InvalidInputError(`no usable model in ${registry.dir}${why?.type === 'model-load-failed' ? `: ${why.message}` : ' (promote one first)'}`, { path: params.version !== undefined ? 'parameters.version' : 'parameters.registry' })
      }
      // the model in use: loaded again at the first bar (reported then), swapped when the pointer moves
      const live = createLiveModel({ registry, ...pin, accept: compatibility(first.metadata), ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}) })
      const featureOptions = first.metadata.features.options
      const pipeline = createFeaturePipeline(featureOptions)
      const tracker = params.rollback === undefined ? undefined : createOutcomeTracker({ label: first.metadata.label })
      const policy =
        params.rollback === undefined
          ? undefined
          : createRollbackPolicy({
              registry,
              config: { metric: params.rollback.metric, floor: params.rollback.floor, observations: params.rollback.observations, ...(params.rollback.threshold !== undefined ? { threshold: params.rollback.threshold } : {}) },
              ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
            })
      let p = Number.NaN
      let barsHeld = 0
      const metadata = (version: string): Record<string, number | string> => {
        const m: Record<string, number | string> = { p, modelVersion: version }
        pipeline.names.forEach((n, i) => {
          m[n] = pipeline.values[i] as number
        })
        return m
      }
      const signal = (ctx: StrategyContext, type: 'buy' | 'sell' | 'close', confidence: number, reason: string, version: string) =>
        createSignal({ type, source: 'ml', confidence, reason, metadata: metadata(version), timestampMs: ctx.nowMs, symbol: ctx.symbol, strategyId: id })
      const one = (i: StrategyIntent): readonly StrategyIntent[] => [i]
      return {
        id,
        className: 'MlSignal',
        requirements: { timeframes: [tf], warmupBars: { [tf]: featureWarmupBars(featureOptions) }, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 },
        onCandle(ctx, event) {
          if (event.timeframe !== tf || !event.closed) return NO_INTENTS
          live.refresh(ctx.nowMs)
          const model = live.current
          const ready = pipeline.update(event.candle)
          p = ready && model !== null ? model.model.predictProbability(pipeline.values) : Number.NaN
          const version = model?.metadata.version ?? ''
          if (tracker !== undefined && policy !== undefined) {
            for (const r of tracker.update({ bar: event.candle, atMs: ctx.nowMs, ...(Number.isNaN(p) ? {} : { prediction: { version, probability: p } }) })) policy.observe(r)
          }
          const pos = ctx.position
          barsHeld = pos === null ? 0 : barsHeld + 1
          if (Number.isNaN(p) || ctx.warmingUp) return NO_INTENTS
          const close = event.candle.close
          if (pos === null) {
            if (p >= params.enterAbove) {
              const s = signal(ctx, 'buy', p, `model ${version}: p ${p.toFixed(3)} >= ${params.enterAbove}`, version)
              return one({ type: 'enter', side: 'long', signal: s, ...(params.stopLossPct === undefined ? {} : { stopPrice: close * (1 - params.stopLossPct / 100) }) })
            }
            if (params.shortBelow !== undefined && p <= params.shortBelow) {
              const s = signal(ctx, 'sell', 1 - p, `model ${version}: p ${p.toFixed(3)} <= ${params.shortBelow}`, version)
              return one({ type: 'enter', side: 'short', signal: s, ...(params.stopLossPct === undefined ? {} : { stopPrice: close * (1 + params.stopLossPct / 100) }) })
            }
            return NO_INTENTS
          }
          if (pos.side === 'long' ? p < params.exitLongBelow : p > params.exitShortAbove) {
            const s = signal(ctx, 'close', pos.side === 'long' ? 1 - p : p, `model ${version}: p ${p.toFixed(3)} ${pos.side === 'long' ? `< ${params.exitLongBelow}` : `> ${params.exitShortAbove}`}`, version)
            return one({ type: 'exit', reason: 'signal', detail: s.reason, signal: s })
          }
          if (params.maxHoldBars !== undefined && barsHeld >= params.maxHoldBars) return one({ type: 'exit', reason: 'time', detail: `held ${barsHeld} bars (maxHoldBars ${params.maxHoldBars})` })
          return NO_INTENTS
        },
        onTrade: () => NO_INTENTS,
        onTimer: () => NO_INTENTS,
        indicators: () => ({ p }),
        snapshot: () => ({ barsHeld }),
        restore: (s) => {
          barsHeld = typeof s['barsHeld'] === 'number' ? s['barsHeld'] : 0
        },
      }
    },
  })
}
