/**
 * Per-bar inference cost of the MlSignal path on the embedded BTCUSDT 5m data: the streaming feature update and the
 * forest's soft-vote probability, next to ml-random-forest's own `predict` (hard votes, the library's path) on the
 * same rows as the peer. Run: `npm run bench -w @perpkit/ml`.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { Candle } from '@perpkit/core'
import { RandomForestClassifier } from 'ml-random-forest'
import { buildDataset, createFeaturePipeline, trainRandomForest } from '../src/index.js'

const url = new URL('../../../apps/reference-bot/data/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz', import.meta.url)
const bars: Candle[] = gunzipSync(readFileSync(url))
  .toString('utf8')
  .trim()
  .split('\n')
  .slice(1, 6001)
  .map((l) => {
    const [t, o, h, lo, c, v] = l.split(',').map(Number) as [number, number, number, number, number, number]
    return { openTimeMs: t, open: o, high: h, low: lo, close: c, volume: v }
  })

const label = { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 } as const
const data = buildDataset({ bars: bars.slice(0, 3000), label })
const forest = { seed: 1, trees: 12, maxDepth: 4 }
const t0 = performance.now()
const model = trainRandomForest({ rows: data.rows, labels: data.labels, options: forest })
const trainMs = performance.now() - t0
const peer = RandomForestClassifier.load(model.toJSON() as Parameters<typeof RandomForestClassifier.load>[0])
const test = buildDataset({ bars: bars.slice(3000), label }).rows.map((r) => Array.from(r))

function perCall(fn: (i: number) => number, n: number): number {
  let sink = 0
  for (let i = 0; i < Math.min(n, 500); i++) sink += fn(i) // warm-up
  const s = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink += fn(i)
  const ns = Number(process.hrtime.bigint() - s) / n
  if (Number.isNaN(sink)) throw new Error('NaN')
  return ns / 1000
}

const pipeline = createFeaturePipeline()
let k = 0
const featuresUs = perCall(() => {
  if (k === bars.length) {
    pipeline.reset()
    k = 0
  }
  pipeline.update(bars[k++] as Candle)
  return pipeline.isReady ? (pipeline.values[0] as number) : 0
}, 50_000)
const oursUs = perCall((i) => model.predictProbability(test[i % test.length] as number[]), 20_000)
const peerUs = perCall((i) => peer.predict([test[i % test.length] as number[]])[0] as number, 20_000)

console.log(`training: ${data.rows.length} rows, ${forest.trees} trees, depth ${forest.maxDepth}: ${(trainMs / 1000).toFixed(2)} s`)
console.log('per bar'.padEnd(46), 'µs'.padStart(8), 'peer µs'.padStart(9), 'ratio'.padStart(7))
console.log('feature pipeline update (10 features)'.padEnd(46), featuresUs.toFixed(2).padStart(8))
console.log(`forest probability (soft vote, ${forest.trees} trees)`.padEnd(46), oursUs.toFixed(2).padStart(8), peerUs.toFixed(2).padStart(9), (oursUs / peerUs).toFixed(2).padStart(7))
console.log('peer: ml-random-forest predict (hard vote) on the same rows')
