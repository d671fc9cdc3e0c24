import { InvalidInputError } from '@perpkit/core'
import type { StrategyDefinition } from './definition.js'

/**
 * Strategy classes by name.
 * @example
 * ```ts
 * import { createBuiltinRegistry, type StrategyRegistry } from '@perpkit/strategy'
 * const registry: StrategyRegistry = createBuiltinRegistry()
 * registry.get('Scalping')?.summary
 * ```
 */
export interface StrategyRegistry {
  /** Adds a class. @throws InvalidInputError (path `className`) when the name is taken. */
  register(definition: StrategyDefinition): void
  get(className: string): StrategyDefinition | undefined
  /** Registered names, sorted. */
  classNames(): readonly string[]
}

/**
 * Creates a registry of strategy classes.
 *
 * @param definitions - classes to register up front.
 * @returns the registry.
 * @throws InvalidInputError when two definitions share a `className`.
 * @example
 * ```ts
 * import { createStrategyRegistry, SmaCrossover } from '@perpkit/strategy'
 * const registry = createStrategyRegistry([SmaCrossover])
 * registry.get('SmaCrossover') // the definition
 * ```
 */
export function createStrategyRegistry(definitions: readonly StrategyDefinition[] = []): StrategyRegistry {
  const map = new Map<string, StrategyDefinition>()
  const registry: StrategyRegistry = {
    register(definition) {
      if (map.has(definition.className)) throw new InvalidInputError(`strategy class ${definition.className} is already registered`, { path: 'className' })
      map.set(definition.className, definition)
    },
    get: (className) => map.get(className),
    classNames: () => [...map.keys()].sort(),
  }
  for (const d of definitions) registry.register(d)
  return registry
}
