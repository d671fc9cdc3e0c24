/**
 * Train a model on a series and describe it for the registry (features, label, training window).
 * @module
 */
import type { Candle } from '@perpkit/core'
import { MersenneTwister19937, Random } from 'random-js'
import { buildDataset } from './dataset.js'
import type { FeaturePipelineOptions } from './features.js'
import { type ForestModel, type RandomForestOptions, trainRandomForest } from './forest.js'
import type { LabelSpec, NewModelMetadata } from './registry/metadata.js'

/**
 * Input of {@link trainModel}.
 * @example
 * ```ts
 * import type { TrainModelInput } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
import { MersenneTwister19937, Random } from 'random-js'
 * declare const bars: readonly Candle[]
 * const input: TrainModelInput = { bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }, forest: { seed: 1 }, createdAtMs: 1_764_900_000_000 }
 * ```
 */
export interface TrainModelInput {
  /** Closed bars, oldest first: the training window. */
  readonly bars: readonly Candle[]
  readonly label: LabelSpec
  readonly features?: FeaturePipelineOptions
  readonly forest: RandomForestOptions
  /** When the model is made (epoch ms, from the caller's clock). */
  readonly createdAtMs: number
  readonly symbol?: string
  readonly timeframe?: string
  /**
   * Train a control model instead: the labels are shuffled with this seed before training, so whatever it scores is
   * luck (compare a real model's backtest with it). Recorded as `training.shuffledLabelsSeed`.
   */
  readonly shuffledLabelsSeed?: number
  /** Metrics to store with the model (e.g. out-of-sample ones from {@link evaluateWalkForward}). */
  readonly metrics?: Readonly<Record<string, number | null>>
}

/**
 * Train a random forest on every labelled row of the series and return it with the metadata the registry stores.
 *
 * @param input - {@link TrainModelInput}
 * @returns `{ model, metadata }`, ready for `registry.save`
 * @throws InvalidInputError when there are no labelled rows or only one class
 * @example
 * ```ts
 * import { createModelRegistry, trainModel } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
import { MersenneTwister19937, Random } from 'random-js'
 * declare const bars: readonly Candle[]
 * const trained = trainModel({ bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }, forest: { seed: 1, trees: 20 }, createdAtMs: 1_764_900_000_000 })
 * createModelRegistry({ dir: 'models' }).save(trained)
 * ```
 */
export function trainModel(input: TrainModelInput): { readonly model: ForestModel; readonly metadata: NewModelMetadata } {
  const data = buildDataset({ bars: input.bars, label: input.label, ...(input.features !== undefined ? { features: input.features } : {}) })
  const labels = input.shuffledLabelsSeed === undefined ? data.labels : new Random(MersenneTwister19937.seed(input.shuffledLabelsSeed)).shuffle(Array.from(data.labels))
  const model = trainRandomForest({ rows: data.rows, labels, options: input.forest })
  const first = input.bars[0] as Candle
  const last = input.bars[input.bars.length - 1] as Candle
  return {
    model,
    metadata: {
      learner: 'random-forest',
      features: { names: [...data.names], options: { ...input.features } },
      label: input.label,
      training: {
        ...(input.symbol !== undefined ? { symbol: input.symbol } : {}),
        ...(input.timeframe !== undefined ? { timeframe: input.timeframe } : {}),
        fromMs: first.openTimeMs,
        toMs: last.openTimeMs,
        rows: data.rows.length,
        ...(input.shuffledLabelsSeed !== undefined ? { shuffledLabelsSeed: input.shuffledLabelsSeed } : {}),
      },
      metrics: { ...input.metrics },
      createdAtMs: input.createdAtMs,
    },
  }
}
