/**
 * In-process random forest (mljs `ml-random-forest`, pure JavaScript): train, predict the probability of the
 * positive class, save and load as JSON.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { RandomForestClassifier } from 'ml-random-forest'

/** Options of {@link trainRandomForest}. */
export interface RandomForestOptions {
  /** Seed of the bootstrap and feature draws (32-bit integer): same seed and data, same forest. */
  readonly seed: number
  /** Trees, default 50. */
  readonly trees?: number
  /** Maximum depth of each tree, default 6. */
  readonly maxDepth?: number
  /** Share of the features drawn for each tree, default 0.7. */
  readonly maxFeatures?: number
  /**
   * Smallest Gini gain a split must bring, default 0. (ml-cart's own default, 0.01, is more than any split of noisy
   * market labels gains: its trees stay single leaves and every row gets the base rate.)
   */
  readonly minGain?: number
  /** Fewest training rows a node needs to be split, default 3. */
  readonly minSplitRows?: number
}

/** A trained binary classifier. */
export interface ForestModel {
  readonly kind: 'random-forest'
  /** Probability that the label is 1, for one feature vector. */
  predictProbability(row: ArrayLike<number>): number
  /** The forest as plain JSON (for the model registry). */
  toJSON(): unknown
}

/** The parts of a trained ml-random-forest this module reads: per tree, its feature columns and its CART root. */
interface ForestInternals {
  readonly indexes: readonly (readonly number[])[]
  readonly estimators: readonly { readonly root: { classify(row: readonly number[]): { readonly columns: number; get(row: number, column: number): number } } }[]
}

/**
 * Probability of class 1: the mean over the trees of the share of class 1 among the training rows of the leaf the
 * row falls in (soft voting, as scikit-learn's `predict_proba`). Not `RandomForestClassifier.predictProbability`,
 * which counts hard votes (on noisy data every shallow tree's leaves can have majority 1, so every row gets 1) and,
 * in ml-random-forest 2.1, folds them with `reduce` without an initial value (7 of 10 votes come out as 0.600001).
 */
function probabilityOfOne(rf: RandomForestClassifier, row: ArrayLike<number>): number {
  const { indexes, estimators } = rf as unknown as ForestInternals
  let sum = 0
  for (let t = 0; t < estimators.length; t++) {
    const columns = indexes[t] as readonly number[]
    const x = columns.map((c) => row[c] as number)
    const leaf = (estimators[t] as ForestInternals['estimators'][number]).root.classify(x)
    sum += leaf.columns > 1 ? leaf.get(0, 1) : 0
  }
  return sum / estimators.length
}

function wrap(rf: RandomForestClassifier): ForestModel {
  return {
    kind: 'random-forest',
    predictProbability: (row) => probabilityOfOne(rf, row),
    toJSON: () => rf.toJSON(),
  }
}

/**
 * Train a random forest classifier on binary labels (bootstrap sampling of rows, a random share of the features per
 * tree). Deterministic for a seed. Pure JavaScript: fine for thousands of rows, slow beyond.
 *
 * @param input - `{ rows, labels, options }`: feature vectors, labels (0 or 1) of the same length, {@link RandomForestOptions}
 * @returns a {@link ForestModel}
 * @throws InvalidInputError for no rows, different lengths, labels other than 0/1 or a single class
 * @example
 * ```ts
 * import { trainRandomForest } from '@perpkit/ml'
 * declare const rows: readonly Float64Array[], labels: Float64Array // e.g. from computeFeatures + forwardReturnLabels
 * const model = trainRandomForest({ rows, labels, options: { seed: 7, trees: 50 } })
 * const pUp = model.predictProbability(rows[rows.length - 1] as Float64Array) // share of trees voting 1
 * ```
 */
export function trainRandomForest(input: { readonly rows: readonly ArrayLike<number>[]; readonly labels: ArrayLike<number>; readonly options: RandomForestOptions }): ForestModel {
  const { rows, labels, options } = input
  if (rows.length === 0 || rows.length !== labels.length) throw new InvalidInputError(`need as many labels as rows (> 0), got ${rows.length} rows and ${labels.length} labels`, { path: 'labels' })
  const y: number[] = []
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number
    if (v !== 0 && v !== 1) throw new InvalidInputError(`labels[${i}] must be 0 or 1, got ${String(v)}`, { path: `labels[${i}]` })
    y.push(v)
  }
  if (!y.includes(0) || !y.includes(1)) throw new InvalidInputError('labels must contain both classes', { path: 'labels' })
  if (!Number.isInteger(options.seed)) throw new InvalidInputError(`seed must be an integer, got ${String(options.seed)}`, { path: 'options.seed' })
  const rf = new RandomForestClassifier({
    seed: options.seed,
    nEstimators: options.trees ?? 50,
    maxFeatures: options.maxFeatures ?? 0.7,
    replacement: true,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: options.maxDepth ?? 6, gainThreshold: options.minGain ?? 0, minNumSamples: options.minSplitRows ?? 3 },
  })
  rf.train(rows.map((r) => Array.from(r)), y)
  return wrap(rf)
}

/**
 * Load a forest saved with {@link ForestModel.toJSON}.
 *
 * @param json - the saved forest
 * @returns a {@link ForestModel} predicting exactly as the saved one
 * @example
 * ```ts
 * import { loadRandomForest, trainRandomForest } from '@perpkit/ml'
 * const saved = JSON.stringify(trainRandomForest({ rows: [[0], [1]], labels: [0, 1], options: { seed: 1, trees: 3 } }).toJSON())
 * const model = loadRandomForest(JSON.parse(saved))
 * ```
 */
export function loadRandomForest(json: unknown): ForestModel {
  return wrap(RandomForestClassifier.load(json as Parameters<typeof RandomForestClassifier.load>[0]))
}
