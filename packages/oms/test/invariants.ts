/**
 * Invariants of issue #7, checked from the venue's own records (sim call log, event log, state) and the journal
 * store, plus the OMS's emitted events for transition legality.
 */
import {
  type OmsEvent,
  type OmsJournalEntry,
  type OmsState,
  nextOrderState,
  nextPositionPhase,
  parseClientOrderId,
  requestWeight,
  createRequestBudget,
  budgetConfigOf,
} from '../src/index.js'
import type { World } from './harness.js'
import { T0, venueOrdersByClientId, venuePositionQty } from './harness.js'

export const SECRETS = ['SECRETKEY123', 'SIG999ABC']

/** Client ids the journal store holds (snapshot + records). */
export function journaledClientIds(world: World): Set<string> {
  const ids = new Set<string>()
  const store = world.store
  // the store holds the file journal's encoding: `crc32hex TAB json` (records end with a newline)
  const json = (line: string): unknown => JSON.parse(line.slice(9))
  if (store.snapshot !== null) for (const id of Object.keys((json(store.snapshot) as { state: OmsState }).state.orders)) ids.add(id)
  for (const r of store.records) for (const o of (json(r) as { p: OmsJournalEntry }).p.orders ?? []) ids.add(o.clientOrderId)
  return ids
}

/** Tracks protection coverage over virtual time. */
export interface CoverageTracker {
  /** Sample the venue now; returns a violation text or undefined. */
  sample(): string | undefined
  reset(): void
}

/**
 * @param opts.blindGraceMs - extra time allowed when the position became uncovered while the manager could not
 *   know it (a silent stream: it needs its staleness bound to notice); given the time it became uncovered
 */
export function createCoverageTracker(
  world: World,
  opts: { readonly stopWithinMs?: number; readonly flattenWithinMs?: number; readonly blindGraceMs?: (uncoveredSinceMs: number) => number } = {},
): CoverageTracker {
  const stopWithinBase = opts.stopWithinMs ?? 2000
  const flattenWithinBase = opts.flattenWithinMs ?? 5000
  let stopWithin = stopWithinBase
  let flattenWithin = flattenWithinBase
  let uncoveredSince: number | undefined
  let flattenSeenIndex = 0
  const symbol = world.instrument.symbol
  return {
    reset() {
      uncoveredSince = undefined
    },
    sample() {
      const pos = venuePositionQty(world.venue, symbol)
      const now = world.clock.now()
      if (pos === 0) {
        uncoveredSince = undefined
        return undefined
      }
      const protectSide = pos > 0 ? 'sell' : 'buy'
      const covered = world.venue
        .state()
        .openOrders.filter((o) => o.symbol === symbol && o.reduceOnly && o.side === protectSide && o.type === 'stop-market')
        .reduce((a, o) => a + (o.qty - o.filledQty), 0)
      if (covered >= Math.abs(pos) - 1e-9) {
        uncoveredSince = undefined
        return undefined
      }
      if (uncoveredSince === undefined) {
        uncoveredSince = now
        flattenSeenIndex = world.venue.callLog().length
        const grace = opts.blindGraceMs?.(now) ?? 0
        stopWithin = stopWithinBase + grace
        flattenWithin = flattenWithinBase + grace
      }
      const age = now - uncoveredSince
      const flattenSent = world.venue
        .callLog()
        .slice(Math.max(0, flattenSeenIndex - 50))
        .some((c) => c.method === 'createOrder' && c.timestampMs >= uncoveredSince! - 1 && (c.args as { reduceOnly?: boolean; type: string }).reduceOnly === true && (c.args as { type: string }).type === 'market')
      if (age > flattenWithin) return `position ${pos} uncovered for ${age} ms (> ${flattenWithin})`
      if (age > stopWithin && !flattenSent) return `position ${pos} uncovered for ${age} ms without a stop or a flatten order (since t+${uncoveredSince - T0})`
      return undefined
    },
  }
}

/** Checks that hold after every step. Returns violation texts. */
/** `haltedWindows`: call-log index ranges [from, to) during which trading was HALTED. */
export function checkAlways(world: World, ctx: { readonly haltedWindows: readonly [number, number][] }): string[] {
  const v: string[] = []
  // 1. at most one venue order per client id
  for (const [id, venueIds] of venueOrdersByClientId(world.venue)) if (venueIds.size > 1) v.push(`client id ${id} has ${venueIds.size} venue orders`)
  // 2. every venue order we created maps to the journal, and back
  const journaled = journaledClientIds(world)
  for (const id of venueOrdersByClientId(world.venue).keys()) if (parseClientOrderId(id) !== null && !journaled.has(id)) v.push(`venue order ${id} not in journal`)
  const snap = world.oms.snapshot()
  const venueIds = venueOrdersByClientId(world.venue)
  for (const o of Object.values(snap.orders)) {
    if (o.venueOrderId !== undefined && !venueIds.get(o.clientOrderId)?.has(o.venueOrderId)) v.push(`local order ${o.clientOrderId} claims venue id ${o.venueOrderId} the venue never had`)
  }
  // 5. while HALTED no exposure-raising order was sent (windows are call-log index ranges [from, to))
  const log = world.venue.callLog()
  for (const [from, to] of ctx.haltedWindows) {
    for (let i = from; i < Math.min(to, log.length); i++) {
      const c = log[i]!
      if (c.method === 'createOrder' && (c.args as { reduceOnly?: boolean }).reduceOnly !== true) v.push(`exposure-raising create #${c.seq} at ${c.timestampMs} while halted`)
    }
  }
  // 7. only legal transitions; 6. each trade id applied once per process
  v.push(...checkEvents(world.events))
  // 8. budget respected per process
  v.push(...checkBudget(world))
  // 9. no secret in any event
  const text = JSON.stringify(world.events)
  for (const s of SECRETS) if (text.includes(s)) v.push(`secret ${s} leaked into an event`)
  return v
}

export function checkEvents(events: readonly OmsEvent[]): string[] {
  const v: string[] = []
  const applied = new Set<string>()
  for (const e of events) {
    if (e.type === 'order-state' && nextOrderState(e.from, e.event) !== e.to) v.push(`illegal order transition ${e.from} --${e.event}--> ${e.to}`)
    if (e.type === 'position-phase' && nextPositionPhase(e.from, e.event) !== e.to) v.push(`illegal phase transition ${e.from} --${e.event}--> ${e.to}`)
    if (e.type === 'invalid-transition') v.push(`invalid transition event ${e.subject}`)
    if (e.type === 'recovered') applied.clear() // a new process: its own view
    if (e.type === 'fill-applied') {
      const key = `${e.fill.symbol}|${e.fill.tradeId}`
      if (applied.has(key)) v.push(`trade ${key} applied twice`)
      applied.add(key)
    }
  }
  return v
}

export function checkBudget(world: World): string[] {
  const v: string[] = []
  const limits = world.venue.requestLimits
  const cfg = budgetConfigOf(limits)
  const cap = createRequestBudget({ clock: world.clock, config: cfg }).cap
  const log = world.venue.callLog()
  const starts = [...world.processStarts, log.length]
  for (let p = 0; p + 1 < starts.length; p++) {
    const seg = log.slice(starts[p], starts[p + 1])
    let head = 0
    let sum = 0
    for (let i = 0; i < seg.length; i++) {
      const c = seg[i]!
      const args = c.args
      sum += requestWeight({ limits, method: c.method as never, allSymbols: c.method === 'fetchOpenOrders' && args === undefined })
      while (seg[head]!.timestampMs <= c.timestampMs - cfg.windowMs) {
        const h = seg[head]!
        sum -= requestWeight({ limits, method: h.method as never, allSymbols: h.method === 'fetchOpenOrders' && h.args === undefined })
        head++
      }
      if (sum > cap) {
        v.push(`budget exceeded: ${sum} > ${cap} in the window ending ${c.timestampMs}`)
        break
      }
    }
  }
  return v
}

/** After settling and reconciling: local positions and open orders equal the venue's; stop qty = position qty. */
export function checkSettled(world: World): string[] {
  const v: string[] = []
  const symbol = world.instrument.symbol
  const snap = world.oms.snapshot()
  const venuePos = venuePositionQty(world.venue, symbol)
  const local = snap.symbols[symbol]?.qty ?? 0
  if (Math.abs(local - venuePos) > 1e-9) v.push(`local position ${local} != venue ${venuePos}`)
  const venueOpen = new Set(world.venue.state().openOrders.map((o) => o.clientOrderId))
  const localOpen = new Set(
    Object.values(snap.orders)
      .filter((o) => ['open', 'partially-filled', 'triggered', 'cancel-pending', 'submitting', 'unknown'].includes(o.state))
      .map((o) => o.clientOrderId),
  )
  for (const id of venueOpen) if (!localOpen.has(id)) v.push(`venue open order ${id} not open locally`)
  for (const id of localOpen) if (!venueOpen.has(id)) v.push(`local open order ${id} (${snap.orders[id]?.state}) not open on the venue`)
  const stops = world.venue.state().openOrders.filter((o) => o.type === 'stop-market' && o.reduceOnly)
  const stopQty = stops.reduce((a, o) => a + o.qty, 0)
  const leftovers = world.venue.state().openOrders.filter((o) => o.reduceOnly)
  // the stop covers the position plus the unfilled part of resting entries (pre-protection)
  const working = world.venue
    .state()
    .openOrders.filter((o) => !o.reduceOnly && o.clientOrderId.includes('_en'))
    .reduce((a, o) => a + (o.qty - o.filledQty), 0)
  if (venuePos === 0 && working === 0 && leftovers.length > 0) v.push(`protective orders left after close: ${leftovers.map((o) => o.clientOrderId).join(',')}`)
  if (venuePos === 0 && leftovers.some((o) => o.type !== 'stop-market')) v.push('take-profit left without a position')
  const expected = Math.abs(venuePos) + working
  if (expected > 0 && Math.abs(stopQty - expected) > 1e-9) v.push(`stop qty ${stopQty} != position ${venuePos} + working entry ${working}`)
  return v
}
