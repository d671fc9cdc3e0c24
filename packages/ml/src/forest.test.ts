import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { buildDataset } from './dataset.js'
import { loadRandomForest, trainRandomForest } from './forest.js'
import { embeddedBars } from './test-support/embedded-bars.js'

/** A separable problem: label 1 exactly when x0 + x1 > 1 (x2 is noise), on a fixed grid. */
function grid(offset: number): { rows: number[][]; labels: number[] } {
  const rows: number[][] = []
  const labels: number[] = []
  for (let i = 0; i < 15; i++) {
    for (let j = 0; j < 15; j++) {
      const a = (i + offset) / 15
      const b = (j + offset) / 15
      rows.push([a, b, ((i * 7 + j * 3) % 11) / 11])
      labels.push(a + b > 1 ? 1 : 0)
    }
  }
  return { rows, labels }
}

describe('trainRandomForest', () => {
  const train = grid(0)
  const test = grid(0.5) // points between the training points

  it('learns a separable rule: held-out accuracy above 90 %', () => {
    const model = trainRandomForest({ ...train, options: { seed: 3, trees: 25, maxDepth: 6 } })
    const correct = test.rows.filter((r, i) => (model.predictProbability(r) > 0.5 ? 1 : 0) === test.labels[i]).length
    expect(correct / test.rows.length).toBeGreaterThan(0.9)
  })

  it('gives the mean leaf share of class 1 (soft voting): near 1 and 0 deep in each class, graded near the boundary', () => {
    const model = trainRandomForest({ ...train, options: { seed: 5, trees: 10, maxDepth: 6 } })
    expect(model.predictProbability([1, 1, 0.5])).toBeGreaterThanOrEqual(0.75)
    expect(model.predictProbability([0, 0, 0.5])).toBeLessThanOrEqual(0.25)
    const values = test.rows.map((r) => model.predictProbability(r))
    expect(values.every((p) => p >= 0 && p <= 1)).toBe(true)
    // hard votes of 10 trees are multiples of 0.1 (ml-random-forest's own predictProbability: 0.600001 for 7 votes)
    expect(values.some((p) => Math.abs(p * 10 - Math.round(p * 10)) > 1e-6)).toBe(true)
  })

  it('on labels that carry no information, gives the base rate, not a unanimous 1', () => {
    // label 1 for 60 % of rows in a pattern unrelated to the features: shallow trees all have majority-1 leaves
    const rows = train.rows
    const labels = rows.map((_, i) => ((i * 37) % 10 < 6 ? 1 : 0))
    const model = trainRandomForest({ rows, labels, options: { seed: 2, trees: 20, maxDepth: 2 } })
    const mean = test.rows.reduce((a, r) => a + model.predictProbability(r), 0) / test.rows.length
    expect(mean).toBeGreaterThan(0.5)
    expect(mean).toBeLessThan(0.7)
  })

  it('splits on real market labels where the gain threshold of ml-cart (0.01 by default) would not', () => {
    const data = buildDataset({ bars: embeddedBars(1500), label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 } })
    const options = { seed: 1, trees: 6, maxDepth: 3 }
    const distinct = (minGain?: number): number => {
      const model = trainRandomForest({ rows: data.rows, labels: data.labels, options: minGain === undefined ? options : { ...options, minGain } })
      return new Set(data.rows.map((r) => model.predictProbability(r))).size
    }
    // ml-cart's own default gain threshold (0.01) stops most splits on these labels; the default here does not
    expect(distinct()).toBeGreaterThan(2 * distinct(0.01))
  })

  it('is deterministic per seed, and a saved forest predicts exactly as the original', () => {
    const a = trainRandomForest({ ...train, options: { seed: 11, trees: 10 } })
    const b = trainRandomForest({ ...train, options: { seed: 11, trees: 10 } })
    const loaded = loadRandomForest(JSON.parse(JSON.stringify(a.toJSON())))
    const pa = test.rows.map((r) => a.predictProbability(r))
    expect(test.rows.map((r) => b.predictProbability(r))).toEqual(pa)
    expect(test.rows.map((r) => loaded.predictProbability(r))).toEqual(pa)
  })

  it('refuses bad labels with a typed error', () => {
    expect(() => trainRandomForest({ rows: [[0], [1]], labels: [0, 2], options: { seed: 1 } })).toThrow(InvalidInputError)
    expect(() => trainRandomForest({ rows: [[0], [1]], labels: [1, 1], options: { seed: 1 } })).toThrow(InvalidInputError)
    expect(() => trainRandomForest({ rows: [[0]], labels: [0, 1], options: { seed: 1 } })).toThrow(InvalidInputError)
  })
})
