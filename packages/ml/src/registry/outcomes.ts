/**
 * Live scoring of a model: each prediction waits until its label's horizon has passed, then gets the label the
 * model was trained on, computed from the bars that followed (the same rule as the training labels).
 * @module
 */
import type { Candle } from '@perpkit/core'
import type { LabelSpec } from './metadata.js'

/**
 * A prediction whose label is now known.
 * @example
 * ```ts
 * import type { ResolvedPrediction } from '@perpkit/ml'
 * const r: ResolvedPrediction = { version: 'v000001', probability: 0.62, label: 1, predictedAtMs: 0, resolvedAtMs: 3_600_000 }
 * ```
 */
export interface ResolvedPrediction {
  readonly version: string
  readonly probability: number
  readonly label: 0 | 1
  readonly predictedAtMs: number
  readonly resolvedAtMs: number
}

/**
 * Pending predictions of a live model, resolved bar by bar.
 * @example
 * ```ts
 * import { createOutcomeTracker, type OutcomeTracker } from '@perpkit/ml'
 * const tracker: OutcomeTracker = createOutcomeTracker({ label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 } })
 * tracker.pending // 0
 * ```
 */
export interface OutcomeTracker {
  /**
   * Feed the next closed bar: resolves the predictions whose horizon ends with it, then records `prediction` (made
   * at this bar's close), if any. `atMs` is the time of the bar's close event (the strategy's `nowMs`), stamped on
   * what it resolves and records.
   * @returns the predictions resolved by this bar, oldest first
   */
  update(input: { readonly bar: Candle; readonly atMs: number; readonly prediction?: { readonly version: string; readonly probability: number } }): readonly ResolvedPrediction[]
  /** Predictions still waiting for their label. */
  readonly pending: number
}

interface Pending {
  readonly version: string
  readonly probability: number
  readonly entryClose: number
  readonly predictedAtMs: number
  barsSeen: number
}

/**
 * Create an {@link OutcomeTracker} for a label spec. Forward return: label 1 when the close `horizonBars` bars later
 * is above the entry close by more than `thresholdPct` %. Triple barrier: 1 when the high reaches `+upPct` % before
 * the low reaches `−downPct` % (both in one bar counts as the stop), else at the vertical barrier 1 when the close is
 * above the entry close.
 *
 * @param options - `{ label }`: the {@link LabelSpec} of the model's metadata
 * @returns a tracker with nothing pending
 * @example
 * ```ts
 * import { createOutcomeTracker } from '@perpkit/ml'
 * const tracker = createOutcomeTracker({ label: { kind: 'forward-return', horizonBars: 1, thresholdPct: 0 } })
 * tracker.update({ bar: { openTimeMs: 0, open: 100, high: 100, low: 100, close: 100, volume: 1 }, atMs: 300_000, prediction: { version: 'v000001', probability: 0.7 } })
 * tracker.update({ bar: { openTimeMs: 300_000, open: 100, high: 101, low: 100, close: 101, volume: 1 }, atMs: 600_000 }) // [{ label: 1, probability: 0.7, ... }]
 * ```
 */
export function createOutcomeTracker(options: { readonly label: LabelSpec }): OutcomeTracker {
  const { label } = options
  let queue: Pending[] = []
  const resolve = (p: Pending, bar: Candle): 0 | 1 | null => {
    p.barsSeen += 1
    if (label.kind === 'forward-return') {
      if (p.barsSeen < label.horizonBars) return null
      return bar.close / p.entryClose - 1 > label.thresholdPct / 100 ? 1 : 0
    }
    const up = p.entryClose * (1 + label.upPct / 100)
    const down = p.entryClose * (1 - label.downPct / 100)
    if (bar.low <= down) return 0
    if (bar.high >= up) return 1
    if (p.barsSeen < label.horizonBars) return null
    return bar.close > p.entryClose ? 1 : 0
  }
  return {
    get pending() {
      return queue.length
    },
    update({ bar, atMs, prediction }) {
      const done: ResolvedPrediction[] = []
      const keep: Pending[] = []
      const resolvedAtMs = atMs
      for (const p of queue) {
        const y = resolve(p, bar)
        if (y === null) keep.push(p)
        else done.push({ version: p.version, probability: p.probability, label: y, predictedAtMs: p.predictedAtMs, resolvedAtMs })
      }
      queue = keep
      if (prediction !== undefined) queue.push({ ...prediction, entryClose: bar.close, predictedAtMs: atMs, barsSeen: 0 })
      return done
    },
  }
}
