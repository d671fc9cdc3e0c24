import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Candle, InvalidInputError } from '@perpkit/core'
import { buildStrategy, createBuiltinRegistry, parseStrategyConfig, type PositionView, type Strategy, type StrategyIntent } from '@perpkit/strategy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeFeatures } from '../features.js'
import type { ModelEvent } from '../registry/events.js'
import type { LabelSpec } from '../registry/metadata.js'
import { createModelRegistry, type ModelRegistry } from '../registry/registry.js'
import { embeddedBars } from '../test-support/embedded-bars.js'
import { trainModel } from '../train.js'
import { createMlSignalDefinition } from './ml-signal.js'

const LABEL: LabelSpec = { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }
const bars = embeddedBars(3200)
const TRAIN = bars.slice(0, 1200)

function strategyFor(dir: string, parameters: string, onEvent?: (e: ModelEvent) => void): Strategy {
  const registry = createBuiltinRegistry()
  registry.register(createMlSignalDefinition({ baseDir: dir, ...(onEvent !== undefined ? { onEvent } : {}) }))
  const yaml = `strategy: {id: ml-test, name: ML test, class: MlSignal}\nmarket: {symbol: BTC/USDT:USDT, primary_timeframe: 5m}\nparameters: ${parameters}`
  return buildStrategy({ registry, config: parseStrategyConfig({ yaml }) })
}

interface Step {
  readonly i: number
  readonly p: number
  readonly position: PositionView | null
  readonly intents: readonly StrategyIntent[]
}

/** Replay bars through the strategy the way the runner does: an enter opens the position at that close, an exit flattens it. */
function replay(strategy: Strategy, series: readonly Candle[], hooks: { readonly before?: (i: number) => void } = {}): Step[] {
  let position: PositionView | null = null
  const steps: Step[] = []
  series.forEach((candle, i) => {
    hooks.before?.(i)
    const ctx = { symbol: 'BTC/USDT:USDT', nowMs: candle.openTimeMs + 300_000, position, warmingUp: false }
    const intents = strategy.onCandle(ctx, { timeframe: '5m', candle, closed: true, baseBarCount: i + 1 })
    steps.push({ i, p: strategy.indicators()['p'] as number, position, intents })
    for (const intent of intents) {
      if (intent.type === 'enter') position = { side: intent.side, qty: 1, entryPrice: candle.close, openedAtMs: ctx.nowMs }
      if (intent.type === 'exit') position = null
    }
  })
  return steps
}

describe('MlSignal strategy', { timeout: 120_000 }, () => {
  let dir: string
  let registry: ModelRegistry
  let first: ReturnType<typeof trainModel>
  let second: ReturnType<typeof trainModel>
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpkit-mlsignal-'))
    registry = createModelRegistry({ dir: join(dir, 'models') })
    first = trainModel({ bars: TRAIN, label: LABEL, forest: { seed: 3, trees: 6, maxDepth: 4 }, createdAtMs: 1_764_900_000_000, symbol: 'BTC/USDT:USDT', timeframe: '5m' })
    second = trainModel({ bars: bars.slice(400, 1600), label: LABEL, forest: { seed: 11, trees: 6, maxDepth: 4 }, createdAtMs: 1_764_900_000_000 })
    registry.save(first)
    registry.save(second)
  }, 300_000) // pure-JS forests on a loaded machine
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses to start without a usable model (typed error naming the parameter)', () => {
    expect(() => strategyFor(dir, '{registry: models}')).toThrow(/no usable model .*promote one first/)
    try {
      strategyFor(dir, '{registry: models, version: v000009}')
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError)
      expect((e as InvalidInputError).path).toBe('parameters.version')
    }
    expect(() => strategyFor(dir, '{registry: models, enterAbove: 0.55, shortBelow: 0.6}')).toThrow(/parameters.shortBelow/)
  })

  it('computes the same probability as the batch features + model, bar for bar, and acts on it with ml signals and the ML exit', () => {
    registry.promote('v000001')
    const series = bars.slice(1600, 3200)
    const steps = replay(strategyFor(dir, '{registry: models, enterAbove: 0.55, shortBelow: 0.45, exitLongBelow: 0.5, exitShortAbove: 0.5}'), series)
    const batch = computeFeatures({ bars: series })
    const expected = new Float64Array(series.length).fill(Number.NaN)
    batch.rows.forEach((row, k) => {
      expected[batch.rowIndex[k] as number] = first.model.predictProbability(row)
    })
    expect(steps.map((s) => s.p)).toEqual(Array.from(expected))
    let enters = 0
    let mlExits = 0
    for (const s of steps) {
      for (const intent of s.intents) {
        if (intent.type === 'enter') {
          enters++
          expect(s.position).toBeNull()
          expect(intent.signal.source).toBe('ml')
          expect(intent.signal.metadata['modelVersion']).toBe('v000001')
          expect(intent.signal.metadata['p']).toBe(s.p)
          if (intent.side === 'long') expect([s.p >= 0.55, intent.signal.confidence]).toEqual([true, s.p])
          else expect([s.p <= 0.45, intent.signal.confidence]).toEqual([true, 1 - s.p])
        } else if (intent.type === 'exit') {
          mlExits++
          expect(intent.reason).toBe('signal')
          expect(intent.signal?.type).toBe('close')
          expect(s.position?.side === 'long' ? s.p < 0.5 : s.p > 0.5).toBe(true)
        }
      }
    }
    expect(enters).toBeGreaterThan(5)
    expect(mlExits).toBeGreaterThan(5)
  })

  it('time exit after maxHoldBars bars in a position', () => {
    registry.promote('v000001')
    const steps = replay(strategyFor(dir, '{registry: models, enterAbove: 0.55, exitLongBelow: 0.01, maxHoldBars: 6}'), bars.slice(1600, 2400))
    const timeExits = steps.filter((s) => s.intents.some((i) => i.type === 'exit' && i.reason === 'time'))
    expect(timeExits.length).toBeGreaterThan(0)
    for (const s of timeExits) expect(s.i - steps.findLastIndex((x) => x.i < s.i && x.position === null)).toBe(6)
  })

  it('hot-swaps to a newly promoted model at the next bar without a restart, and refuses one that reads other features', () => {
    registry.promote('v000001')
    const events: ModelEvent[] = []
    const odd = trainModel({ bars: TRAIN, label: LABEL, features: { lags: 3 }, forest: { seed: 5, trees: 4, maxDepth: 3 }, createdAtMs: 1_764_900_000_000 })
    const oddVersion = registry.save(odd).version
    const series = bars.slice(1600, 2600)
    const steps = replay(strategyFor(dir, '{registry: models}', (e) => events.push(e)), series, {
      before: (i) => {
        if (i === 500) registry.promote('v000002')
        if (i === 700) registry.promote(oddVersion)
      },
    })
    const batch = computeFeatures({ bars: series })
    batch.rows.forEach((row, k) => {
      const i = batch.rowIndex[k] as number
      const model = i >= 500 ? second.model : first.model // the odd model is refused: v000002 stays
      expect(steps[i]?.p).toBe(model.predictProbability(row))
    })
    expect(events.map((e) => [e.type, e.type === 'model-loaded' ? e.version : e.type === 'model-load-failed' ? e.keptVersion : ''])).toEqual([
      ['model-loaded', 'v000001'],
      ['model-loaded', 'v000002'],
      ['model-load-failed', 'v000002'],
    ])
    expect(events[1]?.atMs).toBe((series[500] as Candle).openTimeMs + 300_000)
    expect(events[2]).toMatchObject({ version: oddVersion })
  })

  it('rolls back to the previous model when the live accuracy falls under the floor, and the strategy follows at the next bar', () => {
    registry.promote('v000001')
    registry.promote('v000002')
    const events: ModelEvent[] = []
    // a floor no 5m model reaches over 50 predictions: the policy must roll back once the first 50 are resolved
    const steps = replay(strategyFor(dir, '{registry: models, rollback: {metric: accuracy, floor: 0.95, observations: 50}}', (e) => events.push(e)), bars.slice(2000, 2400))
    const rolled = events.find((e) => e.type === 'model-rolled-back')
    expect(rolled).toMatchObject({ type: 'model-rolled-back', from: 'v000002', to: 'v000001', floor: 0.95, observations: 50 })
    expect(rolled?.type === 'model-rolled-back' && rolled.value < 0.95).toBe(true)
    // the next event is the strategy picking the rolled-back-to model up at the following bar
    const next = events[events.indexOf(rolled as ModelEvent) + 1]
    expect(next).toMatchObject({ type: 'model-loaded', version: 'v000001', previousVersion: 'v000002' })
    expect((next?.atMs ?? 0) - (rolled?.atMs ?? 0)).toBe(300_000)
    expect(steps.length).toBe(400)
  })
})
