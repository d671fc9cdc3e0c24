/**
 * Training labels. They look forward in time, so they exist only for training and evaluation: nothing in a
 * strategy's path computes them.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

function checkHorizon(horizonBars: number): void {
  if (!Number.isInteger(horizonBars) || horizonBars < 1) throw new InvalidInputError(`horizonBars must be an integer >= 1, got ${String(horizonBars)}`, { path: 'horizonBars' })
}

/**
 * Binary forward-return labels: `1` when `close[t + horizonBars] / close[t] − 1 > thresholdPct / 100`, else `0`;
 * `NaN` for the last `horizonBars` bars (their future is unknown).
 *
 * @param input - `{ close, horizonBars, thresholdPct = 0 }`
 * @returns one label per bar
 * @throws InvalidInputError for a horizon that is not a positive integer
 * @example
 * ```ts
 * import { forwardReturnLabels } from '@perpkit/ml'
 * forwardReturnLabels({ close: [100, 101, 100.5, 99], horizonBars: 1 }) // [1, 0, 0, NaN]
 * ```
 */
export function forwardReturnLabels(input: { readonly close: ArrayLike<number>; readonly horizonBars: number; readonly thresholdPct?: number }): Float64Array {
  const { close, horizonBars } = input
  checkHorizon(horizonBars)
  const threshold = (input.thresholdPct ?? 0) / 100
  const out = new Float64Array(close.length).fill(Number.NaN)
  for (let t = 0; t + horizonBars < close.length; t++) out[t] = (close[t + horizonBars] as number) / (close[t] as number) - 1 > threshold ? 1 : 0
  return out
}

/**
 * Triple-barrier labels (López de Prado): from the close of bar `t`, `1` if the upper barrier
 * (`+upPct` %) is touched first within `horizonBars` bars, `0` if the lower barrier (`−downPct` %) is touched first
 * or both are touched in the same bar (the stop is assumed first), and at the vertical barrier `1` if the close is
 * above the entry close, else `0`. `NaN` for the last `horizonBars` bars.
 *
 * @param input - `{ high, low, close, horizonBars, upPct, downPct }` (parallel arrays, oldest first)
 * @returns one label per bar
 * @throws InvalidInputError for a bad horizon, non-positive barriers or arrays of different lengths
 * @example
 * ```ts
 * import { tripleBarrierLabels } from '@perpkit/ml'
 * // from 100: bar 1 reaches 102 (the +1 % barrier) before any low under 99
 * tripleBarrierLabels({ high: [100, 102, 100], low: [100, 99.5, 98], close: [100, 101, 99], horizonBars: 2, upPct: 1, downPct: 1 }) // [1, NaN, NaN]
 * ```
 */
export function tripleBarrierLabels(input: {
  readonly high: ArrayLike<number>
  readonly low: ArrayLike<number>
  readonly close: ArrayLike<number>
  readonly horizonBars: number
  readonly upPct: number
  readonly downPct: number
}): Float64Array {
  const { high, low, close, horizonBars, upPct, downPct } = input
  checkHorizon(horizonBars)
  if (!(upPct > 0) || !(downPct > 0)) throw new InvalidInputError('upPct and downPct must be > 0', { path: upPct > 0 ? 'downPct' : 'upPct' })
  const n = close.length
  if (high.length !== n || low.length !== n) throw new InvalidInputError('high, low and close must have the same length', { path: 'high' })
  const out = new Float64Array(n).fill(Number.NaN)
  for (let t = 0; t + horizonBars < n; t++) {
    const entry = close[t] as number
    const up = entry * (1 + upPct / 100)
    const down = entry * (1 - downPct / 100)
    let label = (close[t + horizonBars] as number) > entry ? 1 : 0
    for (let j = t + 1; j <= t + horizonBars; j++) {
      const hitDown = (low[j] as number) <= down
      if (hitDown || (high[j] as number) >= up) {
        label = hitDown ? 0 : 1
        break
      }
    }
    out[t] = label
  }
  return out
}
