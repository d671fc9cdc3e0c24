import { type Candle, InvalidInputError, type PositionSide } from '@perpkit/core'
import type { ExitManagerIntent, ExitReason } from '../strategy/intents.js'

/**
 * One take-profit tier: at `profitPct` (percent, e.g. 2 = +2 %) close `fraction` of the INITIAL quantity.
 * @example
 * ```ts
 * import type { TakeProfitTier } from '@perpkit/strategy'
 * const tiers: TakeProfitTier[] = [{ profitPct: 2, fraction: 0.33 }, { profitPct: 4, fraction: 0.33 }, { profitPct: 6, fraction: 0.34 }]
 * ```
 */
export interface TakeProfitTier {
  readonly profitPct: number
  readonly fraction: number
}

/**
 * Exit rules. Percentages are percent points of the entry price (2 = 2 %), measured in the position's favour
 * (a short profits when price falls). Every rule is optional.
 * @example
 * ```ts
 * import { DEFAULT_PROFIT_LOCK, type ExitManagerConfig } from '@perpkit/strategy'
 * const config: ExitManagerConfig = {
 *   stopLossPct: 1,
 *   trailing: { activationPct: 1, distancePct: 0.5 },
 *   breakEven: { triggerPct: 0.8 },
 *   timeExit: { maxHoldMs: 30 * 60_000, onlyIfProfitBelowPct: 0 },
 *   profitLock: DEFAULT_PROFIT_LOCK,
 * }
 * ```
 */
export interface ExitManagerConfig {
  /** Fixed stop at this loss from entry (e.g. 1 = −1 %). */
  readonly stopLossPct?: number
  /** Tiered take-profit; fractions of the initial quantity, summing to ≤ 1 (reaching 1 closes the position). */
  readonly takeProfit?: readonly TakeProfitTier[]
  /** Trailing stop: once the best price is `activationPct` in profit, trail `distancePct` behind the best price. */
  readonly trailing?: { readonly activationPct: number; readonly distancePct: number }
  /** Move the stop to entry ± `offsetPct` (default 0) once `triggerPct` in profit. */
  readonly breakEven?: { readonly triggerPct: number; readonly offsetPct?: number }
  /** Exit after `maxHoldMs`; with `onlyIfProfitBelowPct`, only while profit is below that (004: "if no profit"). */
  readonly timeExit?: { readonly maxHoldMs: number; readonly onlyIfProfitBelowPct?: number }
  /** Profit lock: trail `trailDistancePct` behind the best price after `trailAfterPct`, take all at `takeProfitPct`. */
  readonly profitLock?: { readonly trailAfterPct: number; readonly trailDistancePct: number; readonly takeProfitPct: number }
}

/**
 * Default profit lock: once the position is +0.5 % in profit, a trailing stop follows 0.3 % behind the best price
 * (`trailing_stop = max(trailing_stop, price × 0.997)` for a long), and everything is taken at +1 %.
 * @example
 * ```ts
 * import { createExitManager, DEFAULT_PROFIT_LOCK } from '@perpkit/strategy'
 * const exits = createExitManager({ stopLossPct: 1, profitLock: DEFAULT_PROFIT_LOCK })
 * ```
 */
export const DEFAULT_PROFIT_LOCK: NonNullable<ExitManagerConfig['profitLock']> = Object.freeze({ trailAfterPct: 0.5, trailDistancePct: 0.3, takeProfitPct: 1 })

/**
 * The position an exit manager watches.
 * @example
 * ```ts
 * import { createExitManager, type ExitPosition } from '@perpkit/strategy'
 * const position: ExitPosition = { side: 'short', entryPrice: 117000, openedAtMs: 1758240000000 }
 * createExitManager({ stopLossPct: 1 }).open(position)
 * ```
 */
export interface ExitPosition {
  readonly side: PositionSide
  readonly entryPrice: number
  readonly openedAtMs: number
}

/**
 * Restart state of an {@link ExitManager} (plain JSON).
 * @example
 * ```ts
 * import { createExitManager, type ExitManagerSnapshot } from '@perpkit/strategy'
 * const exits = createExitManager({ stopLossPct: 1 })
 * const saved: ExitManagerSnapshot = exits.snapshot()
 * exits.restore(saved)
 * ```
 */
export interface ExitManagerSnapshot {
  readonly position: ExitPosition | null
  readonly stopPrice: number | null
  readonly stopReason: ExitReason
  readonly bestPrice: number
  readonly tiersHit: number
  readonly remainingFraction: number
  readonly breakEvenDone: boolean
}

/**
 * Watches one position and emits exit intents (`exit`, `partial-exit`, `move-stop`) — never orders.
 * @example
 * ```ts
 * import { createExitManager, type ExitManager } from '@perpkit/strategy'
 * const exits: ExitManager = createExitManager({ trailing: { activationPct: 0.5, distancePct: 0.3 } })
 * exits.open({ side: 'long', entryPrice: 100, openedAtMs: 0 })
 * exits.onPrice(100.6, 1000) // [{ type: 'move-stop', stopPrice: 100.2982, reason: 'trailing-stop', ... }]
 * ```
 */
export interface ExitManager {
  readonly config: ExitManagerConfig
  /** True while a position is being watched. */
  readonly isOpen: boolean
  /** Current protective stop, or `null`. */
  readonly stopPrice: number | null
  /** Fraction of the initial quantity still open (after emitted partial exits). */
  readonly remainingFraction: number
  /** Starts watching a position; returns the initial `move-stop` when a fixed stop is configured. */
  open(position: ExitPosition): readonly ExitManagerIntent[]
  /** Evaluates one price at `timestampMs`. After an `exit` the manager closes itself. */
  onPrice(price: number, timestampMs: number): readonly ExitManagerIntent[]
  /**
   * Evaluates a bar along the pessimistic path (long: open → low → high → close; short: open → high → low → close),
   * every point at `closeTimeMs`, stopping at the first `exit`.
   */
  onCandle(candle: Candle, closeTimeMs: number): readonly ExitManagerIntent[]
  /** Stops watching (the position was closed elsewhere). */
  close(): void
  snapshot(): ExitManagerSnapshot
  restore(snapshot: ExitManagerSnapshot): void
}

const EMPTY: readonly ExitManagerIntent[] = Object.freeze([])
/** Profit thresholds are met within this many percent points (absorbs float noise such as 42165.75 * 1.06). */
const EPS_PCT = 1e-9

function pct(value: number | undefined, path: string, allowZero = false): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value >= 100) {
    throw new InvalidInputError(`expected a percentage in ${allowZero ? '[0' : '(0'}, 100), got ${String(value)}`, { path })
  }
}

function validate(c: ExitManagerConfig): void {
  pct(c.stopLossPct, 'stopLossPct')
  if (c.takeProfit !== undefined) {
    let sum = 0
    let prev = 0
    c.takeProfit.forEach((t, i) => {
      pct(t.profitPct, `takeProfit[${i}].profitPct`)
      if (t.profitPct <= prev) throw new InvalidInputError('tiers must have increasing profitPct', { path: `takeProfit[${i}].profitPct` })
      prev = t.profitPct
      if (typeof t.fraction !== 'number' || !(t.fraction > 0 && t.fraction <= 1)) throw new InvalidInputError(`expected a fraction in (0, 1], got ${String(t.fraction)}`, { path: `takeProfit[${i}].fraction` })
      sum += t.fraction
    })
    if (sum > 1 + 1e-9) throw new InvalidInputError(`tier fractions sum to ${sum} > 1`, { path: 'takeProfit' })
  }
  if (c.trailing !== undefined) {
    pct(c.trailing.activationPct, 'trailing.activationPct', true)
    pct(c.trailing.distancePct, 'trailing.distancePct')
  }
  if (c.breakEven !== undefined) {
    pct(c.breakEven.triggerPct, 'breakEven.triggerPct')
    pct(c.breakEven.offsetPct, 'breakEven.offsetPct', true)
  }
  if (c.timeExit !== undefined) {
    const ms = c.timeExit.maxHoldMs
    if (!(Number.isFinite(ms) && ms > 0)) throw new InvalidInputError(`expected a duration > 0, got ${String(ms)}`, { path: 'timeExit.maxHoldMs' })
    const p = c.timeExit.onlyIfProfitBelowPct
    if (p !== undefined && !Number.isFinite(p)) throw new InvalidInputError('expected a finite number', { path: 'timeExit.onlyIfProfitBelowPct' })
  }
  if (c.profitLock !== undefined) {
    pct(c.profitLock.trailAfterPct, 'profitLock.trailAfterPct', true)
    pct(c.profitLock.trailDistancePct, 'profitLock.trailDistancePct')
    pct(c.profitLock.takeProfitPct, 'profitLock.takeProfitPct')
  }
}

/**
 * Creates an exit manager (stop-loss, take-profit, trailing, break-even, time exit and profit lock) for long and short positions.
 *
 * Per price, in order: (1) the stop is checked (exit with the reason that last moved it: `stop-loss`,
 * `break-even`, `trailing-stop`, `profit-lock`); (2) the best price is updated; (3) time exit; (4) take-profit tiers
 * (several tiers crossed at once are merged; `partial-exit.fraction` is of the CURRENT quantity; the tier that
 * completes 100 % is an `exit`); (5) profit-lock take profit; (6) stop moves: profit-lock trail, break-even,
 * trailing — the most protective candidate wins and is emitted once as `move-stop` (the stop never loosens).
 *
 * @param config - the rules; see {@link ExitManagerConfig}.
 * @returns the manager (idle until `open`).
 * @throws InvalidInputError naming the bad field (e.g. `takeProfit[1].fraction`); `open`/`onPrice` throw for
 *   non-positive or non-finite prices.
 * @example
 * ```ts
 * import { createExitManager } from '@perpkit/strategy'
 * const exits = createExitManager({
 *   stopLossPct: 1,
 *   takeProfit: [{ profitPct: 2, fraction: 0.33 }, { profitPct: 4, fraction: 0.33 }, { profitPct: 6, fraction: 0.34 }],
 * })
 * exits.open({ side: 'long', entryPrice: 42165.75, openedAtMs: 0 }) // [{ type: 'move-stop', stopPrice: 41744.0925, ... }]
 * exits.onPrice(43009.07, 60_000) // [{ type: 'partial-exit', fraction: 0.33, reason: 'take-profit', ... }]
 * ```
 */
export function createExitManager(config: ExitManagerConfig): ExitManager {
  validate(config)
  const tiers = config.takeProfit ?? []
  let position: ExitPosition | null = null
  let stopPrice: number | null = null
  let stopReason: ExitReason = 'stop-loss'
  let bestPrice = 0
  let tiersHit = 0
  let remaining = 1
  let breakEvenDone = false

  const checkPrice = (p: number, path: string): void => {
    if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) throw new InvalidInputError(`expected a finite price > 0, got ${String(p)}`, { path })
  }
  // Price at a favourable move of `movePct` from `ref` (negative = adverse).
  const at = (ref: number, movePct: number, long: boolean): number => (long ? ref * (1 + movePct / 100) : ref * (1 - movePct / 100))

  // Defined once (not per call): onPrice runs per tick on the hot path and must not allocate closures.
  const exitWith = (out: ExitManagerIntent[] | undefined, reason: ExitReason, detail: string): readonly ExitManagerIntent[] => {
    position = null
    const list = out ?? []
    list.push({ type: 'exit', reason, detail })
    return list
  }
  const tighter = (p: number, than: number, long: boolean): boolean => Number.isNaN(than) || (long ? p > than : p < than)

  const onPrice = (price: number, timestampMs: number): readonly ExitManagerIntent[] => {
    checkPrice(price, 'price')
    if (position === null) return EMPTY
    const long = position.side === 'long'
    const entry = position.entryPrice
    const profitPct = long ? ((price - entry) / entry) * 100 : ((entry - price) / entry) * 100
    let out: ExitManagerIntent[] | undefined
    // 1. stop
    if (stopPrice !== null && (long ? price <= stopPrice : price >= stopPrice)) return exitWith(out, stopReason, `price ${price} crossed stop ${stopPrice}`)
    // 2. best price
    if (long ? price > bestPrice : price < bestPrice) bestPrice = price
    const bestProfitPct = long ? ((bestPrice - entry) / entry) * 100 : ((entry - bestPrice) / entry) * 100
    // 3. time
    const te = config.timeExit
    if (te !== undefined && timestampMs - position.openedAtMs >= te.maxHoldMs && (te.onlyIfProfitBelowPct === undefined || profitPct < te.onlyIfProfitBelowPct)) {
      return exitWith(out, 'time', `held ${timestampMs - position.openedAtMs} ms >= ${te.maxHoldMs} ms at ${profitPct.toFixed(3)}%`)
    }
    // 4. tiers
    if (tiersHit < tiers.length) {
      let closeOfInitial = 0
      const first = tiersHit
      while (tiersHit < tiers.length && profitPct + EPS_PCT >= (tiers[tiersHit] as TakeProfitTier).profitPct) {
        closeOfInitial += (tiers[tiersHit] as TakeProfitTier).fraction
        tiersHit++
      }
      if (closeOfInitial > 0) {
        const detail = `tier ${first + 1}${tiersHit - first > 1 ? `-${tiersHit}` : ''} at +${(tiers[tiersHit - 1] as TakeProfitTier).profitPct}% (price ${price})`
        if (remaining - closeOfInitial <= 1e-9) return exitWith(out, 'take-profit', detail)
        out = [{ type: 'partial-exit', fraction: closeOfInitial / remaining, reason: 'take-profit', detail }]
        remaining -= closeOfInitial
      }
    }
    // 5. profit lock take profit
    const pl = config.profitLock
    if (pl !== undefined && profitPct + EPS_PCT >= pl.takeProfitPct) return exitWith(out, 'profit-lock', `profit ${profitPct.toFixed(3)}% >= ${pl.takeProfitPct}%`)
    // 6. stop moves: the most protective candidate wins
    let candidate = Number.NaN
    let candidateReason: ExitReason = stopReason
    if (pl !== undefined && bestProfitPct + EPS_PCT >= pl.trailAfterPct) {
      candidate = at(bestPrice, -pl.trailDistancePct, long)
      candidateReason = 'profit-lock'
    }
    const be = config.breakEven
    if (be !== undefined && !breakEvenDone && profitPct + EPS_PCT >= be.triggerPct) {
      breakEvenDone = true
      const p = at(entry, be.offsetPct ?? 0, long)
      if (tighter(p, candidate, long)) {
        candidate = p
        candidateReason = 'break-even'
      }
    }
    const tr = config.trailing
    if (tr !== undefined && bestProfitPct + EPS_PCT >= tr.activationPct) {
      const p = at(bestPrice, -tr.distancePct, long)
      if (tighter(p, candidate, long)) {
        candidate = p
        candidateReason = 'trailing-stop'
      }
    }
    if (!Number.isNaN(candidate) && (stopPrice === null || (long ? candidate > stopPrice : candidate < stopPrice))) {
      stopPrice = candidate
      stopReason = candidateReason
      const detail =
        candidateReason === 'break-even'
          ? `profit ${profitPct.toFixed(3)}% >= ${be?.triggerPct}%`
          : `trail ${candidateReason === 'profit-lock' ? pl?.trailDistancePct : tr?.distancePct}% behind best ${bestPrice}`
      ;(out ??= []).push({ type: 'move-stop', stopPrice: candidate, reason: candidateReason, detail })
    }
    return out ?? EMPTY
  }

  const manager: ExitManager = {
    config,
    get isOpen() {
      return position !== null
    },
    get stopPrice() {
      return stopPrice
    },
    get remainingFraction() {
      return remaining
    },
    open(p) {
      checkPrice(p.entryPrice, 'entryPrice')
      if (p.side !== 'long' && p.side !== 'short') throw new InvalidInputError(`unknown side ${String(p.side)}`, { path: 'side' })
      position = { side: p.side, entryPrice: p.entryPrice, openedAtMs: p.openedAtMs }
      bestPrice = p.entryPrice
      tiersHit = 0
      remaining = 1
      breakEvenDone = false
      stopPrice = null
      stopReason = 'stop-loss'
      if (config.stopLossPct === undefined) return EMPTY
      stopPrice = at(p.entryPrice, -config.stopLossPct, p.side === 'long')
      return [{ type: 'move-stop', stopPrice, reason: 'stop-loss', detail: `fixed stop ${config.stopLossPct}% from entry ${p.entryPrice}` }]
    },
    onPrice,
    onCandle(candle, closeTimeMs) {
      if (position === null) return EMPTY
      const long = position.side === 'long'
      let out: ExitManagerIntent[] | undefined
      for (let step = 0; step < 4 && position !== null; step++) {
        const p = step === 0 ? candle.open : step === 3 ? candle.close : (step === 1) === long ? candle.low : candle.high
        const r = onPrice(p, closeTimeMs)
        if (r.length > 0) {
          if (out === undefined) out = []
          for (const i of r) out.push(i)
        }
      }
      return out ?? EMPTY
    },
    close() {
      position = null
    },
    snapshot() {
      return { position, stopPrice, stopReason, bestPrice, tiersHit, remainingFraction: remaining, breakEvenDone }
    },
    restore(s) {
      position = s.position === null ? null : { ...s.position }
      stopPrice = s.stopPrice
      stopReason = s.stopReason
      bestPrice = s.bestPrice
      tiersHit = s.tiersHit
      remaining = s.remainingFraction
      breakEvenDone = s.breakEvenDone
    },
  }
  return manager
}
