/**
 * Two-chamber decisions (002): an alpha proposal (what a strategy wants) plus the risk chamber's verdict make
 * a {@link Decision} with the action, every reason, the inputs it was based on, and a SHA-256 signature over
 * the canonical JSON encoding, so a decision log can be verified later.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { parseOrThrow, type PositionSide } from '@perpkit/core'
import { z } from 'zod'
import { canonicalJson } from './canonical-json.js'
import type { TradingMode } from './trading-state.js'

/**
 * What a strategy wants.
 *
 * @example
 * ```ts
 * import { type AlphaProposal } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const p: AlphaProposal = { signalId: 'grid-42', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long',
 *   confidence: 0.72, strategy: 'grid', createdAtMs: clock.now() }
 * ```
 */
export interface AlphaProposal {
  /** Unique id of the signal (duplicate detection). */
  readonly signalId: string
  /** Unified symbol, e.g. `BTC/USD:BTC`. */
  readonly symbol: string
  /** `entry` opens/increases, `exit` reduces/closes. */
  readonly kind: 'entry' | 'exit'
  /** Side of the position the proposal concerns. */
  readonly side: PositionSide
  /** Strategy confidence, 0..1. */
  readonly confidence: number
  /** Which strategy proposed it. */
  readonly strategy: string
  /** When the proposal was made (epoch ms). */
  readonly createdAtMs: number
}

/**
 * Schema of an {@link AlphaProposal}.
 *
 * @example
 * ```ts
 * import { alphaProposalSchema } from '@perpkit/risk'
 * alphaProposalSchema.parse({ signalId: 's1', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.7,
 *   strategy: 'grid', createdAtMs: 0 })
 * ```
 */
export const alphaProposalSchema = z
  .object({
    signalId: z.string().min(1),
    symbol: z.string().min(1),
    kind: z.enum(['entry', 'exit']),
    side: z.enum(['long', 'short']),
    confidence: z.number().finite().min(0).max(1),
    strategy: z.string().min(1),
    createdAtMs: z.number().int().nonnegative(),
  })
  .strict()

/**
 * Every reason a decision can skip (002 fail-closed invariants plus RiskGuard, breaker, emergency and gate
 * reasons).
 *
 * @example
 * ```ts
 * import type { Decision, SkipReason } from '@perpkit/risk'
 * declare const decision: Decision // from engine.decide()
 * const skipped = decision.verdict.reasons.some((r) => r.code === ('stale-data' satisfies SkipReason))
 * ```
 */
export type SkipReason =
  | 'stale-data'
  | 'missing-data'
  | 'missing-input'
  | 'halted'
  | 'reducing-only'
  | 'breaker-open'
  | 'latency'
  | 'cooldown'
  | 'sl-streak'
  | 'daily-loss-limit'
  | 'trades-per-day'
  | 'low-confidence'
  | 'duplicate-signal'
  | 'insufficient-balance'
  | 'stage-flap-block'
  | 'volatility-too-low'
  | 'ev-too-low'
  | 'maker-only'
  | 'win-rate-too-low'
  | 'one-way-conflict'
  | 'no-position-to-exit'

/**
 * One reason with a human-readable message.
 *
 * @example
 * ```ts
 * import type { Decision } from '@perpkit/risk'
 * declare const decision: Decision // from engine.decide()
 * for (const r of decision.verdict.reasons) console.log(`${r.code}: ${r.message}`)
 * ```
 */
export interface DecisionReason {
  readonly code: SkipReason
  readonly message: string
}

/**
 * The risk chamber's verdict on a proposal.
 *
 * @example
 * ```ts
 * import type { Decision, RiskVerdict } from '@perpkit/risk'
 * declare const decision: Decision // from engine.decide()
 * declare function size(args: { multiplier: number; leverage: number }): void // your sizing step
 * const v: RiskVerdict = decision.verdict
 * if (v.permitted && v.leverage !== null) size({ multiplier: v.sizeMultiplier, leverage: v.leverage })
 * ```
 */
export interface RiskVerdict {
  readonly permitted: boolean
  readonly mode: TradingMode
  /** Every reason the proposal is refused (empty when permitted). */
  readonly reasons: readonly DecisionReason[]
  /** Non-blocking notes (e.g. soft win-rate warning). */
  readonly warnings: readonly string[]
  /** Stage number at entry time (null for exits or when unknown). */
  readonly stage: number | null
  /** Size multiplier for sizing, in [floor, cap]. */
  readonly sizeMultiplier: number
  /** Leverage to use (null when not an entry or unknown). */
  readonly leverage: number | null
}

/**
 * Action of a decision.
 *
 * @example
 * ```ts
 * import type { Decision, DecisionAction } from '@perpkit/risk'
 * declare const decision: Decision // from engine.decide()
 * const action: DecisionAction = decision.action // 'enter' | 'exit' | 'skip'
 * ```
 */
export type DecisionAction = 'enter' | 'exit' | 'skip'

/**
 * How the signature was made: plain SHA-256, or HMAC-SHA-256 with a key.
 *
 * @example
 * ```ts
 * import type { Decision } from '@perpkit/risk'
 * declare const decision: Decision // from engine.decide()
 * decision.signatureAlgorithm // 'sha256', or 'hmac-sha256' with a signingKey
 * ```
 */
export type SignatureAlgorithm = 'sha256' | 'hmac-sha256'

/**
 * A signed decision. The signature covers every field except `signature` itself.
 *
 * @example
 * ```ts
 * import type { AlphaProposal, Decision, DecisionContext, RiskEngine } from '@perpkit/risk'
 * import { appendFileSync } from 'node:fs'
 * declare const engine: RiskEngine, proposal: AlphaProposal, context: DecisionContext
 * const d: Decision = engine.decide(proposal, context)
 * appendFileSync('decisions.jsonl', `${JSON.stringify(d)}\n`)
 * ```
 */
export interface Decision {
  readonly version: 1
  readonly id: string
  readonly decidedAtMs: number
  readonly action: DecisionAction
  readonly proposal: AlphaProposal
  readonly verdict: RiskVerdict
  /** The inputs the verdict was based on (plain JSON). */
  readonly inputs: Readonly<Record<string, unknown>>
  readonly signatureAlgorithm: SignatureAlgorithm
  /** Lower-case hex digest. */
  readonly signature: string
}

const digest = (payload: string, key: string | undefined): string =>
  key === undefined ? createHash('sha256').update(payload, 'utf8').digest('hex') : createHmac('sha256', key).update(payload, 'utf8').digest('hex')

const unsigned = (d: Omit<Decision, 'signature'> & { readonly signature?: unknown }): string => {
  const { signature: _ignored, ...rest } = d
  return canonicalJson(rest)
}

/**
 * Combine a proposal and a verdict into a signed {@link Decision}. The action is `enter`/`exit` when
 * permitted (by the proposal's kind) and `skip` otherwise.
 *
 * @param args.proposal - the alpha chamber's proposal (validated)
 * @param args.verdict - the risk chamber's verdict
 * @param args.inputs - inputs the verdict used (plain JSON; NaN/Infinity are rejected)
 * @param args.decidedAtMs - decision time
 * @param args.signingKey - optional HMAC key; without it the signature is a plain SHA-256 digest
 * @returns the signed decision
 * @throws InvalidInputError for an invalid proposal or inputs that cannot be canonically encoded
 * @example
 * ```ts
 * import { makeDecision, verifyDecision } from '@perpkit/risk'
 * const d = makeDecision({
 *   proposal: { signalId: 's1', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.8, strategy: 'grid', createdAtMs: 0 },
 *   verdict: { permitted: true, mode: 'ACTIVE', reasons: [], warnings: [], stage: 1, sizeMultiplier: 1, leverage: 3 },
 *   inputs: { equityUsd: 150 }, decidedAtMs: 1000,
 * })
 * d.action // 'enter'
 * verifyDecision({ decision: d }) // true
 * ```
 */
export function makeDecision(args: {
  readonly proposal: AlphaProposal
  readonly verdict: RiskVerdict
  readonly inputs: Readonly<Record<string, unknown>>
  readonly decidedAtMs: number
  readonly signingKey?: string
}): Decision {
  const proposal = parseOrThrow(alphaProposalSchema, args.proposal, 'alpha proposal')
  const action: DecisionAction = !args.verdict.permitted ? 'skip' : proposal.kind === 'entry' ? 'enter' : 'exit'
  // round-trip through canonical JSON so the stored inputs are exactly what was signed
  const inputs = JSON.parse(canonicalJson(args.inputs)) as Record<string, unknown>
  const verdict = JSON.parse(canonicalJson(args.verdict)) as RiskVerdict
  const body: Omit<Decision, 'signature'> = {
    version: 1,
    id: `${proposal.signalId}@${args.decidedAtMs}`,
    decidedAtMs: args.decidedAtMs,
    action,
    proposal,
    verdict,
    inputs,
    signatureAlgorithm: args.signingKey === undefined ? 'sha256' : 'hmac-sha256',
  }
  return { ...body, signature: digest(unsigned(body), args.signingKey) }
}

/**
 * Check a decision's signature (e.g. one read back from a JSONL decision log).
 *
 * @param args.decision - the decision (any value; malformed input returns false)
 * @param args.signingKey - the HMAC key, when the decision was signed with one
 * @returns true when the signature matches the canonical encoding of every other field
 * @example
 * ```ts
 * import { verifyDecision } from '@perpkit/risk'
 * // const d = engine.decide(proposal, context)
 * // verifyDecision({ decision: JSON.parse(JSON.stringify(d)) }) // true
 * // verifyDecision({ decision: { ...d, action: 'enter' } }) // false when d.action was 'skip'
 * ```
 */
export function verifyDecision(args: { readonly decision: unknown; readonly signingKey?: string }): boolean {
  const d = args.decision as Decision
  if (typeof d !== 'object' || d === null || typeof d.signature !== 'string' || !/^[0-9a-f]{64}$/.test(d.signature)) return false
  const expectedAlg: SignatureAlgorithm = args.signingKey === undefined ? 'sha256' : 'hmac-sha256'
  if (d.signatureAlgorithm !== expectedAlg) return false
  let payload: string
  try {
    payload = unsigned(d)
  } catch {
    return false
  }
  const expected = Buffer.from(digest(payload, args.signingKey), 'hex')
  return timingSafeEqual(expected, Buffer.from(d.signature, 'hex'))
}
