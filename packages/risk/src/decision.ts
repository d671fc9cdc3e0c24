/**
 * Two-chamber decisions (002): an alpha proposal (what a strategy wants) plus the risk chamber's verdict make
 * a {@link Decision} with the action, every reason, the inputs it was based on, and a SHA-256 signature over
 * the canonical JSON encoding, so a decision log can be verified later.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { parseOrThrow, type PositionSide } from '@perpkit/core'
import { z } from 'zod'
import { canonicalCopy, canonicalJson } from './canonical-json.js'
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
  return signDecision({ ...args, proposal: parseAlphaProposal(args.proposal) })
}

const PROPOSAL_KEYS: ReadonlySet<string> = new Set(['signalId', 'symbol', 'kind', 'side', 'confidence', 'strategy', 'createdAtMs'])

/**
 * Validate an {@link AlphaProposal} (package-internal): the same acceptance as {@link alphaProposalSchema}, and a
 * copy with the schema's key order. The common case (a plain object with exactly the seven fields, all valid) is
 * checked by hand; anything else goes through the schema, which accepts or throws with its usual message.
 *
 * @param input - the proposal as received
 * @returns a validated copy
 * @throws InvalidInputError when the schema refuses the proposal
 */
export function parseAlphaProposal(input: unknown): AlphaProposal {
  if (typeof input === 'object' && input !== null && Object.getPrototypeOf(input) === Object.prototype) {
    const keys = Object.keys(input)
    if (keys.length === PROPOSAL_KEYS.size && keys.every((k) => PROPOSAL_KEYS.has(k))) {
      const p = input as Record<string, unknown>
      const { signalId, symbol, kind, side, confidence, strategy, createdAtMs } = p
      if (
        typeof signalId === 'string' && signalId.length > 0 &&
        typeof symbol === 'string' && symbol.length > 0 &&
        (kind === 'entry' || kind === 'exit') &&
        (side === 'long' || side === 'short') &&
        typeof confidence === 'number' && confidence >= 0 && confidence <= 1 &&
        typeof strategy === 'string' && strategy.length > 0 &&
        typeof createdAtMs === 'number' && Number.isSafeInteger(createdAtMs) && createdAtMs >= 0
      ) {
        return { signalId, symbol, kind, side, confidence, strategy, createdAtMs }
      }
    }
  }
  return parseOrThrow(alphaProposalSchema, input, 'alpha proposal')
}

/**
 * {@link makeDecision} for a proposal that was already validated at the boundary (package-internal): encodes
 * the inputs, the verdict and the proposal once each, signs their composition, and stores copies that hold
 * exactly what was signed. The signed text is byte-for-byte `canonicalJson` of the decision without its
 * signature, as {@link verifyDecision} recomputes it.
 *
 * @param args - as {@link makeDecision}, with `proposal` the output of {@link parseAlphaProposal}
 * @returns the signed decision
 * @throws InvalidInputError for inputs, a verdict or a decision time that cannot be canonically encoded
 */
export function signDecision(args: {
  readonly proposal: AlphaProposal
  readonly verdict: RiskVerdict
  readonly inputs: Readonly<Record<string, unknown>>
  readonly decidedAtMs: number
  readonly signingKey?: string
}): Decision {
  const { proposal, decidedAtMs } = args
  const action: DecisionAction = !args.verdict.permitted ? 'skip' : proposal.kind === 'entry' ? 'enter' : 'exit'
  // encoded in the order the checks always ran (inputs, verdict, then the decision's own fields)
  const inputs = canonicalCopy(args.inputs)
  const verdict = canonicalCopy(args.verdict)
  const decidedAt = canonicalCopy(decidedAtMs, 'decidedAtMs').json
  const id = `${proposal.signalId}@${decidedAtMs}`
  const signatureAlgorithm: SignatureAlgorithm = args.signingKey === undefined ? 'sha256' : 'hmac-sha256'
  // canonical JSON of the unsigned decision: its keys in code-unit order, each value's canonical text
  const payload =
    `{"action":"${action}","decidedAtMs":${decidedAt},"id":${JSON.stringify(id)},"inputs":${inputs.json},` +
    `"proposal":${canonicalCopy(proposal).json},"signatureAlgorithm":"${signatureAlgorithm}","verdict":${verdict.json},"version":1}`
  return {
    version: 1,
    id,
    decidedAtMs,
    action,
    proposal,
    verdict: verdict.copy as RiskVerdict,
    inputs: inputs.copy as Record<string, unknown>,
    signatureAlgorithm,
    signature: digest(payload, args.signingKey),
  }
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
