import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FLOWS, type Flow } from './flows.js'
import { advance, reconcileSettled, type CrashPlan, createWorld, type World } from './harness.js'
import { checkAlways, checkSettled, createCoverageTracker } from './invariants.js'

async function runFlow(flow: Flow, crash?: CrashPlan, moveUp = false): Promise<{ world: World; violations: string[]; appends: number; crashed: boolean }> {
  const world = await createWorld({ profile: flow.profile, participation: 1, ...(flow.config === undefined ? {} : { config: flow.config }), ...(flow.options === undefined ? {} : { options: flow.options }), ...(crash === undefined ? {} : { crash }) })
  await flow.run(world)
  const appends = world.appends()
  const crashed = world.crashed()
  const violations: string[] = []
  if (crashed) {
    // the venue moves on while the process is dead (stops or take-profits may fire)
    const a = moveUp ? 0.996 : 1.004
    const b = moveUp ? 1.01 : 0.99
    world.setPrice(world.price * a - ((world.price * a) % world.instrument.tickSize))
    await advance(world.clock, 2000, 250)
    world.setPrice(world.price * b - ((world.price * b) % world.instrument.tickSize))
    await advance(world.clock, 3000, 250)
    world.venue.faults.clear()
    await world.restart()
  }
  // settle with coverage sampling, then reconcile and compare
  world.venue.faults.clear()
  const coverage = createCoverageTracker(world)
  for (let t = 0; t < 8000; t += 100) {
    await advance(world.clock, 100, 100)
    const c = coverage.sample()
    if (c !== undefined) violations.push(c)
  }
  await reconcileSettled(world)
  await advance(world.clock, 2000, 250)
  violations.push(...checkAlways(world, { haltedWindows: [] }), ...checkSettled(world))
  return { world, violations, appends, crashed }
}

let totalRuns = 0
describe.each(FLOWS.map((f) => [f.name, f] as const))('crash at every journal step: %s', (_name, flow) => {
  it('the uncrashed flow keeps every invariant', async () => {
    const r = await runFlow(flow)
    expect(r.violations).toEqual([])
    expect(r.appends).toBeGreaterThan(2)
  })
  it('kill before / after each journal write, venue moves on, restart, reconcile: invariants hold', async () => {
    const base = await runFlow(flow)
    const failures: string[] = []
    let runs = 0
    for (let k = 1; k <= base.appends; k++) {
      for (const [afterWrite, moveUp] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        if (process.env.OMS_CRASH_TRACE) writeFileSync(process.env.OMS_CRASH_TRACE, `${flow.name} k=${k} after=${afterWrite} up=${moveUp}\n`)
        const r = await runFlow(flow, { atAppend: k, afterWrite }, moveUp)
        runs++
        if (!r.crashed) failures.push(`append ${k}: the process did not crash`)
        if (r.violations.length > 0) failures.push(`append ${k} ${afterWrite ? 'after' : 'before'} write, venue ${moveUp ? 'up' : 'down'}: ${r.violations.slice(0, 3).join('; ')}`)
      }
    }
    totalRuns += runs
    expect(failures).toEqual([])
    expect(runs).toBe(4 * base.appends)
  })
})

describe('crash suite size', () => {
  it('ran at least 20 flows and ~1,000 crash runs', () => {
    console.log(`crash suite: ${FLOWS.length} flows, ${totalRuns} crash runs`)
    expect(FLOWS.length).toBeGreaterThanOrEqual(20)
    expect(totalRuns).toBeGreaterThanOrEqual(1000)
  })
})
