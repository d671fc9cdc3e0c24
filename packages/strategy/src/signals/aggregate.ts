import { InvalidInputError } from '@perpkit/core'
import { createSignal } from './create-signal.js'
import { SIGNAL_TYPES, type Signal, type SignalSource, type SignalType } from './types.js'

/**
 * How {@link aggregateSignals} combines signals.
 * @example
 * ```ts
 * import type { AggregationMode } from '@perpkit/strategy'
 * const mode: AggregationMode = 'unanimous'
 * ```
 */
export type AggregationMode = 'voting' | 'weighted' | 'unanimous' | 'threshold'

/**
 * Aggregation settings, discriminated on `mode`:
 * - `voting`: one vote per signal; a type wins with a strict majority (> 50 % of all votes) and at least `minVotes`.
 * - `weighted`: score(type) = Σ weight·confidence of that type / Σ weight of all signals; the best score wins if it
 *   is unique and ≥ `threshold`. Weight = `strategyWeights[strategyId]` ?? `sourceWeights[source]` ?? 1.
 * - `unanimous`: every signal must have the same type, and there must be at least `minSignals`.
 * - `threshold`: only signals with confidence ≥ `threshold` count; they must all agree.
 * @example
 * ```ts
 * import type { AggregationConfig } from '@perpkit/strategy'
 * const config: AggregationConfig = { mode: 'weighted', threshold: 0.6, sourceWeights: { ml: 2, technical: 1 } }
 * ```
 */
export type AggregationConfig =
  | { readonly mode: 'voting'; readonly minVotes?: number }
  | {
      readonly mode: 'weighted'
      readonly threshold: number
      readonly sourceWeights?: Readonly<Partial<Record<SignalSource, number>>>
      readonly strategyWeights?: Readonly<Record<string, number>>
    }
  | { readonly mode: 'unanimous'; readonly minSignals?: number }
  | { readonly mode: 'threshold'; readonly threshold: number }

/**
 * Why a verdict came out as it did.
 * @example
 * ```ts
 * import { aggregateSignals, type VerdictOutcome } from '@perpkit/strategy'
 * const outcome: VerdictOutcome = aggregateSignals({ signals: [], config: { mode: 'voting' } }).outcome // 'no-signals'
 * ```
 */
export type VerdictOutcome = 'agreed' | 'no-signals' | 'tie' | 'no-majority' | 'not-unanimous' | 'too-few-signals' | 'below-threshold' | 'conflict'

/**
 * How one input signal was treated.
 * @example
 * ```ts
 * import { aggregateSignals, type AggregationVote } from '@perpkit/strategy'
 * const votes: readonly AggregationVote[] = aggregateSignals({ signals: [], config: { mode: 'voting' } }).votes
 * ```
 */
export interface AggregationVote {
  readonly strategyId: string
  readonly source: SignalSource
  readonly type: SignalType
  readonly confidence: number
  /** Weight used (1 except in `weighted` mode). */
  readonly weight: number
  /** False when the signal was ignored (below the `threshold` mode cut-off). */
  readonly counted: boolean
}

/**
 * The result of an aggregation, explaining itself.
 * @example
 * ```ts
 * import { aggregateSignals, type AggregationVerdict } from '@perpkit/strategy'
 * const verdict: AggregationVerdict = aggregateSignals({ signals: [], config: { mode: 'threshold', threshold: 0.6 } })
 * console.log(verdict.decision, verdict.explanation)
 * ```
 */
export interface AggregationVerdict {
  readonly mode: AggregationMode
  /** The winning type, or `none`. */
  readonly decision: SignalType | 'none'
  readonly outcome: VerdictOutcome
  /** Mean confidence of the winning signals (`weighted`: the winning score); 0 for `none`. */
  readonly confidence: number
  /** Mean `closeFraction` of winning `partial-close` signals; undefined otherwise. */
  readonly closeFraction: number | undefined
  /** Every input, in order, with its weight and whether it counted. */
  readonly votes: readonly AggregationVote[]
  /** Per type: vote counts (`voting`, `unanimous`, `threshold`: counted signals only) or scores (`weighted`). */
  readonly tally: Readonly<Record<SignalType, number>>
  /** One line for a log, e.g. `weighted: buy score 0.750 >= threshold 0.6 (buy 0.750, sell 0.000, ...)`. */
  readonly explanation: string
}

/**
 * Input of {@link aggregateSignals}.
 * @example
 * ```ts
 * import { aggregateSignals, type AggregateSignalsInput } from '@perpkit/strategy'
 * const input: AggregateSignalsInput = { signals: [], config: { mode: 'voting', minVotes: 2 } }
 * aggregateSignals(input)
 * ```
 */
export interface AggregateSignalsInput {
  readonly signals: readonly Signal[]
  readonly config: AggregationConfig
}

function emptyTally(): Record<SignalType, number> {
  return { buy: 0, sell: 0, close: 0, 'partial-close': 0 }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3)
}

function tallyText(tally: Record<SignalType, number>): string {
  return SIGNAL_TYPES.map((t) => `${t} ${fmt(tally[t])}`).join(', ')
}

function checkFraction(value: number, path: string): void {
  if (!(value >= 0 && value <= 1)) throw new InvalidInputError(`must be within 0..1, got ${String(value)}`, { path })
}

function validate(input: AggregateSignalsInput): void {
  const { config, signals } = input
  if (config.mode === 'weighted' || config.mode === 'threshold') checkFraction(config.threshold, 'config.threshold')
  if (config.mode === 'weighted') {
    for (const [k, w] of Object.entries(config.sourceWeights ?? {})) {
      if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new InvalidInputError(`weight must be a finite number >= 0`, { path: `config.sourceWeights.${k}` })
    }
    for (const [k, w] of Object.entries(config.strategyWeights ?? {})) {
      if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new InvalidInputError(`weight must be a finite number >= 0`, { path: `config.strategyWeights.${k}` })
    }
  }
  if (config.mode === 'voting' && config.minVotes !== undefined && !(Number.isInteger(config.minVotes) && config.minVotes >= 1)) {
    throw new InvalidInputError('minVotes must be an integer >= 1', { path: 'config.minVotes' })
  }
  if (config.mode === 'unanimous' && config.minSignals !== undefined && !(Number.isInteger(config.minSignals) && config.minSignals >= 1)) {
    throw new InvalidInputError('minSignals must be an integer >= 1', { path: 'config.minSignals' })
  }
  const symbol = signals[0]?.symbol
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i] as Signal
    checkFraction(s.confidence, `signals[${i}].confidence`)
    if (s.symbol !== symbol) throw new InvalidInputError(`signals for different symbols (${String(symbol)} vs ${s.symbol})`, { path: `signals[${i}].symbol` })
  }
}

/**
 * Combines several signals about one symbol into a verdict that says which type won (or none) and why:
 * every vote with its weight, the per-type tally, a closed `outcome` and a one-line `explanation`.
 *
 * @param input - `signals` (same symbol) and the aggregation `config`.
 * @returns the {@link AggregationVerdict}; never throws for disagreement (that is a `none` verdict).
 * @throws InvalidInputError when a confidence/threshold is outside 0..1, a weight is negative, or signals mix symbols.
 * @example
 * ```ts
 * import { aggregateSignals, createSignal } from '@perpkit/strategy'
 * const base = { type: 'buy', timestampMs: 0, symbol: 'BTC/USDT:USDT', strategyId: 's1' } as const
 * const verdict = aggregateSignals({
 *   signals: [
 *     createSignal({ ...base, source: 'technical', confidence: 0.75, reason: 'RSI oversold at 28.5' }),
 *     createSignal({ ...base, source: 'ml', confidence: 0.82, reason: 'LSTM predicts +2.5%' }),
 *     createSignal({ ...base, source: 'orderbook', confidence: 0.68, reason: '68% bid dominance' }),
 *   ],
 *   config: { mode: 'weighted', threshold: 0.6 },
 * })
 * verdict.decision // 'buy', verdict.confidence ≈ 0.75
 * ```
 */
export function aggregateSignals(input: AggregateSignalsInput): AggregationVerdict {
  validate(input)
  const { signals, config } = input
  const mode = config.mode
  const votes: AggregationVote[] = []
  const tally = emptyTally()
  const confSum = emptyTally()
  const fracSum = emptyTally()
  const counts = emptyTally()

  for (const s of signals) {
    let weight = 1
    if (config.mode === 'weighted') weight = config.strategyWeights?.[s.strategyId] ?? config.sourceWeights?.[s.source] ?? 1
    const counted = config.mode === 'threshold' ? s.confidence >= config.threshold : true
    votes.push({ strategyId: s.strategyId, source: s.source, type: s.type, confidence: s.confidence, weight, counted })
    if (!counted) continue
    counts[s.type] += 1
    confSum[s.type] += s.confidence
    if (s.type === 'partial-close') fracSum[s.type] += s.closeFraction
  }

  const verdict = (decision: SignalType | 'none', outcome: VerdictOutcome, explanation: string, confidence?: number): AggregationVerdict => {
    const n = decision === 'none' ? 0 : counts[decision]
    return {
      mode,
      decision,
      outcome,
      confidence: decision === 'none' ? 0 : (confidence ?? confSum[decision] / n),
      closeFraction: decision === 'partial-close' ? fracSum['partial-close'] / n : undefined,
      votes,
      tally,
      explanation: `${mode}: ${explanation}`,
    }
  }

  if (signals.length === 0) return verdict('none', 'no-signals', 'no signals')

  // Leader by count (or by score for weighted), detecting ties.
  const leader = (values: Record<SignalType, number>): { type: SignalType | undefined; value: number; tie: boolean } => {
    let best: SignalType | undefined
    let bestValue = -Infinity
    let tie = false
    for (const t of SIGNAL_TYPES) {
      const v = values[t]
      if (v > bestValue) {
        best = t
        bestValue = v
        tie = false
      } else if (v === bestValue && v > 0) tie = true
    }
    return { type: best, value: bestValue, tie }
  }

  switch (config.mode) {
    case 'voting': {
      Object.assign(tally, counts)
      const { type, value, tie } = leader(counts)
      const total = signals.length
      const minVotes = config.minVotes ?? 1
      if (tie || type === undefined) return verdict('none', 'tie', `tie (${tallyText(tally)})`)
      if (value * 2 <= total) return verdict('none', 'no-majority', `${type} has ${value}/${total} votes, not a majority (${tallyText(tally)})`)
      if (value < minVotes) return verdict('none', 'too-few-signals', `${type} has ${value} votes < minVotes ${minVotes}`)
      return verdict(type, 'agreed', `${type} wins ${value}/${total} votes (${tallyText(tally)})`)
    }
    case 'weighted': {
      let totalWeight = 0
      for (const v of votes) totalWeight += v.weight
      if (totalWeight > 0) for (const v of votes) tally[v.type] += (v.weight * v.confidence) / totalWeight
      const { type, value, tie } = leader(tally)
      if (totalWeight === 0 || type === undefined) return verdict('none', 'no-signals', 'all weights are zero')
      if (tie) return verdict('none', 'tie', `tie (${tallyText(tally)})`)
      if (value <= 0 || value < config.threshold) {
        return verdict('none', 'below-threshold', `best ${type} score ${fmt(value)} < threshold ${config.threshold} (${tallyText(tally)})`)
      }
      return verdict(type, 'agreed', `${type} score ${fmt(value)} >= threshold ${config.threshold} (${tallyText(tally)})`, value)
    }
    case 'unanimous': {
      Object.assign(tally, counts)
      const minSignals = config.minSignals ?? 1
      const first = (signals[0] as Signal).type
      const dissent = votes.find((v) => v.type !== first)
      if (dissent !== undefined) {
        return verdict('none', 'not-unanimous', `${dissent.strategyId}/${dissent.source} says ${dissent.type}, others ${first} (${tallyText(tally)})`)
      }
      if (signals.length < minSignals) return verdict('none', 'too-few-signals', `${signals.length} signals < minSignals ${minSignals}`)
      return verdict(first, 'agreed', `all ${signals.length} signals say ${first}`)
    }
    case 'threshold': {
      Object.assign(tally, counts)
      const counted = votes.filter((v) => v.counted)
      const dropped = votes.length - counted.length
      if (counted.length === 0) return verdict('none', 'below-threshold', `no signal reaches confidence ${config.threshold} (${dropped} below)`)
      const first = (counted[0] as AggregationVote).type
      const other = counted.find((v) => v.type !== first)
      if (other !== undefined) return verdict('none', 'conflict', `signals above ${config.threshold} disagree (${tallyText(tally)})`)
      return verdict(first, 'agreed', `${counted.length} signal(s) >= ${config.threshold} say ${first}, ${dropped} below ignored`)
    }
  }
}

/**
 * Input of {@link signalFromVerdict}.
 * @example
 * ```ts
 * import { aggregateSignals, signalFromVerdict, type SignalFromVerdictInput } from '@perpkit/strategy'
 * const input: SignalFromVerdictInput = {
 *   verdict: aggregateSignals({ signals: [], config: { mode: 'voting' } }), symbol: 'BTC/USDT:USDT', strategyId: 'combo', timestampMs: 0,
 * }
 * signalFromVerdict(input) // undefined (no signals)
 * ```
 */
export interface SignalFromVerdictInput {
  readonly verdict: AggregationVerdict
  readonly symbol: string
  readonly strategyId: string
  readonly timestampMs: number
}

/**
 * Turns an agreed verdict into one {@link Signal} (source `external` when inputs mixed sources, else their common
 * source), with the verdict's explanation as reason and its tally as metadata.
 *
 * @param input - the verdict plus identity and time of the combined signal.
 * @returns the signal, or `undefined` when the verdict is `none`.
 * @throws InvalidInputError when identity fields are invalid (see {@link createSignal}).
 * @example
 * ```ts
 * import { aggregateSignals, signalFromVerdict } from '@perpkit/strategy'
 * const verdict = aggregateSignals({ signals: [], config: { mode: 'voting' } })
 * signalFromVerdict({ verdict, symbol: 'BTC/USDT:USDT', strategyId: 'combo', timestampMs: 0 }) // undefined
 * ```
 */
export function signalFromVerdict(input: SignalFromVerdictInput): Signal | undefined {
  const { verdict } = input
  if (verdict.decision === 'none') return undefined
  const winners = verdict.votes.filter((v) => v.counted && v.type === verdict.decision)
  const sources = new Set(winners.map((v) => v.source))
  const source: SignalSource = sources.size === 1 ? (winners[0] as AggregationVote).source : 'external'
  const metadata: Record<string, number | string> = { mode: verdict.mode, outcome: verdict.outcome }
  for (const t of SIGNAL_TYPES) metadata[`tally.${t}`] = verdict.tally[t]
  return createSignal({
    type: verdict.decision,
    source,
    confidence: Math.min(1, Math.max(0, verdict.confidence)),
    reason: verdict.explanation,
    metadata,
    timestampMs: input.timestampMs,
    symbol: input.symbol,
    strategyId: input.strategyId,
    ...(verdict.decision === 'partial-close' ? { closeFraction: verdict.closeFraction as number } : {}),
  })
}
