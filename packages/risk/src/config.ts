/**
 * Risk configuration: one zod schema with the seed specification's values as defaults. Every section and
 * every field is optional on input; unknown keys are rejected so typos fail loudly.
 * @module
 */
import { parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import { isValidTimeZone } from './time-zone.js'

const num = z.number({ error: 'expected a finite number' }).finite('expected a finite number')
const pos = num.positive('must be > 0')
const nonNeg = num.nonnegative('must be >= 0')
const posInt = z.number().int('must be an integer').positive('must be > 0')
const fraction = num.min(0, 'must be >= 0').max(1, 'must be <= 1')
const durationMs = z.number().int('must be an integer number of ms').positive('must be > 0')
const negPct = num.negative('must be < 0 (a drop, in percent)')

/**
 * Schema of one account-builder stage bundle. Default values are in {@link DEFAULT_STAGE_BUNDLES}.
 *
 * @example
 * ```ts
 * import { stageBundleSchema } from '@perpkit/risk'
 * stageBundleSchema.parse({ stage: 1, minEquityUsd: 0, maxLossUsd: 10, lossCapFraction: 0.12, evMultipleK: 2,
 *   atrPctThreshold: 3, makerOnly: true, maxTradesPerDay: 5, leverage: 3, minLiquidationDistance: 0.3 })
 * ```
 */
export const stageBundleSchema = z
  .object({
    /** Stage number, 1-based. */
    stage: posInt,
    /** Lowest USD equity (inclusive) at which this stage applies. */
    minEquityUsd: nonNeg,
    /** USD cap of the loss budget of one trade. */
    maxLossUsd: pos,
    /** Loss budget cap as a fraction of equity (0.12 = 12 %). */
    lossCapFraction: fraction.positive('must be > 0'),
    /** EV gate: expected profit must be >= estimated fee x K. */
    evMultipleK: pos,
    /** Volatility gate: ATR % over 24 h must be strictly above this (3 = 3 %). */
    atrPctThreshold: nonNeg,
    /** Entries must be maker (post-only) orders. */
    makerOnly: z.boolean(),
    /** Entry cap per calendar day. */
    maxTradesPerDay: posInt,
    /** Leverage for new positions in this stage. */
    leverage: pos,
    /** Minimum distance from entry to the liquidation price, as a fraction of the entry price (0.3 = 30 %). */
    minLiquidationDistance: fraction,
  })
  .strict()

/**
 * One account-builder stage bundle.
 *
 * @example
 * ```ts
 * import { DEFAULT_STAGE_BUNDLES, type StageBundle } from '@perpkit/risk'
 * const stage1: StageBundle = DEFAULT_STAGE_BUNDLES[0]!
 * stage1.maxLossUsd // 10
 * ```
 */
export type StageBundle = z.infer<typeof stageBundleSchema>

/**
 * The three default account-builder stages, chosen by USD equity at entry time: Expansion < $300, Acceleration $300–$700, Preservation ≥ $700.
 * Loss caps $10/$20/$30 and 12 %/8 %/6 % of equity, EV multiples 2/2.5/3, leverage 3x/3x/2x, liquidation at least
 * 30 %/30 %/20 % away from entry.
 *
 * @example
 * ```ts
 * import { DEFAULT_STAGE_BUNDLES } from '@perpkit/risk'
 * DEFAULT_STAGE_BUNDLES[1]?.evMultipleK // 2.5
 * ```
 */
export const DEFAULT_STAGE_BUNDLES: readonly StageBundle[] = Object.freeze([
  { stage: 1, minEquityUsd: 0, maxLossUsd: 10, lossCapFraction: 0.12, evMultipleK: 2, atrPctThreshold: 3, makerOnly: true, maxTradesPerDay: 5, leverage: 3, minLiquidationDistance: 0.3 },
  { stage: 2, minEquityUsd: 300, maxLossUsd: 20, lossCapFraction: 0.08, evMultipleK: 2.5, atrPctThreshold: 4, makerOnly: false, maxTradesPerDay: 10, leverage: 3, minLiquidationDistance: 0.3 },
  { stage: 3, minEquityUsd: 700, maxLossUsd: 30, lossCapFraction: 0.06, evMultipleK: 3, atrPctThreshold: 5, makerOnly: false, maxTradesPerDay: 10, leverage: 2, minLiquidationDistance: 0.2 },
])

const tierSchema = z.object({ minEquityUsd: nonNeg, maxTradesPerDay: posInt }).strict()

const guardSchema = z
  .object({
    /** Consecutive stop-loss exits that block entries. */
    maxSlStreak: posInt.default(3),
    /** Whether the SL streak starts from zero on a new calendar day (otherwise only a manual reset clears it). */
    slStreakResetsDaily: z.boolean().default(true),
    /** Daily loss limit in percent of start-of-day equity (5 = 5 %). Loss >= limit blocks entries. */
    maxDailyLossPct: num.positive('must be > 0').max(100, 'must be <= 100').default(5),
    /** Optional absolute daily loss limit in USD. */
    maxDailyLossUsd: pos.optional(),
    /** Count open positions' unrealized PnL toward the daily loss. */
    includeUnrealizedPnl: z.boolean().default(false),
    /** Trades-per-day caps by equity: the highest tier whose minEquityUsd <= equity applies. */
    tradesPerDayTiers: z
      .array(tierSchema)
      .min(1)
      .default([
        { minEquityUsd: 0, maxTradesPerDay: 5 },
        { minEquityUsd: 300, maxTradesPerDay: 10 },
      ]),
  })
  .strict()

const breakerSchema = z
  .object({
    /** Trip when net realized loss inside the window reaches this many USD. */
    maxLossUsd: pos.default(50),
    /** Trip when this many trades closed inside the window. */
    maxTrades: posInt.default(20),
    /** Trip after this many losing trades in a row. */
    maxConsecutiveLosses: posInt.default(5),
    /** Rolling window for the loss and trade-count triggers. */
    windowMs: durationMs.default(24 * 3_600_000),
    /** `manual`: only `reset()` closes the breaker; `timed`: it also closes `resetAfterMs` after tripping. */
    resetMode: z.enum(['manual', 'timed']).default('manual'),
    /** Delay of a timed reset. */
    resetAfterMs: durationMs.default(3_600_000),
    /** Trips from outside (failed health check, orphan position) need a manual reset even in `timed` mode. */
    externalTripsManualOnly: z.boolean().default(true),
  })
  .strict()

const emergencySchema = z
  .object({
    /** 1-minute price change (percent) at or below which trading halts. */
    haltDrop1mPct: negPct.default(-10),
    /** 5-minute price change (percent) at or below which trading halts. */
    haltDrop5mPct: negPct.default(-20),
    /** Venue latency at or above which pending entries are cancelled and entries blocked. */
    maxLatencyMs: pos.default(5_000),
    /** Equity below this (USD) is a hard stop: manual-only HALT. */
    minEquityUsd: nonNeg.default(80),
    /** A minute is calm when the 1-minute change is strictly above this (percent)... */
    calmDrop1mPct: negPct.default(-5),
    /** ...and the 5-minute change is strictly above this (percent). */
    calmDrop5mPct: negPct.default(-10),
    /** Consecutive calm time needed before an automatic lift. */
    calmMs: durationMs.default(5 * 60_000),
    /** Two observations further apart than this break the calm streak (missing data is not calm). */
    maxObservationGapMs: durationMs.default(60_000),
    /** Entry cooldown after an automatic lift. */
    cooldownAfterRecoveryMs: durationMs.default(30 * 60_000),
  })
  .strict()

const stagesSchema = z
  .object({
    /** Stage bundles in ascending `minEquityUsd`; the first must start at 0. */
    bundles: z.array(stageBundleSchema).min(1).default(DEFAULT_STAGE_BUNDLES.map((b) => ({ ...b }))),
    /** More than this many stage changes inside `antiFlapWindowMs` blocks entries. */
    antiFlapMaxChanges: z.number().int().nonnegative().default(2),
    antiFlapWindowMs: durationMs.default(3_600_000),
    antiFlapBlockMs: durationMs.default(3_600_000),
  })
  .strict()
  .refine((s) => s.bundles[0]?.minEquityUsd === 0, { message: 'the first stage must start at minEquityUsd 0', path: ['bundles', 0, 'minEquityUsd'] })
  .refine((s) => s.bundles.every((b, i) => i === 0 || b.minEquityUsd > (s.bundles[i - 1]?.minEquityUsd ?? 0)), {
    message: 'stage bundles must have strictly ascending minEquityUsd',
    path: ['bundles'],
  })

const leverageSchema = z
  .object({
    /** Default leverage. */
    defaultLeverage: pos.default(3),
    /** Leverage once equity is above `reduceAboveEquityUsd` or the stage bundle says so. */
    reducedLeverage: pos.default(2),
    /** Equity (USD) above which leverage is reduced. */
    reduceAboveEquityUsd: pos.default(500),
  })
  .strict()

const winRateSchema = z
  .object({
    /** With fewer than `softMinTrades` closed trades, the backtest win rate must reach this. */
    backtestMinWinRate: fraction.default(0.55),
    softMinTrades: posInt.default(10),
    hardMinTrades: posInt.default(30),
    /** Soft gate: live win rate below this halves the size. */
    softMinWinRate: fraction.default(0.4),
    softSizeMultiplier: fraction.positive().default(0.5),
    /** Hard gate: live win rate below this HALTs (manual reset). */
    hardMinWinRate: fraction.default(0.45),
    /** Live win rate uses the last this-many closed trades. */
    windowTrades: posInt.default(50),
  })
  .strict()
  .refine((w) => w.hardMinTrades > w.softMinTrades, { message: 'hardMinTrades must be > softMinTrades', path: ['hardMinTrades'] })

const sizeMultiplierSchema = z
  .object({
    lossStreak: posInt.default(3),
    lossFactor: fraction.positive().default(0.5),
    floor: fraction.positive().default(0.25),
    winStreak: posInt.default(3),
    winFactor: num.min(1).default(1.5),
    cap: fraction.positive().default(1),
  })
  .strict()
  .refine((m) => m.floor <= m.cap, { message: 'floor must be <= cap', path: ['floor'] })

const feeSpikeSchema = z
  .object({
    /** actual fee / estimated fee above this is a spike (entries are tightened for 24 h). */
    ratio: pos.default(1.5),
    /** How long entries stay tightened. */
    tightenMs: durationMs.default(24 * 3_600_000),
    /** While tightened the EV multiple K is multiplied by this and entries must be maker. */
    evMultipleFactor: num.min(1).default(1.5),
  })
  .strict()

const makerFallbackSchema = z
  .object({
    timeoutsBeforeTaker: posInt.default(3),
    /** Taker entry needs expected profit >= taker fee x this. */
    minProfitToTakerFee: pos.default(5),
    maxTakerEntriesPerDay: posInt.default(1),
    /** Entry block after a failed taker fallback. */
    failureBlockMs: durationMs.default(3_600_000),
  })
  .strict()

const finalCriteriaSchema = z
  .object({
    successEquityUsd: pos.default(1000),
    failureEquityUsd: nonNeg.default(80),
    maxMonths: posInt.default(18),
    reviewMonths: posInt.default(12),
    reviewEquityUsd: pos.default(200),
  })
  .strict()

const decisionSchema = z
  .object({
    /** Market data older than this is stale (skip). */
    maxDataAgeMs: durationMs.default(5_000),
    /** Proposals below this confidence (0..1) are skipped. */
    minConfidence: fraction.default(0.5),
    /** The same signal id within this window is a duplicate (skip). */
    duplicateWindowMs: durationMs.default(24 * 3_600_000),
  })
  .strict()

/**
 * The whole risk configuration schema. Parse with {@link parseRiskConfig} to get errors as `InvalidInputError`.
 *
 * @example
 * ```ts
 * import { riskConfigSchema } from '@perpkit/risk'
 * const cfg = riskConfigSchema.parse({}) // all seed defaults
 * cfg.guard.maxSlStreak // 3
 * ```
 */
export const riskConfigSchema = z
  .object({
    /**
     * Which rules apply. `account-builder` (default): every rule, including the account-builder stages (stage caps,
     * anti-flap, volatility, EV and maker-only gates, leverage policy), the win-rate gates and the final criteria.
     * `general`: the rules that need no account-builder inputs — trading states, emergency HALTs, RiskGuard,
     * circuit breaker, size multiplier, confidence, duplicate signals, data freshness, balance, cooldown and
     * one-way mode — for strategies that do not provide ATR, EV or a backtest win rate.
     */
    profile: z.enum(['account-builder', 'general']).default('account-builder'),
    /** IANA zone of the trading calendar day (daily limits, trades/day). */
    timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone').default('UTC'),
    guard: guardSchema.prefault({}),
    breaker: breakerSchema.prefault({}),
    emergency: emergencySchema.prefault({}),
    stages: stagesSchema.prefault({}),
    leverage: leverageSchema.prefault({}),
    winRate: winRateSchema.prefault({}),
    sizeMultiplier: sizeMultiplierSchema.prefault({}),
    feeSpike: feeSpikeSchema.prefault({}),
    makerFallback: makerFallbackSchema.prefault({}),
    finalCriteria: finalCriteriaSchema.prefault({}),
    decision: decisionSchema.prefault({}),
  })
  .strict()

/**
 * Fully resolved risk configuration (every default filled in).
 *
 * @example
 * ```ts
 * import { parseRiskConfig, type RiskConfig } from '@perpkit/risk'
 * const cfg: RiskConfig = parseRiskConfig({ timeZone: 'Asia/Seoul' })
 * cfg.emergency.haltDrop1mPct // -10
 * ```
 */
export type RiskConfig = z.output<typeof riskConfigSchema>

/**
 * Risk configuration as accepted on input (every field optional).
 *
 * @example
 * ```ts
 * import { parseRiskConfig, type RiskConfigInput } from '@perpkit/risk'
 * const input: RiskConfigInput = { guard: { maxDailyLossPct: 3 }, breaker: { resetMode: 'timed' } }
 * const cfg = parseRiskConfig(input)
 * ```
 */
export type RiskConfigInput = z.input<typeof riskConfigSchema>

/**
 * Validate a (partial) configuration and fill in the seed defaults.
 *
 * @param input - partial configuration (anything; validated)
 * @returns the resolved {@link RiskConfig}
 * @throws InvalidInputError whose `path` names the first bad field, e.g. `guard.maxSlStreak`
 * @example
 * ```ts
 * import { parseRiskConfig } from '@perpkit/risk'
 * const cfg = parseRiskConfig({ timeZone: 'Asia/Seoul', guard: { maxDailyLossPct: 3 } })
 * cfg.guard.maxSlStreak // 3 (default)
 * ```
 */
export function parseRiskConfig(input: unknown = {}): RiskConfig {
  return parseOrThrow(riskConfigSchema, input ?? {}, 'risk config')
}
