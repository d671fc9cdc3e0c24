/**
 * `@perpkit/risk`: RiskGuard, circuit breaker, emergency HALTs, account-builder stages, entry gates and
 * signed two-chamber decisions. Pure and deterministic: imports only `@perpkit/core`, time via a `Clock`.
 *
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createRiskGuard, parseRiskConfig } from '@perpkit/risk'
 * const guard = createRiskGuard({ config: parseRiskConfig(), clock: createTestClock() })
 * guard.updateEquity({ equityUsd: 500 })
 * guard.canOpenPosition().ok // true
 * ```
 * @packageDocumentation
 */
export {
  DEFAULT_STAGE_BUNDLES,
  parseRiskConfig,
  type RiskConfig,
  type RiskConfigInput,
  riskConfigSchema,
  type StageBundle,
  stageBundleSchema,
} from './config.js'
export { canonicalJson } from './canonical-json.js'
export { dayKeyInZone, isValidTimeZone } from './time-zone.js'
export {
  type BreakerTrigger,
  type CooldownReason,
  type EmergencyTrigger,
  type RiskEvent,
  type RiskEventListener,
  type Unsubscribe,
} from './events.js'
export {
  createTradingState,
  type Hold,
  type HoldId,
  type HoldLevel,
  type LiftAuthority,
  type LiftRefusal,
  modePermits,
  type TradingAction,
  type TradingMode,
  type TradingState,
  type TradingStateSnapshot,
} from './trading-state.js'
export {
  createRiskGuard,
  type ExitKind,
  type GuardDenial,
  type GuardDenialReason,
  type GuardStatus,
  type GuardVerdict,
  maxTradesPerDayFor,
  type RiskGuard,
  type RiskGuardSnapshot,
} from './risk-guard.js'
export {
  type BreakerTrip,
  type CircuitBreaker,
  type CircuitBreakerSnapshot,
  createCircuitBreaker,
  type ExternalBreakerTrigger,
} from './circuit-breaker.js'
export { priceChangePct } from './price-change.js'
export {
  createEmergencyMonitor,
  type EmergencyAssessment,
  type EmergencyHalt,
  type EmergencyMonitor,
  type EmergencyMonitorSnapshot,
  type EmergencyObservation,
} from './emergency.js'
export {
  createStageTracker,
  inverseEquityUsd,
  leverageFor,
  type StageDetermination,
  stageFor,
  type StageTracker,
  type StageTrackerSnapshot,
} from './stages.js'
export { addCalendarMonthsUtc, evaluateFinalCriteria, type FinalCriteriaVerdict, type FinalStatus } from './final-criteria.js'
export { evaluateWinRate, type WinRateMode, type WinRateVerdict } from './win-rate.js'
export { initialSizeMultiplierState, nextSizeMultiplier, type SizeMultiplierState, type TradeOutcome } from './size-multiplier.js'
export { detectFeeSpike } from './fee-spike.js'
export {
  createMakerFallback,
  type MakerFallback,
  type MakerFallbackSnapshot,
  type TakerFallbackRefusal,
} from './maker-fallback.js'
export {
  type EntryGateInput,
  evaluateEntryGates,
  type EvInput,
  GATE_IDS,
  type GateDenial,
  type GateDenialReason,
  type GateEvaluation,
  type GateId,
} from './gates.js'
export {
  type AlphaProposal,
  alphaProposalSchema,
  type Decision,
  type DecisionAction,
  type DecisionReason,
  makeDecision,
  type RiskVerdict,
  type SignatureAlgorithm,
  type SkipReason,
  verifyDecision,
} from './decision.js'
export {
  createRiskEngine,
  type DecisionContext,
  type EnginePosition,
  type RiskEngine,
  type RiskEngineSnapshot,
  type RiskEngineStatus,
} from './engine.js'
