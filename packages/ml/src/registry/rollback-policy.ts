/**
 * Rollback policy: when the live metric of the current model over its last N resolved predictions falls below a
 * floor, the registry goes back to the previous model and a `model-rolled-back` event is emitted (for an alert).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { classificationMetrics } from '../metrics.js'
import type { ModelEvent } from './events.js'
import type { ResolvedPrediction } from './outcomes.js'
import type { ModelRegistry, RegistryPointer } from './registry.js'

/**
 * Configuration of {@link createRollbackPolicy}.
 * @example
 * ```ts
 * import type { RollbackPolicyConfig } from '@perpkit/ml'
 * const config: RollbackPolicyConfig = { metric: 'accuracy', floor: 0.5, observations: 200 }
 * ```
 */
export interface RollbackPolicyConfig {
  /** `accuracy` (prediction above 0.5 = 1), or `precision` (share of 1 among predictions at or above `threshold`). */
  readonly metric: 'accuracy' | 'precision'
  /** Roll back when the metric is below this value. */
  readonly floor: number
  /** How many resolved predictions of the current model the metric is computed over (a full window is needed). */
  readonly observations: number
  /** Threshold of `precision`, default 0.5. */
  readonly threshold?: number
}

/**
 * A rollback policy over a registry.
 * @example
 * ```ts
 * import { createModelRegistry, createRollbackPolicy, type RollbackPolicy } from '@perpkit/ml'
 * const policy: RollbackPolicy = createRollbackPolicy({ registry: createModelRegistry({ dir: 'models' }), config: { metric: 'accuracy', floor: 0.5, observations: 100 } })
 * policy.window // 0
 * ```
 */
export interface RollbackPolicy {
  /**
   * Record one resolved prediction. Predictions of another version than the registry's current one are ignored.
   * @returns the new pointer when this observation caused a rollback, else null
   */
  observe(prediction: ResolvedPrediction): RegistryPointer | null
  /** Resolved predictions of the current model in the window. */
  readonly window: number
}

/**
 * Create a {@link RollbackPolicy}. The window holds the last `observations` resolved predictions of the registry's
 * current version (it restarts when the version changes). Once full, the metric is computed with
 * {@link classificationMetrics}; below `floor` the registry rolls back (if it has a previous model; without one the
 * event is not emitted and the model stays) and the window restarts. A window without any prediction at or above
 * `threshold` has no precision and causes nothing.
 *
 * @param input - `{ registry, config, onEvent? }`
 * @returns the policy
 * @throws InvalidInputError for a floor outside [0, 1] or observations not a positive integer
 * @example
 * ```ts
 * import { createModelRegistry, createRollbackPolicy } from '@perpkit/ml'
 * const policy = createRollbackPolicy({
 *   registry: createModelRegistry({ dir: 'models' }),
 *   config: { metric: 'accuracy', floor: 0.5, observations: 200 },
 *   onEvent: (e) => { if (e.type === 'model-rolled-back') console.error(`ALERT model ${e.from} rolled back to ${e.to}`) },
 * })
 * ```
 */
export function createRollbackPolicy(input: { readonly registry: ModelRegistry; readonly config: RollbackPolicyConfig; readonly onEvent?: (event: ModelEvent) => void }): RollbackPolicy {
  const { registry, config, onEvent } = input
  if (config.metric !== 'accuracy' && config.metric !== 'precision') throw new InvalidInputError(`metric must be accuracy or precision, got ${String(config.metric)}`, { path: 'metric' })
  if (!(config.floor >= 0 && config.floor <= 1)) throw new InvalidInputError(`floor must be in [0, 1], got ${String(config.floor)}`, { path: 'floor' })
  if (!Number.isInteger(config.observations) || config.observations < 1) throw new InvalidInputError(`observations must be a positive integer, got ${String(config.observations)}`, { path: 'observations' })
  const threshold = config.threshold ?? 0.5
  let version: string | null = null
  let probabilities: number[] = []
  let labels: number[] = []
  const restart = (v: string | null): void => {
    version = v
    probabilities = []
    labels = []
  }
  return {
    get window() {
      return probabilities.length
    },
    observe(p) {
      const current = registry.pointer().current
      if (current !== version) restart(current)
      if (p.version !== current) return null
      probabilities.push(p.probability)
      labels.push(p.label)
      if (probabilities.length > config.observations) {
        probabilities.shift()
        labels.shift()
      }
      if (probabilities.length < config.observations) return null
      const m = classificationMetrics({ probabilities, labels, threshold })
      const value = config.metric === 'accuracy' ? m.accuracy : m.precisionAtThreshold
      if (value === null || value >= config.floor) return null
      if (registry.pointer().history.length === 0) return null
      const next = registry.rollback()
      onEvent?.({ type: 'model-rolled-back', from: p.version, to: next.current as string, metric: config.metric, value, floor: config.floor, observations: config.observations, atMs: p.resolvedAtMs })
      restart(next.current)
      return next
    },
  }
}
