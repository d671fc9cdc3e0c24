/**
 * Entry gates (001 "Risk Gate"): stage, trades/day, volatility, EV, maker-only, win rate, cooldown and
 * one-way mode. Fail-closed: every gate is evaluated, every failure is reported, and a missing input is a
 * denial of its own (`missing-input`), never a pass.
 * @module
 */
import { fail, type Fail, ok, type Ok, type PositionSide } from '@perpkit/core'
import type { StageBundle } from './config.js'
import type { WinRateVerdict } from './win-rate.js'

/**
 * The gates, in evaluation order.
 *
 * @example
 * ```ts
 * import { type GateId } from '@perpkit/risk'
 * const gate: GateId = 'volatility'
 * ```
 */
export type GateId = 'stage' | 'trades-per-day' | 'volatility' | 'ev' | 'maker-only' | 'win-rate' | 'cooldown' | 'one-way'

/**
 * Every gate id, in evaluation order.
 *
 * @example
 * ```ts
 * import { GATE_IDS } from '@perpkit/risk'
 * GATE_IDS.length // 8
 * ```
 */
export const GATE_IDS: readonly GateId[] = ['stage', 'trades-per-day', 'volatility', 'ev', 'maker-only', 'win-rate', 'cooldown', 'one-way']

/**
 * Why a gate refused.
 *
 * @example
 * ```ts
 * import { type GateDenialReason } from '@perpkit/risk'
 * const r: GateDenialReason = 'missing-input'
 * ```
 */
export type GateDenialReason =
  | 'missing-input'
  | 'stage-flap-block'
  | 'trades-per-day'
  | 'volatility-too-low'
  | 'ev-too-low'
  | 'maker-only'
  | 'win-rate-too-low'
  | 'cooldown'
  | 'one-way-conflict'

/**
 * One failing gate. `details.input` names the missing input for `missing-input`.
 *
 * @example
 * ```ts
 * import { type EntryGateInput, evaluateEntryGates } from '@perpkit/risk'
 * declare const input: EntryGateInput
 * const r = evaluateEntryGates(input)
 * if (!r.ok) for (const d of r.details.denials) console.log(d.gate, d.reason, d.message)
 * ```
 */
export interface GateDenial {
  readonly gate: GateId
  readonly reason: GateDenialReason
  readonly message: string
  readonly details: Readonly<Record<string, string | number | boolean | null>>
}

/**
 * EV input from sizing (risk does not import sizing): either the numbers (`expectedProfitUsd >= feeEstimateUsd × K`,
 * `k` defaults to the stage's `evMultipleK`) or sizing's own boolean verdict.
 *
 * @example
 * ```ts
 * import { type EvInput } from '@perpkit/risk'
 * const fromNumbers: EvInput = { expectedProfitUsd: 0.5, feeEstimateUsd: 0.02 }
 * const fromSizing: EvInput = { passed: true }
 * ```
 */
export type EvInput =
  | { readonly expectedProfitUsd: number; readonly feeEstimateUsd: number; readonly k?: number }
  | { readonly passed: boolean }

/**
 * Inputs of {@link evaluateEntryGates}. Any `undefined` field is a missing input.
 *
 * @example
 * ```ts
 * import { DEFAULT_STAGE_BUNDLES, type EntryGateInput } from '@perpkit/risk'
 * const input: EntryGateInput = { nowMs: 0, side: 'long', stage: DEFAULT_STAGE_BUNDLES[0], stageBlockedUntilMs: null,
 *   tradesToday: 1, atrPct24h: 3.4, ev: { passed: true }, liquidity: 'maker', cooldownUntilMs: null, openPositionSide: null }
 * ```
 */
export interface EntryGateInput {
  readonly nowMs: number
  /** Side of the proposed entry. */
  readonly side: PositionSide
  /** Stage bundle determined at entry time. */
  readonly stage?: StageBundle | undefined
  /** Anti-flap block end (null = none). */
  readonly stageBlockedUntilMs?: number | null | undefined
  /** Entries already made today. */
  readonly tradesToday?: number | undefined
  /** ATR as percent of price over 24 h (3 = 3 %). */
  readonly atrPct24h?: number | undefined
  readonly ev?: EvInput | undefined
  /** Liquidity the entry order would take. */
  readonly liquidity?: 'maker' | 'taker' | undefined
  /** The maker-timeout fallback granted a taker entry for this signal. */
  readonly takerFallbackGranted?: boolean | undefined
  /** Fee-spike tightening is active: K × `feeSpikeEvFactor` and maker-only. */
  readonly feeSpikeActive?: boolean | undefined
  readonly feeSpikeEvFactor?: number | undefined
  readonly winRate?: WinRateVerdict | undefined
  /** Entry cooldown end (null = none). */
  readonly cooldownUntilMs?: number | null | undefined
  /** Side of the open position on this symbol (null = flat). */
  readonly openPositionSide?: PositionSide | null | undefined
}

/**
 * Result of {@link evaluateEntryGates}: `reason` is the first denial, `details.denials` all of them.
 *
 * @example
 * ```ts
 * import { type EntryGateInput, evaluateEntryGates, type GateEvaluation } from '@perpkit/risk'
 * declare const input: EntryGateInput
 * const r: GateEvaluation = evaluateEntryGates(input)
 * if (!r.ok) r.reason // first denial
 * ```
 */
export type GateEvaluation = Ok<{ readonly passed: readonly GateId[] }> | Fail<GateDenialReason, { readonly denials: readonly GateDenial[] }>

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v)

/**
 * Evaluate every entry gate.
 *
 * @param input - see {@link EntryGateInput}; non-finite numbers count as missing
 * @returns ok with the passed gates, or every denial
 * @example
 * ```ts
 * import { evaluateEntryGates, DEFAULT_STAGE_BUNDLES } from '@perpkit/risk'
 * const r = evaluateEntryGates({ nowMs: 0, side: 'long', stage: DEFAULT_STAGE_BUNDLES[0], tradesToday: 0,
 *   atrPct24h: 2.5, ev: { passed: true }, liquidity: 'maker', cooldownUntilMs: null, openPositionSide: null })
 * // r.ok === false: volatility-too-low (2.5 <= 3) and missing-input (winRate)
 * ```
 */
export function evaluateEntryGates(input: EntryGateInput): GateEvaluation {
  const denials: GateDenial[] = []
  const deny = (gate: GateId, reason: GateDenialReason, message: string, details: GateDenial['details'] = {}): void => {
    denials.push({ gate, reason, message, details })
  }
  const missing = (gate: GateId, name: string): void => deny(gate, 'missing-input', `${name} is missing`, { input: name })
  const now = input.nowMs
  const stage = input.stage

  // stage
  if (!stage) missing('stage', 'stage')
  if (input.stageBlockedUntilMs === undefined) missing('stage', 'stageBlockedUntilMs')
  else if (input.stageBlockedUntilMs !== null && now < input.stageBlockedUntilMs) {
    deny('stage', 'stage-flap-block', `stage flapped: entries blocked until ${input.stageBlockedUntilMs}`, { untilMs: input.stageBlockedUntilMs })
  }

  // trades per day
  if (!stage) missing('trades-per-day', 'stage')
  else if (!finite(input.tradesToday)) missing('trades-per-day', 'tradesToday')
  else if (input.tradesToday >= stage.maxTradesPerDay) {
    deny('trades-per-day', 'trades-per-day', `${input.tradesToday} entries today (stage ${stage.stage} max ${stage.maxTradesPerDay})`, {
      tradesToday: input.tradesToday,
      max: stage.maxTradesPerDay,
    })
  }

  // volatility
  if (!stage) missing('volatility', 'stage')
  else if (!finite(input.atrPct24h)) missing('volatility', 'atrPct24h')
  else if (!(input.atrPct24h > stage.atrPctThreshold)) {
    deny('volatility', 'volatility-too-low', `ATR% 24h ${input.atrPct24h} <= ${stage.atrPctThreshold}`, { atrPct24h: input.atrPct24h, threshold: stage.atrPctThreshold })
  }

  // EV
  const spike = input.feeSpikeActive === true
  const ev = input.ev
  if (ev === undefined) missing('ev', 'ev')
  else if ('passed' in ev) {
    if (spike) missing('ev', 'ev.expectedProfitUsd (numbers are required while fee-spike tightening is active)')
    else if (!ev.passed) deny('ev', 'ev-too-low', 'sizing rejected the expected value', { passed: false })
  } else if (!finite(ev.expectedProfitUsd) || !finite(ev.feeEstimateUsd) || ev.feeEstimateUsd < 0) missing('ev', 'ev.expectedProfitUsd/feeEstimateUsd')
  else {
    const baseK = ev.k ?? stage?.evMultipleK
    if (!finite(baseK)) missing('ev', 'ev.k')
    else {
      const factor = spike ? (input.feeSpikeEvFactor ?? Number.NaN) : 1
      if (!finite(factor)) missing('ev', 'feeSpikeEvFactor')
      else {
        const k = baseK * factor
        const required = ev.feeEstimateUsd * k
        if (!(ev.expectedProfitUsd >= required)) {
          deny('ev', 'ev-too-low', `expected profit ${ev.expectedProfitUsd} < fee ${ev.feeEstimateUsd} x K ${k}`, {
            expectedProfitUsd: ev.expectedProfitUsd,
            requiredUsd: required,
            k,
          })
        }
      }
    }
  }

  // maker-only
  if (!stage) missing('maker-only', 'stage')
  else if (input.liquidity === undefined) missing('maker-only', 'liquidity')
  else if ((stage.makerOnly || spike) && input.liquidity === 'taker' && input.takerFallbackGranted !== true) {
    deny('maker-only', 'maker-only', spike ? 'fee-spike tightening: maker entries only' : `stage ${stage.stage} is maker-only`, { stage: stage.stage, feeSpike: spike })
  }

  // win rate
  const wr = input.winRate
  if (wr === undefined) missing('win-rate', 'winRate')
  else if (wr.denial === 'missing-backtest-win-rate') missing('win-rate', 'backtestWinRate')
  else if (!wr.allowEntry) {
    deny('win-rate', 'win-rate-too-low', `${wr.mode} win-rate gate: ${wr.denial ?? 'denied'}`, { mode: wr.mode, liveWinRate: wr.liveWinRate, closedTrades: wr.closedTrades })
  }

  // cooldown
  if (input.cooldownUntilMs === undefined) missing('cooldown', 'cooldownUntilMs')
  else if (input.cooldownUntilMs !== null && now < input.cooldownUntilMs) deny('cooldown', 'cooldown', `cooldown until ${input.cooldownUntilMs}`, { untilMs: input.cooldownUntilMs })

  // one-way
  if (input.openPositionSide === undefined) missing('one-way', 'openPositionSide')
  else if (input.openPositionSide !== null && input.openPositionSide !== input.side) {
    deny('one-way', 'one-way-conflict', `a ${input.side} entry opposite to the open ${input.openPositionSide} position`, { open: input.openPositionSide, side: input.side })
  }

  const first = denials[0]
  return first ? fail(first.reason, { denials }) : ok({ passed: GATE_IDS })
}
