import { type ForestModel, trainRandomForest } from '../forest.js'
import type { NewModelMetadata } from '../registry/metadata.js'

/** A tiny forest on x0 + x1 > 1 (seeded), and the metadata a caller would describe it with. */
export function tinyModel(seed: number): { model: ForestModel; metadata: NewModelMetadata } {
  const rows: number[][] = []
  const labels: number[] = []
  for (let i = 0; i < 40; i++) {
    const x0 = ((i * 7) % 40) / 40
    const x1 = ((i * 13) % 40) / 40
    rows.push([x0, x1])
    labels.push(x0 + x1 > 1 ? 1 : 0)
  }
  return {
    model: trainRandomForest({ rows, labels, options: { seed, trees: 5, maxDepth: 3 } }),
    metadata: {
      learner: 'random-forest',
      features: { names: ['x0', 'x1'], options: { lags: 2 } },
      label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 },
      training: { symbol: 'BTC/USDT:USDT', timeframe: '5m', fromMs: 1_751_587_200_000, toMs: 1_751_599_200_000, rows: 40 },
      metrics: { accuracy: 0.9, logLoss: 0.3, precisionAtThreshold: null },
      createdAtMs: 1_764_900_000_000,
    },
  }
}
