/**
 * Emergency checks, evaluated before any signal: fast price drops, venue latency, balance anomalies
 * and liquidation warnings; HALT recovery (manual-only after liquidation or equity below the floor, otherwise
 * automatic after a calm period, followed by an entry cooldown).
 * @module
 */
import { assertFinite, type Clock, fail, type Fail, ok, type Ok, parseOrThrow } from '@perpkit/core'
import { z } from 'zod'
import type { RiskConfig } from './config.js'
import { createEventHub, type EmergencyTrigger, type RiskEventListener, type Unsubscribe } from './events.js'

/**
 * One market/account observation. `null` means "could not be read": an unreadable balance HALTs, unknown
 * latency blocks entries, unknown price changes never count as calm.
 *
 * @example
 * ```ts
 * import type { EmergencyMonitor, EmergencyObservation } from '@perpkit/risk'
 * declare const monitor: EmergencyMonitor // from createEmergencyMonitor()
 * const obs: EmergencyObservation = { priceChange1mPct: -0.8, priceChange5mPct: -2.1, latencyMs: 240, equityUsd: 312 }
 * monitor.observe(obs)
 * ```
 */
export interface EmergencyObservation {
  /** Price change over the last minute, percent (−10 = a 10 % drop). */
  readonly priceChange1mPct: number | null
  /** Price change over the last five minutes, percent. */
  readonly priceChange5mPct: number | null
  /** Latest venue round-trip latency, ms. */
  readonly latencyMs: number | null
  /** Account equity in USD (inverse: equity_btc × mark). */
  readonly equityUsd: number | null
}

/**
 * Current emergency HALT, if any.
 *
 * @example
 * ```ts
 * import type { EmergencyHalt, EmergencyMonitor } from '@perpkit/risk'
 * declare const monitor: EmergencyMonitor // from createEmergencyMonitor()
 * declare function pageOperator(detail: string): void
 * const halt: EmergencyHalt | null = monitor.current()
 * if (halt?.manualOnly) pageOperator(halt.detail)
 * ```
 */
export interface EmergencyHalt {
  readonly triggers: readonly EmergencyTrigger[]
  readonly detail: string
  readonly manualOnly: boolean
  readonly sinceMs: number
}

/**
 * What the caller must do after an observation.
 *
 * @example
 * ```ts
 * import type { EmergencyAssessment, EmergencyMonitor, EmergencyObservation } from '@perpkit/risk'
 * declare const monitor: EmergencyMonitor, obs: EmergencyObservation
 * declare const oms: { cancelPendingEntries(): Promise<void> } // your order manager
 * const a: EmergencyAssessment = monitor.observe(obs)
 * if (a.cancelPendingEntries) await oms.cancelPendingEntries()
 * ```
 */
export interface EmergencyAssessment {
  readonly halted: boolean
  readonly manualOnly: boolean
  /** New entries are not allowed (halt, latency or cooldown). */
  readonly blockEntries: boolean
  /** Pending (unfilled) entry orders must be cancelled now. */
  readonly cancelPendingEntries: boolean
  /** Triggers seen in this observation. */
  readonly triggers: readonly EmergencyTrigger[]
  /** True when this observation lifted the HALT automatically. */
  readonly recovered: boolean
  readonly cooldownUntilMs: number | null
  /** Start of the current calm streak while auto-recoverable, else null. */
  readonly calmSinceMs: number | null
}

/**
 * Plain-JSON state of an {@link EmergencyMonitor}.
 *
 * @example
 * ```ts
 * import type { EmergencyMonitor, EmergencyMonitorSnapshot } from '@perpkit/risk'
 * declare const monitor: EmergencyMonitor // from createEmergencyMonitor()
 * const saved: EmergencyMonitorSnapshot = monitor.snapshot()
 * monitor.restore(saved)
 * ```
 */
export interface EmergencyMonitorSnapshot {
  readonly halt: EmergencyHalt | null
  readonly calmSinceMs: number | null
  readonly lastObservationMs: number | null
  readonly latencyBlocked: boolean
  readonly cooldownUntilMs: number | null
}

/**
 * Emergency HALT logic with recovery.
 *
 * @example
 * ```ts
 * import { createEmergencyMonitor, type EmergencyMonitor, parseRiskConfig } from '@perpkit/risk'
 * import { systemClock as clock } from '@perpkit/core'
 * const monitor: EmergencyMonitor = createEmergencyMonitor({ config: parseRiskConfig(), clock })
 * monitor.recordLiquidation({ kind: 'warning' })
 * ```
 */
export interface EmergencyMonitor {
  observe(observation: EmergencyObservation): EmergencyAssessment
  /** A liquidation warning or event: manual-only HALT. */
  recordLiquidation(args: { readonly kind: 'warning' | 'event'; readonly detail?: string }): void
  /** Operator lift of any emergency HALT (no cooldown is imposed). */
  liftManually(): Ok<EmergencyHalt> | Fail<'not-halted', Record<string, never>>
  current(): EmergencyHalt | null
  /** Entry blockers right now. */
  entryBlockers(): readonly ('emergency-halt' | 'latency' | 'cooldown')[]
  cooldownUntilMs(): number | null
  subscribe(listener: RiskEventListener): Unsubscribe
  snapshot(): EmergencyMonitorSnapshot
  restore(snapshot: unknown): void
}

const triggerSchema = z.enum([
  'price-drop-1m',
  'price-drop-5m',
  'latency',
  'balance-non-positive',
  'balance-unreadable',
  'balance-below-floor',
  'liquidation-warning',
  'liquidation-event',
])
const ms = z.number().int().nonnegative()
const snapshotSchema = z
  .object({
    halt: z.object({ triggers: z.array(triggerSchema).min(1), detail: z.string(), manualOnly: z.boolean(), sinceMs: ms }).strict().nullable(),
    calmSinceMs: ms.nullable(),
    lastObservationMs: ms.nullable(),
    latencyBlocked: z.boolean(),
    cooldownUntilMs: ms.nullable(),
  })
  .strict()

const MANUAL_TRIGGERS: ReadonlySet<EmergencyTrigger> = new Set<EmergencyTrigger>([
  'balance-non-positive',
  'balance-below-floor',
  'liquidation-warning',
  'liquidation-event',
])

/**
 * Create an {@link EmergencyMonitor}. Emits `emergency-triggered`, `cancel-pending-entries`,
 * `emergency-recovered` and `cooldown-started`.
 *
 * Calm recovery: an observation is calm when both price changes are known and strictly above the calm
 * thresholds (1m > −5 %, 5m > −10 %) and no HALT trigger fires. The HALT lifts on the first observation made
 * at least `calmMs` (5 min) after the first calm observation of an unbroken calm streak; a non-calm observation
 * or a gap longer than `maxObservationGapMs` restarts the streak. Manual-only HALTs never lift automatically.
 *
 * @param args.config - resolved config; uses `config.emergency`
 * @param args.clock - time source
 * @returns a monitor with no HALT
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createEmergencyMonitor, parseRiskConfig } from '@perpkit/risk'
 * const em = createEmergencyMonitor({ config: parseRiskConfig(), clock: createTestClock() })
 * em.observe({ priceChange1mPct: -10, priceChange5mPct: -12, latencyMs: 120, equityUsd: 250 }).halted // true
 * ```
 */
export function createEmergencyMonitor(args: { readonly config: RiskConfig; readonly clock: Clock }): EmergencyMonitor {
  const { clock } = args
  const cfg = args.config.emergency
  const hub = createEventHub()
  let halt: EmergencyHalt | null = null
  let calmSinceMs: number | null = null
  let lastObservationMs: number | null = null
  let latencyBlocked = false
  let cooldownUntilMs: number | null = null

  const enterHalt = (triggers: readonly EmergencyTrigger[], detail: string): void => {
    const now = clock.now()
    const manualOnly = triggers.some((t) => MANUAL_TRIGGERS.has(t))
    calmSinceMs = null
    if (halt === null) {
      halt = { triggers: [...triggers], detail, manualOnly, sinceMs: now }
      for (const t of triggers) hub.emit({ type: 'emergency-triggered', timestampMs: now, trigger: t, detail })
      return
    }
    const fresh = triggers.filter((t) => !halt?.triggers.includes(t))
    if (fresh.length === 0 && (halt.manualOnly || !manualOnly)) return
    halt = { triggers: [...halt.triggers, ...fresh], detail, manualOnly: halt.manualOnly || manualOnly, sinceMs: halt.sinceMs }
    for (const t of fresh) hub.emit({ type: 'emergency-triggered', timestampMs: now, trigger: t, detail })
  }

  const activeCooldown = (): number | null => (cooldownUntilMs !== null && clock.now() < cooldownUntilMs ? cooldownUntilMs : null)

  const blockers = (): ('emergency-halt' | 'latency' | 'cooldown')[] => {
    const out: ('emergency-halt' | 'latency' | 'cooldown')[] = []
    if (halt !== null) out.push('emergency-halt')
    if (latencyBlocked) out.push('latency')
    if (activeCooldown() !== null) out.push('cooldown')
    return out
  }

  return {
    observe(obs) {
      const { priceChange1mPct: d1, priceChange5mPct: d5, latencyMs, equityUsd } = obs
      if (d1 !== null) assertFinite(d1, 'priceChange1mPct')
      if (d5 !== null) assertFinite(d5, 'priceChange5mPct')
      if (latencyMs !== null) assertFinite(latencyMs, 'latencyMs')
      if (equityUsd !== null) assertFinite(equityUsd, 'equityUsd')
      const now = clock.now()
      const triggers: EmergencyTrigger[] = []
      const notes: string[] = []
      if (equityUsd === null) {
        triggers.push('balance-unreadable')
        notes.push('balance unreadable')
      } else if (equityUsd <= 0) {
        triggers.push('balance-non-positive')
        notes.push(`equity ${equityUsd} USD <= 0`)
      } else if (equityUsd < cfg.minEquityUsd) {
        triggers.push('balance-below-floor')
        notes.push(`equity ${equityUsd} USD < ${cfg.minEquityUsd}`)
      }
      if (d1 !== null && d1 <= cfg.haltDrop1mPct) {
        triggers.push('price-drop-1m')
        notes.push(`1m change ${d1} % <= ${cfg.haltDrop1mPct} %`)
      }
      if (d5 !== null && d5 <= cfg.haltDrop5mPct) {
        triggers.push('price-drop-5m')
        notes.push(`5m change ${d5} % <= ${cfg.haltDrop5mPct} %`)
      }
      const slow = latencyMs === null || latencyMs >= cfg.maxLatencyMs
      let cancelPendingEntries = false
      if (slow) {
        triggers.push('latency')
        if (!latencyBlocked) {
          latencyBlocked = true
          cancelPendingEntries = true
          const detail = latencyMs === null ? 'latency unknown' : `latency ${latencyMs} ms >= ${cfg.maxLatencyMs}`
          hub.emit({ type: 'emergency-triggered', timestampMs: now, trigger: 'latency', detail })
          hub.emit({ type: 'cancel-pending-entries', timestampMs: now, latencyMs: latencyMs ?? Number.MAX_SAFE_INTEGER })
        }
      } else {
        latencyBlocked = false
      }

      const haltTriggers = triggers.filter((t) => t !== 'latency')
      let recovered = false
      const gapBroken = lastObservationMs !== null && now - lastObservationMs > cfg.maxObservationGapMs
      lastObservationMs = now
      if (haltTriggers.length > 0) {
        enterHalt(haltTriggers, notes.join('; '))
      } else if (halt !== null && !halt.manualOnly) {
        const calm = d1 !== null && d5 !== null && d1 > cfg.calmDrop1mPct && d5 > cfg.calmDrop5mPct
        if (!calm) calmSinceMs = null
        else {
          if (calmSinceMs === null || gapBroken) calmSinceMs = now
          if (now - calmSinceMs >= cfg.calmMs) {
            const since = calmSinceMs
            halt = null
            calmSinceMs = null
            recovered = true
            cooldownUntilMs = now + cfg.cooldownAfterRecoveryMs
            hub.emit({ type: 'emergency-recovered', timestampMs: now, calmSinceMs: since })
            hub.emit({ type: 'cooldown-started', timestampMs: now, reason: 'emergency-recovery', untilMs: cooldownUntilMs })
          }
        }
      }
      const current = halt as EmergencyHalt | null
      return {
        halted: current !== null,
        manualOnly: current?.manualOnly ?? false,
        blockEntries: blockers().length > 0,
        cancelPendingEntries,
        triggers,
        recovered,
        cooldownUntilMs: activeCooldown(),
        calmSinceMs: current !== null && !current.manualOnly ? calmSinceMs : null,
      }
    },
    recordLiquidation({ kind, detail }) {
      enterHalt([kind === 'warning' ? 'liquidation-warning' : 'liquidation-event'], detail ?? `liquidation ${kind}`)
    },
    liftManually() {
      if (halt === null) return fail('not-halted', {})
      const was = halt
      halt = null
      calmSinceMs = null
      return ok(was)
    },
    current: () => halt,
    entryBlockers: blockers,
    cooldownUntilMs: activeCooldown,
    subscribe: (l) => hub.subscribe(l),
    snapshot: () => ({
      halt: halt === null ? null : { ...halt, triggers: [...halt.triggers] },
      calmSinceMs,
      lastObservationMs,
      latencyBlocked,
      cooldownUntilMs,
    }),
    restore(snapshot) {
      const p = parseOrThrow(snapshotSchema, snapshot, 'emergency monitor snapshot')
      halt = p.halt
      calmSinceMs = p.calmSinceMs
      lastObservationMs = p.lastObservationMs
      latencyBlocked = p.latencyBlocked
      cooldownUntilMs = p.cooldownUntilMs
    },
  }
}
