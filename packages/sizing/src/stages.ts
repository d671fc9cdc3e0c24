/**
 * Stage parameter bundles of the account builder: loss caps, EV multiple, liquidation distance and leverage per equity stage.
 * @module
 */

/**
 * Account stage: 1 expansion ($100–300), 2 acceleration ($300–700), 3 preservation (≥ $700).
 *
 * @example
 * ```ts
 * import { type Stage, STAGE_SIZING_PARAMS } from '@perpkit/sizing'
 * const stage: Stage = 2
 * STAGE_SIZING_PARAMS[stage].evFeeMultiple // 2.5
 * ```
 */
export type Stage = 1 | 2 | 3

/**
 * Sizing parameters of one stage.
 *
 * @example
 * ```ts
 * import { STAGE_SIZING_PARAMS, type StageSizingParams } from '@perpkit/sizing'
 * const p: StageSizingParams = STAGE_SIZING_PARAMS[3]
 * p.minLiquidationDistance // 0.2
 * ```
 */
export interface StageSizingParams {
  /** USD cap of the loss at stop. */
  readonly maxLossUsd: number
  /** Fraction-of-equity cap of the loss at stop. */
  readonly maxLossFraction: number
  /** EV gate multiple K: expected profit must be ≥ fee × K. */
  readonly evFeeMultiple: number
  /** Minimum liquidation distance as a fraction of entry. */
  readonly minLiquidationDistance: number
  /** Default leverage (3x; 2x in stage 3). */
  readonly leverage: number
}

/**
 * Default stage parameters: loss caps $10/$20/$30 and 12 %/8 %/6 %, EV multiples 2/2.5/3, liquidation
 * distance ≥ 30 % (stages 1–2) or ≥ 20 % (stage 3 at 2x), leverage 3x/3x/2x.
 *
 * @example
 * ```ts
 * import { STAGE_SIZING_PARAMS } from '@perpkit/sizing'
 * STAGE_SIZING_PARAMS[1].maxLossUsd // 10
 * ```
 */
export const STAGE_SIZING_PARAMS: Readonly<Record<Stage, StageSizingParams>> = {
  1: { maxLossUsd: 10, maxLossFraction: 0.12, evFeeMultiple: 2, minLiquidationDistance: 0.3, leverage: 3 },
  2: { maxLossUsd: 20, maxLossFraction: 0.08, evFeeMultiple: 2.5, minLiquidationDistance: 0.3, leverage: 3 },
  3: { maxLossUsd: 30, maxLossFraction: 0.06, evFeeMultiple: 3, minLiquidationDistance: 0.2, leverage: 2 },
}
