/**
 * The whole sizing pipeline in one call: stop (A) → loss budget → size (B) →
 * liquidation gate (D) → margin (C) → EV gate.
 * @module
 */
import { fail, InvalidInputError, type Liquidity, type MarginMode, ok, type PositionSide } from '@perpkit/core'
import { contractsToUsd } from './contracts.js'
import { evGate } from './ev-gate.js'
import { checkLiquidationDistance, type LiquidationGateResult, type LiquidationProxy } from './liquidation-gate.js'
import { liquidationPrice, type MaintenanceBasis } from './liquidation.js'
import { type LossBudget, lossBudget } from './loss-budget.js'
import { checkMargin, type MarginRequirement } from './margin-check.js'
import { initialMargin } from './margin.js'
import { lossAtStop, sizeFromLossBudget } from './position-size.js'
import type { SizingDecision, SizingRejectReason } from './reasons.js'
import { stopDistance, stopPrice } from './stop-distance.js'
import type { MaintenanceSpec, SizingInstrument } from './types.js'
import { assertFinite, assertPositive, checkFraction } from './validate.js'

/**
 * Instrument facts used by {@link planEntry} (a core `Instrument` fits).
 *
 * @example
 * ```ts
 * import { type PlanInstrument } from '@perpkit/sizing'
 * const btcusdt: PlanInstrument = { kind: 'linear', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001,
 *   minNotional: 100, makerFeeRate: 0.0002, takerFeeRate: 0.0005 }
 * ```
 */
export interface PlanInstrument extends SizingInstrument {
  readonly tickSize: number
  readonly makerFeeRate: number
  readonly takerFeeRate: number
}

/**
 * Arguments of {@link planEntry}.
 *
 * @example
 * ```ts
 * import { planEntry, type PlanEntryArgs } from '@perpkit/sizing'
 * import type { Instrument } from '@perpkit/core'
 * declare const btcusdt: Instrument // Binance BTCUSDT perpetual
 * const args: PlanEntryArgs = { instrument: btcusdt, side: 'short', entryPrice: 60_000, equity: 1_000, leverage: 3,
 *   maxLossFraction: 0.01, gridSpacing: 0.02, minLiquidationDistance: 0.3 }
 * planEntry(args)
 * ```
 */
export interface PlanEntryArgs {
  readonly instrument: PlanInstrument
  readonly side: PositionSide
  readonly entryPrice: number
  /** Account equity in the settle currency. */
  readonly equity: number
  /** Balance available for the new position (settle currency); default `equity`. */
  readonly available?: number
  readonly leverage: number
  readonly maxLossFraction: number
  readonly maxLossUsd?: number
  /** Grid spacing as a fraction; `undefined` uses the 3 % fallback stop. */
  readonly gridSpacing?: number | undefined
  /**
   * The stop distance as a fraction of the entry price (0.03 = 3 %), when the caller already knows where the stop
   * goes (a strategy's own stop level, a configured distance). Used as is — no grid clamp; refused together with
   * `gridSpacing`.
   */
  readonly stopDistance?: number | undefined
  /** Minimum liquidation distance (stage: 0.3 / 0.3 / 0.2). */
  readonly minLiquidationDistance: number
  readonly stopMultiple?: number
  /**
   * How to know the liquidation price: an exchange-reported price (preferred), a maintenance spec to
   * estimate it for an isolated position margined at `leverage`, or nothing (conservative proxy).
   */
  readonly liquidation?:
    | { readonly price: number }
    | { readonly maintenance: MaintenanceSpec; readonly maintenanceBasis?: MaintenanceBasis }
    | undefined
  readonly proxy?: LiquidationProxy
  /**
   * Margin mode for the liquidation estimate: `isolated` (default) margins the position with its initial
   * margin at `leverage`; `cross` uses the whole `equity` as collateral (no other positions assumed).
   */
  readonly marginMode?: MarginMode
  /** Entry liquidity (default maker) and stop-exit liquidity (default taker) for fee estimates. */
  readonly entryLiquidity?: Liquidity
  readonly exitLiquidity?: Liquidity
  /** Multiplier in `[0, 1]` on the loss budget (loss streak). */
  readonly sizeMultiplier?: number
  /** When given with `evFeeMultiple`, the EV gate runs on the round-trip fee in USD. */
  readonly expectedProfitUsd?: number
  readonly evFeeMultiple?: number
}

/**
 * A feasible entry.
 *
 * @example
 * ```ts
 * import { type EntryPlan, type PlanEntryArgs, planEntry } from '@perpkit/sizing'
 * declare const args: PlanEntryArgs
 * const r = planEntry(args)
 * if (r.ok) { const plan: EntryPlan = r.value; plan.qty }
 * ```
 */
export interface EntryPlan {
  readonly qty: number
  readonly stopDistance: number
  readonly stopPrice: number
  readonly lossBudget: LossBudget
  /** Loss at the stop incl. entry+exit fees, settle currency; ≤ the budget. */
  readonly lossAtStop: number
  readonly notionalUsd: number
  readonly margin: MarginRequirement
  readonly liquidation: LiquidationGateResult & { readonly price: number | null }
  /** Round-trip fee estimate in USD (entry liquidity at entry + exit liquidity at the stop notional). */
  readonly estimatedFeeUsd: number
}

/**
 * Run the sizing pipeline and return the entry plan or the first refusal, with its closed reason.
 *
 * @returns `ok(EntryPlan)` or `fail(reason, details)` with `details.step` naming the step that refused
 * @throws InvalidInputError on bad input anywhere in the pipeline
 * @example
 * ```ts
 * import { planEntry } from '@perpkit/sizing'
 * const btcusd = { kind: 'inverse', contractSize: 1, tickSize: 0.5, lotStep: 1, minQty: 1, minNotional: 0,
 *   makerFeeRate: 0.0001, takerFeeRate: 0.0006 } as const
 * const plan = planEntry({ instrument: btcusd, side: 'long', entryPrice: 50_000, equity: 0.004, leverage: 3,
 *   maxLossFraction: 0.12, maxLossUsd: 10, gridSpacing: 0.02, minLiquidationDistance: 0.3,
 *   liquidation: { maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' }, marginMode: 'cross' })
 * if (plan.ok) plan.value.qty // 311 contracts; otherwise plan.reason says why (e.g. 'liquidation-too-close')
 * ```
 */
export function planEntry(args: PlanEntryArgs): SizingDecision<EntryPlan> {
  const { instrument, side } = args
  const entryPrice = assertPositive(args.entryPrice, 'entryPrice')
  const leverage = assertPositive(args.leverage, 'leverage')
  const entryRate = args.entryLiquidity === 'taker' ? instrument.takerFeeRate : instrument.makerFeeRate
  const exitRate = args.exitLiquidity === 'maker' ? instrument.makerFeeRate : instrument.takerFeeRate
  const feeRate = Math.max(0, entryRate, exitRate)
  const marginMode = args.marginMode ?? 'isolated'
  if (marginMode !== 'isolated' && marginMode !== 'cross') {
    throw new InvalidInputError(`unknown margin mode ${String(marginMode)}`, { path: 'marginMode' })
  }

  if (args.stopDistance !== undefined && args.gridSpacing !== undefined) {
    throw new InvalidInputError('give either stopDistance or gridSpacing, not both', { path: 'stopDistance' })
  }
  let distance: number
  if (args.stopDistance !== undefined) distance = checkFraction(args.stopDistance, 'stopDistance', { allowZero: false })
  else {
    const stop = stopDistance({ gridSpacing: args.gridSpacing })
    if (!stop.ok) return refuse(stop.reason, 'stop', stop.details)
    distance = stop.value.stopDistance
  }
  const sp = stopPrice({ side, entryPrice, stopDistance: distance, tickSize: instrument.tickSize })

  const budget = lossBudget({
    contract: instrument,
    equity: args.equity,
    price: entryPrice,
    maxLossFraction: args.maxLossFraction,
    ...(args.maxLossUsd === undefined ? {} : { maxLossUsd: args.maxLossUsd }),
  })
  if (!budget.ok) return refuse(budget.reason, 'loss-budget', budget.details)

  const size = sizeFromLossBudget({
    instrument,
    side,
    entryPrice,
    stopPrice: sp,
    lossBudget: budget.value.budget,
    feeRate,
    ...(args.sizeMultiplier === undefined ? {} : { sizeMultiplier: args.sizeMultiplier }),
  })
  if (!size.ok) return refuse(size.reason, 'size', size.details)

  const liq = args.liquidation
  let liqPrice: number | undefined
  if (liq !== undefined && 'price' in liq) liqPrice = assertFinite(liq.price, 'liquidation.price')
  else if (liq !== undefined) {
    liqPrice = liquidationPrice({
      contract: instrument,
      side,
      qty: size.value.qty,
      entryPrice,
      margin:
        marginMode === 'cross'
          ? { mode: 'cross', walletBalance: args.equity }
          : { mode: 'isolated', positionMargin: initialMargin({ contract: instrument, qty: size.value.qty, price: entryPrice, leverage }) },
      maintenance: liq.maintenance,
      ...(liq.maintenanceBasis === undefined ? {} : { maintenanceBasis: liq.maintenanceBasis }),
    })
  }
  const gate = checkLiquidationDistance({
    side,
    entryPrice,
    liquidationPrice: liqPrice,
    stopDistance: distance,
    minDistance: args.minLiquidationDistance,
    leverage,
    qty: size.value.qty,
    lotStep: instrument.lotStep,
    minQty: instrument.minQty,
    ...(args.stopMultiple === undefined ? {} : { stopMultiple: args.stopMultiple }),
    ...(args.proxy === undefined ? {} : { proxy: args.proxy }),
  })
  if (!gate.ok) return refuse(gate.reason, 'liquidation', gate.details)
  const qty = gate.value.qty
  const notionalUsd = contractsToUsd({ contract: instrument, qty, price: entryPrice })
  if (notionalUsd < instrument.minNotional) return refuse('below-min-notional', 'liquidation', { qty, notionalUsd, minNotional: instrument.minNotional })

  const margin = checkMargin({ contract: instrument, qty, price: entryPrice, leverage, feeRate, available: args.available ?? args.equity })
  if (!margin.ok) return refuse(margin.reason, 'margin', margin.details)

  const stopNotionalUsd = contractsToUsd({ contract: instrument, qty, price: sp })
  const estimatedFeeUsd = Math.max(0, entryRate) * notionalUsd + Math.max(0, exitRate) * stopNotionalUsd
  if (args.expectedProfitUsd !== undefined && args.evFeeMultiple !== undefined) {
    const ev = evGate({ expectedProfit: args.expectedProfitUsd, estimatedFee: estimatedFeeUsd, feeMultiple: args.evFeeMultiple })
    if (!ev.ok) return refuse(ev.reason, 'ev', ev.details)
  }

  return ok({
    qty,
    stopDistance: distance,
    stopPrice: sp,
    lossBudget: budget.value,
    lossAtStop: lossAtStop({ instrument, side, qty, entryPrice, stopPrice: sp, feeRate }),
    notionalUsd,
    margin: margin.value,
    liquidation: { ...gate.value, price: liqPrice ?? null },
    estimatedFeeUsd,
  })
}

function refuse(reason: SizingRejectReason, step: string, details: Readonly<Record<string, unknown>>) {
  return fail(reason, { step, ...details })
}
