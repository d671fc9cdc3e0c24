import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tinyModel } from '../test-support/tiny-model.js'
import type { ModelEvent } from './events.js'
import { createLiveModel } from './live-model.js'
import { createModelRegistry, type ModelRegistry } from './registry.js'

describe('createLiveModel (hot-swap at bar boundaries)', () => {
  let dir: string
  let registry: ModelRegistry
  let events: ModelEvent[]
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpkit-live-'))
    registry = createModelRegistry({ dir })
    events = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('follows the pointer: nothing before a promotion, then each promotion and rollback is picked up at the next refresh', () => {
    const a = tinyModel(1)
    const b = tinyModel(7)
    registry.save(a)
    registry.save(b)
    const live = createLiveModel({ registry, onEvent: (e) => events.push(e) })
    expect(live.refresh(1)).toBe(false)
    expect(live.current).toBeNull()
    registry.promote('v000001')
    expect(live.refresh(2)).toBe(true)
    expect(live.current?.metadata.version).toBe('v000001')
    expect(live.refresh(3)).toBe(false) // pointer unchanged
    registry.promote('v000002')
    expect(live.refresh(4)).toBe(true)
    const x = [0.45, 0.6]
    expect(live.current?.model.predictProbability(x)).toBe(b.model.predictProbability(x))
    registry.rollback()
    expect(live.refresh(5)).toBe(true)
    expect(live.current?.metadata.version).toBe('v000001')
    expect(events).toEqual([
      { type: 'model-loaded', version: 'v000001', previousVersion: null, atMs: 2 },
      { type: 'model-loaded', version: 'v000002', previousVersion: 'v000001', atMs: 4 },
      { type: 'model-loaded', version: 'v000001', previousVersion: 'v000002', atMs: 5 },
    ])
  })

  it('keeps the model in use when the new current one is damaged on disk, and reports it once', () => {
    registry.save(tinyModel(1))
    registry.save(tinyModel(2))
    registry.promote('v000001')
    const live = createLiveModel({ registry, onEvent: (e) => events.push(e) })
    live.refresh(1)
    registry.promote('v000002')
    const artefact = join(dir, 'models', 'v000002', 'model.json')
    writeFileSync(artefact, readFileSync(artefact, 'utf8').slice(0, 100)) // damaged after promotion
    expect(live.refresh(2)).toBe(false)
    expect(live.refresh(3)).toBe(false)
    expect(live.current?.metadata.version).toBe('v000001')
    expect(events.map((e) => e.type)).toEqual(['model-loaded', 'model-load-failed'])
    expect(events[1]).toMatchObject({ type: 'model-load-failed', version: 'v000002', keptVersion: 'v000001', atMs: 2 })
  })

  it('refuses a model the caller cannot use (accept), and a pinned version never swaps', () => {
    const other = tinyModel(2)
    registry.save(tinyModel(1))
    registry.save({ model: other.model, metadata: { ...other.metadata, features: { names: ['x0', 'x1'], options: { lags: 3 } } } })
    registry.promote('v000001')
    const live = createLiveModel({ registry, accept: (m) => (m.features.options.lags === 2 ? null : 'features differ'), onEvent: (e) => events.push(e) })
    live.refresh(1)
    registry.promote('v000002')
    expect(live.refresh(2)).toBe(false)
    expect(events[1]).toMatchObject({ type: 'model-load-failed', version: 'v000002', message: 'features differ' })
    const pinned = createLiveModel({ registry, version: 'v000001' })
    expect(pinned.refresh(3)).toBe(true)
    registry.rollback()
    registry.promote('v000002')
    expect(pinned.refresh(4)).toBe(false)
    expect(pinned.current?.metadata.version).toBe('v000001')
  })
})
