/**
 * `@perpkit/sizing`: linear and inverse perpetual contract math (conversions, PnL, fees, funding, margin,
 * liquidation) and the sizing decisions built on it (loss budget, stop distance, size, margin feasibility,
 * liquidation gate, EV gate, confidence sizing). Pure functions; imports only `@perpkit/core`.
 *
 * @example
 * ```ts
 * import { pnl } from '@perpkit/sizing'
 * pnl({ contract: { kind: 'inverse', contractSize: 1 }, side: 'long', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 }) // 0.45 BTC
 * ```
 * @packageDocumentation
 */
export type { ContractSpec, MaintenanceSpec, MarginBracket, SizingInstrument } from './types.js'
export {
  type ContractAmountArgs,
  coinToContracts,
  contractsToCoin,
  contractsToUsd,
  positionValue,
  settleToUsd,
  usdToContracts,
  usdToSettle,
} from './contracts.js'
export { type PnlArgs, pnl, pnlFraction } from './pnl.js'
export { estimateFee, fee, type FeeArgs, type FeeEstimate, roundTripFee } from './fees.js'
export { fundingCost } from './funding.js'
export { findBracket, validateBrackets, withMaintenanceAmounts } from './brackets.js'
export { initialMargin, type MaintenanceMargin, maintenanceMargin } from './margin.js'
export { averageEntryPrice } from './entry-price.js'
export {
  bankruptcyPrice,
  type LiquidationArgs,
  liquidationDistance,
  type LiquidationEstimate,
  liquidationEstimate,
  type LiquidationMargin,
  liquidationPrice,
  type MaintenanceBasis,
} from './liquidation.js'
export { type SizingDecision, SIZING_REJECT_REASONS, type SizingRejectReason } from './reasons.js'
export { type LossBudget, lossBudget } from './loss-budget.js'
export { type StopDistance, stopDistance, stopPrice } from './stop-distance.js'
export { lossAtStop, type PositionSize, type SizeFromLossBudgetArgs, sizeFromLossBudget } from './position-size.js'
export { checkMargin, type MarginRequirement } from './margin-check.js'
export {
  checkLiquidationDistance,
  DEFAULT_LIQUIDATION_PROXY,
  type LiquidationGateResult,
  type LiquidationProxy,
} from './liquidation-gate.js'
export { evGate } from './ev-gate.js'
export { type ConfidenceNotional, confidenceNotional, type NotionalSize, sizeFromNotional } from './confidence.js'
export { type EntryPlan, type PlanEntryArgs, type PlanInstrument, planEntry } from './plan-entry.js'
