/**
 * Position size from a loss budget and a stop, floored to the lot step and re-checked against the budget after rounding.
 * @module
 */
import { fail, InvalidInputError, ok, PerpkitError, type PositionSide, roundQty } from '@perpkit/core'
import { contractsToUsd, positionValue } from './contracts.js'
import { pnl } from './pnl.js'
import type { SizingDecision } from './reasons.js'
import type { SizingInstrument } from './types.js'
import { assertFinite, assertNonNegative, assertPositive, checkContract, checkRate, checkSide } from './validate.js'

/**
 * A size that passed the lot-step, minimum and budget checks.
 *
 * @example
 * ```ts
 * import { sizeFromLossBudget } from '@perpkit/sizing'
 * const r = sizeFromLossBudget({ instrument: { kind: 'inverse', contractSize: 1, lotStep: 1, minQty: 1, minNotional: 0 },
 *   side: 'long', entryPrice: 50_000, stopPrice: 48_500, lossBudget: 0.0002 })
 * if (r.ok) r.value.qty // 323
 * ```
 */
export interface PositionSize {
  /** Contracts, an exact multiple of `lotStep`. */
  readonly qty: number
  /** Unrounded contracts the budget allows (before flooring / max-qty cap). */
  readonly rawQty: number
  /** Loss at the stop including entry+exit fees, in the settle currency; ≤ `budget`. */
  readonly lossAtStop: number
  /** Effective budget (budget × sizeMultiplier) in the settle currency. */
  readonly budget: number
  /** Notional in USD at entry. */
  readonly notionalUsd: number
  /** Position value at entry in the settle currency. */
  readonly value: number
  /** True when `maxQty` capped the size. */
  readonly cappedByMaxQty: boolean
}

/**
 * Arguments of {@link sizeFromLossBudget}.
 *
 * @example
 * ```ts
 * import { type SizeFromLossBudgetArgs } from '@perpkit/sizing'
 * const args: SizeFromLossBudgetArgs = { instrument: { kind: 'linear', contractSize: 1, lotStep: 0.001, minQty: 0.001, minNotional: 100 },
 *   side: 'short', entryPrice: 50_000, stopPrice: 51_000, lossBudget: 20, feeRate: 0.0005, sizeMultiplier: 0.5 }
 * ```
 */
export interface SizeFromLossBudgetArgs {
  readonly instrument: SizingInstrument
  readonly side: PositionSide
  readonly entryPrice: number
  /** Stop price, already on the instrument's tick (see `stopPrice`); must be on the losing side of entry. */
  readonly stopPrice: number
  /** Loss budget in the settle currency (see `lossBudget`). */
  readonly lossBudget: number
  /**
   * Fee rate counted on entry and on exit at the stop (e.g. maker for entry and taker for the stop: pass the
   * larger). Default 0: the budget then covers price loss only.
   */
  readonly feeRate?: number
  /** Multiplier on the budget in `[0, 1]`, e.g. the loss-streak multiplier from risk. Default 1. */
  readonly sizeMultiplier?: number
}

/**
 * Largest size whose loss at the stop (price loss, exact for inverse, plus entry+exit fees) fits the budget,
 * floored to the lot step and re-verified after rounding.
 *
 * Inverse: `contracts ≈ max_loss_btc × entry / stop_distance`, computed here from the exact
 * inverse PnL so the loss never exceeds the budget. `maxQty` caps the size (not a rejection).
 *
 * @returns `ok(PositionSize)`, or `fail` with `invalid-stop` (stop not on the losing side), `zero-budget`,
 *   `below-min-qty` or `below-min-notional`
 * @throws InvalidInputError on bad input (NaN, non-positive prices, negative budget, multiplier outside [0, 1]),
 *   or when the size would exceed 10^12 lots (budget or lot step out of range)
 * @example
 * ```ts
 * import { sizeFromLossBudget } from '@perpkit/sizing'
 * const btcusdt = { kind: 'linear', contractSize: 1, lotStep: 0.001, minQty: 0.001, minNotional: 100 } as const
 * // risk 20 USDT with a stop 2 % below 50,000: raw 0.02 BTC
 * sizeFromLossBudget({ instrument: btcusdt, side: 'long', entryPrice: 50_000, stopPrice: 49_000, lossBudget: 20 })
 * // ok: qty 0.02, lossAtStop 20
 * ```
 */
export function sizeFromLossBudget(
  args: SizeFromLossBudgetArgs,
): SizingDecision<PositionSize, 'invalid-stop' | 'zero-budget' | 'below-min-qty' | 'below-min-notional'> {
  const instrument = checkInstrument(args.instrument)
  const side = checkSide(args.side)
  const entryPrice = assertPositive(args.entryPrice, 'entryPrice')
  const stop = assertPositive(args.stopPrice, 'stopPrice')
  const baseBudget = assertNonNegative(args.lossBudget, 'lossBudget')
  const feeRate = Math.max(0, checkRate(args.feeRate ?? 0, 'feeRate'))
  const multiplier = assertFinite(args.sizeMultiplier ?? 1, 'sizeMultiplier')
  if (multiplier < 0 || multiplier > 1) throw new InvalidInputError(`expected a multiplier in [0, 1], got ${multiplier}`, { path: 'sizeMultiplier' })

  const contract = instrument
  const lossPerContract = lossAtStopOf({ instrument, side, entryPrice, stopPrice: stop, qty: 1, feeRate })
  const priceLoss = -pnl({ contract, side, qty: 1, entryPrice, exitPrice: stop })
  if (!(priceLoss > 0)) return fail('invalid-stop', { side, entryPrice, stopPrice: stop })
  const budget = baseBudget * multiplier
  if (!(budget > 0)) return fail('zero-budget', { lossBudget: baseBudget, sizeMultiplier: multiplier })

  const rawQty = budget / lossPerContract
  let cappedByMaxQty = false
  let target = rawQty
  if (instrument.maxQty !== undefined && target > instrument.maxQty) {
    target = instrument.maxQty
    cappedByMaxQty = true
  }
  if (!(target / instrument.lotStep <= MAX_LOTS)) {
    throw new InvalidInputError(`size of ${target} is more than ${MAX_LOTS} lots of ${instrument.lotStep}: budget or lot step out of range`, {
      path: 'lossBudget',
    })
  }
  // Work in whole lots so every correction step makes progress (qty − step can equal qty in floating point).
  let lots = Math.round(roundQty({ qty: target, lotStep: instrument.lotStep }) / instrument.lotStep)
  let qty = lotsToQty(lots, instrument.lotStep)
  // Re-verify after rounding: floating-point noise must never let the loss exceed the budget.
  let loss = lossAtStopOf({ instrument, side, entryPrice, stopPrice: stop, qty, feeRate })
  for (let i = 0; lots > 0 && loss > budget; i++) {
    if (i >= 64) throw new PerpkitError('internal', 'loss re-verification did not converge', { details: { qty, loss, budget } })
    lots -= 1
    qty = lotsToQty(lots, instrument.lotStep)
    loss = lossAtStopOf({ instrument, side, entryPrice, stopPrice: stop, qty, feeRate })
  }
  if (qty < instrument.minQty || qty <= 0) {
    return fail('below-min-qty', { qty, rawQty, minQty: instrument.minQty, lotStep: instrument.lotStep, budget, lossPerContract })
  }
  const notionalUsd = contractsToUsd({ contract, qty, price: entryPrice })
  if (notionalUsd < instrument.minNotional) {
    return fail('below-min-notional', { qty, notionalUsd, minNotional: instrument.minNotional })
  }
  return ok({ qty, rawQty, lossAtStop: loss, budget, notionalUsd, value: positionValue({ contract, qty, price: entryPrice }), cappedByMaxQty })
}

/**
 * Loss at the stop of `qty` contracts in the settle currency: price loss (exact, also for inverse) plus the
 * entry fee at `entryPrice` and the exit fee at `stopPrice` at `feeRate` (rebates ignored).
 *
 * @returns loss ≥ 0 when the stop is on the losing side
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { lossAtStop } from '@perpkit/sizing'
 * lossAtStop({ instrument: { kind: 'inverse', contractSize: 1 }, side: 'long', qty: 1_000, entryPrice: 50_000, stopPrice: 48_500 })
 * // 1000 × (1/48,500 − 1/50,000) ≈ 0.00061856 BTC
 * ```
 */
export function lossAtStop(args: {
  readonly instrument: Pick<SizingInstrument, 'kind' | 'contractSize'>
  readonly side: PositionSide
  readonly qty: number
  readonly entryPrice: number
  readonly stopPrice: number
  readonly feeRate?: number
}): number {
  checkContract(args.instrument, 'instrument')
  return lossAtStopOf({ ...args, feeRate: Math.max(0, checkRate(args.feeRate ?? 0, 'feeRate')) })
}

/** Largest lot count a size may have (keeps `lots × lotStep` exact on the decimal grid). */
const MAX_LOTS = 1e12

function lotsToQty(lots: number, lotStep: number): number {
  return lots <= 0 ? 0 : roundQty({ qty: lots * lotStep, lotStep, mode: 'nearest' })
}

function lossAtStopOf(a: {
  readonly instrument: Pick<SizingInstrument, 'kind' | 'contractSize'>
  readonly side: PositionSide
  readonly qty: number
  readonly entryPrice: number
  readonly stopPrice: number
  readonly feeRate: number
}): number {
  const contract = a.instrument
  const priceLoss = -pnl({ contract, side: a.side, qty: a.qty, entryPrice: a.entryPrice, exitPrice: a.stopPrice })
  const fees = a.feeRate * (positionValue({ contract, qty: a.qty, price: a.entryPrice }) + positionValue({ contract, qty: a.qty, price: a.stopPrice }))
  return priceLoss + fees
}

/** Validate a {@link SizingInstrument}. @internal */
export function checkInstrument(instrument: SizingInstrument): SizingInstrument {
  checkContract(instrument, 'instrument')
  assertPositive(instrument.lotStep, 'instrument.lotStep')
  assertPositive(instrument.minQty, 'instrument.minQty')
  assertNonNegative(instrument.minNotional, 'instrument.minNotional')
  if (instrument.maxQty !== undefined) assertPositive(instrument.maxQty, 'instrument.maxQty')
  return instrument
}
