import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatIssuePath, InvalidInputError, parseOrThrow, type Timeframe, timeframeSchema, unifiedSymbol } from '@perpkit/core'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { isStrategyDefinition, type MarketConfig, type StrategyDefinition } from './definition.js'
import type { StrategyRegistry } from './registry.js'
import type { Strategy } from './types.js'

/**
 * Schema of a strategy config file:
 * `strategy: {id, name, class, module?}`, `market: {symbol, primary_timeframe, timeframes?, exchange?}`, `parameters`.
 * @example
 * ```ts
 * import { strategyConfigSchema } from '@perpkit/strategy'
 * strategyConfigSchema.safeParse({ strategy: { id: 'a', name: 'A', class: 'Grid' }, market: { symbol: 'BTC/USD:BTC', primary_timeframe: '15m' } }).success // true
 * ```
 */
export const strategyConfigSchema = z
  .object({
    strategy: z
      .object({
        id: z.string().min(1),
        name: z.string().min(1),
        class: z.string().min(1),
        module: z.string().min(1).optional(),
      })
      .strict(),
    market: z
      .object({
        exchange: z.string().min(1).optional(),
        symbol: unifiedSymbol,
        primary_timeframe: timeframeSchema,
        timeframes: z.array(timeframeSchema).min(1).optional(),
      })
      .strict(),
    parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.market.timeframes !== undefined && !c.market.timeframes.includes(c.market.primary_timeframe)) {
      ctx.addIssue({ code: 'custom', path: ['market', 'timeframes'], message: `must include primary_timeframe ${c.market.primary_timeframe}` })
    }
  })

/**
 * A parsed, validated strategy config (parameters not yet validated: that needs the class).
 * @example
 * ```ts
 * import { parseStrategyConfig, type StrategyConfig } from '@perpkit/strategy'
 * const config: StrategyConfig = parseStrategyConfig({ yaml: 'strategy: {id: a, name: A, class: Grid}\nmarket: {symbol: BTC/USD:BTC, primary_timeframe: 15m}' })
 * ```
 */
export interface StrategyConfig {
  readonly id: string
  readonly name: string
  readonly className: string
  /** Module specifier of a user plugin (relative paths resolve against the loader's `baseDir`). */
  readonly module?: string
  readonly market: MarketConfig
  readonly parameters: Readonly<Record<string, unknown>>
}

/**
 * Input of {@link parseStrategyConfig}: YAML text, or an already-parsed object.
 * @example
 * ```ts
 * import { parseStrategyConfig, type ParseStrategyConfigInput } from '@perpkit/strategy'
 * const input: ParseStrategyConfigInput = { object: { strategy: { id: 'a', name: 'A', class: 'Grid' }, market: { symbol: 'BTC/USD:BTC', primary_timeframe: '15m' } } }
 * parseStrategyConfig(input)
 * ```
 */
export type ParseStrategyConfigInput = { readonly yaml: string } | { readonly object: unknown }

/**
 * Parses and validates a strategy config.
 *
 * @param input - `{ yaml }` text or `{ object }`.
 * @returns the normalised config.
 * @throws InvalidInputError for YAML syntax errors (message has line/column) and schema violations, with `path`
 *   naming the bad field (e.g. `market.primary_timeframe`).
 * @example
 * ```ts
 * import { parseStrategyConfig } from '@perpkit/strategy'
 * const config = parseStrategyConfig({ yaml: `
 * strategy: { id: sma-001, name: SMA cross, class: SmaCrossover }
 * market: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }
 * parameters: { fastPeriod: 20, slowPeriod: 50 }
 * ` })
 * config.market.timeframes // ['5m']
 * ```
 */
export function parseStrategyConfig(input: ParseStrategyConfigInput): StrategyConfig {
  let raw: unknown
  if ('yaml' in input) {
    const doc = parseDocument(input.yaml, { prettyErrors: true, uniqueKeys: true })
    const err = doc.errors[0]
    if (err !== undefined) throw new InvalidInputError(`invalid YAML: ${err.message}`, { cause: err })
    raw = doc.toJS()
  } else raw = input.object
  const c = parseOrThrow(strategyConfigSchema, raw, 'strategy config')
  const market: MarketConfig = {
    ...(c.market.exchange === undefined ? {} : { exchange: c.market.exchange }),
    symbol: c.market.symbol,
    primaryTimeframe: c.market.primary_timeframe,
    timeframes: [...new Set<Timeframe>(c.market.timeframes ?? [c.market.primary_timeframe])],
  }
  return {
    id: c.strategy.id,
    name: c.strategy.name,
    className: c.strategy.class,
    ...(c.strategy.module === undefined ? {} : { module: c.strategy.module }),
    market,
    parameters: c.parameters ?? {},
  }
}

/**
 * Validates `parameters` against a definition's schema and creates the strategy.
 *
 * @param input - the config and the class to instantiate.
 * @returns the strategy.
 * @throws InvalidInputError with `path` `parameters.<field>` (e.g. `parameters.period`) when a parameter is bad.
 * @example
 * ```ts
 * import { instantiateStrategy, parseStrategyConfig, SmaCrossover } from '@perpkit/strategy'
 * const config = parseStrategyConfig({ object: { strategy: { id: 'a', name: 'A', class: 'SmaCrossover' }, market: { symbol: 'BTC/USDT:USDT', primary_timeframe: '1h' } } })
 * const strategy = instantiateStrategy({ config, definition: SmaCrossover })
 * ```
 */
export function instantiateStrategy(input: { readonly config: StrategyConfig; readonly definition: StrategyDefinition }): Strategy {
  const { config, definition } = input
  const parsed = definition.parameters.safeParse(config.parameters)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatIssuePath(['parameters', ...i.path]), message: i.message }))
    const first = issues[0] as { path: string; message: string }
    throw new InvalidInputError(`invalid parameters for ${definition.className}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      path: first.path,
      cause: parsed.error,
      details: { issues },
    })
  }
  return definition.create({ id: config.id, name: config.name, market: config.market, params: parsed.data })
}

/**
 * Builds a strategy from a parsed config using a registry (synchronous; no plugin modules).
 *
 * @param input - `config` and `registry`.
 * @returns the strategy.
 * @throws InvalidInputError (path `strategy.class`) for an unknown class or a config with `module`; parameter errors
 *   as {@link instantiateStrategy}.
 * @example
 * ```ts
 * import { buildStrategy, createBuiltinRegistry, parseStrategyConfig } from '@perpkit/strategy'
 * const config = parseStrategyConfig({ yaml: 'strategy: {id: r1, name: RSI, class: RsiMeanReversion}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 1m}' })
 * const strategy = buildStrategy({ config, registry: createBuiltinRegistry() })
 * ```
 */
export function buildStrategy(input: { readonly config: StrategyConfig; readonly registry: StrategyRegistry }): Strategy {
  const { config, registry } = input
  if (config.module !== undefined) throw new InvalidInputError('configs with strategy.module need loadStrategy (async)', { path: 'strategy.module' })
  const definition = registry.get(config.className)
  if (definition === undefined) {
    throw new InvalidInputError(`unknown strategy class ${config.className} (registered: ${registry.classNames().join(', ')})`, { path: 'strategy.class' })
  }
  return instantiateStrategy({ config, definition })
}

/**
 * Input of {@link loadStrategy}.
 * @example
 * ```ts
 * import { createBuiltinRegistry, loadStrategy, type LoadStrategyInput } from '@perpkit/strategy'
 * const input: LoadStrategyInput = { yaml: 'strategy: {id: a, name: A, class: Grid}\nmarket: {symbol: BTC/USD:BTC, primary_timeframe: 15m}', registry: createBuiltinRegistry() }
 * const strategy = await loadStrategy(input)
 * ```
 */
export interface LoadStrategyInput {
  /** YAML text of the config. */
  readonly yaml: string
  /** Built-in (and pre-registered) classes. */
  readonly registry: StrategyRegistry
  /** Directory against which a relative `strategy.module` resolves (usually the config file's folder). */
  readonly baseDir?: string
}

/**
 * Loads a strategy from YAML: from the registry, or — when `strategy.module` is set — from a user plugin module
 * (dynamic `import()`), which must export a {@link StrategyDefinition} under the name given in `strategy.class` (or
 * as `default` with that `className`).
 *
 * @param input - YAML text, registry, `baseDir` for relative module paths.
 * @returns the strategy.
 * @throws InvalidInputError naming the bad field: YAML/schema errors, `strategy.module` (relative without `baseDir`,
 *   or import failure), `strategy.class` (unknown class / export is not a definition), `parameters.<field>`.
 * @example
 * ```ts
 * import { createBuiltinRegistry, loadStrategy } from '@perpkit/strategy'
 * const strategy = await loadStrategy({
 *   yaml: 'strategy: {id: my-1, name: Mine, class: MyStrategy, module: ./my-strategy.js}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 5m}',
 *   registry: createBuiltinRegistry(),
 *   baseDir: '/etc/bot/strategies',
 * })
 * ```
 */
export async function loadStrategy(input: LoadStrategyInput): Promise<Strategy> {
  const config = parseStrategyConfig({ yaml: input.yaml })
  if (config.module === undefined) return buildStrategy({ config, registry: input.registry })
  const spec = config.module
  let specifier = spec
  if (spec.startsWith('.') || isAbsolute(spec)) {
    if (!isAbsolute(spec) && input.baseDir === undefined) {
      throw new InvalidInputError(`relative module ${spec} needs a baseDir`, { path: 'strategy.module' })
    }
    specifier = pathToFileURL(resolve(input.baseDir ?? '/', spec)).href
  }
  let mod: Record<string, unknown>
  try {
    mod = (await import(specifier)) as Record<string, unknown>
  } catch (cause) {
    throw new InvalidInputError(`cannot import strategy module ${spec}: ${cause instanceof Error ? cause.message : String(cause)}`, { path: 'strategy.module', cause })
  }
  const named = mod[config.className]
  const candidate = named !== undefined ? named : mod['default']
  if (!isStrategyDefinition(candidate) || candidate.className !== config.className) {
    throw new InvalidInputError(`module ${spec} does not export a strategy definition named ${config.className}`, { path: 'strategy.class' })
  }
  return instantiateStrategy({ config, definition: candidate })
}
