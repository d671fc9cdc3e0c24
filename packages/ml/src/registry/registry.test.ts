import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvalidInputError, isPerpkitError } from '@perpkit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tinyModel } from '../test-support/tiny-model.js'
import { CorruptModelError } from './errors.js'
import { createModelRegistry, type ModelRegistry } from './registry.js'

const expectCorrupt = (f: () => unknown, file: RegExp): void => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptModelError)
    expect(isPerpkitError(e, 'corrupt-data')).toBe(true)
    expect((e as CorruptModelError).file).toMatch(file)
    return
  }
  throw new Error('expected a CorruptModelError')
}

describe('createModelRegistry', () => {
  let dir: string
  let registry: ModelRegistry
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpkit-registry-'))
    registry = createModelRegistry({ dir })
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('saves versioned artefacts with metadata and a checksum, and loads them predicting exactly as before', () => {
    const a = tinyModel(1)
    const meta = registry.save(a)
    expect(meta.version).toBe('v000001')
    expect(meta.artefact.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(meta.training).toEqual(a.metadata.training)
    expect(meta.label).toEqual({ kind: 'forward-return', horizonBars: 12, thresholdPct: 0 })
    expect(registry.save(tinyModel(2)).version).toBe('v000002')
    const loaded = registry.load('v000001')
    expect(loaded.metadata).toEqual(meta)
    for (const x of [[0.1, 0.2], [0.9, 0.8], [0.5, 0.55]]) expect(loaded.model.predictProbability(x)).toBe(a.model.predictProbability(x))
    // on disk: one folder per version, metadata readable by anyone
    const onDisk = JSON.parse(readFileSync(join(dir, 'models', 'v000001', 'meta.json'), 'utf8')) as { createdAtMs: number }
    expect(onDisk.createdAtMs).toBe(1_764_900_000_000)
    expect(registry.list().map((e) => [e.version, e.ok, e.current])).toEqual([
      ['v000001', true, false],
      ['v000002', true, false],
    ])
  })

  it('promotes and rolls back through an atomic pointer, and refuses a rollback with no previous model', () => {
    registry.save(tinyModel(1))
    registry.save(tinyModel(2))
    registry.save(tinyModel(3))
    expect(registry.pointer()).toEqual({ current: null, history: [] })
    registry.promote('v000001')
    registry.promote('v000003')
    expect(registry.promote('v000003')).toEqual({ current: 'v000003', history: ['v000001'] })
    expect(JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8'))).toEqual({ current: 'v000003', history: ['v000001'] })
    expect(registry.list().filter((e) => e.current).map((e) => e.version)).toEqual(['v000003'])
    expect(registry.rollback()).toEqual({ current: 'v000001', history: [] })
    let error: unknown
    try {
      registry.rollback()
    } catch (e) {
      error = e
    }
    expect(isPerpkitError(error, 'invalid-state')).toBe(true)
    expect(registry.pointer().current).toBe('v000001')
  })

  it('refuses a half-written artefact with a typed error: load, promote and rollback leave the pointer alone', () => {
    registry.save(tinyModel(1))
    registry.save(tinyModel(2))
    registry.promote('v000001')
    const artefact = join(dir, 'models', 'v000002', 'model.json')
    truncateSync(artefact, Math.floor(readFileSync(artefact).length / 2))
    expectCorrupt(() => registry.load('v000002'), /v000002\/model\.json$/)
    expectCorrupt(() => registry.promote('v000002'), /model\.json$/)
    expect(registry.pointer()).toEqual({ current: 'v000001', history: [] })
    const listed = registry.list()
    expect(listed[1]).toMatchObject({ ok: false, version: 'v000002' })
    expect(listed[0]).toMatchObject({ ok: true, version: 'v000001', current: true })
  })

  it('refuses an artefact whose bytes were changed without changing its length (checksum)', () => {
    registry.save(tinyModel(1))
    const artefact = join(dir, 'models', 'v000001', 'model.json')
    const text = readFileSync(artefact, 'utf8')
    const i = text.search(/\d/)
    const digit = text[i] as string
    writeFileSync(artefact, text.slice(0, i) + (digit === '9' ? '8' : String(Number(digit) + 1)) + text.slice(i + 1))
    expectCorrupt(() => registry.load('v000001'), /model\.json$/)
  })

  it('refuses damaged metadata and a damaged pointer with a typed error', () => {
    registry.save(tinyModel(1))
    registry.promote('v000001')
    const meta = join(dir, 'models', 'v000001', 'meta.json')
    const good = readFileSync(meta, 'utf8')
    writeFileSync(meta, good.slice(0, 40))
    expectCorrupt(() => registry.load('v000001'), /meta\.json$/)
    writeFileSync(meta, good.replace('"forward-return"', '"sideways"'))
    expectCorrupt(() => registry.load('v000001'), /meta\.json$/)
    writeFileSync(meta, good)
    writeFileSync(join(dir, 'current.json'), '{"current": "v000001", "hist')
    expectCorrupt(() => registry.pointer(), /current\.json$/)
    writeFileSync(join(dir, 'current.json'), '{"current": "latest", "history": []}')
    expectCorrupt(() => registry.pointer(), /current\.json$/)
  })

  it('ignores a version folder left half-built by a crash during save, and reuses nothing from it', () => {
    registry.save(tinyModel(1))
    // what a crash between writing model.json and renaming the folder leaves behind
    const leftover = join(dir, 'models', '.tmp-v000002-99999-1')
    mkdirSync(leftover)
    writeFileSync(join(leftover, 'model.json'), '{"half":')
    expect(registry.list().map((e) => e.version)).toEqual(['v000001'])
    expect(registry.save(tinyModel(2)).version).toBe('v000002')
    expect(registry.load('v000002').metadata.version).toBe('v000002')
  })

  it('rejects bad input with InvalidInputError: unknown or malformed versions and bad metadata', () => {
    expect(() => registry.load('v000009')).toThrow(InvalidInputError)
    expect(() => registry.load('../x')).toThrow(InvalidInputError)
    expect(() => registry.promote('v1')).toThrow(InvalidInputError)
    const bad = tinyModel(1)
    expect(() => registry.save({ model: bad.model, metadata: { ...bad.metadata, training: { ...bad.metadata.training, fromMs: 2, toMs: 1 } } })).toThrow(InvalidInputError)
    expect(registry.list()).toEqual([])
    expect(() => createModelRegistry({ dir: '' })).toThrow(InvalidInputError)
  })
})
