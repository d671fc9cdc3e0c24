/**
 * Maker-only timeout fallback: after 3 consecutive maker timeouts for the same signal, ONE taker
 * entry is allowed when expected profit ≥ 5 × taker fee, at most once per calendar day; a failed taker entry
 * blocks entries for 1 h.
 * @module
 */
import { assertFinite, assertNonNegative, type Clock, fail, type Fail, ok, type Ok, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import type { RiskConfig } from './config.js'
import { createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'
import { dayKeyInZone } from './time-zone.js'

/**
 * Why a taker fallback is refused.
 *
 * @example
 * ```ts
 * import type { MakerFallback, TakerFallbackRefusal } from '@perpkit/risk'
 * declare const fallback: MakerFallback // from createMakerFallback()
 * const r = fallback.requestTaker({ signalId: 's', expectedProfitUsd: 0.1, takerFeeUsd: 0.06 })
 * if (!r.ok) { const why: TakerFallbackRefusal = r.reason }
 * ```
 */
export type TakerFallbackRefusal = 'not-enough-timeouts' | 'insufficient-edge' | 'daily-limit' | 'blocked'

/**
 * Plain-JSON state of a {@link MakerFallback}.
 *
 * @example
 * ```ts
 * import type { MakerFallback, MakerFallbackSnapshot } from '@perpkit/risk'
 * declare const fallback: MakerFallback // from createMakerFallback()
 * const saved: MakerFallbackSnapshot = fallback.snapshot()
 * fallback.restore(saved)
 * ```
 */
export interface MakerFallbackSnapshot {
  readonly signalId: string | null
  readonly consecutiveTimeouts: number
  readonly dayKey: string
  readonly takerEntriesToday: number
  readonly blockedUntilMs: number | null
  readonly grantedSignalId: string | null
}

/**
 * Maker-timeout fallback tracker.
 *
 * @example
 * ```ts
 * import { createMakerFallback, type MakerFallback, parseRiskConfig } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const fallback: MakerFallback = createMakerFallback({ config: parseRiskConfig(), clock })
 * fallback.recordMakerTimeout({ signalId: 'grid-42' })
 * ```
 */
export interface MakerFallback {
  /** A maker entry for `signalId` timed out unfilled. Returns the consecutive count for that signal. */
  recordMakerTimeout(args: { readonly signalId: string }): number
  /** A maker entry filled: the timeout streak ends. */
  recordMakerFill(args: { readonly signalId: string }): void
  /** Ask for the one taker entry. A grant counts toward the daily limit. */
  requestTaker(args: { readonly signalId: string; readonly expectedProfitUsd: number; readonly takerFeeUsd: number }):
    | Ok<{ readonly signalId: string }>
    | Fail<TakerFallbackRefusal, Readonly<Record<string, unknown>>>
  /** Outcome of the granted taker entry; `failed` (slippage/fee spike) blocks entries for `failureBlockMs`. */
  recordTakerResult(args: { readonly signalId: string; readonly failed: boolean }): void
  /** End of the failure block, or null. */
  blockedUntilMs(): number | null
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): MakerFallbackSnapshot
  restore(snapshot: unknown): void
}

const snapshotSchema = z
  .object({
    signalId: z.string().nullable(),
    consecutiveTimeouts: z.number().int().nonnegative(),
    dayKey: z.string(),
    takerEntriesToday: z.number().int().nonnegative(),
    blockedUntilMs: z.number().int().nonnegative().nullable(),
    grantedSignalId: z.string().nullable(),
  })
  .strict()

/**
 * Create a {@link MakerFallback}. Emits `taker-fallback-granted`, `taker-fallback-failed` and
 * `cooldown-started` (reason `taker-fallback-failed`).
 *
 * @param args.config - resolved config; uses `config.makerFallback` and `config.timeZone`
 * @param args.clock - time source
 * @returns a tracker
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createMakerFallback, parseRiskConfig } from '@perpkit/risk'
 * const mf = createMakerFallback({ config: parseRiskConfig(), clock: createTestClock() })
 * for (let i = 0; i < 3; i++) mf.recordMakerTimeout({ signalId: 'sig-1' })
 * mf.requestTaker({ signalId: 'sig-1', expectedProfitUsd: 0.5, takerFeeUsd: 0.06 }).ok // true (0.5 >= 5 x 0.06)
 * ```
 */
export function createMakerFallback(args: { readonly config: RiskConfig; readonly clock: Clock }): MakerFallback {
  const { clock } = args
  const cfg = args.config.makerFallback
  const tz = args.config.timeZone
  const hub = createEventHub()
  const today = (): string => dayKeyInZone({ timestampMs: clock.now(), timeZone: tz })
  let s: { -readonly [K in keyof MakerFallbackSnapshot]: MakerFallbackSnapshot[K] } = {
    signalId: null,
    consecutiveTimeouts: 0,
    dayKey: today(),
    takerEntriesToday: 0,
    blockedUntilMs: null,
    grantedSignalId: null,
  }
  const roll = (): void => {
    const key = today()
    if (key !== s.dayKey) s = { ...s, dayKey: key, takerEntriesToday: 0 }
  }
  const activeBlock = (): number | null => (s.blockedUntilMs !== null && clock.now() < s.blockedUntilMs ? s.blockedUntilMs : null)

  return {
    recordMakerTimeout({ signalId }) {
      if (s.signalId === signalId) s.consecutiveTimeouts += 1
      else s = { ...s, signalId, consecutiveTimeouts: 1 }
      return s.consecutiveTimeouts
    },
    recordMakerFill({ signalId }) {
      if (s.signalId === signalId) s = { ...s, signalId: null, consecutiveTimeouts: 0 }
    },
    requestTaker({ signalId, expectedProfitUsd, takerFeeUsd }) {
      assertNonNegative(takerFeeUsd, 'takerFeeUsd')
      assertFinite(expectedProfitUsd, 'expectedProfitUsd')
      roll()
      const block = activeBlock()
      if (block !== null) return fail('blocked', { blockedUntilMs: block })
      if (s.signalId !== signalId || s.consecutiveTimeouts < cfg.timeoutsBeforeTaker) {
        return fail('not-enough-timeouts', { consecutiveTimeouts: s.signalId === signalId ? s.consecutiveTimeouts : 0, required: cfg.timeoutsBeforeTaker })
      }
      if (s.takerEntriesToday >= cfg.maxTakerEntriesPerDay) return fail('daily-limit', { takerEntriesToday: s.takerEntriesToday, max: cfg.maxTakerEntriesPerDay })
      const required = takerFeeUsd * cfg.minProfitToTakerFee
      if (!(expectedProfitUsd >= required)) return fail('insufficient-edge', { expectedProfitUsd, requiredUsd: required })
      s = { ...s, takerEntriesToday: s.takerEntriesToday + 1, grantedSignalId: signalId, signalId: null, consecutiveTimeouts: 0 }
      hub.emit({ type: 'taker-fallback-granted', timestampMs: clock.now(), signalId })
      return ok({ signalId })
    },
    recordTakerResult({ signalId, failed }) {
      s = { ...s, grantedSignalId: null }
      if (!failed) return
      const now = clock.now()
      s.blockedUntilMs = now + cfg.failureBlockMs
      hub.emit({ type: 'taker-fallback-failed', timestampMs: now, signalId, blockedUntilMs: s.blockedUntilMs })
      hub.emit({ type: 'cooldown-started', timestampMs: now, reason: 'taker-fallback-failed', untilMs: s.blockedUntilMs })
    },
    blockedUntilMs: activeBlock,
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({ ...s }),
    restore(snapshot) {
      s = { ...parseOrThrow(snapshotSchema, snapshot, 'maker fallback snapshot') }
    },
  }
}
