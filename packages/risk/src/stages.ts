/**
 * Account-builder stages: stage from USD equity at entry time, anti-flap, leverage policy.
 * @module
 */
import { assertFinite, assertPositive, type Clock, InvalidInputError, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import type { RiskConfig, StageBundle } from './config.js'
import { createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'

/**
 * USD equity of an inverse (coin-margined) account: `equity_btc × mark`.
 *
 * @param args.equityBtc - wallet balance + unrealized PnL, in the settle coin
 * @param args.markPriceUsd - current mark price (> 0)
 * @returns equity in USD
 * @throws InvalidInputError for non-finite input or a mark price ≤ 0
 * @example
 * ```ts
 * import { inverseEquityUsd } from '@perpkit/risk'
 * inverseEquityUsd({ equityBtc: 0.005, markPriceUsd: 60000 }) // 300
 * ```
 */
export function inverseEquityUsd(args: { readonly equityBtc: number; readonly markPriceUsd: number }): number {
  return assertFinite(args.equityBtc, 'equityBtc') * assertPositive(args.markPriceUsd, 'markPriceUsd')
}

/**
 * The stage bundle for a USD equity: the last bundle whose `minEquityUsd` ≤ equity (with the seed:
 * < $300 → 1, $300 ≤ e < $700 → 2, ≥ $700 → 3).
 *
 * @param args.equityUsd - equity in USD at entry time
 * @param args.bundles - bundles in ascending `minEquityUsd` (validated by the config schema)
 * @returns the matching bundle
 * @throws InvalidInputError for a non-finite equity or no bundles
 * @example
 * ```ts
 * import { DEFAULT_STAGE_BUNDLES, stageFor } from '@perpkit/risk'
 * stageFor({ equityUsd: 299.99, bundles: DEFAULT_STAGE_BUNDLES }).stage // 1
 * stageFor({ equityUsd: 300, bundles: DEFAULT_STAGE_BUNDLES }).stage // 2
 * ```
 */
export function stageFor(args: { readonly equityUsd: number; readonly bundles: readonly StageBundle[] }): StageBundle {
  assertFinite(args.equityUsd, 'equityUsd')
  let found = args.bundles[0]
  if (!found) throw new InvalidInputError('at least one stage bundle is required', { path: 'bundles' })
  for (const b of args.bundles) if (args.equityUsd >= b.minEquityUsd) found = b
  return found
}

/**
 * Leverage policy: the default (3x), the reduced value (2x) above `reduceAboveEquityUsd` ($500)
 * or when the stage bundle says less, and never more than the current leverage (increases are forbidden).
 *
 * @param args.equityUsd - equity in USD
 * @param args.bundle - stage bundle of the entry
 * @param args.currentLeverage - leverage currently set on the venue, if known
 * @param args.policy - `config.leverage`
 * @returns leverage to use
 * @throws InvalidInputError for non-finite input or a current leverage ≤ 0
 * @example
 * ```ts
 * import { leverageFor, parseRiskConfig, DEFAULT_STAGE_BUNDLES } from '@perpkit/risk'
 * const policy = parseRiskConfig().leverage
 * leverageFor({ equityUsd: 400, bundle: DEFAULT_STAGE_BUNDLES[1]!, policy }) // 3
 * leverageFor({ equityUsd: 600, bundle: DEFAULT_STAGE_BUNDLES[1]!, policy }) // 2
 * ```
 */
export function leverageFor(args: {
  readonly equityUsd: number
  readonly bundle: StageBundle
  readonly currentLeverage?: number
  readonly policy: RiskConfig['leverage']
}): number {
  assertFinite(args.equityUsd, 'equityUsd')
  let lev = Math.min(args.policy.defaultLeverage, args.bundle.leverage)
  if (args.equityUsd > args.policy.reduceAboveEquityUsd) lev = Math.min(lev, args.policy.reducedLeverage)
  if (args.currentLeverage !== undefined) lev = Math.min(lev, assertPositive(args.currentLeverage, 'currentLeverage'))
  return lev
}

/**
 * Result of {@link StageTracker.determine}.
 *
 * @example
 * ```ts
 * import type { StageDetermination, StageTracker } from '@perpkit/risk'
 * declare const stages: StageTracker // from createStageTracker()
 * const d: StageDetermination = stages.determine({ equityUsd: 310 })
 * d.bundle.stage // 2
 * ```
 */
export interface StageDetermination {
  readonly bundle: StageBundle
  readonly changed: boolean
  /** Entries are blocked by anti-flap until this time (null = not blocked). */
  readonly blockedUntilMs: number | null
}

/**
 * Plain-JSON state of a {@link StageTracker}.
 *
 * @example
 * ```ts
 * import type { StageTracker, StageTrackerSnapshot } from '@perpkit/risk'
 * declare const stages: StageTracker // from createStageTracker()
 * const saved: StageTrackerSnapshot = stages.snapshot()
 * stages.restore(saved)
 * ```
 */
export interface StageTrackerSnapshot {
  readonly currentStage: number | null
  readonly changeTimesMs: readonly number[]
  readonly blockedUntilMs: number | null
}

/**
 * Stage at entry time with anti-flap.
 *
 * @example
 * ```ts
 * import { createStageTracker, parseRiskConfig, type StageTracker } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const stages: StageTracker = createStageTracker({ config: parseRiskConfig(), clock })
 * stages.blockedUntilMs() // null
 * ```
 */
export interface StageTracker {
  /** Determine the stage for a new entry (ONLY at entry time, never while a position is open) and record a change. */
  determine(args: { readonly equityUsd: number }): StageDetermination
  currentStage(): number | null
  /** Anti-flap block end, or null when entries are not blocked. */
  blockedUntilMs(): number | null
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): StageTrackerSnapshot
  restore(snapshot: unknown): void
}

const ms = z.number().int().nonnegative()
const snapshotSchema = z
  .object({ currentStage: z.number().int().positive().nullable(), changeTimesMs: z.array(ms), blockedUntilMs: ms.nullable() })
  .strict()

/**
 * Create a {@link StageTracker}. More than `antiFlapMaxChanges` (2) stage changes within `antiFlapWindowMs`
 * (1 h) block entries for `antiFlapBlockMs` (1 h). Emits `stage-changed`, `stage-flap-blocked` and
 * `cooldown-started` (reason `stage-flap`).
 *
 * @param args.config - resolved config; uses `config.stages`
 * @param args.clock - time source
 * @returns a tracker with no stage yet
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createStageTracker, parseRiskConfig } from '@perpkit/risk'
 * const stages = createStageTracker({ config: parseRiskConfig(), clock: createTestClock() })
 * stages.determine({ equityUsd: 320 }).bundle.stage // 2
 * ```
 */
export function createStageTracker(args: { readonly config: RiskConfig; readonly clock: Clock }): StageTracker {
  const { clock } = args
  const cfg = args.config.stages
  const hub = createEventHub()
  let currentStage: number | null = null
  let changeTimesMs: number[] = []
  let blockedUntilMs: number | null = null

  const activeBlock = (): number | null => (blockedUntilMs !== null && clock.now() < blockedUntilMs ? blockedUntilMs : null)

  return {
    determine({ equityUsd }) {
      const bundle = stageFor({ equityUsd, bundles: cfg.bundles })
      const now = clock.now()
      const changed = currentStage !== null && currentStage !== bundle.stage
      if (currentStage !== bundle.stage) {
        const from = currentStage
        currentStage = bundle.stage
        hub.emit({ type: 'stage-changed', timestampMs: now, fromStage: from, toStage: bundle.stage, equityUsd })
      }
      if (changed) {
        changeTimesMs = [...changeTimesMs.filter((t) => t > now - cfg.antiFlapWindowMs), now]
        if (changeTimesMs.length > cfg.antiFlapMaxChanges && activeBlock() === null) {
          blockedUntilMs = now + cfg.antiFlapBlockMs
          hub.emit({ type: 'stage-flap-blocked', timestampMs: now, changesInWindow: changeTimesMs.length, untilMs: blockedUntilMs })
          hub.emit({ type: 'cooldown-started', timestampMs: now, reason: 'stage-flap', untilMs: blockedUntilMs })
        }
      }
      return { bundle, changed, blockedUntilMs: activeBlock() }
    },
    currentStage: () => currentStage,
    blockedUntilMs: activeBlock,
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({ currentStage, changeTimesMs: [...changeTimesMs], blockedUntilMs }),
    restore(snapshot) {
      const p = parseOrThrow(snapshotSchema, snapshot, 'stage tracker snapshot')
      currentStage = p.currentStage
      changeTimesMs = [...p.changeTimesMs]
      blockedUntilMs = p.blockedUntilMs
    },
  }
}
