/**
 * Walk-forward splits with purging and an embargo, so no training label overlaps the bars it is tested on.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/** One split: train on `train` (row indices, increasing), test on rows `[testFrom, testTo)`. */
export interface Split {
  readonly train: readonly number[]
  readonly testFrom: number
  readonly testTo: number
}

/** Options of {@link purgedWalkForwardSplits}. */
export interface PurgedSplitOptions {
  /** Number of rows (samples, in time order). */
  readonly rows: number
  /** Number of test folds; the data is cut into `folds + 1` equal blocks and the first block only trains. */
  readonly folds: number
  /** Rows dropped from training right before each test block: the label horizon in bars (labels of these rows look into the test block). */
  readonly purgeRows: number
  /** Rows dropped from training right after each test block (serial correlation); matters in `'k-fold'` mode. */
  readonly embargoRows: number
  /** `'walk-forward'` (default): train only on rows before the test block. `'k-fold'`: train on every row outside the purged and embargoed test block. */
  readonly mode?: 'walk-forward' | 'k-fold'
}

/**
 * Purged, embargoed walk-forward (or k-fold) splits over time-ordered rows (López de Prado, "Advances in Financial
 * Machine Learning", ch. 7). Rows `[testFrom − purgeRows, testFrom)` never train (their labels reach into the test
 * block), nor rows `[testTo, testTo + embargoRows)`.
 *
 * @param options - see {@link PurgedSplitOptions}
 * @returns one {@link Split} per fold, oldest test block first
 * @throws InvalidInputError for non-integer or negative sizes, or fewer rows than `folds + 1`
 * @example
 * ```ts
 * import { purgedWalkForwardSplits } from '@perpkit/ml'
 * const splits = purgedWalkForwardSplits({ rows: 12, folds: 2, purgeRows: 1, embargoRows: 0 })
 * // blocks of 4: train [0..2] test [4, 8); train [0..6] test [8, 12)
 * ```
 */
export function purgedWalkForwardSplits(options: PurgedSplitOptions): Split[] {
  const { rows, folds, purgeRows, embargoRows } = options
  for (const [name, v, min] of [['rows', rows, 1], ['folds', folds, 1], ['purgeRows', purgeRows, 0], ['embargoRows', embargoRows, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`${name} must be an integer >= ${min}, got ${String(v)}`, { path: name })
  }
  if (rows < folds + 1) throw new InvalidInputError(`rows (${rows}) must be at least folds + 1 (${folds + 1})`, { path: 'rows' })
  const mode = options.mode ?? 'walk-forward'
  const block = Math.floor(rows / (folds + 1))
  const splits: Split[] = []
  for (let f = 1; f <= folds; f++) {
    const testFrom = f * block
    const testTo = f === folds ? rows : (f + 1) * block
    const train: number[] = []
    for (let i = 0; i < testFrom - purgeRows; i++) train.push(i)
    if (mode === 'k-fold') for (let i = testTo + embargoRows; i < rows; i++) train.push(i)
    splits.push({ train, testFrom, testTo })
  }
  return splits
}
