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

const FAULT_METHODS: readonly SimMethod[] = ['createOrder', 'cancelOrder', 'amendOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchFills', 'fetchPositions']
const FAULT_KINDS: readonly CallFaultSpec['kind'][] = ['timeout-before', 'timeout-after-accept', 'http-5xx-after-accept', 'rate-limited', 'reject', 'network']

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('entry' as const), dir: fc.constantFrom('long' as const, 'short' as const), lots: fc.integer({ min: 2, max: 20 }), kind: fc.constantFrom('market' as const, 'limit' as const), stopBps: fc.integer({ min: 30, max: 300 }), tpBps: fc.option(fc.integer({ min: 30, max: 400 }), { nil: null }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('price' as const), bps: fc.integer({ min: -250, max: 250 }), lots: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('fault' as const), method: fc.oneof(fc.constant('createOrder' as SimMethod), fc.constantFrom(...FAULT_METHODS)), kind: fc.constantFrom(...FAULT_KINDS), times: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('stream' as const), kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'reorder' as const), n: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('disconnect' as const), ms: fc.integer({ min: 500, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('jump' as const), ms: fc.integer({ min: 1_000, max: 120_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('mode' as const), mode: fc.constantFrom('normal' as const, 'halted' as const, 'reducing' as const) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'exit' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reduce' as const), fraction: fc.constantFrom(0.1, 0.25, 0.33, 0.5, 0.75, 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('move-stop' as const), bps: fc.integer({ min: 20, max: 200 }) }) },
)

export interface ModelRun {
  readonly violations: string[]
  readonly steps: number
  readonly virtualMs: number
  readonly venueCalls: number
}

/** Run one action sequence; returns violations (empty = pass). */
export async function runModel(args: { readonly profile: Profile; readonly actions: readonly Action[]; readonly seed: number; readonly stepMs?: number }): Promise<ModelRun> {
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
  const coverage = createCoverageTracker(world)
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
  for (const a of args.actions) {
    try {
      switch (a.t) {
        case 'entry': {
          const sign = a.dir === 'long' ? 1 : -1
          await attempt(() => world.oms.submitEntry({
            signalId: `m${args.seed}-${signal++}`,
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
