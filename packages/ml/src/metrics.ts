/**
 * Classification metrics of predicted probabilities against binary labels.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/** Metrics of one evaluation. */
export interface ClassificationMetrics {
  /** Rows evaluated. */
  readonly count: number
  /** Share of rows where `probability > 0.5` matches the label. */
  readonly accuracy: number
  /** Mean binary cross-entropy (natural log), probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does. */
  readonly logLoss: number
  /** Share of positive labels among rows with `probability ≥ threshold`; `null` when no row reaches it. */
  readonly precisionAtThreshold: number | null
  /** The threshold used for the precision. */
  readonly threshold: number
  /** Rows at or above the threshold. */
  readonly signals: number
}

const EPS = 1e-15

/**
 * Accuracy, log-loss and precision at a threshold of predicted probabilities of the positive class.
 *
 * @param input - `{ probabilities, labels, threshold = 0.5 }` (same length, labels 0 or 1)
 * @returns {@link ClassificationMetrics}
 * @throws InvalidInputError for different lengths, no rows, a label other than 0/1 or a probability outside [0, 1]
 * @example
 * ```ts
 * import { classificationMetrics } from '@perpkit/ml'
 * const m = classificationMetrics({ probabilities: [0.9, 0.2, 0.6, 0.4], labels: [1, 0, 0, 1], threshold: 0.55 })
 * // accuracy 0.5, precision at 0.55 = 1 of 2 = 0.5
 * ```
 */
export function classificationMetrics(input: { readonly probabilities: ArrayLike<number>; readonly labels: ArrayLike<number>; readonly threshold?: number }): ClassificationMetrics {
  const { probabilities: p, labels: y } = input
  const threshold = input.threshold ?? 0.5
  if (p.length !== y.length) throw new InvalidInputError(`probabilities (${p.length}) and labels (${y.length}) differ in length`, { path: 'labels' })
  if (p.length === 0) throw new InvalidInputError('no rows to evaluate', { path: 'labels' })
  let correct = 0
  let loss = 0
  let signals = 0
  let hits = 0
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] as number
    const yi = y[i] as number
    if (yi !== 0 && yi !== 1) throw new InvalidInputError(`labels[${i}] must be 0 or 1, got ${String(yi)}`, { path: `labels[${i}]` })
    if (!(pi >= 0 && pi <= 1)) throw new InvalidInputError(`probabilities[${i}] must be in [0, 1], got ${String(pi)}`, { path: `probabilities[${i}]` })
    if ((pi > 0.5 ? 1 : 0) === yi) correct++
    const c = Math.min(1 - EPS, Math.max(EPS, pi))
    loss -= yi === 1 ? Math.log(c) : Math.log(1 - c)
    if (pi >= threshold) {
      signals++
      hits += yi
    }
  }
  return { count: p.length, accuracy: correct / p.length, logLoss: loss / p.length, precisionAtThreshold: signals > 0 ? hits / signals : null, threshold, signals }
}
