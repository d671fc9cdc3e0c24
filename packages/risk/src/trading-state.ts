/**
 * Trading states ACTIVE / REDUCING / HALTED, derived from a set of named holds. Each hold records why it was
 * placed and who may lift it: a `manual` hold is never lifted by automation.
 * @module
 */
import { type Clock, fail, type Fail, ok, type Ok, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import { createEventHub, type RiskEventListener, type Unsubscribe } from './events.js'

import type { HoldId, HoldLevel, LiftAuthority, TradingMode } from './trading-modes.js'

export type { HoldId, HoldLevel, LiftAuthority, TradingMode }

/**
 * What an order would do, for {@link TradingState.permits}.
 *
 * @example
 * ```ts
 * import type { TradingAction, TradingState } from '@perpkit/risk'
 * declare const tradingState: TradingState // from createTradingState()
 * const action: TradingAction = 'protective-stop'
 * tradingState.permits(action) // true even in HALTED
 * ```
 */
export type TradingAction = 'entry' | 'increase' | 'reduce' | 'cancel' | 'protective-stop'

/**
 * One active hold.
 *
 * @example
 * ```ts
 * import type { Hold, RiskEngine } from '@perpkit/risk'
 * declare const engine: RiskEngine // from createRiskEngine()
 * const holds: readonly Hold[] = engine.status().holds
 * holds.filter((h) => h.liftableBy === 'manual')
 * ```
 */
export interface Hold {
  readonly id: HoldId
  readonly level: HoldLevel
  readonly reason: string
  readonly liftableBy: LiftAuthority
  readonly sinceMs: number
}

/**
 * Plain-JSON state of a {@link TradingState}.
 *
 * @example
 * ```ts
 * import type { TradingState, TradingStateSnapshot } from '@perpkit/risk'
 * declare const tradingState: TradingState // from createTradingState()
 * const saved: TradingStateSnapshot = tradingState.snapshot()
 * tradingState.restore(saved)
 * ```
 */
export interface TradingStateSnapshot {
  readonly holds: readonly Hold[]
}

/**
 * Why a lift was refused.
 *
 * @example
 * ```ts
 * import type { LiftRefusal, TradingState } from '@perpkit/risk'
 * declare const tradingState: TradingState // from createTradingState()
 * const r = tradingState.lift({ id: 'emergency', by: 'auto' })
 * if (!r.ok) { const why: LiftRefusal = r.reason } // 'manual-only'
 * ```
 */
export type LiftRefusal = 'not-held' | 'manual-only'

/**
 * ACTIVE / REDUCING / HALTED state with reasons and lift authority.
 *
 * @example
 * ```ts
 * import { createTradingState, type TradingState } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const ts: TradingState = createTradingState({ clock })
 * ts.permits('entry') // true while ACTIVE
 * ```
 */
export interface TradingState {
  /** Current mode: HALTED if any halt hold, REDUCING if any reduce hold, else ACTIVE. */
  mode(): TradingMode
  /** Active holds, ordered by id. */
  holds(): readonly Hold[]
  /** Place (or escalate) a hold. Escalation only: an existing `manual` hold stays manual, `halt` stays halt. */
  place(args: { readonly id: HoldId; readonly level: HoldLevel; readonly reason: string; readonly liftableBy: LiftAuthority }): void
  /** Lift a hold. `auto` cannot lift a `manual` hold. */
  lift(args: { readonly id: HoldId; readonly by: LiftAuthority }): Ok<Hold> | Fail<LiftRefusal, { readonly id: HoldId }>
  /** Whether `action` is allowed in the current mode. */
  permits(action: TradingAction): boolean
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): TradingStateSnapshot
  restore(snapshot: unknown): void
}

const ALLOWED: Readonly<Record<TradingMode, ReadonlySet<TradingAction>>> = {
  ACTIVE: new Set<TradingAction>(['entry', 'increase', 'reduce', 'cancel', 'protective-stop']),
  REDUCING: new Set<TradingAction>(['reduce', 'cancel', 'protective-stop']),
  HALTED: new Set<TradingAction>(['cancel', 'protective-stop']),
}

const holdIdSchema = z.enum(['emergency', 'latency', 'breaker', 'win-rate', 'final-criteria', 'manual'])
const snapshotSchema = z
  .object({
    holds: z.array(
      z
        .object({
          id: holdIdSchema,
          level: z.enum(['halt', 'reduce']),
          reason: z.string(),
          liftableBy: z.enum(['manual', 'auto']),
          sinceMs: z.number().int().nonnegative(),
        })
        .strict(),
    ),
  })
  .strict()

/**
 * Whether `action` is allowed in `mode` (pure).
 *
 * @param args.mode - trading mode
 * @param args.action - what the order would do
 * @returns true when allowed
 * @example
 * ```ts
 * import { modePermits } from '@perpkit/risk'
 * modePermits({ mode: 'HALTED', action: 'protective-stop' }) // true
 * modePermits({ mode: 'HALTED', action: 'entry' }) // false
 * ```
 */
export function modePermits(args: { readonly mode: TradingMode; readonly action: TradingAction }): boolean {
  return ALLOWED[args.mode].has(args.action)
}

/**
 * Create a {@link TradingState}. Emits `halt-entered`/`halt-lifted`, `reducing-entered`/`reducing-lifted` and
 * `mode-changed`.
 *
 * @param args.clock - time source for `sinceMs` and event times
 * @returns a new state, ACTIVE
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createTradingState } from '@perpkit/risk'
 * const ts = createTradingState({ clock: createTestClock() })
 * ts.place({ id: 'manual', level: 'halt', reason: 'operator', liftableBy: 'manual' })
 * ts.mode() // 'HALTED'
 * ts.lift({ id: 'manual', by: 'auto' }).ok // false (manual-only)
 * ```
 */
export function createTradingState(args: { readonly clock: Clock }): TradingState {
  const { clock } = args
  const hub = createEventHub()
  const holds = new Map<HoldId, Hold>()

  const computeMode = (): TradingMode => {
    let mode: TradingMode = 'ACTIVE'
    for (const h of holds.values()) {
      if (h.level === 'halt') return 'HALTED'
      mode = 'REDUCING'
    }
    return mode
  }

  const withModeChange = (fn: () => void): void => {
    const before = computeMode()
    fn()
    const after = computeMode()
    if (before !== after) hub.emit({ type: 'mode-changed', timestampMs: clock.now(), from: before, to: after })
  }

  const state: TradingState = {
    mode: computeMode,
    holds: () => [...holds.values()].sort((a, b) => a.id.localeCompare(b.id)),
    place({ id, level, reason, liftableBy }) {
      const existing = holds.get(id)
      const nextLevel: HoldLevel = existing?.level === 'halt' ? 'halt' : level
      const nextLift: LiftAuthority = existing?.liftableBy === 'manual' ? 'manual' : liftableBy
      if (existing && existing.level === nextLevel && existing.liftableBy === nextLift && existing.reason === reason) return
      const now = clock.now()
      withModeChange(() => {
        holds.set(id, { id, level: nextLevel, reason, liftableBy: nextLift, sinceMs: existing?.sinceMs ?? now })
        if (!existing || existing.level !== nextLevel) {
          hub.emit(
            nextLevel === 'halt'
              ? { type: 'halt-entered', timestampMs: now, holdId: id, reason, liftableBy: nextLift }
              : { type: 'reducing-entered', timestampMs: now, holdId: id, reason, liftableBy: nextLift },
          )
        }
      })
    },
    lift({ id, by }) {
      const existing = holds.get(id)
      if (!existing) return fail('not-held', { id })
      if (existing.liftableBy === 'manual' && by !== 'manual') return fail('manual-only', { id })
      withModeChange(() => {
        holds.delete(id)
        hub.emit(
          existing.level === 'halt'
            ? { type: 'halt-lifted', timestampMs: clock.now(), holdId: id, by }
            : { type: 'reducing-lifted', timestampMs: clock.now(), holdId: id, by },
        )
      })
      return ok(existing)
    },
    permits: (action) => ALLOWED[computeMode()].has(action),
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({ holds: state.holds().map((h) => ({ ...h })) }),
    restore(snapshot) {
      const parsed = parseOrThrow(snapshotSchema, snapshot, 'trading state snapshot')
      holds.clear()
      for (const h of parsed.holds) holds.set(h.id, h)
    },
  }
  return state
}
