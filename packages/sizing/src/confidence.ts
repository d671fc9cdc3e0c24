/**
 * Confidence-based position budget: $10 by default, at most $50 per position.
 * @module
 */
import { fail, InvalidInputError, ok, roundQty } from '@perpkit/core'
import { contractsToUsd, usdToContracts } from './contracts.js'
import type { SizingDecision } from './reasons.js'
import type { SizingInstrument } from './types.js'
import { checkInstrument } from './position-size.js'
import { assertFinite, assertPositive } from './validate.js'

/**
 * Result of {@link confidenceNotional}.
 *
 * @example
 * ```ts
 * import { confidenceNotional } from '@perpkit/sizing'
 * const r = confidenceNotional({ confidence: 0.75 })
 * if (r.ok) r.value.notionalUsd // 30
 * ```
 */
export interface ConfidenceNotional {
  /** Notional to deploy, in USD, ≤ `maxUsd`. */
  readonly notionalUsd: number
  /** Confidence used (`null` when none was given and the default applied). */
  readonly confidence: number | null
}

/**
 * Map a signal confidence in `[0, 1]` to a position notional in USD: `minConfidence` → `defaultUsd`,
 * 1 → `maxUsd`, linear in between, then × `sizeMultiplier` and capped at `maxUsd`. Without a confidence the
 * default applies. Defaults: $10 default, $50 max (002), minConfidence 0.5.
 *
 * @returns `ok({ notionalUsd, confidence })` or `fail('low-confidence')` below `minConfidence`
 * @throws InvalidInputError on confidence outside `[0, 1]`, `defaultUsd > maxUsd`, multiplier outside `[0, 1]`
 * @example
 * ```ts
 * import { confidenceNotional } from '@perpkit/sizing'
 * confidenceNotional({ confidence: 0.75 }) // ok: 30 USD (halfway between 10 and 50)
 * confidenceNotional({}) // ok: 10 USD (default)
 * confidenceNotional({ confidence: 0.3 }).ok // false: low-confidence
 * ```
 */
export function confidenceNotional(args: {
  readonly confidence?: number | undefined
  readonly defaultUsd?: number
  readonly maxUsd?: number
  readonly minConfidence?: number
  readonly sizeMultiplier?: number
}): SizingDecision<ConfidenceNotional, 'low-confidence'> {
  const defaultUsd = assertPositive(args.defaultUsd ?? 10, 'defaultUsd')
  const maxUsd = assertPositive(args.maxUsd ?? 50, 'maxUsd')
  if (defaultUsd > maxUsd) throw new InvalidInputError(`defaultUsd ${defaultUsd} exceeds maxUsd ${maxUsd}`, { path: 'defaultUsd' })
  const minConfidence = unit(args.minConfidence ?? 0.5, 'minConfidence')
  const multiplier = unit(args.sizeMultiplier ?? 1, 'sizeMultiplier')
  if (args.confidence === undefined) return ok({ notionalUsd: Math.min(maxUsd, defaultUsd * multiplier), confidence: null })
  const c = unit(args.confidence, 'confidence')
  if (c < minConfidence) return fail('low-confidence', { confidence: c, minConfidence })
  const t = minConfidence >= 1 ? 1 : (c - minConfidence) / (1 - minConfidence)
  const notionalUsd = Math.min(maxUsd, (defaultUsd + (maxUsd - defaultUsd) * t) * multiplier)
  return ok({ notionalUsd, confidence: c })
}

/**
 * A size derived from a USD notional.
 *
 * @example
 * ```ts
 * import { sizeFromNotional } from '@perpkit/sizing'
 * const r = sizeFromNotional({ instrument: { kind: 'inverse', contractSize: 1, lotStep: 1, minQty: 1, minNotional: 0 }, price: 50_000, notionalUsd: 30.7 })
 * if (r.ok) r.value.qty // 30
 * ```
 */
export interface NotionalSize {
  readonly qty: number
  readonly notionalUsd: number
}

/**
 * Contracts for a USD notional at `price`, floored to the lot step (never above the notional), checked
 * against the instrument's minimum quantity and notional.
 *
 * @returns `ok({ qty, notionalUsd })` or `fail('below-min-qty' | 'below-min-notional')`
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { sizeFromNotional } from '@perpkit/sizing'
 * const btcusd = { kind: 'inverse', contractSize: 1, lotStep: 1, minQty: 1, minNotional: 0 } as const
 * sizeFromNotional({ instrument: btcusd, price: 50_000, notionalUsd: 30.7 }) // ok: 30 contracts
 * ```
 */
export function sizeFromNotional(args: {
  readonly instrument: SizingInstrument
  readonly price: number
  readonly notionalUsd: number
}): SizingDecision<NotionalSize, 'below-min-qty' | 'below-min-notional'> {
  const instrument = checkInstrument(args.instrument)
  const price = assertPositive(args.price, 'price')
  let qty = roundQty({ qty: usdToContracts({ contract: instrument, usd: args.notionalUsd, price }), lotStep: instrument.lotStep })
  if (instrument.maxQty !== undefined && qty > instrument.maxQty) qty = roundQty({ qty: instrument.maxQty, lotStep: instrument.lotStep })
  if (qty < instrument.minQty || qty <= 0) return fail('below-min-qty', { qty, minQty: instrument.minQty, notionalUsd: args.notionalUsd })
  const notionalUsd = contractsToUsd({ contract: instrument, qty, price })
  if (notionalUsd < instrument.minNotional) return fail('below-min-notional', { qty, notionalUsd, minNotional: instrument.minNotional })
  return ok({ qty, notionalUsd })
}

function unit(v: number, path: string): number {
  const n = assertFinite(v, path)
  if (n < 0 || n > 1) throw new InvalidInputError(`expected a value in [0, 1], got ${n}`, { path })
  return n
}
