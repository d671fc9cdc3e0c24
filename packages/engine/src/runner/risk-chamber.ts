/**
 * The engine's risk chamber: composes @perpkit/risk's trading state, emergency monitor and RiskGuard into
 * one object the runner asks, for every strategy intent, for a signed two-chamber {@link Decision}.
 * @module
 */
import type { Clock, PositionSide } from '@perpkit/core'
import {
  type AlphaProposal,
  createEmergencyMonitor,
  createRiskGuard,
  createTradingState,
  type Decision,
  type DecisionReason,
  type ExitKind,
  makeDecision,
  type RiskConfig,
  type RiskEvent,
  type RiskVerdict,
  type SkipReason,
} from '@perpkit/risk'
import type { HaltPeriod } from '../results/types.js'

/** Market and account facts observed once per bar, before any signal (emergency checks come before any signal is evaluated). */
export interface BarObservation {
  readonly timeMs: number
  /** Percent change over the last minute (null when the bar interval is longer). */
  readonly change1mPct: number | null
  /** Percent change over the last five minutes (null when not computable). */
  readonly change5mPct: number | null
  readonly equityUsd: number | null
  /** Measured venue latency, when known. */
  readonly latencyMs?: number | null
  /**
   * Time of the next observation, when the caller knows it (the runner: the next bar's close). No other chamber
   * call can come after it before that time, which lets a UTC guard skip equity updates that cannot change
   * anything it reports until then (see {@link createRiskChamber}). Absent: the guard is updated at once.
   */
  readonly nextObservationMs?: number | null
}

/** A HALT transition the runner logs (with a context snapshot). */
export interface HaltTransition {
  readonly type: 'halt-entered' | 'halt-lifted'
  readonly timeMs: number
  readonly reason: string
  readonly context: Readonly<Record<string, unknown>>
}

/** What {@link createRiskChamber} returns. */
export interface RiskChamber {
  /** Emergency checks for one bar; returns HALT transitions that happened. */
  observe(obs: BarObservation): readonly HaltTransition[]
  /** Judge a strategy's proposal and return a signed decision. */
  decide(args: {
    readonly proposal: AlphaProposal
    readonly openPositionSide: PositionSide | null
    readonly inputs: Readonly<Record<string, unknown>>
  }): Decision
  recordEntry(): void
  /**
   * The venue liquidated a position: a HALT that only an operator lifts (reason `liquidation`). Returns the
   * transition, or null when that HALT is already in force.
   */
  recordLiquidation(args: { readonly timeMs: number; readonly detail: string }): HaltTransition | null
  recordExit(args: { readonly pnlUsd: number; readonly exitKind: ExitKind }): void
  updateEquity(equityUsd: number): void
  /** HALT periods so far (the last one open when currently halted). */
  halts(): readonly HaltPeriod[]
  /** Whether new entries are currently blocked by a HALT. */
  halted(): boolean
  subscribe(listener: (event: RiskEvent) => void): () => void
  snapshot(): Readonly<Record<string, unknown>>
}

/**
 * Create the risk chamber.
 *
 * @param args - `{ config, clock, enabled?, signingKey? }`. With `enabled: false` every proposal is permitted
 *   (decisions are still made and signed, so logs stay uniform) — used for reproducing outside engines.
 * @returns the chamber.
 * @example
 * ```ts
 * import { createRiskChamber } from '@perpkit/engine'
 * import { type AlphaProposal, parseRiskConfig } from '@perpkit/risk'
 * import type { Clock } from '@perpkit/core'
 * declare const clock: Clock, proposal: AlphaProposal
 * const risk = createRiskChamber({ config: parseRiskConfig({}), clock })
 * const decision = risk.decide({ proposal, openPositionSide: null, inputs: { close: 100 } })
 * ```
 */
export function createRiskChamber(args: { readonly config: RiskConfig; readonly clock: Clock; readonly enabled?: boolean; readonly signingKey?: string }): RiskChamber {
  const { config, clock } = args
  const enabled = args.enabled ?? true
  const state = createTradingState({ clock })
  const emergency = createEmergencyMonitor({ config, clock })
  const guard = createRiskGuard({ config, clock })
  const listeners = new Set<(e: RiskEvent) => void>()
  const fan = (e: RiskEvent): void => {
    for (const l of listeners) l(e)
  }
  state.subscribe(fan)
  emergency.subscribe(fan)
  guard.subscribe(fan)
  const periods: { fromMs: number; toMs: number | null; reason: string }[] = []
  let lastObs: BarObservation | null = null
  let equityUsd: number | null = null
  let nextGuardRefreshMs = Number.NEGATIVE_INFINITY
  // UTC guard days are computable by arithmetic: refresh the guard once per day instead of hourly
  const utcDays = config.timeZone === 'UTC' || config.timeZone === 'Etc/UTC'
  let guardDay = Number.NaN
  /**
   * Equity not yet given to the guard. Within one UTC day the guard's equity only shows in what it reports
   * (status, snapshot, the trades-per-day tier of its denials) and at its day roll; so an update may wait while
   * (a) the trades-per-day tier is unchanged, (b) the caller's next observation is in the same UTC day (every
   * later call — fills, decisions — happens before it), and (c) it is given before any other guard call.
   */
  let pendingEquity: number | undefined
  let guardTier = Number.NaN
  // which trades-per-day thresholds an equity reaches (the guard's cap depends only on that): equal keys, equal caps
  const thresholds = [...new Set(config.guard.tradesPerDayTiers.map((t) => t.minEquityUsd))].sort((a, b) => a - b)
  const tierOf = (e: number): number => {
    let k = 0
    while (k < thresholds.length && e >= (thresholds[k] as number)) k++
    return k
  }
  const giveGuard = (e: number, timeMs: number): void => {
    pendingEquity = undefined
    guardDay = utcDays ? Math.floor(timeMs / 86_400_000) : Number.NaN
    nextGuardRefreshMs = timeMs + 3_600_000
    guardTier = tierOf(e)
    guard.updateEquity({ equityUsd: e })
  }
  const flush = (): void => {
    if (pendingEquity === undefined) return
    const e = pendingEquity
    pendingEquity = undefined
    guardTier = tierOf(e)
    guard.updateEquity({ equityUsd: e })
  }

  const verdictFor = (proposal: AlphaProposal, openSide: PositionSide | null): RiskVerdict => {
    const reasons: DecisionReason[] = []
    const add = (code: SkipReason, message: string): void => {
      reasons.push({ code, message })
    }
    const mode = state.mode()
    if (enabled) {
      if (proposal.kind === 'entry') {
        if (!state.permits('entry')) add(mode === 'HALTED' ? 'halted' : 'reducing-only', `trading mode ${mode} does not permit entries`)
        for (const b of emergency.entryBlockers()) {
          if (b === 'cooldown') add('cooldown', `entry cooldown until ${new Date(emergency.cooldownUntilMs() ?? 0).toISOString()}`)
          else if (b === 'latency') add('latency', 'venue latency above the limit')
          else if (mode !== 'HALTED') add('halted', 'emergency HALT')
        }
        const g = guard.canOpenPosition()
        if (!g.ok) {
          for (const d of g.details.denials) add(d.reason === 'missing-equity' ? 'missing-input' : d.reason, d.message)
        }
        if (openSide !== null && openSide !== proposal.side) add('one-way-conflict', `an entry ${proposal.side} while ${openSide} is open`)
        if (proposal.confidence < config.decision.minConfidence) add('low-confidence', `confidence ${proposal.confidence} < ${config.decision.minConfidence}`)
      } else {
        if (openSide === null) add('no-position-to-exit', 'no open position')
        if (!state.permits('reduce')) add('halted', `trading mode ${mode} does not permit reducing`)
      }
    } else if (proposal.kind === 'exit' && openSide === null) add('no-position-to-exit', 'no open position')
    return {
      permitted: reasons.length === 0,
      mode,
      reasons,
      warnings: enabled ? [] : ['risk chamber disabled: every proposal permitted'],
      stage: null,
      sizeMultiplier: 1,
      leverage: null,
    }
  }

  /** The observation as recorded in decisions and HALT contexts (the scheduling hint is not a market fact). */
  const withoutHint = (o: BarObservation): BarObservation => {
    if (o.nextObservationMs === undefined) return o
    const { nextObservationMs: _hint, ...rest } = o
    return rest
  }

  return {
    observe(input) {
      const obs = input
      lastObs = input // the hint is removed when the observation is recorded (decide, HALT contexts)
      if (obs.equityUsd !== null) {
        // the guard is told when equity changed, and otherwise often enough for its day roll: at the first bar of
        // each UTC day when its time zone is UTC, else at least hourly (its day key costs an Intl call)
        const day = utcDays ? Math.floor(obs.timeMs / 86_400_000) : Number.NaN
        const due = utcDays ? day !== guardDay : obs.timeMs >= nextGuardRefreshMs
        if (obs.equityUsd !== equityUsd || due || pendingEquity !== undefined) {
          equityUsd = obs.equityUsd
          const next = input.nextObservationMs
          const wait =
            utcDays && !due && next !== undefined && next !== null && Math.floor(next / 86_400_000) === day && Number.isFinite(obs.equityUsd) && tierOf(obs.equityUsd) === guardTier
          if (wait) pendingEquity = obs.equityUsd
          else giveGuard(obs.equityUsd, obs.timeMs)
        }
      }
      if (!enabled) return []
      const before = emergency.current()
      const a = emergency.observe({ priceChange1mPct: obs.change1mPct, priceChange5mPct: obs.change5mPct, latencyMs: obs.latencyMs ?? null, equityUsd: obs.equityUsd })
      const after = emergency.current()
      const out: HaltTransition[] = []
      if (before === null && after !== null) {
        flush()
        state.place({ id: 'emergency', level: 'halt', reason: after.detail, liftableBy: after.manualOnly ? 'manual' : 'auto' })
        periods.push({ fromMs: obs.timeMs, toMs: null, reason: after.detail })
        out.push({ type: 'halt-entered', timeMs: obs.timeMs, reason: after.detail, context: { observation: withoutHint(obs), triggers: after.triggers, manualOnly: after.manualOnly, guard: guard.status() } })
      } else if (before !== null && after === null && a.recovered) {
        state.lift({ id: 'emergency', by: 'auto' })
        const p = periods[periods.length - 1]
        if (p !== undefined && p.toMs === null) p.toMs = obs.timeMs
        out.push({ type: 'halt-lifted', timeMs: obs.timeMs, reason: 'calm market: automatic recovery', context: { observation: withoutHint(obs), cooldownUntilMs: a.cooldownUntilMs } })
      }
      return out
    },
    decide({ proposal, openPositionSide, inputs }) {
      flush()
      const verdict = verdictFor(proposal, openPositionSide)
      return makeDecision({
        proposal,
        verdict,
        inputs: { ...inputs, equityUsd, lastObservation: lastObs === null ? null : withoutHint(lastObs) },
        decidedAtMs: clock.now(),
        ...(args.signingKey !== undefined ? { signingKey: args.signingKey } : {}),
      })
    },
    recordEntry() {
      flush()
      guard.recordEntry()
    },
    recordExit(a) {
      flush()
      guard.recordExit(a)
    },
    recordLiquidation({ timeMs, detail }) {
      const open = periods[periods.length - 1]
      if (open !== undefined && open.toMs === null && open.reason === 'liquidation') return null
      flush()
      const before = emergency.current()
      // the emergency monitor keeps the manual-only HALT (it never lifts on calm); the trading state blocks entries
      emergency.recordLiquidation({ kind: 'event', detail })
      if (before === null) state.place({ id: 'emergency', level: 'halt', reason: 'liquidation', liftableBy: 'manual' })
      else if (open !== undefined && open.toMs === null) open.toMs = timeMs
      periods.push({ fromMs: timeMs, toMs: null, reason: 'liquidation' })
      return { type: 'halt-entered', timeMs, reason: 'liquidation', context: { detail, previousHalt: before?.detail ?? null, guard: guard.status() } }
    },
    updateEquity(e) {
      equityUsd = e
      pendingEquity = undefined
      guardTier = tierOf(e)
      guard.updateEquity({ equityUsd: e })
    },
    halts: () => periods.map((p) => ({ ...p })),
    halted: () => state.mode() === 'HALTED',
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    snapshot: () => {
      flush()
      return { tradingState: state.snapshot(), emergency: emergency.snapshot(), guard: guard.snapshot() }
    },
  }
}
