/**
 * OMS configuration with defaults and validation.
 * @module
 */
import { type ExchangeCapabilities, InvalidInputError, type RequestLimits, type TriggerPriceType } from '@perpkit/core'
import { budgetConfigOf, type RequestBudgetConfig } from './budget.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js'

/** Take-profit order style: a resting limit at the target (maker fee, may be skipped by a gap) or a market order when it triggers. */
export type TakeProfitStyle = 'limit' | 'market'

/** Every tunable of the order manager. Times in ms. */
export interface OmsConfig {
  /** Which price triggers stops and take-profits (default `mark`: the venue's mark price, which a single wick on the last trade price does not move). */
  readonly triggerPriceType: TriggerPriceType
  /** Take-profit style (default `limit`). */
  readonly takeProfitStyle: TakeProfitStyle
  /** Entries are post-only limit orders (default true). */
  readonly makerOnly: boolean
  /** A post-only entry with nothing filled is canceled after this long, then the maker-timeout callback decides (default 30,000). */
  readonly makerTimeoutMs: number
  /** An unknown-outcome order is queried by client id this often (default 200). */
  readonly unknownQueryIntervalMs: number
  /** Consecutive "not found" answers needed before a create counts as absent (default 3). */
  readonly absentChecksRequired: number
  /** Minimum time an order must be unknown before it can count as absent (default 600). */
  readonly unknownGraceMs: number
  /**
   * A stream that delivers no event at all (no heartbeat either: adapters report each pong as a
   * `connection: open` event) for this long while orders are working or a position is open is treated as stale,
   * a half-open socket that will never report its own death: the manager goes DEGRADED and reconciles at once,
   * and again every such interval while it stays silent (default 5,000; 0 turns the check off).
   */
  readonly streamStaleAfterMs: number
  /**
   * How long after it was sent a request can still execute on the venue: the validity window the adapter signs it
   * with (Binance `recvWindow`, Bybit `recv_window`, both 5,000 ms by default) plus a margin for the offset between
   * our clock and the venue's (default 6,000). A create that timed out can arrive and execute seconds later, so
   * "not found" proves absence only in answers to queries sent after this window has closed. Full closes (exit,
   * flatten) do not wait: after the quick check they are replaced under a new client id, and entries on the
   * symbol wait until the window has closed.
   */
  readonly requestExpiryMs: number
  /**
   * Entries whose signal is older than this are refused (`signal-expired`), and the record of used trade keys and
   * client ids keeps an id only while its signal is younger than this (default 86,400,000: one day). A replay of an
   * older signal is refused by its age, so the record stays bounded by the signals of one horizon.
   */
  readonly signalHorizonMs: number
  /** Entries whose signal time is more than this ahead of the clock are refused (`signal-from-future`; default 60,000). */
  readonly signalFutureToleranceMs: number
  /** A recovered entry intent older than this is abandoned instead of re-sent (default 60,000). */
  readonly entryIntentTtlMs: number
  /**
   * Stop before entry: an entry is sent only once a reduce-only stop covering position + unfilled entry qty is on
   * the book, so a fill the stream never delivers is still covered. When false, the entry is sent at once and the
   * stop is placed as soon as its first fill is known (then resized with each further fill); the position is
   * covered by the uncovered-position watchdog (`flattenAfterUncoveredMs`) and the stop retries in between.
   *
   * Default: the venue's `capabilities.reduceOnlyStopWithoutPosition` (a venue that cannot hold a reduce-only stop
   * before any position exists gets entry-then-stop); `true` when resolved without capabilities. Setting it
   * `true` for a venue without that capability is an `InvalidInputError` (see {@link resolveOmsConfig}).
   */
  readonly protectWorkingEntries: boolean
  /** Failed stop attempts before the position is flattened with a reduce-only market order (default 3). */
  readonly maxStopAttempts: number
  /** A position whose stop is not ACTIVE for this long is flattened, whatever the cause (default 3,000). */
  readonly flattenAfterUncoveredMs: number
  /** Delay between stop attempts (default 300). */
  readonly stopRetryDelayMs: number
  /** Stop price moves smaller than this fraction of the stop distance are ignored (default 0.2). */
  readonly stopMoveMinChange: number
  /** Stop updates are at least this far apart (default 2,000); later requests are coalesced. */
  readonly stopUpdateMinIntervalMs: number
  /** Stop qty updates after further entry fills are at least this far apart (default 500). */
  readonly stopQtyUpdateMinIntervalMs: number
  /** Periodic reconciliation interval in normal mode (default 30,000). */
  readonly reconcileIntervalMs: number
  /** Reconciliation interval while DEGRADED with a position (default 1,000). */
  readonly degradedReconcileIntervalMs: number
  /** DEGRADED longer than this halts every symbol (default 60,000). */
  readonly degradedHaltAfterMs: number
  /** Consecutive mismatching reconciliations before acting (default 3). */
  readonly mismatchChecksRequired: number
  /** Minimum time between two mismatch actions on one symbol (default 5,000). */
  readonly mismatchCooldownMs: number
  /** Overlap when fetching fills since the last known one (default 60,000). */
  readonly fillLookbackMs: number
  /** COOLDOWN after a position closes before the next entry (default 0). */
  readonly cooldownMs: number
  /** A snapshot is written (and the journal compacted) every this many records (default 500). */
  readonly snapshotEveryRecords: number
  /** Terminal orders older than this are dropped from snapshots (default 86,400,000). */
  readonly retainTerminalMs: number
  /**
   * Also drop from memory the terminal orders a snapshot dropped, once the snapshot is written (default false).
   * Keeps long backtests linear: memory and snapshot cost stay bounded by `retainTerminalMs` of history instead
   * of every order ever placed. Their client ids are remembered, so a re-submitted signal is still refused as
   * `duplicate-intent`; `order(id)` no longer finds them, and a venue fill for one is handled like any fill of an
   * order the OMS does not know (as after a restart from that snapshot). Applied trade ids the snapshot dropped
   * move to a set of their own: a duplicate fill is still ignored.
   */
  readonly pruneCompactedOrders?: boolean
  /** Request budget (default: from the venue port's `requestLimits`, {@link budgetConfigOf}). */
  readonly budget: RequestBudgetConfig
  /**
   * Share of the request budget entries and other normal requests may not use (default 0.2): protective reads
   * (stop checks, resolving a stop or close of unknown outcome, fill catch-up) may use half of it, protective orders
   * (stops, closes, cancels) all of it, so reads never take the room a stop or a close needs.
   */
  readonly protectiveReserve: number
  /** Retry policy of idempotent requests. */
  readonly retry: RetryPolicy
}

/**
 * Defaults for a venue.
 * @param requestLimits - the venue port's `requestLimits` (the request budget is built from them)
 * @returns a full config
 * @example
 * ```ts
 * import { defaultOmsConfig } from '@perpkit/oms'
 * defaultOmsConfig({ limit: 2_400, intervalMs: 60_000, weights: {} }).budget.venueLimit // 2400
 * ```
 */
export function defaultOmsConfig(requestLimits: RequestLimits): OmsConfig {
  return {
    triggerPriceType: 'mark',
    takeProfitStyle: 'limit',
    makerOnly: true,
    makerTimeoutMs: 30_000,
    unknownQueryIntervalMs: 200,
    absentChecksRequired: 3,
    unknownGraceMs: 600,
    requestExpiryMs: 6_000,
    streamStaleAfterMs: 5_000,
    entryIntentTtlMs: 60_000,
    signalHorizonMs: 86_400_000,
    signalFutureToleranceMs: 60_000,
    protectWorkingEntries: true,
    maxStopAttempts: 3,
    flattenAfterUncoveredMs: 3_000,
    stopRetryDelayMs: 300,
    stopMoveMinChange: 0.2,
    stopUpdateMinIntervalMs: 2_000,
    stopQtyUpdateMinIntervalMs: 500,
    reconcileIntervalMs: 30_000,
    degradedReconcileIntervalMs: 1_000,
    degradedHaltAfterMs: 60_000,
    mismatchChecksRequired: 3,
    mismatchCooldownMs: 5_000,
    fillLookbackMs: 60_000,
    cooldownMs: 0,
    snapshotEveryRecords: 500,
    retainTerminalMs: 86_400_000,
    pruneCompactedOrders: false,
    budget: budgetConfigOf(requestLimits),
    protectiveReserve: 0.2,
    retry: DEFAULT_RETRY_POLICY,
  }
}

const NON_NEGATIVE: readonly (keyof OmsConfig)[] = [
  'makerTimeoutMs',
  'unknownQueryIntervalMs',
  'unknownGraceMs',
  'requestExpiryMs',
  'streamStaleAfterMs',
  'entryIntentTtlMs',
  'signalHorizonMs',
  'signalFutureToleranceMs',
  'stopRetryDelayMs',
  'flattenAfterUncoveredMs',
  'stopUpdateMinIntervalMs',
  'stopQtyUpdateMinIntervalMs',
  'reconcileIntervalMs',
  'degradedReconcileIntervalMs',
  'degradedHaltAfterMs',
  'mismatchCooldownMs',
  'fillLookbackMs',
  'cooldownMs',
  'retainTerminalMs',
]

/**
 * Merge overrides onto the venue defaults and validate. This is the one place where the venue's capabilities
 * shape the config: `protectWorkingEntries` not set by the caller follows
 * `capabilities.reduceOnlyStopWithoutPosition` (stop before entry only where the venue accepts a reduce-only stop
 * with no position; a missing or `false` capability means entry first, then the stop on the first fill).
 * @param requestLimits - the venue port's `requestLimits`
 * @param overrides - partial config
 * @param capabilities - what the venue can do (`createOrderManager` passes `venue.capabilities`); without it
 *   `protectWorkingEntries` defaults to true
 * @returns the full config
 * @throws InvalidInputError naming the bad field, including `config.protectWorkingEntries` when it is set `true`
 *   for a venue whose capabilities say it cannot hold a reduce-only stop before a position exists
 * @example
 * ```ts
 * import { resolveOmsConfig } from '@perpkit/oms'
 * const requestLimits = { limit: 2_400, intervalMs: 60_000, weights: {} }
 * resolveOmsConfig(requestLimits, { takeProfitStyle: 'market' }).takeProfitStyle // 'market'
 * resolveOmsConfig(requestLimits, {}, { reduceOnlyStopWithoutPosition: false }).protectWorkingEntries // false
 * ```
 */
export function resolveOmsConfig(
  requestLimits: RequestLimits,
  overrides: Partial<OmsConfig> = {},
  capabilities?: Pick<ExchangeCapabilities, 'reduceOnlyStopWithoutPosition'>,
): OmsConfig {
  const canStopFirst = capabilities === undefined || capabilities.reduceOnlyStopWithoutPosition === true
  const explicit = overrides.protectWorkingEntries
  if (explicit !== undefined && typeof explicit !== 'boolean') throw new InvalidInputError('must be a boolean', { path: 'config.protectWorkingEntries' })
  if (explicit === true && !canStopFirst) {
    throw new InvalidInputError('the venue cannot hold a reduce-only stop before a position exists (capabilities.reduceOnlyStopWithoutPosition is false): leave it unset or set it false', {
      path: 'config.protectWorkingEntries',
    })
  }
  const c: OmsConfig = { ...defaultOmsConfig(requestLimits), ...overrides, protectWorkingEntries: explicit ?? canStopFirst }
  for (const key of NON_NEGATIVE) {
    const v = c[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidInputError('must be a finite number >= 0', { path: `config.${key}` })
  }
  for (const key of ['absentChecksRequired', 'maxStopAttempts', 'mismatchChecksRequired', 'snapshotEveryRecords'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new InvalidInputError('must be an integer >= 1', { path: `config.${key}` })
  }
  if (!(c.stopMoveMinChange >= 0 && c.stopMoveMinChange < 1)) throw new InvalidInputError('must be in [0, 1)', { path: 'config.stopMoveMinChange' })
  if (!(c.protectiveReserve >= 0 && c.protectiveReserve < 1)) throw new InvalidInputError('must be in [0, 1)', { path: 'config.protectiveReserve' })
  if (c.triggerPriceType !== 'mark' && c.triggerPriceType !== 'last' && c.triggerPriceType !== 'index') throw new InvalidInputError('must be mark, last or index', { path: 'config.triggerPriceType' })
  if (c.pruneCompactedOrders !== undefined && typeof c.pruneCompactedOrders !== 'boolean') throw new InvalidInputError('must be a boolean', { path: 'config.pruneCompactedOrders' })
  if (c.takeProfitStyle !== 'limit' && c.takeProfitStyle !== 'market') throw new InvalidInputError('must be limit or market', { path: 'config.takeProfitStyle' })
  return c
}
