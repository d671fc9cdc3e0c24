import { roundToStep } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import type { TradingMode } from '../src/index.js'
import { advance, reconcileSettled, attempt, createWorld } from './harness.js'
import { checkAlways, checkSettled, createCoverageTracker, SECRETS } from './invariants.js'

// A 72-hour virtual soak with faults: entries, price walks, call faults, stream drops / duplicates / disconnects,
// HALT toggles and restarts, all from a seeded generator. Zero violations required.
const HOURS = Number(process.env.OMS_SOAK_HOURS ?? 72)

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

describe.each(['binance-usdm', 'bybit-inverse'] as const)('soak (%s)', (profile) => {
  it(`${HOURS} virtual hours with faults: zero violations`, async () => {
    const rnd = lcg(profile === 'binance-usdm' ? 72 : 73)
    let mode: TradingMode = 'normal'
    const halted: [number, number][] = []
    let haltedFrom: number | undefined
    const w = await createWorld({ profile, participation: 1, config: { makerOnly: true, makerTimeoutMs: 60_000 }, options: { tradingState: () => mode, onMakerTimeout: (c) => (c.consecutiveTimeouts >= 2 ? { action: 'taker' } : { action: 'abandon' }) } })
    const ins = w.instrument
    const lot = profile === 'binance-usdm' ? 0.001 : 25
    const px = (bps: number): number => roundToStep({ value: w.price * (1 + bps / 10_000), step: ins.tickSize })
    const coverage = createCoverageTracker(w)
    const violations: string[] = []
    const end = w.clock.now() + HOURS * 3_600_000
    let i = 0
    let entries = 0
    let restarts = 0
    const windows = (): [number, number][] => (haltedFrom === undefined ? halted : [...halted, [haltedFrom, Number.POSITIVE_INFINITY]])
    while (w.clock.now() < end && violations.length === 0) {
      i++
      const r = rnd()
      if (r < 0.3) {
        const dir = rnd() < 0.5 ? 'long' : 'short'
        const sign = dir === 'long' ? 1 : -1
        const limit = rnd() < 0.5
        entries++
        await attempt(() =>
          w.oms.submitEntry({
            signalId: `soak-${i}`,
            signalTimeMs: w.clock.now(),
            symbol: ins.symbol,
            direction: dir,
            qty: roundToStep({ value: (2 + Math.floor(rnd() * 18)) * lot, step: ins.lotStep }),
            type: limit ? 'limit' : 'market',
            ...(limit ? { price: px(-sign * 3) } : {}),
            stopPrice: px(-sign * (40 + Math.floor(rnd() * 150))),
            ...(rnd() < 0.6 ? { takeProfitPrice: px(sign * (40 + Math.floor(rnd() * 200))) } : {}),
          }),
        )
      } else if (r < 0.75) {
        const drift = (65_000 - w.price) / 65_000 * 2000 // mean reversion in bps
        w.setPrice(px(Math.round((rnd() - 0.5) * 160 + drift)), roundToStep({ value: (1 + Math.floor(rnd() * 20)) * lot, step: ins.lotStep }))
      } else if (r < 0.83) {
        const kinds = ['timeout-before', 'timeout-after-accept', 'http-5xx-after-accept', 'rate-limited', 'reject', 'network'] as const
        const methods = ['createOrder', 'createOrder', 'cancelOrder', 'amendOrder', 'fetchOrder', 'fetchOpenOrders', 'fetchFills', 'fetchPositions'] as const
        const kind = kinds[Math.floor(rnd() * kinds.length)]!
        w.venue.faults.fail(methods[Math.floor(rnd() * methods.length)]!, { kind, ...(kind === 'reject' ? { message: `nope apiKey=${SECRETS[0]}` } : {}) })
      } else if (r < 0.88) {
        const n = 1 + Math.floor(rnd() * 3)
        const k = rnd()
        if (k < 0.4) w.venue.faults.dropNext(n)
        else if (k < 0.7) w.venue.faults.duplicateNext(n)
        else w.venue.faults.reorderNext(n)
      } else if (r < 0.91) {
        w.venue.faults.disconnect({ fromMs: w.clock.now() + 1, toMs: w.clock.now() + 1000 + Math.floor(rnd() * 90_000) })
      } else if (r < 0.94) {
        const s = w.oms.status().symbols.find((x) => x.symbol === ins.symbol)
        if (s !== undefined && s.qty !== 0) await attempt(() => (rnd() < 0.5 ? w.oms.exit({ symbol: ins.symbol }) : w.oms.moveStop({ symbol: ins.symbol, stopPrice: px(s.qty > 0 ? -30 : 30) })))
      } else if (r < 0.97) {
        const next: TradingMode = rnd() < 0.6 ? 'normal' : rnd() < 0.5 ? 'halted' : 'reducing'
        if (next === 'halted' && haltedFrom === undefined) haltedFrom = w.venue.callLog().length
        if (next !== 'halted' && haltedFrom !== undefined) {
          halted.push([haltedFrom, w.venue.callLog().length])
          haltedFrom = undefined
        }
        mode = next
      } else if (r < 0.985) {
        // manual recovery of a halted symbol once it is flat
        const s = w.oms.status().symbols.find((x) => x.symbol === ins.symbol)
        if (s?.phase === 'HALT') {
          try {
            w.oms.resume({ symbol: ins.symbol })
          } catch {
            // still has a position or orders
          }
        }
      } else {
        await w.restart()
        restarts++
        coverage.reset()
      }
      for (let t = 0; t < 3000; t += 250) {
        await advance(w.clock, 250, 250)
        const c = coverage.sample()
        if (c !== undefined) violations.push(c)
      }
      if (violations.length > 0 && process.env.OMS_DEBUG) {
        console.log(JSON.stringify(w.events.slice(-60).map((e) => ({ ...e, timestampMs: e.timestampMs - w.clock.now() })), null, 0))
        console.log(JSON.stringify(w.venue.callLog().slice(-25).map((c) => [c.method, c.outcome, c.errorCode, c.fault, c.timestampMs - w.clock.now(), (c.args as { clientOrderId?: string })?.clientOrderId])))
        console.log(JSON.stringify(w.venue.state().openOrders), JSON.stringify(w.venue.state().positions))
      }
      await w.clock.advanceAsync(Math.floor(rnd() * 300_000))
      coverage.reset()
      if (i % 40 === 0) violations.push(...checkAlways(w, { haltedWindows: windows() }))
    }
    w.venue.faults.clear()
    mode = 'normal'
    if (haltedFrom !== undefined) halted.push([haltedFrom, w.venue.callLog().length])
    haltedFrom = undefined
    await advance(w.clock, 120_000, 1000)
    await reconcileSettled(w)
    await advance(w.clock, 3_000, 250)
    violations.push(...checkAlways(w, { haltedWindows: windows() }), ...checkSettled(w))
    const fills = w.events.filter((e) => e.type === 'fill-applied').length
    console.log(`soak ${profile}: ${HOURS} h virtual, ${i} steps, ${entries} entry attempts, ${fills} fills applied (last process), ${restarts} restarts, ${w.venue.callLog().length} venue calls`)
    expect(violations.slice(0, 5)).toEqual([])
    expect(i).toBeGreaterThan(500)
  })
})
