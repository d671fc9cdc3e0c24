/**
 * A labelled training set from closed bars: the streaming features (one row per ready bar) joined with the label
 * of that bar, rows whose label is still unknown (the last `horizonBars` bars) left out.
 * @module
 */
import { type Candle, InvalidInputError } from '@perpkit/core'
import { computeFeatures, type FeaturePipelineOptions } from './features.js'
import { forwardReturnLabels, tripleBarrierLabels } from './labels.js'
import type { LabelSpec } from './registry/metadata.js'

/**
 * Features and labels, row by row.
 * @example
 * ```ts
 * import { buildDataset, type Dataset } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const data: Dataset = buildDataset({ bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 } })
 * ```
 */
export interface Dataset {
  readonly names: readonly string[]
  readonly rows: readonly Float64Array[]
  /** 0 or 1, one per row. */
  readonly labels: Float64Array
  /** Index in `bars` of the bar each row was computed after. */
  readonly barIndex: readonly number[]
}

/**
 * The labels of a {@link LabelSpec} over a series (NaN where the future is not known yet).
 *
 * @param input - `{ bars, label }`
 * @returns one label per bar
 * @throws InvalidInputError as {@link forwardReturnLabels} / {@link tripleBarrierLabels}
 * @example
 * ```ts
 * import { labelsFor } from '@perpkit/ml'
 * const bar = (close: number) => ({ openTimeMs: 0, open: close, high: close, low: close, close, volume: 1 })
 * labelsFor({ bars: [bar(100), bar(101)], label: { kind: 'forward-return', horizonBars: 1, thresholdPct: 0 } }) // [1, NaN]
 * ```
 */
export function labelsFor(input: { readonly bars: readonly Candle[]; readonly label: LabelSpec }): Float64Array {
  const { bars, label } = input
  const close = bars.map((b) => b.close)
  if (label.kind === 'forward-return') return forwardReturnLabels({ close, horizonBars: label.horizonBars, thresholdPct: label.thresholdPct })
  return tripleBarrierLabels({ high: bars.map((b) => b.high), low: bars.map((b) => b.low), close, horizonBars: label.horizonBars, upPct: label.upPct, downPct: label.downPct })
}

/**
 * Build the training set of a series: features through the streaming pipeline, labels by the spec.
 *
 * @param input - `{ bars, label, features? }`: closed bars (oldest first), the label, the pipeline options
 * @returns a {@link Dataset}
 * @throws InvalidInputError when no row has both features and a label
 * @example
 * ```ts
 * import { buildDataset } from '@perpkit/ml'
 * import type { Candle } from '@perpkit/core'
 * declare const bars: readonly Candle[]
 * const { rows, labels } = buildDataset({ bars, label: { kind: 'triple-barrier', horizonBars: 24, upPct: 0.5, downPct: 0.5 } })
 * ```
 */
export function buildDataset(input: { readonly bars: readonly Candle[]; readonly label: LabelSpec; readonly features?: FeaturePipelineOptions }): Dataset {
  const matrix = computeFeatures({ bars: input.bars, ...(input.features !== undefined ? { options: input.features } : {}) })
  const all = labelsFor({ bars: input.bars, label: input.label })
  const rows: Float64Array[] = []
  const labels: number[] = []
  const barIndex: number[] = []
  matrix.rows.forEach((row, i) => {
    const at = matrix.rowIndex[i] as number
    const y = all[at] as number
    if (Number.isNaN(y)) return
    rows.push(row)
    labels.push(y)
    barIndex.push(at)
  })
  if (rows.length === 0) throw new InvalidInputError(`no labelled rows in ${input.bars.length} bars (features need warm-up, labels need ${input.label.horizonBars} bars of future)`, { path: 'bars' })
  return { names: matrix.names, rows, labels: Float64Array.from(labels), barIndex }
}
