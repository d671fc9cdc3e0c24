/**
 * `createRiskEngine`: one facade over RiskGuard, circuit breaker, emergency monitor, stages, win-rate,
 * size multiplier, fee-spike tightening, maker fallback and entry gates, producing signed decisions.
 * @module
 */
import { assertFinite, type Clock, fail, type Fail, InvalidInputError, ok, type Ok, parseOrThrow, type PositionSide } from '@perpkit/core'
import { z } from 'zod'
import { createCircuitBreaker, type ExternalBreakerTrigger } from './circuit-breaker.js'
import { parseRiskConfig, type RiskConfig, type RiskConfigInput } from './config.js'
import { type AlphaProposal, type Decision, type DecisionReason, parseAlphaProposal, signDecision, type SkipReason } from './decision.js'
import { createEmergencyMonitor, type EmergencyAssessment, type EmergencyObservation } from './emergency.js'
import { createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'
import { detectFeeSpike } from './fee-spike.js'
import { evaluateFinalCriteria, type FinalCriteriaVerdict } from './final-criteria.js'
import { type EvInput, evaluateEntryGates, type GateId } from './gates.js'
import { legacyTimeKey } from './legacy-time-key.js'
import { createMakerFallback, type TakerFallbackRefusal } from './maker-fallback.js'
import { createRiskGuard, type ExitKind, type GuardDenialReason } from './risk-guard.js'
import { initialSizeMultiplierState, nextSizeMultiplier, type SizeMultiplierState } from './size-multiplier.js'
import { createStageTracker, inverseEquityUsd, leverageFor } from './stages.js'
import { createTradingState, type Hold, type HoldId, type TradingMode } from './trading-state.js'
import { evaluateWinRate } from './win-rate.js'

/**
 * Market/account context of one decision. Any `undefined` field is a missing input and, where a rule needs
 * it, a skip reason of its own. Equity may be given in USD or, for inverse accounts, as `equityBtc` + `markPriceUsd`.
 *
 * @example
 * ```ts
 * import { type DecisionContext } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const ctx: DecisionContext = { equityBtc: 0.0051, markPriceUsd: 60_000, dataTimeMs: clock.now(), atrPct24h: 4.2,
 *   ev: { expectedProfitUsd: 0.6, feeEstimateUsd: 0.03 }, liquidity: 'maker', openPositionSide: null, backtestWinRate: 0.57 }
 * ```
 */
export interface DecisionContext {
  readonly equityUsd?: number | undefined
  readonly equityBtc?: number | undefined
  readonly markPriceUsd?: number | undefined
  /** Balance available for new margin (USD); checked against `requiredMarginUsd` when given. */
  readonly availableBalanceUsd?: number | undefined
  readonly requiredMarginUsd?: number | undefined
  /** Timestamp of the newest market data the proposal used (stale/missing check). */
  readonly dataTimeMs?: number | undefined
  readonly atrPct24h?: number | undefined
  /** Sizing's EV result (numbers or verdict). */
  readonly ev?: EvInput | undefined
  readonly liquidity?: 'maker' | 'taker' | undefined
  /** Side of the open position on the proposal's symbol; null = flat. */
  readonly openPositionSide?: PositionSide | null | undefined
  /** Backtest win rate 0..1 (required while fewer than 10 trades are closed). */
  readonly backtestWinRate?: number | undefined
  readonly currentLeverage?: number | undefined
}

/**
 * A position opened through the engine, with its entry-time stage snapshot (kept until exit).
 *
 * @example
 * ```ts
 * import type { EnginePosition, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const pos: EnginePosition | null = engine.positionOf('BTC/USD:BTC')
 * pos?.stage // entry-time stage, kept until exit
 * ```
 */
export interface EnginePosition {
  readonly side: PositionSide
  readonly stage: number | null
  readonly openedAtMs: number
  readonly signalId: string
}

/**
 * Plain-JSON state of a {@link RiskEngine}.
 *
 * @example
 * ```ts
 * import type { RiskEngine, RiskEngineSnapshot } from '@perpkit/risk'
 * import { readFileSync, writeFileSync } from 'node:fs'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const saved: RiskEngineSnapshot = engine.snapshot()
 * writeFileSync('risk.json', JSON.stringify(saved))
 * engine.restore(JSON.parse(readFileSync('risk.json', 'utf8')))
 * ```
 */
export interface RiskEngineSnapshot {
  readonly version: 1
  readonly guard: unknown
  readonly breaker: unknown
  readonly emergency: unknown
  readonly stages: unknown
  readonly tradingState: unknown
  readonly makerFallback: unknown
  readonly sizeMultiplier: SizeMultiplierState
  readonly outcomes: readonly boolean[]
  readonly closedTrades: number
  readonly seenSignals: readonly { readonly signalId: string; readonly timestampMs: number }[]
  readonly positions: Readonly<Record<string, EnginePosition>>
  readonly feeSpikeUntilMs: number | null
  readonly startedAtMs: number
  readonly peakEquityUsd: number | null
  readonly liquidated: boolean
}

/**
 * Summary of the engine's state.
 *
 * @example
 * ```ts
 * import type { RiskEngine, RiskEngineStatus } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const s: RiskEngineStatus = engine.status()
 * if (s.mode === 'HALTED') console.log(s.holds.map((h) => `${h.id}: ${h.reason}`))
 * ```
 */
export interface RiskEngineStatus {
  readonly mode: TradingMode
  readonly holds: readonly Hold[]
  readonly sizeMultiplier: number
  readonly closedTrades: number
  readonly feeSpikeUntilMs: number | null
  readonly cooldownUntilMs: number | null
  readonly stage: number | null
  readonly final: FinalCriteriaVerdict | null
}

/**
 * The risk chamber as one object.
 *
 * @example
 * ```ts
 * import { systemClock } from '@perpkit/core'
 * import { createRiskEngine, type RiskEngine } from '@perpkit/risk'
 * const engine: RiskEngine = createRiskEngine({ config: {}, clock: systemClock })
 * engine.observe({ priceChange1mPct: 0.1, priceChange5mPct: -0.4, latencyMs: 180, equityUsd: 140 })
 * ```
 */
export interface RiskEngine {
  readonly config: RiskConfig
  /** Emergency checks; call before evaluating any signal. */
  observe(observation: EmergencyObservation): EmergencyAssessment
  /** Evaluate a proposal and return a signed decision (never throws for a refusal; throws for bad input). */
  decide(proposal: AlphaProposal, context: DecisionContext): Decision
  /** Record that an `enter` decision was executed: counts toward trades/day, marks the signal used, snapshots the stage. */
  recordEntry(args: { readonly decision: Decision }): void
  /** Record a closed position: guard, breaker, win rate, size multiplier and fee-spike check. */
  recordExit(args: {
    readonly symbol: string
    readonly pnlUsd: number
    readonly exitKind: ExitKind
    readonly actualFeeUsd?: number
    readonly estimatedFeeUsd?: number
  }): void
  /** Report account equity (USD) and optionally unrealized PnL. */
  updateEquity(args: { readonly equityUsd: number; readonly unrealizedPnlUsd?: number }): void
  /** Liquidation warning or event: manual-only HALT. */
  recordLiquidation(args: { readonly kind: 'warning' | 'event'; readonly detail?: string }): void
  recordMakerTimeout(args: { readonly signalId: string }): number
  requestTakerFallback(args: { readonly signalId: string; readonly expectedProfitUsd: number; readonly takerFeeUsd: number }):
    | Ok<{ readonly signalId: string }>
    | Fail<TakerFallbackRefusal, Readonly<Record<string, unknown>>>
  recordTakerResult(args: { readonly signalId: string; readonly failed: boolean }): void
  /** External breaker trip: failed health check, orphan position from reconciliation, operator. */
  tripBreaker(args: { readonly trigger: ExternalBreakerTrigger; readonly detail: string }): void
  /** Operator HALT (manual lift only). */
  halt(args: { readonly reason: string }): void
  /** Operator REDUCING mode (manual lift only). */
  reduceOnly(args: { readonly reason: string }): void
  /** Operator lift of a hold (also resets the breaker / emergency state behind it). */
  lift(args: { readonly id: HoldId }): Ok<Hold> | Fail<'not-held', { readonly id: HoldId }>
  mode(): TradingMode
  status(): RiskEngineStatus
  /** Entry-time stage of the open position on `symbol`, or null. */
  positionOf(symbol: string): EnginePosition | null
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): RiskEngineSnapshot
  restore(snapshot: unknown): void
}

const ms = z.number().int().nonnegative()
const engineSnapshotSchema = z
  .object({
    version: z.literal(1),
    guard: z.unknown(),
    breaker: z.unknown(),
    emergency: z.unknown(),
    stages: z.unknown(),
    tradingState: z.unknown(),
    makerFallback: z.unknown(),
    sizeMultiplier: z.object({ multiplier: z.number().finite(), lossStreak: z.number().int().nonnegative(), winStreak: z.number().int().nonnegative() }).strict(),
    outcomes: z.array(z.boolean()),
    closedTrades: z.number().int().nonnegative(),
    seenSignals: z.array(z.preprocess(legacyTimeKey, z.object({ signalId: z.string(), timestampMs: ms }).strict())),
    positions: z.record(
      z.string(),
      z.object({ side: z.enum(['long', 'short']), stage: z.number().int().positive().nullable(), openedAtMs: ms, signalId: z.string() }).strict(),
    ),
    feeSpikeUntilMs: ms.nullable(),
    startedAtMs: ms,
    peakEquityUsd: z.number().finite().nullable(),
    liquidated: z.boolean(),
  })
  .strict()

const GUARD_CODES: Readonly<Record<GuardDenialReason, SkipReason>> = {
  'sl-streak': 'sl-streak',
  'daily-loss-limit': 'daily-loss-limit',
  'trades-per-day': 'trades-per-day',
  'missing-equity': 'missing-data',
}

const NUMERIC_CONTEXT_KEYS = [
  'equityUsd',
  'equityBtc',
  'markPriceUsd',
  'availableBalanceUsd',
  'requiredMarginUsd',
  'dataTimeMs',
  'atrPct24h',
  'backtestWinRate',
  'currentLeverage',
] as const satisfies readonly (keyof DecisionContext)[]

/** Gates that need no account-builder input: they apply in the `general` profile too. */
const GENERAL_GATES: ReadonlySet<GateId> = new Set<GateId>(['cooldown', 'one-way'])

const optFinite = (v: number | undefined, path: string): number | undefined => (v === undefined ? undefined : assertFinite(v, path))

/**
 * Create a {@link RiskEngine}: the whole risk chamber behind one object.
 *
 * Decision order for an entry: data freshness → trading mode (every hold) → RiskGuard → confidence →
 * duplicate signal → balance → stage (determined now, from equity at entry time) → entry gates. Every failing check is
 * reported; the decision is `enter` only when none fails. Exits are refused only in HALTED (and when no
 * matching position is open). With `config.profile: 'general'` there is no stage, the only entry gates are
 * cooldown and one-way mode, and neither win-rate gates nor final criteria apply.
 *
 * @param args.config - partial config (validated, seed defaults filled in) or a resolved config
 * @param args.clock - time source (`createTestClock()` in tests, `systemClock` live)
 * @param args.signingKey - optional HMAC key for decision signatures
 * @param args.startedAtMs - start of the account-builder run (final criteria); defaults to `clock.now()`
 * @returns the engine
 * @throws InvalidInputError for an invalid config (path of the bad field)
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createRiskEngine } from '@perpkit/risk'
 * const clock = createTestClock(Date.UTC(2025, 0, 1))
 * const risk = createRiskEngine({ config: { timeZone: 'Asia/Seoul' }, clock })
 * risk.observe({ priceChange1mPct: -0.4, priceChange5mPct: -1, latencyMs: 150, equityUsd: 150 })
 * const d = risk.decide(
 *   { signalId: 'grid-1', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.8, strategy: 'grid', createdAtMs: clock.now() },
 *   { equityUsd: 150, dataTimeMs: clock.now(), atrPct24h: 3.5, ev: { expectedProfitUsd: 0.5, feeEstimateUsd: 0.02 },
 *     liquidity: 'maker', openPositionSide: null, backtestWinRate: 0.58 },
 * )
 * d.action // 'enter'
 * ```
 */
export function createRiskEngine(args: {
  readonly config?: RiskConfigInput | RiskConfig
  readonly clock: Clock
  readonly signingKey?: string
  readonly startedAtMs?: number
}): RiskEngine {
  const config = parseRiskConfig(args.config ?? {})
  const { clock } = args
  const hub = createEventHub()
  const ctx = { config, clock }
  const guard = createRiskGuard(ctx)
  const breaker = createCircuitBreaker(ctx)
  const emergency = createEmergencyMonitor(ctx)
  const stages = createStageTracker(ctx)
  const trading = createTradingState({ clock })
  const makerFallback = createMakerFallback(ctx)
  /** The `general` profile leaves out the account-builder rules (stages and their gates, win-rate gates, final criteria). */
  const accountBuilder = config.profile === 'account-builder'
  for (const c of [guard, breaker, emergency, stages, trading, makerFallback]) c.subscribe((e) => hub.emit(e))

  let sizeState = initialSizeMultiplierState({ config: config.sizeMultiplier })
  let outcomes: boolean[] = []
  let closedTrades = 0
  let seenSignals: { signalId: string; timestampMs: number }[] = []
  let positions: Record<string, EnginePosition> = {}
  let feeSpikeUntilMs: number | null = null
  let startedAtMs = args.startedAtMs ?? clock.now()
  let peakEquityUsd: number | null = null
  let liquidated = false

  const syncBreaker = (): void => {
    const trip = breaker.currentTrip()
    const held = trading.holds().some((h) => h.id === 'breaker')
    if (trip !== null) trading.place({ id: 'breaker', level: 'halt', reason: `${trip.trigger}: ${trip.detail}`, liftableBy: trip.resetAtMs === null ? 'manual' : 'auto' })
    else if (held) trading.lift({ id: 'breaker', by: 'auto' })
  }

  const syncEmergency = (): void => {
    const halt = emergency.current()
    const holds = trading.holds()
    if (halt !== null) trading.place({ id: 'emergency', level: 'halt', reason: halt.detail, liftableBy: halt.manualOnly ? 'manual' : 'auto' })
    else if (holds.some((h) => h.id === 'emergency')) trading.lift({ id: 'emergency', by: 'auto' })
    const slow = emergency.entryBlockers().includes('latency')
    if (slow) trading.place({ id: 'latency', level: 'reduce', reason: 'venue latency at or above the limit', liftableBy: 'auto' })
    else if (holds.some((h) => h.id === 'latency')) trading.lift({ id: 'latency', by: 'auto' })
  }

  const noteEquity = (equityUsd: number): FinalCriteriaVerdict | null => {
    peakEquityUsd = peakEquityUsd === null ? equityUsd : Math.max(peakEquityUsd, equityUsd)
    if (!accountBuilder) return null
    const verdict = evaluateFinalCriteria({ equityUsd, peakEquityUsd, liquidated, startedAtMs, nowMs: clock.now(), criteria: config.finalCriteria })
    if (verdict.status === 'FAILURE') trading.place({ id: 'final-criteria', level: 'halt', reason: `final criteria: ${verdict.reasons.join(', ')}`, liftableBy: 'manual' })
    return verdict
  }

  const cooldownUntil = (): number | null => {
    const all = [emergency.cooldownUntilMs(), makerFallback.blockedUntilMs()].filter((v): v is number => v !== null)
    return all.length === 0 ? null : Math.max(...all)
  }

  const feeSpikeActive = (): boolean => feeSpikeUntilMs !== null && clock.now() < feeSpikeUntilMs

  const engine: RiskEngine = {
    config,
    observe(observation) {
      syncBreaker()
      const assessment = emergency.observe(observation)
      syncEmergency()
      if (observation.equityUsd !== null && observation.equityUsd > 0) noteEquity(observation.equityUsd)
      return assessment
    },

    decide(proposalInput, context) {
      const proposal = parseAlphaProposal(proposalInput)
      for (const key of NUMERIC_CONTEXT_KEYS) optFinite(context[key], key)
      if (context.ev !== undefined && !('passed' in context.ev)) {
        optFinite(context.ev.expectedProfitUsd, 'ev.expectedProfitUsd')
        optFinite(context.ev.feeEstimateUsd, 'ev.feeEstimateUsd')
        optFinite(context.ev.k, 'ev.k')
      }
      syncBreaker()
      syncEmergency()
      const now = clock.now()
      const reasons: DecisionReason[] = []
      const warnings: string[] = []
      const add = (code: SkipReason, message: string): void => {
        if (!reasons.some((r) => r.code === code && r.message === message)) reasons.push({ code, message })
      }

      let equityUsd = optFinite(context.equityUsd, 'equityUsd')
      if (equityUsd === undefined && context.equityBtc !== undefined && context.markPriceUsd !== undefined) {
        equityUsd = inverseEquityUsd({ equityBtc: context.equityBtc, markPriceUsd: context.markPriceUsd })
      }
      const dataTimeMs = optFinite(context.dataTimeMs, 'dataTimeMs')
      const available = optFinite(context.availableBalanceUsd, 'availableBalanceUsd')
      const required = optFinite(context.requiredMarginUsd, 'requiredMarginUsd')
      let stageNumber: number | null = null
      let leverage: number | null = null
      let sizeMultiplier = sizeState.multiplier
      const derived: Record<string, unknown> = {}

      // trading mode: every hold is a reason
      for (const h of trading.holds()) {
        if (h.level === 'halt') add(h.id === 'breaker' ? 'breaker-open' : 'halted', `${h.id}: ${h.reason} (lift: ${h.liftableBy})`)
        else if (proposal.kind === 'entry') add(h.id === 'latency' ? 'latency' : 'reducing-only', `${h.id}: ${h.reason}`)
      }

      if (proposal.kind === 'exit') {
        if (context.openPositionSide === undefined) add('missing-input', 'openPositionSide is missing')
        else if (context.openPositionSide !== proposal.side) add('no-position-to-exit', `no open ${proposal.side} position on ${proposal.symbol}`)
        stageNumber = positions[proposal.symbol]?.stage ?? null
      } else {
        if (dataTimeMs === undefined) add('missing-data', 'dataTimeMs is missing')
        else if (now - dataTimeMs > config.decision.maxDataAgeMs) add('stale-data', `data is ${now - dataTimeMs} ms old (max ${config.decision.maxDataAgeMs})`)

        if (equityUsd === undefined) add('missing-data', 'equity is missing')
        else {
          guard.updateEquity({ equityUsd })
          const final = noteEquity(equityUsd)
          if (final !== null) derived['final'] = final
          if (final?.status === 'FAILURE') add('halted', `final criteria: ${final.reasons.join(', ')}`)
        }
        const g = guard.canOpenPosition()
        if (!g.ok) for (const d of g.details.denials) add(GUARD_CODES[d.reason], d.message)
        const gs = guard.status()
        derived['guard'] = { tradesToday: gs.tradesToday, slStreak: gs.slStreak, dailyLossUsd: gs.dailyLossUsd, startOfDayEquityUsd: gs.startOfDayEquityUsd }

        if (proposal.confidence < config.decision.minConfidence) add('low-confidence', `confidence ${proposal.confidence} < ${config.decision.minConfidence}`)
        seenSignals = seenSignals.filter((s) => s.timestampMs > now - config.decision.duplicateWindowMs)
        if (seenSignals.some((s) => s.signalId === proposal.signalId)) add('duplicate-signal', `signal ${proposal.signalId} was already executed`)

        if (equityUsd !== undefined && equityUsd <= 0) add('insufficient-balance', `equity ${equityUsd} USD <= 0`)
        if (available !== undefined) {
          if (available <= 0) add('insufficient-balance', `available balance ${available} USD <= 0`)
          else if (required !== undefined && available < required) add('insufficient-balance', `available ${available} USD < required margin ${required} USD`)
        }

        const det = accountBuilder && equityUsd !== undefined && equityUsd > 0 ? stages.determine({ equityUsd }) : undefined
        const winRate = evaluateWinRate({ outcomes, closedTrades, backtestWinRate: context.backtestWinRate, config: config.winRate })
        if (accountBuilder && winRate.action === 'warn') warnings.push(`soft win-rate gate: live ${winRate.liveWinRate} < ${config.winRate.softMinWinRate}, size x ${winRate.sizeMultiplier}`)
        const fm = makerFallback.snapshot()
        const cooldownUntilMs = cooldownUntil()
        const spike = feeSpikeActive()
        const gates = evaluateEntryGates({
          nowMs: now,
          side: proposal.side,
          stage: det?.bundle,
          stageBlockedUntilMs: det === undefined ? undefined : det.blockedUntilMs,
          tradesToday: gs.tradesToday,
          atrPct24h: context.atrPct24h,
          ev: context.ev,
          liquidity: context.liquidity,
          takerFallbackGranted: fm.grantedSignalId === proposal.signalId,
          feeSpikeActive: spike,
          feeSpikeEvFactor: config.feeSpike.evMultipleFactor,
          winRate,
          cooldownUntilMs,
          openPositionSide: context.openPositionSide,
        })
        if (!gates.ok) for (const d of gates.details.denials) if (accountBuilder || GENERAL_GATES.has(d.gate)) add(d.reason, `${d.gate}: ${d.message}`)

        if (det) {
          stageNumber = det.bundle.stage
          leverage = leverageFor({
            equityUsd: equityUsd ?? 0,
            bundle: det.bundle,
            policy: config.leverage,
            ...(context.currentLeverage === undefined ? {} : { currentLeverage: context.currentLeverage }),
          })
        }
        const c = config.sizeMultiplier
        sizeMultiplier = Math.min(c.cap, Math.max(c.floor, sizeState.multiplier * (accountBuilder ? winRate.sizeMultiplier : 1)))
        Object.assign(derived, {
          equityUsd: equityUsd ?? null,
          stageBlockedUntilMs: det?.blockedUntilMs ?? null,
          cooldownUntilMs,
          feeSpikeActive: spike,
          takerFallbackGranted: fm.grantedSignalId === proposal.signalId,
          ...(accountBuilder ? { winRate: { mode: winRate.mode, closedTrades: winRate.closedTrades, liveWinRate: winRate.liveWinRate } } : {}),
          sizeMultiplierState: sizeState,
        })
      }

      const decision = signDecision({
        proposal,
        verdict: { permitted: reasons.length === 0, mode: trading.mode(), reasons, warnings, stage: stageNumber, sizeMultiplier, leverage },
        inputs: { context: { ...context }, derived, holds: trading.holds().map((h) => ({ ...h })) },
        decidedAtMs: now,
        ...(args.signingKey === undefined ? {} : { signingKey: args.signingKey }),
      })
      hub.emit({ type: 'decision-made', timestampMs: now, decisionId: decision.id, action: decision.action, reasons: reasons.map((r) => r.code) })
      return decision
    },

    recordEntry({ decision }) {
      if (decision.action !== 'enter') throw new InvalidInputError(`only an 'enter' decision can be recorded as an entry (got '${decision.action}')`, { path: 'decision.action' })
      const now = clock.now()
      guard.recordEntry()
      seenSignals = [...seenSignals.filter((s) => s.timestampMs > now - config.decision.duplicateWindowMs), { signalId: decision.proposal.signalId, timestampMs: now }]
      positions = {
        ...positions,
        [decision.proposal.symbol]: { side: decision.proposal.side, stage: decision.verdict.stage, openedAtMs: now, signalId: decision.proposal.signalId },
      }
    },

    recordExit({ symbol, pnlUsd, exitKind, actualFeeUsd, estimatedFeeUsd }) {
      assertFinite(pnlUsd, 'pnlUsd')
      const now = clock.now()
      guard.recordExit({ pnlUsd, exitKind })
      breaker.recordTrade({ pnlUsd })
      syncBreaker()
      const { [symbol]: _closed, ...rest } = positions
      positions = rest
      closedTrades += 1
      outcomes = [...outcomes, pnlUsd > 0].slice(-config.winRate.windowTrades)
      const before = sizeState.multiplier
      sizeState = nextSizeMultiplier({ state: sizeState, outcome: pnlUsd > 0 ? 'win' : pnlUsd < 0 ? 'loss' : 'breakeven', config: config.sizeMultiplier })
      if (sizeState.multiplier !== before) {
        hub.emit({ type: 'size-multiplier-changed', timestampMs: now, from: before, to: sizeState.multiplier, cause: pnlUsd < 0 ? 'loss-streak' : 'win-streak' })
      }
      const wr = evaluateWinRate({ outcomes, closedTrades, backtestWinRate: 1, config: config.winRate })
      if (accountBuilder && wr.action === 'warn' && wr.liveWinRate !== null) hub.emit({ type: 'win-rate-warning', timestampMs: now, closedTrades, liveWinRate: wr.liveWinRate })
      if (accountBuilder && wr.action === 'halt' && wr.liveWinRate !== null) {
        hub.emit({ type: 'win-rate-halt', timestampMs: now, closedTrades, liveWinRate: wr.liveWinRate })
        trading.place({ id: 'win-rate', level: 'halt', reason: `live win rate ${wr.liveWinRate} < ${config.winRate.hardMinWinRate} over ${closedTrades} trades`, liftableBy: 'manual' })
      }
      if (actualFeeUsd !== undefined && estimatedFeeUsd !== undefined) {
        const fs = detectFeeSpike({ actualFeeUsd, estimatedFeeUsd, ratio: config.feeSpike.ratio })
        if (fs.spike) {
          feeSpikeUntilMs = now + config.feeSpike.tightenMs
          hub.emit({ type: 'fee-spike', timestampMs: now, feeRatio: fs.feeRatio, untilMs: feeSpikeUntilMs })
        }
      }
    },

    updateEquity(a) {
      guard.updateEquity(a)
      if (a.equityUsd > 0) noteEquity(a.equityUsd)
    },
    recordLiquidation(a) {
      liquidated = true
      emergency.recordLiquidation(a)
      syncEmergency()
    },
    recordMakerTimeout: (a) => makerFallback.recordMakerTimeout(a),
    requestTakerFallback: (a) => makerFallback.requestTaker(a),
    recordTakerResult: (a) => makerFallback.recordTakerResult(a),
    tripBreaker(a) {
      breaker.trip(a)
      syncBreaker()
    },
    halt({ reason }) {
      trading.place({ id: 'manual', level: 'halt', reason, liftableBy: 'manual' })
    },
    reduceOnly({ reason }) {
      trading.place({ id: 'manual', level: 'reduce', reason, liftableBy: 'manual' })
    },
    lift({ id }) {
      if (id === 'breaker') breaker.reset()
      if (id === 'emergency') emergency.liftManually()
      const r = trading.lift({ id, by: 'manual' })
      if (r.ok) return ok(r.value)
      return fail('not-held', { id })
    },
    mode() {
      syncBreaker()
      return trading.mode()
    },
    status() {
      syncBreaker()
      const eq = guard.status().equityUsd
      return {
        mode: trading.mode(),
        holds: trading.holds(),
        sizeMultiplier: sizeState.multiplier,
        closedTrades,
        feeSpikeUntilMs: feeSpikeActive() ? feeSpikeUntilMs : null,
        cooldownUntilMs: cooldownUntil(),
        stage: accountBuilder ? stages.currentStage() : null,
        final:
          !accountBuilder || eq === null || eq <= 0
            ? null
            : evaluateFinalCriteria({ equityUsd: eq, peakEquityUsd: peakEquityUsd ?? eq, liquidated, startedAtMs, nowMs: clock.now(), criteria: config.finalCriteria }),
      }
    },
    positionOf: (symbol) => positions[symbol] ?? null,
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({
      version: 1,
      guard: guard.snapshot(),
      breaker: breaker.snapshot(),
      emergency: emergency.snapshot(),
      stages: stages.snapshot(),
      tradingState: trading.snapshot(),
      makerFallback: makerFallback.snapshot(),
      sizeMultiplier: { ...sizeState },
      outcomes: [...outcomes],
      closedTrades,
      seenSignals: seenSignals.map((s) => ({ ...s })),
      positions: { ...positions },
      feeSpikeUntilMs,
      startedAtMs,
      peakEquityUsd,
      liquidated,
    }),
    restore(snapshot) {
      const p = parseOrThrow(engineSnapshotSchema, snapshot, 'risk engine snapshot')
      guard.restore(p.guard)
      breaker.restore(p.breaker)
      emergency.restore(p.emergency)
      stages.restore(p.stages)
      trading.restore(p.tradingState)
      makerFallback.restore(p.makerFallback)
      sizeState = { ...p.sizeMultiplier }
      outcomes = [...p.outcomes]
      closedTrades = p.closedTrades
      seenSignals = p.seenSignals.map((s) => ({ ...s }))
      positions = { ...p.positions }
      feeSpikeUntilMs = p.feeSpikeUntilMs
      startedAtMs = p.startedAtMs
      peakEquityUsd = p.peakEquityUsd
      liquidated = p.liquidated
    },
  }
  return engine
}
