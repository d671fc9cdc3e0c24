/**
 * One run's connection to `@perpkit/risk`'s engine (`createRiskEngine`): every rule — trading states, emergency
 * HALTs, RiskGuard, circuit breaker, stages and anti-flap, entry gates, size multiplier, maker fallback,
 * liquidation HALT — is decided there. This file only schedules the calls (equity updates a UTC day cannot
 * observe wait for the next observation), turns the engine's mode changes into HALT periods for the result, and
 * answers the OMS's maker timeouts with risk's maker-fallback gate.
 * @module
 */
import type { Clock } from '@perpkit/core'
import type { MakerTimeoutContext, MakerTimeoutDecision } from '@perpkit/oms'
import {
  type AlphaProposal,
  createRiskEngine,
  type Decision,
  type DecisionContext,
  type DecisionReason,
  type ExitKind,
  makeDecision,
  type RiskConfig,
  type RiskEngine,
  type RiskEvent,
} from '@perpkit/risk'
import type { HaltPeriod } from '../results/types.js'

/** Market and account facts observed once per base bar, before any signal (emergency checks come first). */
export interface BarObservation {
  readonly timestampMs: number
  /** Percent change over the last minute (null when the bar interval is longer). */
  readonly change1mPct: number | null
  /** Percent change over the last five minutes (null when not computable). */
  readonly change5mPct: number | null
  readonly equityUsd: number | null
  /** Measured venue latency, when known. */
  readonly latencyMs?: number | null
  /**
   * Time of the next observation, when the caller knows it (the runner: the next bar's close). No other risk call
   * comes after it before that time, which lets a UTC guard's equity update wait while nothing can observe it.
   * Absent: the guard is updated at once.
   */
  readonly nextObservationMs?: number | null
}

/** A HALT transition the runner logs (with a context snapshot). */
export interface HaltTransition {
  readonly type: 'halt-entered' | 'halt-lifted'
  readonly timestampMs: number
  readonly reason: string
  readonly context: Readonly<Record<string, unknown>>
}

/** What the OMS's maker timeout needs to know about a maker entry in flight (see {@link RiskSession.expectMakerEntry}). */
export interface MakerEntryTerms {
  readonly signalId: string
  /** Expected profit of the entry in USD (the taker fallback needs it to be ≥ the taker fee × the configured multiple). */
  readonly expectedProfitUsd: number
  /** Taker fee of the entry in USD. */
  readonly takerFeeUsd: number
  /** The post-only price of a retry, priced when the timeout happens (one tick inside the last trade). */
  readonly retryPrice: () => number
}

/** What {@link createRiskSession} returns. */
export interface RiskSession {
  /** The `@perpkit/risk` engine behind the session (status, lift, snapshot, config). */
  readonly engine: RiskEngine
  /** `false`: every proposal is permitted (decisions are still signed) and nothing but a liquidation HALTs. */
  readonly enabled: boolean
  /** Emergency checks for one base bar (HALT transitions go to {@link RiskSession.onHalt} listeners). */
  observe(obs: BarObservation): void
  /** Judge a strategy's proposal and return risk's signed decision. */
  decide(proposal: AlphaProposal, context: DecisionContext): Decision
  /** The entry of this `enter` decision filled (counted once per decision). */
  recordEntry(decision: Decision): void
  recordExit(args: { readonly symbol: string; readonly pnlUsd: number; readonly exitKind: ExitKind; readonly actualFeeUsd?: number; readonly estimatedFeeUsd?: number }): void
  /** The venue liquidated a position: a HALT that only an operator lifts (reason `liquidation`). */
  recordLiquidation(args: { readonly timestampMs: number; readonly detail: string }): void
  updateEquity(equityUsd: number): void
  /** Register a post-only entry so that its timeouts can be answered by risk's maker-fallback gate. */
  expectMakerEntry(terms: MakerEntryTerms): void
  /** The OMS's `onMakerTimeout`: retry as maker until the configured number of timeouts, then ask risk for the taker fallback. */
  onMakerTimeout(context: MakerTimeoutContext): MakerTimeoutDecision
  /** HALT periods so far (the last one open when currently halted). */
  halts(): readonly HaltPeriod[]
  /** Whether the risk engine is HALTED. */
  halted(): boolean
  /** HALT transitions as they happen, from any cause (emergency, breaker, liquidation, win rate, final criteria). */
  onHalt(listener: (transition: HaltTransition) => void): () => void
  subscribe(listener: (event: RiskEvent) => void): () => void
}

const DAY_MS = 86_400_000

/**
 * Create the risk session of one run.
 *
 * @param args - `{ config, clock, enabled?, signingKey? }`. With `enabled: false` every proposal is permitted
 *   (decisions are still made and signed, so logs stay uniform) — used for reproducing outside engines.
 * @returns the session.
 * @example
 * ```ts
 * import { createRiskSession } from '@perpkit/engine'
 * import { createTestClock } from '@perpkit/core'
 * import { parseRiskConfig } from '@perpkit/risk'
 * const clock = createTestClock(Date.UTC(2025, 0, 1))
 * const risk = createRiskSession({ config: parseRiskConfig({ profile: 'general' }), clock })
 * risk.observe({ timestampMs: clock.now(), change1mPct: null, change5mPct: -0.2, equityUsd: 10_000 })
 * const decision = risk.decide(
 *   { signalId: 's-1', symbol: 'BTC/USDT:USDT', kind: 'entry', side: 'long', confidence: 1, strategy: 'sma', createdAtMs: clock.now() },
 *   { equityUsd: 10_000, dataTimeMs: clock.now(), openPositionSide: null },
 * )
 * decision.action // 'enter'
 * ```
 */
export function createRiskSession(args: { readonly config: RiskConfig; readonly clock: Clock; readonly enabled?: boolean; readonly signingKey?: string }): RiskSession {
  const { config, clock } = args
  const enabled = args.enabled ?? true
  const engine = createRiskEngine({ config, clock, ...(args.signingKey !== undefined ? { signingKey: args.signingKey } : {}) })
  const haltListeners = new Set<(t: HaltTransition) => void>()
  const periods: { fromMs: number; toMs: number | null; reason: string }[] = []
  let lastObs: BarObservation | null = null
  let liquidationDetail: string | null = null

  const withoutHint = (o: BarObservation): BarObservation => {
    if (o.nextObservationMs === undefined) return o
    const { nextObservationMs: _hint, ...rest } = o
    return rest
  }
  const transition = (t: HaltTransition): void => {
    for (const l of haltListeners) l(t)
  }
  const haltReason = (): string =>
    engine
      .status()
      .holds.filter((h) => h.level === 'halt')
      .map((h) => h.reason)
      .join('; ')
  engine.subscribe((e) => {
    if (e.type !== 'mode-changed') return
    if (e.to === 'HALTED') {
      const reason = liquidationDetail !== null ? 'liquidation' : haltReason()
      periods.push({ fromMs: e.timestampMs, toMs: null, reason })
      const context = liquidationDetail !== null ? { detail: liquidationDetail } : { observation: lastObs === null ? null : withoutHint(lastObs), holds: engine.status().holds }
      transition({ type: 'halt-entered', timestampMs: e.timestampMs, reason, context })
    } else if (e.from === 'HALTED') {
      const open = periods[periods.length - 1]
      if (open !== undefined && open.toMs === null) open.toMs = e.timestampMs
      transition({ type: 'halt-lifted', timestampMs: e.timestampMs, reason: 'holds lifted', context: { observation: lastObs === null ? null : withoutHint(lastObs), cooldownUntilMs: engine.status().cooldownUntilMs } })
    }
  })

  // Equity for the guard: within one UTC day the guard's equity only shows in what it reports and at its day roll
  // (start-of-day equity = the last equity it was given). So a bar's equity may wait while the next observation is
  // in the same UTC day and the trades-per-day tier is unchanged; it is given before any other risk call.
  const utcDays = config.timeZone === 'UTC' || config.timeZone === 'Etc/UTC'
  const thresholds = [...new Set(config.guard.tradesPerDayTiers.map((t) => t.minEquityUsd))].sort((a, b) => a - b)
  const tierOf = (e: number): number => {
    let k = 0
    while (k < thresholds.length && e >= (thresholds[k] as number)) k++
    return k
  }
  let givenEquity: number | null = null
  let givenDay = Number.NaN
  let givenTier = Number.NaN
  let nextRefreshMs = Number.NEGATIVE_INFINITY
  let pendingEquity: number | undefined
  const give = (e: number): void => {
    pendingEquity = undefined
    givenEquity = e
    givenTier = tierOf(e)
    givenDay = Math.floor(clock.now() / DAY_MS)
    nextRefreshMs = clock.now() + 3_600_000
    engine.updateEquity({ equityUsd: e })
  }
  const flush = (): void => {
    if (pendingEquity !== undefined) give(pendingEquity)
  }

  const makerTerms = new Map<string, MakerEntryTerms>()
  const grantedTaker = new Set<string>()
  const recorded = new WeakSet<Decision>()

  return {
    engine,
    enabled,
    observe(obs) {
      lastObs = obs
      if (!enabled) return
      const e = obs.equityUsd
      if (e !== null && Number.isFinite(e)) {
        // told when equity changed, and otherwise often enough for the guard's day roll: the first bar of each UTC
        // day when its time zone is UTC, else at least hourly (its day key in another zone needs a calendar)
        const day = Math.floor(obs.timestampMs / DAY_MS)
        const due = utcDays ? day !== givenDay : obs.timestampMs >= nextRefreshMs
        if (e !== givenEquity || due || pendingEquity !== undefined) {
          const next = obs.nextObservationMs
          const wait = utcDays && !due && next !== undefined && next !== null && Math.floor(next / DAY_MS) === day && tierOf(e) === givenTier
          if (wait) pendingEquity = e
          else give(e)
        }
      }
      engine.observe({ priceChange1mPct: obs.change1mPct, priceChange5mPct: obs.change5mPct, latencyMs: obs.latencyMs ?? null, equityUsd: e })
    },
    decide(proposal, context) {
      if (enabled) {
        flush()
        return engine.decide(proposal, context)
      }
      // disabled: permitted, except an exit with nothing to exit; signed like every decision
      const reasons: DecisionReason[] = []
      if (proposal.kind === 'exit' && context.openPositionSide !== proposal.side) reasons.push({ code: 'no-position-to-exit', message: 'no open position' })
      return makeDecision({
        proposal,
        verdict: { permitted: reasons.length === 0, mode: engine.mode(), reasons, warnings: ['risk disabled: every proposal permitted'], stage: null, sizeMultiplier: 1, leverage: null },
        inputs: { context: { ...context } },
        decidedAtMs: clock.now(),
        ...(args.signingKey !== undefined ? { signingKey: args.signingKey } : {}),
      })
    },
    recordEntry(decision) {
      if (!enabled || decision.action !== 'enter' || recorded.has(decision)) return
      recorded.add(decision)
      flush()
      engine.recordEntry({ decision })
      const signalId = decision.proposal.signalId
      makerTerms.delete(signalId)
      if (grantedTaker.delete(signalId)) engine.recordTakerResult({ signalId, failed: false })
    },
    recordExit(a) {
      if (!enabled) return
      flush()
      engine.recordExit(a)
    },
    recordLiquidation({ timestampMs, detail }) {
      const open = periods[periods.length - 1]
      if (open !== undefined && open.toMs === null && open.reason === 'liquidation') return
      flush()
      const wasHalted = engine.mode() === 'HALTED'
      liquidationDetail = detail
      try {
        // the emergency monitor keeps this HALT until an operator lifts it (never on calm)
        engine.recordLiquidation({ kind: 'event', detail: 'liquidation' })
      } finally {
        liquidationDetail = null
      }
      if (wasHalted) {
        // already HALTED for another reason: that period ends, the liquidation one begins
        if (open !== undefined && open.toMs === null) open.toMs = timestampMs
        periods.push({ fromMs: timestampMs, toMs: null, reason: 'liquidation' })
        transition({ type: 'halt-entered', timestampMs, reason: 'liquidation', context: { detail, previousHalt: open?.reason ?? null } })
      }
    },
    updateEquity(e) {
      if (enabled) give(e)
    },
    expectMakerEntry(terms) {
      makerTerms.set(terms.signalId, terms)
    },
    onMakerTimeout(ctx) {
      const terms = makerTerms.get(ctx.signalId)
      if (terms === undefined || !enabled) return { action: 'abandon' }
      const timeouts = engine.recordMakerTimeout({ signalId: ctx.signalId })
      if (timeouts < config.makerFallback.timeoutsBeforeTaker) return { action: 'retry-maker', price: terms.retryPrice() }
      const grant = engine.requestTakerFallback({ signalId: ctx.signalId, expectedProfitUsd: terms.expectedProfitUsd, takerFeeUsd: terms.takerFeeUsd })
      makerTerms.delete(ctx.signalId)
      if (!grant.ok) return { action: 'abandon' }
      grantedTaker.add(ctx.signalId)
      return { action: 'taker' }
    },
    halts: () => periods.map((p) => ({ ...p })),
    halted: () => engine.mode() === 'HALTED',
    onHalt(listener) {
      haltListeners.add(listener)
      return () => haltListeners.delete(listener)
    },
    subscribe: (listener) => engine.subscribe(listener),
  }
}
