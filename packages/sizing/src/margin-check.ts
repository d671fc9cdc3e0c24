/**
 * Margin feasibility: the position's initial margin plus a fee buffer must fit the available balance.
 * @module
 */
import { fail, ok } from '@perpkit/core'
import { roundTripFee } from './fees.js'
import { initialMargin } from './margin.js'
import type { SizingDecision } from './reasons.js'
import type { ContractSpec } from './types.js'
import { assertNonNegative, checkRate } from './validate.js'

/**
 * Margin requirement of a candidate entry, in the settle currency.
 *
 * @example
 * ```ts
 * import { checkMargin } from '@perpkit/sizing'
 * const r = checkMargin({ contract: { kind: 'linear', contractSize: 1 }, qty: 0.01, price: 50_000, leverage: 5, feeRate: 0.0005, available: 200 })
 * if (r.ok) r.value.required // 100.5
 * ```
 */
export interface MarginRequirement {
  readonly initialMargin: number
  /** Entry + exit fee buffer: `2 × value × feeRate` (never negative). */
  readonly feeBuffer: number
  /** `initialMargin + feeBuffer`. */
  readonly required: number
  readonly available: number
}

/**
 * Check `initialMargin(qty, price, leverage) + 2 × fee ≤ available` (
 * `required_margin_btc + fee_buffer_btc > equity_btc → REJECT`).
 *
 * @param args.available - balance available for a new position, in the settle currency (≥ 0)
 * @param args.feeRate - fee rate for the buffer (maker by default in 001)
 * @returns `ok(MarginRequirement)` or `fail('insufficient-margin', MarginRequirement)`
 * @throws InvalidInputError on bad input (leverage ≤ 0, NaN, negative available)
 * @example
 * ```ts
 * import { checkMargin } from '@perpkit/sizing'
 * const r = checkMargin({ contract: { kind: 'inverse', contractSize: 1 }, qty: 300, price: 50_000, leverage: 3, feeRate: 0.0001, available: 0.002 })
 * // initialMargin 0.002 + feeBuffer 0.0000012 = 0.0020012 > 0.002 → r.ok === false, r.reason === 'insufficient-margin'
 * ```
 */
export function checkMargin(args: {
  readonly contract: ContractSpec
  readonly qty: number
  readonly price: number
  readonly leverage: number
  readonly feeRate: number
  readonly available: number
}): SizingDecision<MarginRequirement, 'insufficient-margin'> {
  const available = assertNonNegative(args.available, 'available')
  const feeRate = checkRate(args.feeRate, 'feeRate')
  const im = initialMargin(args)
  const feeBuffer = roundTripFee({ contract: args.contract, qty: args.qty, price: args.price, feeRate })
  const value: MarginRequirement = { initialMargin: im, feeBuffer, required: im + feeBuffer, available }
  return value.required <= available ? ok(value) : fail('insufficient-margin', { ...value })
}
