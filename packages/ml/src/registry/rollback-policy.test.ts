import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvalidInputError } from '@perpkit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tinyModel } from '../test-support/tiny-model.js'
import type { ModelEvent } from './events.js'
import { createModelRegistry, type ModelRegistry } from './registry.js'
import { createRollbackPolicy } from './rollback-policy.js'

const resolved = (version: string, probability: number, label: 0 | 1, atMs: number) => ({ version, probability, label, predictedAtMs: atMs - 3_600_000, resolvedAtMs: atMs })

describe('createRollbackPolicy', () => {
  let dir: string
  let registry: ModelRegistry
  let events: ModelEvent[]
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpkit-policy-'))
    registry = createModelRegistry({ dir })
    registry.save(tinyModel(1))
    registry.save(tinyModel(2))
    registry.promote('v000001')
    registry.promote('v000002')
    events = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('rolls back to the previous model once the accuracy over N observations is below the floor, and emits one alert event', () => {
    const policy = createRollbackPolicy({ registry, config: { metric: 'accuracy', floor: 0.5, observations: 10 }, onEvent: (e) => events.push(e) })
    // 3 right, 7 wrong: accuracy 0.3 (prediction above 0.5 means 1)
    const outcomes: [number, 0 | 1][] = [[0.8, 1], [0.2, 0], [0.7, 1], [0.9, 0], [0.6, 0], [0.3, 1], [0.4, 1], [0.8, 0], [0.1, 1], [0.7, 0]]
    outcomes.forEach(([p, y], i) => {
      const r = policy.observe(resolved('v000002', p, y, 1000 + i))
      if (i < 9) expect(r).toBeNull()
      else expect(r).toEqual({ current: 'v000001', history: [] })
    })
    expect(registry.pointer().current).toBe('v000001')
    expect(events).toEqual([{ type: 'model-rolled-back', from: 'v000002', to: 'v000001', metric: 'accuracy', value: 0.3, floor: 0.5, observations: 10, atMs: 1009 }])
    expect(policy.window).toBe(0)
  })

  it('keeps a model at or above the floor, counts only the current version and slides the window', () => {
    const policy = createRollbackPolicy({ registry, config: { metric: 'accuracy', floor: 0.5, observations: 4 }, onEvent: (e) => events.push(e) })
    expect(policy.observe(resolved('v000001', 0.9, 0, 1))).toBeNull() // not the current model: ignored
    expect(policy.window).toBe(0)
    for (const [p, y] of [[0.9, 1], [0.9, 0], [0.1, 0], [0.9, 0]] as const) expect(policy.observe(resolved('v000002', p, y, 2))).toBeNull() // 2 of 4 = 0.5
    // the window slides: the next wrong one drops the first right one → 1 of 4 = 0.25 < 0.5
    expect(policy.observe(resolved('v000002', 0.9, 0, 3))?.current).toBe('v000001')
    expect(events).toHaveLength(1)
  })

  it('precision floor: no predictions at the threshold means no verdict; below the floor rolls back', () => {
    const policy = createRollbackPolicy({ registry, config: { metric: 'precision', floor: 0.5, observations: 3, threshold: 0.6 }, onEvent: (e) => events.push(e) })
    for (const y of [0, 0, 0] as const) expect(policy.observe(resolved('v000002', 0.55, y, 1))).toBeNull()
    expect(policy.observe(resolved('v000002', 0.7, 0, 2))?.current).toBe('v000001') // 0 of 1 signal right
    expect(events[0]).toMatchObject({ metric: 'precision', value: 0 })
  })

  it('without a previous model it leaves the current one in place', () => {
    registry.rollback()
    const policy = createRollbackPolicy({ registry, config: { metric: 'accuracy', floor: 0.9, observations: 1 }, onEvent: (e) => events.push(e) })
    expect(policy.observe(resolved('v000001', 0.9, 0, 1))).toBeNull()
    expect(registry.pointer().current).toBe('v000001')
    expect(events).toEqual([])
  })

  it('rejects a bad configuration', () => {
    expect(() => createRollbackPolicy({ registry, config: { metric: 'accuracy', floor: 1.5, observations: 3 } })).toThrow(InvalidInputError)
    expect(() => createRollbackPolicy({ registry, config: { metric: 'accuracy', floor: 0.5, observations: 0 } })).toThrow(InvalidInputError)
  })
})
