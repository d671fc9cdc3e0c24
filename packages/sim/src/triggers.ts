/**
 * Conditional-order trigger rules (pure): which way a stop / take-profit / trailing stop fires, its current
 * trigger level (trailing: from the tracked extreme), whether a price satisfies it, and where along a
 * price leg it is hit.
 * @module
 */
import { type OrderType, roundPrice, type Side, type Trailing } from '@perpkit/core'
import type { Direction, SimOrder } from './sim-state.js'

/** Stop buy / take-profit sell / trailing buy fire on a rise; the mirror images on a fall. */
export function triggerDirection(o: { readonly type: OrderType; readonly side: Side }): Direction {
  const stopLike = o.type === 'stop-market' || o.type === 'stop-limit' || o.type === 'trailing-stop'
  return stopLike === (o.side === 'buy') ? 'rising' : 'falling'
}

/** Current trigger level; a trailing stop has none until its activation price has been reached. */
export function triggerLevel(o: SimOrder, tickSize: number): number | undefined {
  if (o.type !== 'trailing-stop') return o.triggerPrice
  const t = o.trailing as Trailing
  const dir = o.dir
  // sell trailing: peak ≥ activation; buy trailing: trough ≤ activation
  if (t.activationPrice !== undefined && (dir === 'falling' ? o.extreme < t.activationPrice : o.extreme > t.activationPrice)) return undefined
  const raw = dir === 'falling' ? o.extreme * (1 - t.callbackRate) : o.extreme * (1 + t.callbackRate)
  return roundPrice({ price: raw, tickSize })
}

/** Whether price `px` satisfies a (non-trailing) trigger. */
export function triggerSatisfied(o: SimOrder, px: number): boolean {
  const lvl = o.type === 'trailing-stop' ? undefined : o.triggerPrice
  if (lvl === undefined) return false
  return triggerDirection(o) === 'rising' ? px >= lvl : px <= lvl
}

/**
 * Where the trigger of untriggered `o` is hit on the leg `cur` → `to` (`up` = rising leg): `cur` when
 * already satisfied, its level when crossed, NaN when not hit.
 */
export function triggerHitLevel(o: SimOrder, tickSize: number, cur: number, to: number, up: boolean): number {
  const lvl = triggerLevel(o, tickSize)
  if (lvl === undefined) return Number.NaN
  const rising = o.dir === 'rising'
  // a trailing stop follows price in its favourable leg and can only fire on the way back
  if (o.type === 'trailing-stop' && rising !== up) return Number.NaN
  if (rising ? cur >= lvl : cur <= lvl) return cur
  if (rising === up && (rising ? to >= lvl : to <= lvl)) return lvl
  return Number.NaN
}

/** Move the extreme of an active trailing stop on the leg `from` → `to` (favourable direction only). */
export function trackExtreme(o: SimOrder, from: number, to: number): void {
  if (Number.isNaN(o.extreme)) o.extreme = from
  if (o.dir === 'falling') {
    if (to > from) o.extreme = Math.max(o.extreme, to)
  } else if (to < from) o.extreme = Math.min(o.extreme, to)
}
