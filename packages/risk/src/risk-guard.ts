/**
 * RiskGuard: blocks entries after a stop-loss streak, at the daily loss / drawdown limit and at
 * the trades-per-day cap for the account's equity. The calendar day is taken in the configured IANA time zone.
 * @module
 */
import { assertFinite, type Clock, fail, type Fail, InvalidInputError, ok, type Ok, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import type { RiskConfig } from './config.js'
import { createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'
import { dayKeyInZone } from './time-zone.js'

/**
 * How a position was closed. Only `stop-loss` extends the SL streak; any other exit resets it.
 *
 * @example
 * ```ts
 * import type { ExitKind, RiskGuard } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * guard.recordExit({ pnlUsd: -3.1, exitKind: 'stop-loss' satisfies ExitKind })
 * ```
 */
export type ExitKind = 'stop-loss' | 'take-profit' | 'trailing-stop' | 'time' | 'manual' | 'liquidation' | 'other'

/**
 * Why the guard refuses an entry. `missing-equity` is fail-closed: without equity no limit can be checked.
 *
 * @example
 * ```ts
 * import type { GuardDenialReason, RiskGuard } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * const r = guard.canOpenPosition()
 * if (!r.ok) { const why: GuardDenialReason = r.reason }
 * ```
 */
export type GuardDenialReason = 'sl-streak' | 'daily-loss-limit' | 'trades-per-day' | 'missing-equity'

/**
 * One refusal with the numbers behind it.
 *
 * @example
 * ```ts
 * import type { GuardDenial, RiskGuard } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * const r = guard.canOpenPosition()
 * if (!r.ok) r.details.denials.forEach((d: GuardDenial) => console.log(d.reason, d.message))
 * ```
 */
export interface GuardDenial {
  readonly reason: GuardDenialReason
  readonly message: string
}

/**
 * Everything the guard knows about the current day.
 *
 * @example
 * ```ts
 * import type { GuardStatus, RiskGuard } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * const s: GuardStatus = guard.status()
 * s.dailyLossPct // loss against start-of-day equity, percent
 * ```
 */
export interface GuardStatus {
  readonly dayKey: string
  readonly slStreak: number
  readonly maxSlStreak: number
  readonly realizedPnlTodayUsd: number
  readonly unrealizedPnlUsd: number
  readonly startOfDayEquityUsd: number | null
  readonly equityUsd: number | null
  /** Loss counted against the daily limit (positive = loss). */
  readonly dailyLossUsd: number
  readonly dailyLossPct: number | null
  readonly tradesToday: number
  readonly maxTradesToday: number | null
}

/**
 * Plain-JSON state of a {@link RiskGuard}.
 *
 * @example
 * ```ts
 * import type { RiskGuard, RiskGuardSnapshot } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * const saved: RiskGuardSnapshot = guard.snapshot()
 * guard.restore(saved)
 * ```
 */
export interface RiskGuardSnapshot {
  readonly dayKey: string
  readonly slStreak: number
  readonly realizedPnlTodayUsd: number
  readonly unrealizedPnlUsd: number
  readonly startOfDayEquityUsd: number | null
  readonly equityUsd: number | null
  readonly tradesToday: number
}

/**
 * Outcome of {@link RiskGuard.canOpenPosition}: `reason` is the first denial, `details.denials` all of them.
 *
 * @example
 * ```ts
 * import type { GuardVerdict, RiskGuard } from '@perpkit/risk'
 * declare const guard: RiskGuard // from createRiskGuard()
 * const v: GuardVerdict = guard.canOpenPosition()
 * if (v.ok) v.value.tradesToday
 * ```
 */
export type GuardVerdict = Ok<GuardStatus> | Fail<GuardDenialReason, { readonly denials: readonly GuardDenial[]; readonly status: GuardStatus }>

/**
 * Stop-loss streak, daily loss and trades-per-day guard.
 *
 * @example
 * ```ts
 * import { systemClock } from '@perpkit/core'
 * import { createRiskGuard, parseRiskConfig, type RiskGuard } from '@perpkit/risk'
 * const guard: RiskGuard = createRiskGuard({ config: parseRiskConfig(), clock: systemClock })
 * guard.updateEquity({ equityUsd: 420 })
 * ```
 */
export interface RiskGuard {
  /** Report current account equity in USD and (optionally) the open positions' unrealized PnL. */
  updateEquity(args: { readonly equityUsd: number; readonly unrealizedPnlUsd?: number }): void
  /** Override the start-of-day equity (e.g. from the venue's daily snapshot). */
  setStartOfDayEquity(equityUsd: number): void
  /** Count one new entry toward today's trades. */
  recordEntry(): void
  /** Record a closed position. */
  recordExit(args: { readonly pnlUsd: number; readonly exitKind: ExitKind }): void
  /** Allowed, or denied with every reason. */
  canOpenPosition(): GuardVerdict
  status(): GuardStatus
  /** Manually clear the stop-loss streak. */
  resetSlStreak(): void
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): RiskGuardSnapshot
  restore(snapshot: unknown): void
}

const snapshotSchema = z
  .object({
    dayKey: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    slStreak: z.number().int().nonnegative(),
    realizedPnlTodayUsd: z.number().finite(),
    unrealizedPnlUsd: z.number().finite(),
    startOfDayEquityUsd: z.number().finite().nullable(),
    equityUsd: z.number().finite().nullable(),
    tradesToday: z.number().int().nonnegative(),
  })
  .strict()

/**
 * Trades-per-day cap for an equity: the highest tier whose `minEquityUsd` ≤ equity.
 *
 * @param args.equityUsd - account equity in USD
 * @param args.tiers - tiers (any order)
 * @returns the cap
 * @throws InvalidInputError for a non-finite equity or empty tiers
 * @example
 * ```ts
 * import { maxTradesPerDayFor } from '@perpkit/risk'
 * const tiers = [{ minEquityUsd: 0, maxTradesPerDay: 5 }, { minEquityUsd: 300, maxTradesPerDay: 10 }]
 * maxTradesPerDayFor({ equityUsd: 299.99, tiers }) // 5
 * maxTradesPerDayFor({ equityUsd: 300, tiers }) // 10
 * ```
 */
export function maxTradesPerDayFor(args: {
  readonly equityUsd: number
  readonly tiers: readonly { readonly minEquityUsd: number; readonly maxTradesPerDay: number }[]
}): number {
  assertFinite(args.equityUsd, 'equityUsd')
  const sorted = [...args.tiers].sort((a, b) => a.minEquityUsd - b.minEquityUsd)
  const first = sorted[0]
  if (!first) throw new InvalidInputError('at least one tier is required', { path: 'tiers' })
  let cap = first.maxTradesPerDay
  for (const t of sorted) if (args.equityUsd >= t.minEquityUsd) cap = t.maxTradesPerDay
  return cap
}

/**
 * Create a {@link RiskGuard}. Emits `guard-blocked` when a block starts and `day-rolled` at local midnight
 * (observed lazily on the next call).
 *
 * @param args.config - resolved config (`parseRiskConfig`)
 * @param args.clock - time source
 * @returns a fresh guard (no equity yet: entries are denied with `missing-equity` until `updateEquity`)
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createRiskGuard, parseRiskConfig } from '@perpkit/risk'
 * const guard = createRiskGuard({ config: parseRiskConfig(), clock: createTestClock(Date.UTC(2025, 0, 1)) })
 * guard.updateEquity({ equityUsd: 1000 })
 * for (let i = 0; i < 3; i++) guard.recordExit({ pnlUsd: -5, exitKind: 'stop-loss' })
 * guard.canOpenPosition() // { ok: false, reason: 'sl-streak', ... }
 * ```
 */
export function createRiskGuard(args: { readonly config: RiskConfig; readonly clock: Clock }): RiskGuard {
  const { clock } = args
  const cfg = args.config.guard
  const timeZone = args.config.timeZone
  const hub = createEventHub()
  const today = (): string => dayKeyInZone({ timestampMs: clock.now(), timeZone })

  let s: { -readonly [K in keyof RiskGuardSnapshot]: RiskGuardSnapshot[K] } = {
    dayKey: today(),
    slStreak: 0,
    realizedPnlTodayUsd: 0,
    unrealizedPnlUsd: 0,
    startOfDayEquityUsd: null,
    equityUsd: null,
    tradesToday: 0,
  }

  const roll = (): void => {
    const key = today()
    if (key === s.dayKey) return
    s = {
      ...s,
      dayKey: key,
      realizedPnlTodayUsd: 0,
      tradesToday: 0,
      slStreak: cfg.slStreakResetsDaily ? 0 : s.slStreak,
      startOfDayEquityUsd: s.equityUsd,
    }
    hub.emit({ type: 'day-rolled', timestampMs: clock.now(), dayKey: key, startOfDayEquityUsd: s.startOfDayEquityUsd })
  }

  const status = (): GuardStatus => {
    const dailyLossUsd = -(s.realizedPnlTodayUsd + (cfg.includeUnrealizedPnl ? s.unrealizedPnlUsd : 0))
    const start = s.startOfDayEquityUsd
    return {
      dayKey: s.dayKey,
      slStreak: s.slStreak,
      maxSlStreak: cfg.maxSlStreak,
      realizedPnlTodayUsd: s.realizedPnlTodayUsd,
      unrealizedPnlUsd: s.unrealizedPnlUsd,
      startOfDayEquityUsd: start,
      equityUsd: s.equityUsd,
      dailyLossUsd,
      dailyLossPct: start !== null && start > 0 ? (dailyLossUsd / start) * 100 : null,
      tradesToday: s.tradesToday,
      maxTradesToday: s.equityUsd === null ? null : maxTradesPerDayFor({ equityUsd: s.equityUsd, tiers: cfg.tradesPerDayTiers }),
    }
  }

  const denials = (st: GuardStatus): GuardDenial[] => {
    const out: GuardDenial[] = []
    if (st.slStreak >= cfg.maxSlStreak) out.push({ reason: 'sl-streak', message: `${st.slStreak} consecutive stop-losses (max ${cfg.maxSlStreak})` })
    const start = st.startOfDayEquityUsd
    if (start === null || st.equityUsd === null) {
      out.push({ reason: 'missing-equity', message: 'no equity reported yet: daily limits cannot be checked' })
    } else {
      // compare as products so that exact boundaries (50 of 1000 at 5 %) do not depend on division rounding
      const pctHit = start <= 0 || st.dailyLossUsd * 100 >= cfg.maxDailyLossPct * start
      const usdHit = cfg.maxDailyLossUsd !== undefined && st.dailyLossUsd >= cfg.maxDailyLossUsd
      if (pctHit || usdHit) {
        out.push({
          reason: 'daily-loss-limit',
          message: `daily loss ${st.dailyLossUsd.toFixed(2)} USD (${st.dailyLossPct?.toFixed(2) ?? 'n/a'} % of ${start}) reached the limit`,
        })
      }
    }
    if (st.maxTradesToday !== null && st.tradesToday >= st.maxTradesToday) {
      out.push({ reason: 'trades-per-day', message: `${st.tradesToday} entries today (max ${st.maxTradesToday})` })
    }
    return out
  }

  const mutate = (fn: () => void): void => {
    roll()
    const before = new Set(denials(status()).map((d) => d.reason))
    fn()
    for (const d of denials(status())) {
      if (!before.has(d.reason) && d.reason !== 'missing-equity') hub.emit({ type: 'guard-blocked', timestampMs: clock.now(), reason: d.reason, detail: d.message })
    }
  }

  return {
    updateEquity({ equityUsd, unrealizedPnlUsd }) {
      assertFinite(equityUsd, 'equityUsd')
      if (unrealizedPnlUsd !== undefined) assertFinite(unrealizedPnlUsd, 'unrealizedPnlUsd')
      mutate(() => {
        s.equityUsd = equityUsd
        if (unrealizedPnlUsd !== undefined) s.unrealizedPnlUsd = unrealizedPnlUsd
        if (s.startOfDayEquityUsd === null) s.startOfDayEquityUsd = equityUsd
      })
    },
    setStartOfDayEquity(equityUsd) {
      assertFinite(equityUsd, 'equityUsd')
      if (equityUsd <= 0) throw new InvalidInputError('start-of-day equity must be > 0', { path: 'equityUsd' })
      mutate(() => {
        s.startOfDayEquityUsd = equityUsd
      })
    },
    recordEntry() {
      mutate(() => {
        s.tradesToday += 1
      })
    },
    recordExit({ pnlUsd, exitKind }) {
      assertFinite(pnlUsd, 'pnlUsd')
      mutate(() => {
        s.realizedPnlTodayUsd += pnlUsd
        s.slStreak = exitKind === 'stop-loss' ? s.slStreak + 1 : 0
      })
    },
    canOpenPosition() {
      roll()
      const st = status()
      const list = denials(st)
      const first = list[0]
      return first ? fail(first.reason, { denials: list, status: st }) : ok(st)
    },
    status() {
      roll()
      return status()
    },
    resetSlStreak() {
      roll()
      s.slStreak = 0
    },
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({ ...s }),
    restore(snapshot) {
      s = { ...parseOrThrow(snapshotSchema, snapshot, 'risk guard snapshot') }
    },
  }
}
