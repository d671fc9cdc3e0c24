/**
 * Sizing of one entry: the `risk-fraction` policy is `@perpkit/sizing`'s `planEntry` (loss budget including the
 * entry and exit fees, stage caps, size multiplier, liquidation gate, margin); the fixed policies, used to reproduce
 * outside engines, take their quantity as given and only check it against the venue's minimums and the margin.
 * @module
 */
import { type Instrument, type Liquidity, type MarginMode, type PositionSide, roundPrice, roundQty } from '@perpkit/core'
import { checkMargin, contractsToUsd, type MaintenanceBasis, type MaintenanceSpec, planEntry, type SizingRejectReason, sizeFromNotional } from '@perpkit/sizing'

/**
 * How the runner sizes an entry.
 *
 * @example
 * ```ts
 * import type { SizingPolicy } from '@perpkit/engine'
 * const policy: SizingPolicy = { mode: 'risk-fraction', riskFraction: 0.01 }
 * ```
 */
export type SizingPolicy =
  | { readonly mode: 'fixed-qty'; readonly qty: number }
  | { readonly mode: 'fixed-notional'; readonly notional: number }
  | { readonly mode: 'risk-fraction'; readonly riskFraction: number }

/** Caps of the account-builder stage an entry is planned in (from risk's stage bundle and sizing's stage table). */
export interface StageCaps {
  readonly maxLossFraction: number
  readonly maxLossUsd: number
  readonly minLiquidationDistance: number
}

/** What {@link sizeEntry} needs. */
export interface EntrySizeArgs {
  readonly policy: SizingPolicy
  readonly instrument: Instrument
  readonly side: PositionSide
  readonly price: number
  /** Stop distance as a fraction of `price`. */
  readonly stopDistance: number
  /** Equity in the settle asset. */
  readonly equity: number
  readonly leverage: number
  readonly marginMode: MarginMode
  readonly maintenance: MaintenanceSpec
  readonly maintenanceBasis: MaintenanceBasis
  readonly entryLiquidity: Liquidity
  /** Risk's size multiplier in `[0, 1]`. */
  readonly sizeMultiplier: number
  readonly stage: StageCaps | null
}

/** A sized entry. */
export interface EntrySize {
  readonly qty: number
  /** Protective stop price, on the tick grid. */
  readonly stopPrice: number
  /** Round-trip fee estimate in USD (entry liquidity at entry, taker at the stop). */
  readonly estimatedFeeUsd: number
  /** Taker fee of the entry alone, in USD. */
  readonly takerEntryFeeUsd: number
}

/** Outcome of {@link sizeEntry}. */
export type EntrySizeResult = { readonly ok: true; readonly value: EntrySize } | { readonly ok: false; readonly reason: SizingRejectReason }

/**
 * Size an entry under a {@link SizingPolicy}.
 *
 * @param args - see {@link EntrySizeArgs}.
 * @returns the quantity, stop and fee estimates, or sizing's refusal reason.
 * @throws InvalidInputError from `@perpkit/sizing` for bad input (non-positive price or leverage, stop distance ≥ 1).
 * @example
 * ```ts
 * import { sizeEntry } from '@perpkit/engine'
 * import type { Instrument } from '@perpkit/core'
 * declare const instrument: Instrument
 * const r = sizeEntry({ policy: { mode: 'risk-fraction', riskFraction: 0.01 }, instrument, side: 'long', price: 100_000,
 *   stopDistance: 0.03, equity: 10_000, leverage: 3, marginMode: 'isolated', maintenance: { maintenanceMarginRate: 0.005 },
 *   maintenanceBasis: 'liquidation-price', entryLiquidity: 'taker', sizeMultiplier: 1, stage: null })
 * if (r.ok) r.value.qty
 * ```
 */
export function sizeEntry(args: EntrySizeArgs): EntrySizeResult {
  const { policy, instrument: ins, side, price } = args
  const entryRate = args.entryLiquidity === 'taker' ? ins.takerFeeRate : ins.makerFeeRate
  if (policy.mode === 'risk-fraction') {
    const stage = args.stage
    const plan = planEntry({
      instrument: ins,
      side,
      entryPrice: price,
      equity: args.equity,
      leverage: args.leverage,
      maxLossFraction: stage === null ? policy.riskFraction : Math.min(policy.riskFraction, stage.maxLossFraction),
      ...(stage === null ? {} : { maxLossUsd: stage.maxLossUsd }),
      stopDistance: args.stopDistance,
      minLiquidationDistance: stage?.minLiquidationDistance ?? 0,
      liquidation: { maintenance: args.maintenance, maintenanceBasis: args.maintenanceBasis },
      marginMode: args.marginMode,
      entryLiquidity: args.entryLiquidity,
      sizeMultiplier: args.sizeMultiplier,
    })
    if (!plan.ok) return { ok: false, reason: plan.reason }
    const p = plan.value
    return { ok: true, value: { qty: p.qty, stopPrice: p.stopPrice, estimatedFeeUsd: p.estimatedFeeUsd, takerEntryFeeUsd: Math.max(0, ins.takerFeeRate) * p.notionalUsd } }
  }
  // fixed policies: the quantity is given (times risk's multiplier); minimums and margin are checked, nothing else
  let qty: number
  if (policy.mode === 'fixed-notional') {
    const sized = sizeFromNotional({ instrument: ins, price, notionalUsd: policy.notional * args.sizeMultiplier })
    if (!sized.ok) return { ok: false, reason: sized.reason }
    qty = sized.value.qty
  } else {
    qty = roundQty({ qty: policy.qty * args.sizeMultiplier, lotStep: ins.lotStep })
    if (ins.maxQty !== undefined && qty > ins.maxQty) qty = roundQty({ qty: ins.maxQty, lotStep: ins.lotStep })
    if (qty < ins.minQty || qty <= 0) return { ok: false, reason: 'below-min-qty' }
    if (contractsToUsd({ contract: ins, qty, price }) < ins.minNotional) return { ok: false, reason: 'below-min-notional' }
  }
  const margin = checkMargin({ contract: ins, qty, price, leverage: args.leverage, feeRate: 0, available: Math.max(0, args.equity) })
  if (!margin.ok) return { ok: false, reason: 'insufficient-margin' }
  const raw = side === 'long' ? price * (1 - args.stopDistance) : price * (1 + args.stopDistance)
  const stopPrice = Math.max(ins.tickSize, roundPrice({ price: raw, tickSize: ins.tickSize, mode: side === 'long' ? 'floor' : 'ceil' }))
  const notionalUsd = contractsToUsd({ contract: ins, qty, price })
  const stopNotionalUsd = contractsToUsd({ contract: ins, qty, price: stopPrice })
  return {
    ok: true,
    value: { qty, stopPrice, estimatedFeeUsd: Math.max(0, entryRate) * notionalUsd + Math.max(0, ins.takerFeeRate) * stopNotionalUsd, takerEntryFeeUsd: Math.max(0, ins.takerFeeRate) * notionalUsd },
  }
}
