/**
 * Micro-benchmarks of the hot functions against unchecked inline formulas (the "peer": what a hand-rolled bot
 * would write). The ratio shows the cost of validation and exactness. Run: `npm run bench`.
 */
import { BYBIT_BTCUSD } from '@perpkit/core/testing'
import { liquidationPrice, planEntry, pnl, sizeFromLossBudget } from '../src/index.js'

function bench(name: string, fn: (i: number) => number, iterations = 300_000): number {
  let sink = 0
  for (let i = 0; i < 10_000; i++) sink += fn(i) // warm-up
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) sink += fn(i)
  const ns = Number(process.hrtime.bigint() - t0) / iterations
  if (Number.isNaN(sink)) throw new Error(`${name} produced NaN`)
  return ns
}

const inverse = { kind: 'inverse', contractSize: 1 } as const
const linear = { kind: 'linear', contractSize: 1 } as const
const brackets = [
  { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 },
  { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50 },
  { notionalFloor: 250_000, notionalCap: 1_000_000, maintenanceMarginRate: 0.01, maintenanceAmount: 1_300 },
  { notionalFloor: 1_000_000, notionalCap: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300 },
]
const btcusd = BYBIT_BTCUSD

const rows: [string, number, number][] = []
rows.push([
  'inverse pnl',
  bench('pnl', (i) => pnl({ contract: inverse, side: 'long', qty: 10_000, entryPrice: 8_000 + (i % 7), exitPrice: 12_500 })),
  bench('naive pnl', (i) => 10_000 * (1 / (8_000 + (i % 7)) - 1 / 12_500)),
])
rows.push([
  'linear liquidation (4 brackets)',
  bench('liq', (i) => liquidationPrice({ contract: linear, side: 'long', qty: 5.2, entryPrice: 50_000 + (i % 7), margin: { mode: 'isolated', positionMargin: 60_000 }, maintenance: { brackets } })),
  bench('naive liq', (i) => (60_000 + 50 - 5.2 * (50_000 + (i % 7))) / (5.2 * 0.005 - 5.2)),
])
rows.push([
  'sizeFromLossBudget (inverse)',
  bench('size', (i) => {
    const r = sizeFromLossBudget({ instrument: btcusd, side: 'long', entryPrice: 50_000, stopPrice: 48_500 - (i % 7), lossBudget: 0.0002 })
    return r.ok ? r.value.qty : 0
  }),
  bench('naive size', (i) => Math.floor((0.0002 * 50_000) / (1_500 + (i % 7)) * 48_500 / 1)),
])
rows.push([
  'planEntry (full pipeline)',
  bench(
    'plan',
    (i) => {
      const r = planEntry({ instrument: btcusd, side: 'long', entryPrice: 50_000 + (i % 7), equity: 0.004, leverage: 3, maxLossFraction: 0.12, maxLossUsd: 10, gridSpacing: 0.02, minLiquidationDistance: 0.3, marginMode: 'cross', liquidation: { maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' } })
      return r.ok ? r.value.qty : 0
    },
    100_000,
  ),
  Number.NaN,
])

console.log('function'.padEnd(34), 'ns/op'.padStart(10), 'naive ns/op'.padStart(12), 'ratio'.padStart(8))
for (const [name, ns, naive] of rows) {
  console.log(name.padEnd(34), ns.toFixed(1).padStart(10), Number.isNaN(naive) ? '—'.padStart(12) : naive.toFixed(1).padStart(12), Number.isNaN(naive) ? '—'.padStart(8) : `${(ns / naive).toFixed(1)}x`.padStart(8))
}
