import { InvalidInputError } from '@perpkit/core'
import { SIGNAL_SOURCES, SIGNAL_TYPES, type Signal, type SignalMetadata, type SignalSource, type SignalType } from './types.js'

/**
 * Input of {@link createSignal}; `metadata` defaults to `{}`, `closeFraction` is required for `partial-close` only.
 * @example
 * ```ts
 * import { createSignal, type CreateSignalInput } from '@perpkit/strategy'
 * const input: CreateSignalInput = {
 *   type: 'partial-close', closeFraction: 0.5, source: 'ml', confidence: 0.7, reason: 'model predicts reversal',
 *   timestampMs: 1758240000000, symbol: 'BTC/USDT:USDT', strategyId: 'ml-1',
 * }
 * createSignal(input)
 * ```
 */
export interface CreateSignalInput {
  readonly type: SignalType
  readonly source: SignalSource
  readonly confidence: number
  readonly reason: string
  readonly timestampMs: number
  readonly symbol: string
  readonly strategyId: string
  readonly metadata?: SignalMetadata
  readonly closeFraction?: number
}

const EMPTY_METADATA: SignalMetadata = Object.freeze({})

/**
 * Builds a validated, frozen {@link Signal}.
 *
 * @param input - the signal fields; see {@link CreateSignalInput}.
 * @returns the signal.
 * @throws InvalidInputError (with `path`) when `confidence` is outside 0..1 or not finite, `type`/`source` is not
 *   in the closed set, `timestampMs` is not a non-negative integer, `symbol`/`strategyId`/`reason` is empty, or
 *   `closeFraction` is missing/outside (0, 1] for `partial-close` (or given for another type).
 * @example
 * ```ts
 * import { createSignal } from '@perpkit/strategy'
 * const s = createSignal({
 *   type: 'buy', source: 'technical', confidence: 0.75, reason: 'RSI oversold at 28.5',
 *   timestampMs: 1758240000000, symbol: 'BTC/USDT:USDT', strategyId: 'rsi-001', metadata: { rsi: 28.5 },
 * })
 * ```
 */
export function createSignal(input: CreateSignalInput): Signal {
  if (!SIGNAL_TYPES.includes(input.type)) throw new InvalidInputError(`unknown signal type ${String(input.type)}`, { path: 'type' })
  if (!SIGNAL_SOURCES.includes(input.source)) throw new InvalidInputError(`unknown signal source ${String(input.source)}`, { path: 'source' })
  const c = input.confidence
  if (typeof c !== 'number' || !(c >= 0 && c <= 1)) throw new InvalidInputError(`confidence must be within 0..1, got ${String(c)}`, { path: 'confidence' })
  if (!Number.isInteger(input.timestampMs) || input.timestampMs < 0) {
    throw new InvalidInputError(`timestampMs must be a non-negative integer, got ${String(input.timestampMs)}`, { path: 'timestampMs' })
  }
  if (typeof input.symbol !== 'string' || input.symbol === '') throw new InvalidInputError('symbol must be a non-empty string', { path: 'symbol' })
  if (typeof input.strategyId !== 'string' || input.strategyId === '') throw new InvalidInputError('strategyId must be a non-empty string', { path: 'strategyId' })
  if (typeof input.reason !== 'string' || input.reason === '') throw new InvalidInputError('reason must be a non-empty string', { path: 'reason' })
  const base = {
    source: input.source,
    confidence: c,
    reason: input.reason,
    metadata: input.metadata === undefined ? EMPTY_METADATA : Object.freeze({ ...input.metadata }),
    timestampMs: input.timestampMs,
    symbol: input.symbol,
    strategyId: input.strategyId,
  }
  if (input.type === 'partial-close') {
    const f = input.closeFraction
    if (typeof f !== 'number' || !(f > 0 && f <= 1)) {
      throw new InvalidInputError(`closeFraction must be within (0, 1] for partial-close, got ${String(f)}`, { path: 'closeFraction' })
    }
    return Object.freeze({ type: 'partial-close', closeFraction: f, ...base })
  }
  if (input.closeFraction !== undefined) throw new InvalidInputError(`closeFraction is only allowed for partial-close`, { path: 'closeFraction' })
  return Object.freeze({ type: input.type, ...base })
}
