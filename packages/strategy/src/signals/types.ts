/**
 * Signal objects (spec 004): what a strategy or signal generator believes, how sure it is and why.
 * @module
 */

/** What a signal asks for. `partial-close` carries a `closeFraction`. */
export type SignalType = 'buy' | 'sell' | 'close' | 'partial-close'

/** Every {@link SignalType}, in a stable order. */
export const SIGNAL_TYPES: readonly SignalType[] = ['buy', 'sell', 'close', 'partial-close']

/** Where a signal comes from: indicators, an ML model, order book / order flow, or an outside feed. */
export type SignalSource = 'technical' | 'ml' | 'orderbook' | 'external'

/** Every {@link SignalSource}, in a stable order. */
export const SIGNAL_SOURCES: readonly SignalSource[] = ['technical', 'ml', 'orderbook', 'external']

/** Extra context a signal carries for logs (indicator values, levels); flat JSON values only. */
export type SignalMetadata = Readonly<Record<string, number | string | boolean>>

/** Fields shared by every signal. */
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

/** A full-direction signal: open/extend long (`buy`), open/extend short (`sell`), or flatten (`close`). */
export interface DirectionalSignal extends SignalBase {
  readonly type: 'buy' | 'sell' | 'close'
}

/** Close part of the position: `closeFraction` of the current quantity, in (0, 1]. */
export interface PartialCloseSignal extends SignalBase {
  readonly type: 'partial-close'
  /** Fraction of the current position to close, in (0, 1]. */
  readonly closeFraction: number
}

/** A signal: discriminated on `type`. */
export type Signal = DirectionalSignal | PartialCloseSignal
