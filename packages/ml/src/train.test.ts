import { describe, expect, it } from 'vitest'
import { evaluateWalkForward } from './evaluate.js'
import { embeddedBars } from './test-support/embedded-bars.js'
import { trainModel } from './train.js'

const bars = embeddedBars(1500)

describe('trainModel', () => {
  it('trains on every bar with features and a known label, and describes the window, features and label', () => {
    const { model, metadata } = trainModel({ bars, label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }, forest: { seed: 1, trees: 3, maxDepth: 3 }, createdAtMs: 5, symbol: 'BTC/USDT:USDT', timeframe: '5m' })
    // 20 warm-up bars (19 without features), 12 bars at the end without a known label
    expect(metadata.training).toEqual({ symbol: 'BTC/USDT:USDT', timeframe: '5m', fromMs: bars[0]?.openTimeMs, toMs: bars[1499]?.openTimeMs, rows: 1500 - 19 - 12 })
    expect(metadata.features.names).toEqual(['ret_lag0', 'ret_lag1', 'ret_lag2', 'ret_lag3', 'ret_lag4', 'rsi', 'natr', 'bb_pctb', 'vwap_dev', 'volume_ratio'])
    expect(metadata.label).toEqual({ kind: 'forward-return', horizonBars: 12, thresholdPct: 0 })
    const p = model.predictProbability(new Float64Array(10))
    expect(p).toBeGreaterThanOrEqual(0)
    expect(p).toBeLessThanOrEqual(1)
  })
})

describe('trainModel control', () => {
  it('with shuffledLabelsSeed trains on the same rows with the labels permuted, and says so in the metadata', () => {
    const label = { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 } as const
    const forest = { seed: 1, trees: 3, maxDepth: 3 }
    const real = trainModel({ bars, label, forest, createdAtMs: 5 })
    const control = trainModel({ bars, label, forest, createdAtMs: 5, shuffledLabelsSeed: 4 })
    expect(control.metadata.training).toEqual({ ...real.metadata.training, shuffledLabelsSeed: 4 })
    const probe = [new Float64Array(10).fill(0.001), new Float64Array(10).fill(-0.002), new Float64Array(10).fill(0.01)]
    expect(probe.map((r) => control.model.predictProbability(r))).not.toEqual(probe.map((r) => real.model.predictProbability(r)))
  })
})

describe('evaluateWalkForward', () => {
  it('tests each fold on later bars than it trained on, pools the folds and scores the shuffled control on the same rows', { timeout: 120_000 }, () => {
    const progress: number[] = []
    const report = evaluateWalkForward({
      bars,
      label: { kind: 'triple-barrier', horizonBars: 12, upPct: 0.3, downPct: 0.3 },
      forest: { seed: 2, trees: 3, maxDepth: 3 },
      folds: 2,
      controlSeed: 9,
      onProgress: (done, total) => progress.push(done / total),
    })
    expect(progress).toEqual([0.25, 0.5, 0.75, 1])
    expect(report.folds).toHaveLength(2)
    const [a, b] = report.folds
    expect((a?.testToMs ?? 0) < (b?.testFromMs ?? 0)).toBe(true)
    expect((a?.trainRows ?? 0) < (b?.trainRows ?? 0)).toBe(true)
    expect(report.outOfSample.count).toBe((a?.testRows ?? 0) + (b?.testRows ?? 0))
    expect(report.control.count).toBe(report.outOfSample.count)
    expect(report.baseRate).toBeGreaterThan(0)
    expect(report.baseRate).toBeLessThan(1)
    expect(report.control.logLoss).not.toBe(report.outOfSample.logLoss)
  })
})
