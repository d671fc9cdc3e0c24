import type { Timeframe } from '@perpkit/core'
import type { z } from 'zod'
import type { Strategy } from './types.js'

/**
 * The `market` section of a strategy config, normalised.
 * @example
 * ```ts
 * import type { MarketConfig } from '@perpkit/strategy'
 * const market: MarketConfig = { exchange: 'binance', symbol: 'BTC/USDT:USDT', primaryTimeframe: '1m', timeframes: ['1m', '5m', '1h'] }
 * ```
 */
export interface MarketConfig {
  /** Venue name as written in the config (informational). */
  readonly exchange?: string
  /** Unified perp symbol, e.g. `BTC/USDT:USDT`. */
  readonly symbol: string
  /** Execution timeframe. */
  readonly primaryTimeframe: Timeframe
  /** Every timeframe the strategy may use (always contains `primaryTimeframe`). */
  readonly timeframes: readonly Timeframe[]
}

/**
 * What a definition's `create` receives: identity, market and validated parameters.
 * @example
 * ```ts
 * import type { StrategyCreateInput } from '@perpkit/strategy'
 * const input: StrategyCreateInput<{ period: number }> = {
 *   id: 'x-1', name: 'X', params: { period: 14 },
 *   market: { symbol: 'BTC/USDT:USDT', primaryTimeframe: '5m', timeframes: ['5m'] },
 * }
 * ```
 */
export interface StrategyCreateInput<P> {
  readonly id: string
  readonly name: string
  readonly market: MarketConfig
  readonly params: P
}

/**
 * A strategy class: a name, a zod schema for its parameters and a factory.
 * @example
 * ```ts
 * import { SmaCrossover, type StrategyDefinition } from '@perpkit/strategy'
 * const def: StrategyDefinition = SmaCrossover
 * def.parameters.parse({ fastPeriod: 10, slowPeriod: 30 })
 * ```
 */
export interface StrategyDefinition<P = unknown> {
  /** The name used in config `strategy.class`, e.g. `SmaCrossover`. */
  readonly className: string
  /** One-line description. */
  readonly summary: string
  /** Schema of `parameters` (defaults applied by the schema). */
  readonly parameters: z.ZodType<P>
  /** Builds an instance from validated parameters. */
  create(input: StrategyCreateInput<P>): Strategy
}

/**
 * Declares a strategy class; infers the parameter type from the zod schema.
 *
 * @param definition - class name, summary, parameter schema, factory.
 * @returns the same definition, typed.
 * @example
 * ```ts
 * import { defineStrategy, NO_INTENTS } from '@perpkit/strategy'
 * import { z } from 'zod'
 * export const Idle = defineStrategy({
 *   className: 'Idle',
 *   summary: 'never trades',
 *   parameters: z.object({}).strict(),
 *   create: ({ id, market }) => ({
 *     id, className: 'Idle',
 *     requirements: { timeframes: [market.primaryTimeframe], warmupBars: {}, formingBars: false, trades: false, warmupTrades: 0, timerIntervalMs: 0 },
 *     onCandle: () => NO_INTENTS, onTrade: () => NO_INTENTS, onTimer: () => NO_INTENTS,
 *     indicators: () => ({}), snapshot: () => ({}), restore: () => {},
 *   }),
 * })
 * ```
 */
export function defineStrategy<S extends z.ZodType>(definition: {
  readonly className: string
  readonly summary: string
  readonly parameters: S
  create(input: StrategyCreateInput<z.output<S>>): Strategy
}): StrategyDefinition<z.output<S>> {
  return definition as StrategyDefinition<z.output<S>>
}

/**
 * True when `value` looks like a {@link StrategyDefinition} (used on user plugin modules).
 *
 * @param value - anything.
 * @returns whether it has a string `className`, a schema with `safeParse` and a `create` function.
 * @example
 * ```ts
 * import { isStrategyDefinition, SmaCrossover } from '@perpkit/strategy'
 * isStrategyDefinition(SmaCrossover) // true
 * ```
 */
export function isStrategyDefinition(value: unknown): value is StrategyDefinition {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  const schema = v['parameters'] as { safeParse?: unknown } | undefined
  return typeof v['className'] === 'string' && typeof v['create'] === 'function' && typeof schema?.safeParse === 'function'
}
