/**
 * What the model registry's live side reports. Libraries do not log: the app turns these into logs and alerts.
 * @example
 * ```ts
 * import type { ModelEvent } from '@perpkit/ml'
 * function describe(e: ModelEvent): string {
 *   switch (e.type) {
 *     case 'model-loaded': return `now on ${e.version} (was ${e.previousVersion ?? 'none'})`
 *     case 'model-load-failed': return `kept ${e.keptVersion ?? 'none'}: ${e.version} refused: ${e.message}`
 *     case 'model-rolled-back': return `rolled back ${e.from} -> ${e.to}: ${e.metric} ${e.value} < ${e.floor}`
 *   }
 * }
 * ```
 */
export type ModelEvent =
  | {
      readonly type: 'model-loaded'
      readonly version: string
      readonly previousVersion: string | null
      /** Bar time at which the swap happened (epoch ms). */
      readonly atMs: number
    }
  | {
      readonly type: 'model-load-failed'
      /** The version the pointer named. */
      readonly version: string
      /** The model still in use (null when there is none yet). */
      readonly keptVersion: string | null
      readonly message: string
      readonly atMs: number
    }
  | {
      readonly type: 'model-rolled-back'
      readonly from: string
      readonly to: string
      readonly metric: 'accuracy' | 'precision'
      /** The live metric over the last `observations` resolved predictions. */
      readonly value: number
      readonly floor: number
      readonly observations: number
      readonly atMs: number
    }
