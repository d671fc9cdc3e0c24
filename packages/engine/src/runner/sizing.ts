/**
 * Position sizing policies used by the runner (on top of @perpkit/sizing's contract math).
 * @module
 */
import { type Instrument, InvalidInputError, roundQty } from '@perpkit/core'
import { initialMargin, positionValue } from '@perpkit/sizing'

/** How the runner sizes an entry. */
export type SizingPolicy =
  | { readonly mode: 'fixed-qty'; readonly qty: number }
  | { readonly mode: 'fixed-notional'; readonly notional: number }
  | { readonly mode: 'risk-fraction'; readonly riskFraction: number }

/** Reasons an entry could not be sized. */
export type SizeRefusal = 'below-min-qty' | 'below-min-notional' | 'insufficient-margin' | 'invalid-stop'

/** Outcome of {@link sizeEntry}. */
export type SizeResult =
  | {
      readonly ok: true
      readonly qty: number
      readonly notional: number
      readonly marginRequired: number
      /** Set when the venue's maximum quantity or the available margin cut the size: the quantity asked for (on the lot step). */
      readonly clampedFrom?: number
      /** What cut it. */
      readonly clampedBy?: 'max-qty' | 'margin'
    }
  | { readonly ok: false; readonly reason: SizeRefusal; readonly details: Readonly<Record<string, number>> }

/**
 * Size an entry: fixed quantity, fixed notional, or risk fraction of equity lost at the stop
 * (`qty = equity × riskFraction / |price − stop|`), floored to the lot step and checked against the
 * minimum quantity, minimum notional and the margin available at `leverage`.
 *
 * @param args - `{ policy, instrument, price, stopPrice, equity, available, leverage, multiplier? }`.
 * @returns `{ ok: true, qty, notional, marginRequired, clampedFrom?, clampedBy? }` or `{ ok: false, reason, details }`.
 * @throws InvalidInputError for non-positive price, equity < 0 or leverage ≤ 0.
 * @example
 * ```ts
 * import { sizeEntry } from '@perpkit/engine'
 * import type { Instrument } from '@perpkit/core'
 * declare const instrument: Instrument
 * sizeEntry({ policy: { mode: 'risk-fraction', riskFraction: 0.01 }, instrument, price: 100_000, stopPrice: 97_000, equity: 10_000, available: 10_000, leverage: 3 })
 * ```
 */
export function sizeEntry(args: {
  readonly policy: SizingPolicy
  readonly instrument: Instrument
  readonly price: number
  readonly stopPrice: number
  readonly equity: number
  readonly available: number
  readonly leverage: number
  readonly multiplier?: number
}): SizeResult {
  const { policy, instrument: ins, price } = args
  if (!(price > 0)) throw new InvalidInputError(`price must be > 0, got ${price}`, { path: 'price' })
  if (!(args.leverage > 0)) throw new InvalidInputError(`leverage must be > 0, got ${args.leverage}`, { path: 'leverage' })
  if (!(args.equity >= 0)) throw new InvalidInputError(`equity must be >= 0, got ${args.equity}`, { path: 'equity' })
  const contract = { kind: ins.kind, contractSize: ins.contractSize }
  const mult = args.multiplier ?? 1
  let raw: number
  switch (policy.mode) {
    case 'fixed-qty':
      raw = policy.qty * mult
      break
    case 'fixed-notional':
      raw = ins.kind === 'linear' ? policy.notional / (price * ins.contractSize) : policy.notional / ins.contractSize
      raw *= mult
      break
    case 'risk-fraction': {
      const dist = Math.abs(price - args.stopPrice)
      if (!(dist > 0) || !(args.stopPrice > 0)) return { ok: false, reason: 'invalid-stop', details: { price, stopPrice: args.stopPrice } }
      const budget = args.equity * policy.riskFraction * mult
      // linear: loss = qty × contractSize × dist; inverse: loss (coin) = qty × contractSize × |1/stop − 1/price|
      raw = ins.kind === 'linear' ? budget / (dist * ins.contractSize) : budget / (ins.contractSize * Math.abs(1 / args.stopPrice - 1 / price))
      break
    }
  }
  let qty = roundQty({ qty: raw, lotStep: ins.lotStep })
  const asked = qty
  let clampedBy: 'max-qty' | 'margin' | undefined
  if (ins.maxQty !== undefined && qty > ins.maxQty) {
    qty = roundQty({ qty: ins.maxQty, lotStep: ins.lotStep })
    clampedBy = 'max-qty'
  }
  // cap by margin (keep a 1 % buffer for fees)
  const marginFor = (q: number): number => initialMargin({ contract, qty: q, price, leverage: args.leverage })
  if (qty > 0 && marginFor(qty) > args.available * 0.99) {
    const perUnit = marginFor(1)
    qty = roundQty({ qty: (args.available * 0.99) / perUnit, lotStep: ins.lotStep })
    clampedBy = 'margin'
  }
  if (qty < ins.minQty || qty <= 0) {
    return marginFor(ins.minQty) > args.available
      ? { ok: false, reason: 'insufficient-margin', details: { available: args.available, required: marginFor(ins.minQty) } }
      : { ok: false, reason: 'below-min-qty', details: { qty, minQty: ins.minQty } }
  }
  const notional = positionValue({ contract, qty, price })
  const notionalQuote = ins.kind === 'linear' ? qty * ins.contractSize * price : qty * ins.contractSize
  if (notionalQuote < ins.minNotional) return { ok: false, reason: 'below-min-notional', details: { notional: notionalQuote, minNotional: ins.minNotional } }
  return { ok: true, qty, notional, marginRequired: marginFor(qty), ...(clampedBy !== undefined && qty < asked ? { clampedFrom: asked, clampedBy } : {}) }
}
