/**
 * Model-based testing: random sequences of signals, price moves, faults, stream drops, clock jumps, restarts and
 * HALT toggles against the simulated venue; invariants checked after every step and after settling.
 */
import { roundToStep } from '@perpkit/core'
import type { CallFaultSpec, SimMethod } from '@perpkit/sim'
import fc from 'fast-check'
import type { TradingMode } from '../src/index.js'
import { advance, attempt, reconcileSettled, createWorld, type Profile, type World } from './harness.js'
import { checkAlways, checkSettled, createCoverageTracker, SECRETS } from './invariants.js'

export type Action =
  | { readonly t: 'entry'; readonly dir: 'long' | 'short'; readonly lots: number; readonly kind: 'market' | 'limit'; readonly stopBps: number; readonly tpBps: number | null }
  | { readonly t: 'price'; readonly bps: number; readonly lots: number }
  | { readonly t: 'fault'; readonly method: SimMethod; readonly kind: CallFaultSpec['kind']; readonly times: number }
  | { readonly t: 'stream'; readonly kind: 'drop' | 'duplicate' | 'reorder'; readonly n: number }
  | { readonly t: 'disconnect'; readonly ms: number }
  | { readonly t: 'jump'; readonly ms: number }
  | { readonly t: 'restart' }
  | { readonly t: 'mode'; readonly mode: TradingMode }
  | { readonly t: 'exit' }
  | { readonly t: 'reduce'; readonly fraction: number }
  | { readonly t: 'move-stop'; readonly bps: number }
  | { readonly t: 'silence'; readonly ms: number }
  | { readonly t: 'adl'; readonly fraction: number }
  | { readonly t: 'wall-step'; readonly ms: number }

const FAULT_METHODS: readonly SimMethod[] = ['createOrder', 'cancelOrder', 'amendOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchFills', 'fetchPositions']
const FAULT_KINDS: readonly CallFaultSpec['kind'][] = ['timeout-before', 'timeout-after-accept', 'http-5xx-after-accept', 'rate-limited', 'reject', 'network', 'late-accept']

/** The fault kinds the simulated venue adds beyond the basic ones (each can be left out of a run). */
export type ExtraFault = 'late-accept' | 'silence' | 'adl' | 'wall-step'

const ACTIONS: readonly { readonly t: Action['t']; readonly arb: { weight: number; arbitrary: fc.Arbitrary<Action> } }[] = [
  { t: 'entry', arb: { weight: 4, arbitrary: fc.record({ t: fc.constant('entry' as const), dir: fc.constantFrom('long' as const, 'short' as const), lots: fc.integer({ min: 2, max: 20 }), kind: fc.constantFrom('market' as const, 'limit' as const), stopBps: fc.integer({ min: 30, max: 300 }), tpBps: fc.option(fc.integer({ min: 30, max: 400 }), { nil: null }) }) } },
  { t: 'price', arb: { weight: 6, arbitrary: fc.record({ t: fc.constant('price' as const), bps: fc.integer({ min: -250, max: 250 }), lots: fc.integer({ min: 1, max: 30 }) }) } },
  { t: 'fault', arb: { weight: 3, arbitrary: fc.record({ t: fc.constant('fault' as const), method: fc.oneof(fc.constant('createOrder' as SimMethod), fc.constantFrom(...FAULT_METHODS)), kind: fc.constantFrom(...FAULT_KINDS), times: fc.integer({ min: 1, max: 2 }) }) } },
  { t: 'stream', arb: { weight: 2, arbitrary: fc.record({ t: fc.constant('stream' as const), kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'reorder' as const), n: fc.integer({ min: 1, max: 4 }) }) } },
  { t: 'disconnect', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('disconnect' as const), ms: fc.integer({ min: 500, max: 20_000 }) }) } },
  { t: 'jump', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('jump' as const), ms: fc.integer({ min: 1_000, max: 120_000 }) }) } },
  { t: 'restart', arb: { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) } },
  { t: 'mode', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('mode' as const), mode: fc.constantFrom('normal' as const, 'halted' as const, 'reducing' as const) }) } },
  { t: 'exit', arb: { weight: 1, arbitrary: fc.constant({ t: 'exit' as const }) } },
  { t: 'reduce', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('reduce' as const), fraction: fc.constantFrom(0.1, 0.25, 0.33, 0.5, 0.75, 1) }) } },
  { t: 'move-stop', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('move-stop' as const), bps: fc.integer({ min: 20, max: 200 }) }) } },
  { t: 'silence', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('silence' as const), ms: fc.integer({ min: 1_000, max: 30_000 }) }) } },
  { t: 'adl', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('adl' as const), fraction: fc.constantFrom(0.25, 0.5, 1) }) } },
  { t: 'wall-step', arb: { weight: 1, arbitrary: fc.record({ t: fc.constant('wall-step' as const), ms: fc.integer({ min: -30_000, max: 30_000 }) }) } },
]

/**
 * Actions of a run; `without` leaves out extra fault kinds (`late-accept` is removed from call faults, the others
 * are actions of their own).
 */
export function actionArbOf(without: ReadonlySet<ExtraFault> = new Set()): fc.Arbitrary<Action> {
  const arbs = ACTIONS.filter((a) => !without.has(a.t as ExtraFault)).map((a) => a.arb)
  const arb = fc.oneof(...arbs)
  return without.has('late-accept') ? arb.filter((a) => !(a.t === 'fault' && a.kind === 'late-accept')) : arb
}

/** Every action, every fault kind. */
export const actionArb: fc.Arbitrary<Action> = actionArbOf()

/** Sequence length bounds of a long run: fast-check's size bias would otherwise keep runs at a few actions. */
export const LONG_RUN = { minLength: 20, maxLength: 60 } as const

/** A long run: a length drawn in 20–60, then that many actions (optionally without some extra fault kinds). */
export function longRunArbOf(without: ReadonlySet<ExtraFault> = new Set()): fc.Arbitrary<Action[]> {
  const arb = actionArbOf(without)
  return fc.integer({ min: LONG_RUN.minLength, max: LONG_RUN.maxLength }).chain((n) => fc.array(arb, { minLength: n, maxLength: n }))
}

/** A long run with every fault kind. */
export const longRunArb: fc.Arbitrary<Action[]> = longRunArbOf()

export interface ModelRun {
  readonly violations: string[]
  readonly steps: number
  readonly virtualMs: number
  readonly venueCalls: number
}

/** Run one action sequence; returns violations (empty = pass). */
export async function runModel(args: { readonly profile: Profile; readonly actions: readonly Action[]; readonly seed: number; readonly stepMs?: number; readonly observe?: (world: World, step: number, action: Action | undefined) => void }): Promise<ModelRun> {
  let mode: TradingMode = 'normal'
  const haltedWindows: [number, number][] = []
  let haltedFrom: number | undefined
  const world: World = await createWorld({
    profile: args.profile,
    seed: args.seed,
    participation: 1,
    options: { tradingState: () => mode, onMakerTimeout: () => ({ action: 'abandon' }) },
  })
  const t0 = world.clock.now()
  const ins = world.instrument
  const lot = ins.lotStep * (args.profile === 'binance-usdm' ? 1 : 25)
  // A fill the stream never delivered (silence, drops, a disconnect whose close event was lost) is invisible until
  // the staleness watchdog notices (5 s without events) and its reconcile lands: when the event that uncovered the
  // position did not reach listeners, protection may take that much longer.
  // A delivered `closed` (or `connecting`) connection event is the start of blindness, not a delivery: the fills
  // that follow until the stream is open again never reach listeners.
  const STALE_BOUND_MS = 5_000 + 2_000
  let lastDeliveredMs = world.clock.now()
  let streamClosed = false
  world.venue.subscribeUserStream((e) => {
    if (e.type === 'connection') streamClosed = e.state !== 'open'
    if (!streamClosed) lastDeliveredMs = world.clock.now()
  })
  const coverage = createCoverageTracker(world, {
    blindGraceMs: (t) => (streamClosed || lastDeliveredMs < t - (args.stepMs ?? 100) - 1 ? STALE_BOUND_MS : 0),
  })
  const violations: string[] = []
  let signal = 0
  const setMode = (m: TradingMode): void => {
    if (m === 'halted' && haltedFrom === undefined) haltedFrom = world.venue.callLog().length
    if (m !== 'halted' && haltedFrom !== undefined) {
      haltedWindows.push([haltedFrom, world.venue.callLog().length])
      haltedFrom = undefined
    }
    mode = m
  }
  const windows = (): [number, number][] => (haltedFrom === undefined ? haltedWindows : [...haltedWindows, [haltedFrom, Number.POSITIVE_INFINITY]])
  const px = (bps: number): number => roundToStep({ value: world.price * (1 + bps / 10_000), step: ins.tickSize })
  const tick = async (ms: number): Promise<void> => {
    const step = args.stepMs ?? 100
    for (let left = ms; left > 0; left -= step) {
      await advance(world.clock, Math.min(step, left), step)
      const c = coverage.sample()
      if (c !== undefined) violations.push(c)
    }
  }
  let stepIndex = 0
  for (const a of args.actions) {
    args.observe?.(world, stepIndex++, a)
    try {
      switch (a.t) {
        case 'entry': {
          const sign = a.dir === 'long' ? 1 : -1
          await attempt(() => world.oms.submitEntry({
            signalId: `m${args.seed}-${signal++}`,
            signalTimeMs: world.clock.now(),
            symbol: ins.symbol,
            direction: a.dir,
            qty: roundToStep({ value: a.lots * lot, step: ins.lotStep }),
            type: a.kind,
            ...(a.kind === 'limit' ? { price: px(-sign * 5) } : {}),
            stopPrice: px(-sign * a.stopBps),
            ...(a.tpBps === null ? {} : { takeProfitPrice: px(sign * a.tpBps) }),
          }))
          break
        }
        case 'price':
          world.setPrice(px(a.bps), roundToStep({ value: a.lots * lot, step: ins.lotStep }))
          break
        case 'fault':
          world.venue.faults.fail(a.method, {
            kind: a.kind,
            times: a.times,
            ...(a.kind === 'reject' ? { code: 'venue-rejected' as const, message: `rejected apiKey=${SECRETS[0]} signature=${SECRETS[1]}` } : {}),
            ...(a.kind === 'rate-limited' ? { retryAfterMs: 1000 } : {}),
          })
          break
        case 'stream':
          if (a.kind === 'drop') world.venue.faults.dropNext(a.n)
          else if (a.kind === 'duplicate') world.venue.faults.duplicateNext(a.n)
          else world.venue.faults.reorderNext(a.n)
          break
        case 'disconnect':
          world.venue.faults.disconnect({ fromMs: world.clock.now() + 1, toMs: world.clock.now() + a.ms })
          break
        case 'jump':
          await tick(a.ms > 10_000 ? 0 : 0)
          await advance(world.clock, a.ms, 1000)
          coverage.reset()
          break
        case 'restart':
          await world.restart()
          coverage.reset()
          break
        case 'mode':
          setMode(a.mode)
          break
        case 'exit': {
          const s = world.oms.status().symbols.find((x) => x.symbol === ins.symbol)
          if (s !== undefined && s.qty !== 0) await attempt(() => world.oms.exit({ symbol: ins.symbol }))
          break
        }
        case 'reduce': {
          const s = world.oms.status().symbols.find((x) => x.symbol === ins.symbol)
          if (s !== undefined && s.qty !== 0) await attempt(() => world.oms.reduce({ symbol: ins.symbol, fraction: a.fraction }))
          break
        }
        case 'silence':
          world.venue.faults.silence({ untilMs: world.clock.now() + a.ms })
          break
        case 'adl': {
          const p = world.venue.state().positions.find((x) => x.symbol === ins.symbol)
          if (p !== undefined) world.venue.autoDeleverage({ symbol: ins.symbol, qty: a.fraction === 1 ? p.qty : Math.min(p.qty, Math.max(ins.lotStep, roundToStep({ value: p.qty * a.fraction, step: ins.lotStep }))) })
          break
        }
        case 'wall-step':
          world.stepOmsWall(a.ms)
          break
        case 'move-stop': {
          const s = world.oms.status().symbols.find((x) => x.symbol === ins.symbol)
          if (s !== undefined && s.qty !== 0) {
            await attempt(() => world.oms.moveStop({ symbol: ins.symbol, stopPrice: px(s.qty > 0 ? -a.bps : a.bps) }))
          }
          break
        }
      }
    } catch (e) {
      violations.push(`action ${a.t} threw ${String(e)}`)
    }
    await tick(500)
    violations.push(...checkAlways(world, { haltedWindows: windows() }))
    if (violations.length > 0) break
  }
  // settle: no more faults, normal mode, stream healthy; let everything resolve; reconcile; compare
  args.observe?.(world, stepIndex, undefined)
  world.venue.faults.clear()
  setMode('normal')
  await tick(3_000)
  await advance(world.clock, 65_000, 1000)
  await reconcileSettled(world)
  await advance(world.clock, 10_000, 250)
  await reconcileSettled(world)
  await advance(world.clock, 3_000, 250)
  violations.push(...checkAlways(world, { haltedWindows: windows() }))
  violations.push(...checkSettled(world))
  return { violations, steps: args.actions.length, virtualMs: world.clock.now() - t0, venueCalls: world.venue.callLog().length }
}
