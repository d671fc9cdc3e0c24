import type { Candle } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { forwardReturnLabels, tripleBarrierLabels } from '../labels.js'
import { embeddedBars } from '../test-support/embedded-bars.js'
import { createOutcomeTracker } from './outcomes.js'

const bar = (i: number, high: number, low: number, close: number): Candle => ({ openTimeMs: i * 300_000, open: close, high, low, close, volume: 1 })

describe('createOutcomeTracker', () => {
  it('forward return: the label arrives exactly horizon bars later (worked by hand)', () => {
    const t = createOutcomeTracker({ label: { kind: 'forward-return', horizonBars: 2, thresholdPct: 0.5 } })
    expect(t.update({ bar: bar(0, 100, 100, 100), atMs: 300_000, prediction: { version: 'v000001', probability: 0.7 } })).toEqual([])
    expect(t.update({ bar: bar(1, 101, 100, 101), atMs: 600_000, prediction: { version: 'v000001', probability: 0.4 } })).toEqual([])
    // bar 2 closes 100.6: +0.6 % from 100 > 0.5 % → 1
    expect(t.update({ bar: bar(2, 101, 100, 100.6), atMs: 900_000 })).toEqual([{ version: 'v000001', probability: 0.7, label: 1, predictedAtMs: 300_000, resolvedAtMs: 900_000 }])
    // bar 3 closes 101.4: +0.396 % from 101 → 0
    expect(t.update({ bar: bar(3, 102, 101, 101.4), atMs: 1_200_000 })).toMatchObject([{ probability: 0.4, label: 0 }])
    expect(t.pending).toBe(0)
  })

  it('triple barrier: stop first when both barriers are in one bar, upper first, vertical barrier (worked by hand)', () => {
    const t = createOutcomeTracker({ label: { kind: 'triple-barrier', horizonBars: 3, upPct: 1, downPct: 1 } })
    t.update({ bar: bar(0, 100, 100, 100), atMs: 300_000, prediction: { version: 'v1', probability: 0.5 } })
    expect(t.update({ bar: bar(1, 101.5, 98.5, 100), atMs: 600_000 })).toMatchObject([{ label: 0 }])
    t.update({ bar: bar(2, 100, 100, 100), atMs: 900_000, prediction: { version: 'v1', probability: 0.5 } })
    expect(t.update({ bar: bar(3, 101, 99.5, 100.5), atMs: 1_200_000 })).toMatchObject([{ label: 1 }])
    t.update({ bar: bar(4, 100, 100, 100), atMs: 1_500_000, prediction: { version: 'v1', probability: 0.5 } })
    expect(t.update({ bar: bar(5, 100.5, 99.5, 100.2), atMs: 1_800_000 })).toEqual([])
    expect(t.update({ bar: bar(6, 100.5, 99.5, 100.3), atMs: 2_100_000 })).toEqual([])
    expect(t.update({ bar: bar(7, 100.5, 99.5, 99.9), atMs: 2_400_000 })).toMatchObject([{ label: 0 }])
  })

  it('gives live predictions the same labels training used, bar for bar, on the embedded data (where training has one)', () => {
    const bars = embeddedBars(1500)
    const close = bars.map((b) => b.close)
    const specs = [
      { spec: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0.1 } as const, labels: forwardReturnLabels({ close, horizonBars: 12, thresholdPct: 0.1 }) },
      {
        spec: { kind: 'triple-barrier', horizonBars: 24, upPct: 0.4, downPct: 0.3 } as const,
        labels: tripleBarrierLabels({ high: bars.map((b) => b.high), low: bars.map((b) => b.low), close, horizonBars: 24, upPct: 0.4, downPct: 0.3 }),
      },
    ]
    for (const { spec, labels } of specs) {
      const t = createOutcomeTracker({ label: spec })
      const live = new Float64Array(bars.length).fill(Number.NaN)
      bars.forEach((b, i) => {
        for (const r of t.update({ bar: b, atMs: b.openTimeMs + 300_000, prediction: { version: 'v000001', probability: i } })) live[r.probability] = r.label
      })
      // where training knows the label, live has the same one; in the last horizon bars training has none, while a
      // live triple-barrier prediction is already resolved once a barrier is touched
      const known = bars.length - spec.horizonBars
      expect(Array.from(live.subarray(0, known))).toEqual(Array.from(labels.subarray(0, known)))
      expect(Array.from(labels.subarray(known)).every(Number.isNaN)).toBe(true)
    }
  })
})
