import type { StrategyDefinition } from '../strategy/definition.js'
import { createStrategyRegistry, type StrategyRegistry } from '../strategy/registry.js'
import { Grid } from './grid.js'
import { PumpMomentum } from './pump-strategy.js'
import { RsiMeanReversion } from './rsi-mean-reversion.js'
import { Scalping } from './scalping.js'
import { SmaCrossover } from './sma-crossover.js'
import { VwapMeanReversion } from './vwap-mean-reversion.js'

/**
 * Every built-in strategy class.
 * @example
 * ```ts
 * import { BUILTIN_STRATEGIES } from '@perpkit/strategy'
 * for (const d of BUILTIN_STRATEGIES) console.log(d.className, '-', d.summary)
 * ```
 */
export const BUILTIN_STRATEGIES: readonly StrategyDefinition[] = [SmaCrossover, RsiMeanReversion, Scalping, Grid, PumpMomentum, VwapMeanReversion]

/**
 * Creates a registry holding every built-in strategy class (register your own classes on it too).
 *
 * @returns a fresh registry.
 * @example
 * ```ts
 * import { createBuiltinRegistry } from '@perpkit/strategy'
 * createBuiltinRegistry().classNames() // ['Grid', 'PumpMomentum', 'RsiMeanReversion', 'Scalping', 'SmaCrossover', ...]
 * ```
 */
export function createBuiltinRegistry(): StrategyRegistry {
  return createStrategyRegistry(BUILTIN_STRATEGIES)
}
