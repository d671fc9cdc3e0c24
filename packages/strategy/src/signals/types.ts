/**
 * Signal objects: what a strategy or signal generator believes, how sure it is and why.
 * @module
 */

/**
 * What a signal asks for. `partial-close` carries a `closeFraction`.
 * @example
 * ```ts
 * import type { SignalType } from '@perpkit/strategy'
 * const t: SignalType = 'partial-close'
 * ```
 */
export type SignalType = 'buy' | 'sell' | 'close' | 'partial-close'

/**
 * Every {@link SignalType}, in a stable order.
 * @example
 * ```ts
 * import { SIGNAL_TYPES } from '@perpkit/strategy'
 * SIGNAL_TYPES.includes('close') // true
 * ```
 */
export const SIGNAL_TYPES: readonly SignalType[] = ['buy', 'sell', 'close', 'partial-close']

/**
 * Where a signal comes from: indicators, an ML model, order book / order flow, or an outside feed.
 * @example
 * ```ts
 * import type { SignalSource } from '@perpkit/strategy'
 * const s: SignalSource = 'orderbook'
 * ```
 */
export type SignalSource = 'technical' | 'ml' | 'orderbook' | 'external'

/**
 * Every {@link SignalSource}, in a stable order.
 * @example
 * ```ts
 * import { SIGNAL_SOURCES } from '@perpkit/strategy'
 * SIGNAL_SOURCES.length // 4
 * ```
 */
export const SIGNAL_SOURCES: readonly SignalSource[] = ['technical', 'ml', 'orderbook', 'external']

/**
 * Extra context a signal carries for logs (indicator values, levels); flat JSON values only.
 * @example
 * ```ts
 * import type { SignalMetadata } from '@perpkit/strategy'
 * const metadata: SignalMetadata = { rsi: 28.5, timeframe: '5m', oversold: true }
 * ```
 */
export type SignalMetadata = Readonly<Record<string, number | string | boolean>>

/**
 * Fields shared by every signal.
 * @example
 * ```ts
 * import { createSignal, type SignalBase } from '@perpkit/strategy'
 * const base: SignalBase = createSignal({ type: 'close', source: 'external', confidence: 1, reason: 'manual', timestampMs: 0, symbol: 'BTC/USDT:USDT', strategyId: 'ops' })
 * ```
 */
export interface SignalBase {
  /** Origin of the signal. */
  readonly source: SignalSource
  /** How sure the producer is, 0..1. */
  readonly confidence: number
  /** Human-readable explanation, e.g. `"RSI 27.4 < 30"`. */
  readonly reason: string
  /** Structured context (indicator values, levels). */
  readonly metadata: SignalMetadata
  /** Time of the data the signal was computed from (epoch ms; candle close or trade time). */
  readonly timestampMs: number
  /** Unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly symbol: string
  /** Id of the strategy (or generator) that produced it. */
  readonly strategyId: string
}

/**
 * A full-direction signal: open/extend long (`buy`), open/extend short (`sell`), or flatten (`close`).
 * @example
 * ```ts
 * import { createSignal, type DirectionalSignal } from '@perpkit/strategy'
 * const s = createSignal({ type: 'sell', source: 'technical', confidence: 0.8, reason: 'RSI 78 > 70', timestampMs: 0, symbol: 'BTC/USDT:USDT', strategyId: 'rsi-1' })
 * if (s.type !== 'partial-close') { const d: DirectionalSignal = s }
 * ```
 */
export interface DirectionalSignal extends SignalBase {
  readonly type: 'buy' | 'sell' | 'close'
}

/**
 * Close part of the position: `closeFraction` of the current quantity, in (0, 1].
 * @example
 * ```ts
 * import { createSignal } from '@perpkit/strategy'
 * const s = createSignal({ type: 'partial-close', closeFraction: 0.33, source: 'technical', confidence: 1, reason: 'tier 1', timestampMs: 0, symbol: 'BTC/USDT:USDT', strategyId: 'x' })
 * if (s.type === 'partial-close') console.log(s.closeFraction) // 0.33
 * ```
 */
export interface PartialCloseSignal extends SignalBase {
  readonly type: 'partial-close'
  /** Fraction of the current position to close, in (0, 1]. */
  readonly closeFraction: number
}

/**
 * A signal: discriminated on `type`.
 * @example
 * ```ts
 * import { createSignal, type Signal } from '@perpkit/strategy'
 * const signal: Signal = createSignal({
 *   type: 'buy', source: 'technical', confidence: 0.75, reason: 'RSI oversold at 28.5',
 *   timestampMs: 1758240000000, symbol: 'BTC/USDT:USDT', strategyId: 'rsi-1', metadata: { rsi: 28.5 },
 * })
 * ```
 */
export type Signal = DirectionalSignal | PartialCloseSignal
