/**
 * Circuit breaker (002): trips on net loss, trade count (both over a rolling window) and consecutive losses,
 * and from outside (failed health check, orphan position found by reconciliation, operator). Reset is manual,
 * or timed when configured (external trips stay manual by default).
 * @module
 */
import { assertFinite, type Clock, fail, type Fail, ok, type Ok, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import type { RiskConfig } from './config.js'
import { type BreakerTrigger, createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'
import { legacyTimeKey } from './legacy-time-key.js'

/**
 * Triggers that come from outside the trade flow.
 *
 * @example
 * ```ts
 * import { type ExternalBreakerTrigger } from '@perpkit/risk'
 * const t: ExternalBreakerTrigger = 'reconciliation'
 * ```
 */
export type ExternalBreakerTrigger = 'health-check' | 'reconciliation' | 'manual'

/**
 * Details of the current trip.
 *
 * @example
 * ```ts
 * import type { BreakerTrip, CircuitBreaker } from '@perpkit/risk'
 * declare const breaker: CircuitBreaker // from createCircuitBreaker()
 * declare function notifyOperator(detail: string): void
 * const trip: BreakerTrip | null = breaker.currentTrip()
 * if (trip?.resetAtMs === null) notifyOperator(trip.detail)
 * ```
 */
export interface BreakerTrip {
  readonly trigger: BreakerTrigger
  readonly detail: string
  readonly trippedAtMs: number
  /** When a timed reset will close the breaker; null = manual reset only. */
  readonly resetAtMs: number | null
}

/**
 * Plain-JSON state of a {@link CircuitBreaker}.
 *
 * @example
 * ```ts
 * import type { CircuitBreaker, CircuitBreakerSnapshot } from '@perpkit/risk'
 * declare const breaker: CircuitBreaker // from createCircuitBreaker()
 * const saved: CircuitBreakerSnapshot = breaker.snapshot()
 * breaker.restore(JSON.parse(JSON.stringify(saved)))
 * ```
 */
export interface CircuitBreakerSnapshot {
  readonly trip: BreakerTrip | null
  readonly trades: readonly { readonly timestampMs: number; readonly pnlUsd: number }[]
  readonly consecutiveLosses: number
}

/**
 * Loss / trade-count / consecutive-loss circuit breaker.
 *
 * @example
 * ```ts
 * import { type CircuitBreaker, createCircuitBreaker, parseRiskConfig } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const breaker: CircuitBreaker = createCircuitBreaker({ config: parseRiskConfig(), clock })
 * breaker.recordTrade({ pnlUsd: -4.2 })
 * ```
 */
export interface CircuitBreaker {
  /** True while tripped (a due timed reset is applied first). */
  isOpen(): boolean
  /** The current trip, or null when closed. */
  currentTrip(): BreakerTrip | null
  /** Record a closed trade; may trip the breaker. */
  recordTrade(args: { readonly pnlUsd: number }): void
  /** Trip from outside (health check, reconciliation, operator). */
  trip(args: { readonly trigger: ExternalBreakerTrigger; readonly detail: string }): void
  /** Manual reset: closes the breaker and clears its counters. */
  reset(): Ok<BreakerTrip> | Fail<'not-open', Record<string, never>>
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): CircuitBreakerSnapshot
  restore(snapshot: unknown): void
}

const triggerSchema = z.enum(['loss', 'trade-count', 'consecutive-losses', 'health-check', 'reconciliation', 'manual'])
const snapshotSchema = z
  .object({
    trip: z
      .object({ trigger: triggerSchema, detail: z.string(), trippedAtMs: z.number().int().nonnegative(), resetAtMs: z.number().int().nonnegative().nullable() })
      .strict()
      .nullable(),
    trades: z.array(z.preprocess(legacyTimeKey, z.object({ timestampMs: z.number().int().nonnegative(), pnlUsd: z.number().finite() }).strict())),
    consecutiveLosses: z.number().int().nonnegative(),
  })
  .strict()

/**
 * Create a {@link CircuitBreaker}. Emits `breaker-tripped` and `breaker-reset`.
 *
 * @param args.config - resolved config (`parseRiskConfig`); uses `config.breaker`
 * @param args.clock - time source (timed resets are applied lazily on the next call at or after `resetAtMs`)
 * @returns a closed breaker
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createCircuitBreaker, parseRiskConfig } from '@perpkit/risk'
 * const breaker = createCircuitBreaker({ config: parseRiskConfig(), clock: createTestClock() })
 * breaker.trip({ trigger: 'reconciliation', detail: 'orphan position BTC/USDT:USDT' })
 * breaker.isOpen() // true, until breaker.reset()
 * ```
 */
export function createCircuitBreaker(args: { readonly config: RiskConfig; readonly clock: Clock }): CircuitBreaker {
  const { clock } = args
  const cfg = args.config.breaker
  const hub = createEventHub()
  let trip: BreakerTrip | null = null
  let trades: { timestampMs: number; pnlUsd: number }[] = []
  let consecutiveLosses = 0

  const refresh = (): void => {
    const now = clock.now()
    trades = trades.filter((t) => t.timestampMs > now - cfg.windowMs)
    if (trip !== null && trip.resetAtMs !== null && now >= trip.resetAtMs) {
      trip = null
      trades = []
      consecutiveLosses = 0
      hub.emit({ type: 'breaker-reset', timestampMs: now, by: 'timer' })
    }
  }

  const open = (trigger: BreakerTrigger, detail: string, external: boolean): void => {
    const now = clock.now()
    const manualOnly = cfg.resetMode === 'manual' || (external && cfg.externalTripsManualOnly)
    const resetAtMs = manualOnly ? null : now + cfg.resetAfterMs
    if (trip !== null) {
      // already open: only escalate a timed trip to manual-only
      if (trip.resetAtMs !== null && resetAtMs === null) trip = { ...trip, trigger, detail, resetAtMs: null }
      else return
    } else {
      trip = { trigger, detail, trippedAtMs: now, resetAtMs }
    }
    hub.emit({ type: 'breaker-tripped', timestampMs: now, trigger, detail, resetAtMs: trip.resetAtMs })
  }

  return {
    isOpen() {
      refresh()
      return trip !== null
    },
    currentTrip() {
      refresh()
      return trip
    },
    recordTrade({ pnlUsd }) {
      assertFinite(pnlUsd, 'pnlUsd')
      refresh()
      trades.push({ timestampMs: clock.now(), pnlUsd })
      consecutiveLosses = pnlUsd < 0 ? consecutiveLosses + 1 : 0
      const net = trades.reduce((a, t) => a + t.pnlUsd, 0)
      if (-net >= cfg.maxLossUsd) open('loss', `net loss ${(-net).toFixed(2)} USD in window >= ${cfg.maxLossUsd}`, false)
      else if (trades.length >= cfg.maxTrades) open('trade-count', `${trades.length} trades in window >= ${cfg.maxTrades}`, false)
      else if (consecutiveLosses >= cfg.maxConsecutiveLosses) open('consecutive-losses', `${consecutiveLosses} consecutive losses`, false)
    },
    trip({ trigger, detail }) {
      refresh()
      open(trigger, detail, true)
    },
    reset() {
      refresh()
      if (trip === null) return fail('not-open', {})
      const was = trip
      trip = null
      trades = []
      consecutiveLosses = 0
      hub.emit({ type: 'breaker-reset', timestampMs: clock.now(), by: 'manual' })
      return ok(was)
    },
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({ trip: trip === null ? null : { ...trip }, trades: trades.map((t) => ({ ...t })), consecutiveLosses }),
    restore(snapshot) {
      const p = parseOrThrow(snapshotSchema, snapshot, 'circuit breaker snapshot')
      trip = p.trip
      trades = p.trades.map((t) => ({ ...t }))
      consecutiveLosses = p.consecutiveLosses
    },
  }
}
