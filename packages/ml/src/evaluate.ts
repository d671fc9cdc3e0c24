/**
 * Walk-forward evaluation: purged walk-forward folds, each trained on its past and tested on the next block, next
 * to a control trained on the same rows with the labels shuffled (a model that learned nothing real should not beat
 * it out of sample).
 * @module
 */
import type { Candle } from '@perpkit/core'
import { MersenneTwister19937, Random } from 'random-js'
import { buildDataset } from './dataset.js'
import type { FeaturePipelineOptions } from './features.js'
import { type RandomForestOptions, trainRandomForest } from './forest.js'
import { type ClassificationMetrics, classificationMetrics } from './metrics.js'
import type { LabelSpec } from './registry/metadata.js'
import { purgedWalkForwardSplits } from './splits.js'

/**
 * Input of {@link evaluateWalkForward}.
 * @example
 * ```ts
 * import type { WalkForwardInput } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const input: WalkForwardInput = { bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }, forest: { seed: 1, trees: 20 }, folds: 4, controlSeed: 7 }
 * ```
 */
export interface WalkForwardInput {
  readonly bars: readonly Candle[]
  readonly label: LabelSpec
  readonly features?: FeaturePipelineOptions
  readonly forest: RandomForestOptions
  /** Test folds (the first of `folds + 1` blocks only trains). */
  readonly folds: number
  /** Rows dropped after each test block, default the label horizon. Rows before it are always purged by the horizon. */
  readonly embargoRows?: number
  /** Seed of the label shuffle of the control. */
  readonly controlSeed: number
  /** Probability at or above which a prediction counts as a signal (precision), default 0.5. */
  readonly threshold?: number
  /** Called after each trained model (model and control of each fold): `done` of `total`. */
  readonly onProgress?: (done: number, total: number) => void
}

/**
 * One fold of {@link WalkForwardReport}.
 * @example
 * ```ts
 * import type { WalkForwardFold } from '@perpkit/ml'
 * declare const fold: WalkForwardFold
 * console.log(fold.testFromMs, fold.model.accuracy, fold.control.accuracy)
 * ```
 */
export interface WalkForwardFold {
  readonly trainRows: number
  readonly testRows: number
  /** Open time of the first and last test bar. */
  readonly testFromMs: number
  readonly testToMs: number
  readonly model: ClassificationMetrics
  readonly control: ClassificationMetrics
}

/**
 * Result of {@link evaluateWalkForward}.
 * @example
 * ```ts
 * import type { WalkForwardReport } from '@perpkit/ml'
 * declare const report: WalkForwardReport
 * const edge = report.outOfSample.accuracy - report.control.accuracy
 * ```
 */
export interface WalkForwardReport {
  readonly features: readonly string[]
  readonly rows: number
  readonly folds: readonly WalkForwardFold[]
  /** Every test row of every fold, pooled. */
  readonly outOfSample: ClassificationMetrics
  /** The shuffled-label control on the same test rows, pooled. */
  readonly control: ClassificationMetrics
  /** Share of label 1 among the test rows (always guessing the majority class scores max(baseRate, 1 − baseRate)). */
  readonly baseRate: number
}

/**
 * Evaluate the learner out of sample with purged walk-forward folds and a shuffled-label control.
 *
 * @param input - {@link WalkForwardInput}
 * @returns a {@link WalkForwardReport}
 * @throws InvalidInputError for too few labelled rows for the folds, or a training block with one class
 * @example
 * ```ts
 * import { evaluateWalkForward } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const report = evaluateWalkForward({ bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }, forest: { seed: 1, trees: 20 }, folds: 3, controlSeed: 7 })
 * console.log(report.outOfSample.logLoss, 'vs control', report.control.logLoss)
 * ```
 */
export function evaluateWalkForward(input: WalkForwardInput): WalkForwardReport {
  const data = buildDataset({ bars: input.bars, label: input.label, ...(input.features !== undefined ? { features: input.features } : {}) })
  const horizon = input.label.horizonBars
  const threshold = input.threshold ?? 0.5
  const splits = purgedWalkForwardSplits({ rows: data.rows.length, folds: input.folds, purgeRows: horizon, embargoRows: input.embargoRows ?? horizon })
  const random = new Random(MersenneTwister19937.seed(input.controlSeed))
  const pooled = { p: [] as number[], c: [] as number[], y: [] as number[] }
  const folds: WalkForwardFold[] = []
  const total = splits.length * 2
  let done = 0
  for (const split of splits) {
    const trainRows = split.train.map((i) => data.rows[i] as Float64Array)
    const trainLabels = split.train.map((i) => data.labels[i] as number)
    const model = trainRandomForest({ rows: trainRows, labels: trainLabels, options: input.forest })
    input.onProgress?.(++done, total)
    const control = trainRandomForest({ rows: trainRows, labels: random.shuffle([...trainLabels]), options: input.forest })
    input.onProgress?.(++done, total)
    const p: number[] = []
    const c: number[] = []
    const y: number[] = []
    for (let i = split.testFrom; i < split.testTo; i++) {
      const row = data.rows[i] as Float64Array
      p.push(model.predictProbability(row))
      c.push(control.predictProbability(row))
      y.push(data.labels[i] as number)
    }
    folds.push({
      trainRows: trainRows.length,
      testRows: y.length,
      testFromMs: (input.bars[data.barIndex[split.testFrom] as number] as Candle).openTimeMs,
      testToMs: (input.bars[data.barIndex[split.testTo - 1] as number] as Candle).openTimeMs,
      model: classificationMetrics({ probabilities: p, labels: y, threshold }),
      control: classificationMetrics({ probabilities: c, labels: y, threshold }),
    })
    pooled.p.push(...p)
    pooled.c.push(...c)
    pooled.y.push(...y)
  }
  return {
    features: data.names,
    rows: data.rows.length,
    folds,
    outOfSample: classificationMetrics({ probabilities: pooled.p, labels: pooled.y, threshold }),
    control: classificationMetrics({ probabilities: pooled.c, labels: pooled.y, threshold }),
    baseRate: pooled.y.reduce((a, b) => a + b, 0) / pooled.y.length,
  }
}
