/**
 * The model registry on disk: one folder per version holding the artefact and its metadata, and one pointer file
 * naming the current model and the models it replaced. Every write is crash-safe (temporary file or folder, fsync,
 * rename, folder fsync), so a crash leaves the registry as it was before the write or as it is after it.
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidInputError, PerpkitError } from '@perpkit/core'
import { type ForestModel, loadRandomForest } from '../forest.js'
import { fsyncPath, temporarySibling, writeFileAtomic, writeNewFileSynced } from './atomic-file.js'
import { CorruptModelError } from './errors.js'
import { checkMetadata, type ModelMetadata, type NewModelMetadata, VERSION_PATTERN } from './metadata.js'

/**
 * The registry's pointer: the current version and, newest last, the versions it replaced (what rollback returns to).
 * @example
 * ```ts
 * import type { RegistryPointer } from '@perpkit/ml'
 * const pointer: RegistryPointer = { current: 'v000003', history: ['v000001', 'v000002'] }
 * ```
 */
export interface RegistryPointer {
  readonly current: string | null
  readonly history: readonly string[]
}

/**
 * One row of {@link ModelRegistry.list}: a readable model, or a version folder that fails its checks.
 * @example
 * ```ts
 * import { createModelRegistry, type ModelEntry } from '@perpkit/ml'
 * const rows: readonly ModelEntry[] = createModelRegistry({ dir: 'models' }).list()
 * for (const r of rows) console.log(r.version, r.current ? '*' : ' ', r.ok ? r.metadata.metrics : r.problem)
 * ```
 */
export type ModelEntry =
  | { readonly ok: true; readonly version: string; readonly current: boolean; readonly metadata: ModelMetadata }
  | { readonly ok: false; readonly version: string; readonly current: boolean; readonly problem: string }

/**
 * A model read back from the registry, checked against its checksum and schema.
 * @example
 * ```ts
 * import { createModelRegistry, type LoadedModel } from '@perpkit/ml'
 * const loaded: LoadedModel = createModelRegistry({ dir: 'models' }).load('v000001')
 * loaded.model.predictProbability(new Float64Array(loaded.metadata.features.names.length))
 * ```
 */
export interface LoadedModel {
  readonly metadata: ModelMetadata
  readonly model: ForestModel
}

/**
 * A model registry in one folder. Synchronous, so a strategy can read it at a bar boundary.
 * @example
 * ```ts
 * import { createModelRegistry, type ModelRegistry } from '@perpkit/ml'
 * const registry: ModelRegistry = createModelRegistry({ dir: 'models' })
 * registry.pointer().current // null until a model is promoted
 * ```
 */
export interface ModelRegistry {
  /** The registry folder. */
  readonly dir: string
  /** Save a model as the next version (not promoted). @returns its metadata, with `version` and checksum. */
  save(input: { readonly model: ForestModel; readonly metadata: NewModelMetadata }): ModelMetadata
  /** Every version folder, oldest first; damaged ones are listed with the problem instead of metadata. */
  list(): readonly ModelEntry[]
  /** Read and check one version. @throws CorruptModelError when it fails its checks; InvalidInputError when it does not exist. */
  load(version: string): LoadedModel
  /** The pointer (current version and history); `{ current: null, history: [] }` before the first promotion. */
  pointer(): RegistryPointer
  /** Make `version` current after checking it loads; the previous current goes on the history. */
  promote(version: string): RegistryPointer
  /** Make the previous current model current again (it is checked first). @throws PerpkitError `invalid-state` with no history. */
  rollback(): RegistryPointer
}

const POINTER_FILE = 'current.json'
const MODELS = 'models'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new CorruptModelError(`${what} is missing or unreadable`, { file, cause })
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new CorruptModelError('is not valid JSON (half-written or damaged)', { file, cause })
  }
}

/**
 * Open (or create) a model registry in a folder. Layout: `models/v000001/{model.json,meta.json}`, …, and
 * `current.json`. A version folder appears only once both files are written and synced (it is built under a
 * temporary name and renamed), `meta.json` carries the SHA-256 of `model.json`, and `current.json` is replaced
 * atomically, so a crash at any point never leaves a current model that cannot be loaded.
 *
 * @param options - `{ dir }`: the registry folder (created when missing).
 * @returns a {@link ModelRegistry}
 * @throws InvalidInputError for an empty `dir`
 * @example
 * ```ts
 * import { createModelRegistry, trainRandomForest } from '@perpkit/ml'
 * const registry = createModelRegistry({ dir: 'models' })
 * const model = trainRandomForest({ rows: [[0], [1], [0.1], [0.9]], labels: [0, 1, 0, 1], options: { seed: 1, trees: 3 } })
 * const meta = registry.save({
 *   model,
 *   metadata: {
 *     learner: 'random-forest', features: { names: ['x'], options: {} }, label: { kind: 'forward-return', horizonBars: 1, thresholdPct: 0 },
 *     training: { fromMs: 0, toMs: 900_000, rows: 4 }, metrics: {}, createdAtMs: 1_764_900_000_000,
 *   },
 * })
 * registry.promote(meta.version)
 * ```
 */
export function createModelRegistry(options: { readonly dir: string }): ModelRegistry {
  const { dir } = options
  if (typeof dir !== 'string' || dir === '') throw new InvalidInputError('dir must be a non-empty path', { path: 'dir' })
  const modelsDir = join(dir, MODELS)
  const pointerFile = join(dir, POINTER_FILE)
  const ensure = (): void => {
    mkdirSync(modelsDir, { recursive: true })
  }

  const versions = (): string[] => (existsSync(modelsDir) ? readdirSync(modelsDir).filter((n) => VERSION_PATTERN.test(n)).sort() : [])

  const pointer = (): RegistryPointer => {
    if (!existsSync(pointerFile)) return { current: null, history: [] }
    const raw = parseJson(readText(pointerFile, 'the pointer'), pointerFile)
    const r = raw as { current?: unknown; history?: unknown }
    const okVersion = (v: unknown): v is string => typeof v === 'string' && VERSION_PATTERN.test(v)
    if (typeof raw !== 'object' || raw === null || !(r.current === null || okVersion(r.current)) || !Array.isArray(r.history) || !r.history.every(okVersion)) {
      throw new CorruptModelError('is not a registry pointer ({ current, history })', { file: pointerFile })
    }
    return { current: r.current, history: r.history }
  }

  const load = (version: string): LoadedModel => {
    if (!VERSION_PATTERN.test(version)) throw new InvalidInputError(`not a model version: ${JSON.stringify(version)} (expected v and six digits)`, { path: 'version' })
    const folder = join(modelsDir, version)
    if (!existsSync(folder)) throw new InvalidInputError(`no model ${version} in ${dir}`, { path: 'version' })
    const metaFile = join(folder, 'meta.json')
    const checked = checkMetadata(parseJson(readText(metaFile, 'the metadata'), metaFile))
    if (!checked.ok) throw new CorruptModelError(`does not match the metadata schema: ${checked.problem}`, { file: metaFile })
    const { metadata } = checked
    if (metadata.version !== version) throw new CorruptModelError(`names version ${metadata.version} but sits in ${version}`, { file: metaFile })
    const artefactFile = join(folder, metadata.artefact.file)
    const text = readText(artefactFile, 'the artefact')
    if (Buffer.byteLength(text) !== metadata.artefact.bytes || sha256(text) !== metadata.artefact.sha256) {
      throw new CorruptModelError(`does not match the checksum in meta.json (${Buffer.byteLength(text)} bytes, expected ${metadata.artefact.bytes})`, { file: artefactFile })
    }
    let model: ForestModel
    try {
      model = loadRandomForest(parseJson(text, artefactFile))
    } catch (cause) {
      if (cause instanceof CorruptModelError) throw cause
      throw new CorruptModelError('is not a random forest', { file: artefactFile, cause })
    }
    return { metadata, model }
  }

  const writePointer = (next: RegistryPointer): RegistryPointer => {
    ensure()
    writeFileAtomic(pointerFile, `${JSON.stringify(next, null, 2)}\n`)
    return next
  }

  return {
    dir,
    save({ model, metadata }) {
      ensure()
      const text = JSON.stringify(model.toJSON())
      for (let attempt = 0; attempt < 100; attempt++) {
        const last = versions().at(-1)
        const version = `v${String((last === undefined ? 0 : Number(last.slice(1))) + 1 + attempt).padStart(6, '0')}`
        const full: ModelMetadata = { format: 1, version, ...metadata, artefact: { file: 'model.json', sha256: sha256(text), bytes: Buffer.byteLength(text) } }
        const checked = checkMetadata(full)
        if (!checked.ok) throw new InvalidInputError(`metadata: ${checked.problem}`, { path: 'metadata' })
        const tmp = temporarySibling(join(modelsDir, version))
        mkdirSync(tmp)
        try {
          writeNewFileSynced(join(tmp, 'model.json'), text)
          writeNewFileSynced(join(tmp, 'meta.json'), `${JSON.stringify(checked.metadata, null, 2)}\n`)
          fsyncPath(tmp)
          renameSync(tmp, join(modelsDir, version))
        } catch (e) {
          rmSync(tmp, { recursive: true, force: true })
          const code = (e as { code?: unknown }).code
          if (code === 'ENOTEMPTY' || code === 'EEXIST') continue // another writer took this version: try the next one
          throw e
        }
        fsyncPath(modelsDir)
        return checked.metadata
      }
      throw new PerpkitError('internal', `could not allocate a model version in ${modelsDir}`)
    },
    list() {
      const current = (() => {
        try {
          return pointer().current
        } catch {
          return null
        }
      })()
      return versions().map((version): ModelEntry => {
        try {
          return { ok: true, version, current: version === current, metadata: load(version).metadata }
        } catch (e) {
          return { ok: false, version, current: version === current, problem: e instanceof Error ? e.message : String(e) }
        }
      })
    },
    load,
    pointer,
    promote(version) {
      load(version)
      const now = pointer()
      if (now.current === version) return now
      return writePointer({ current: version, history: now.current === null ? now.history : [...now.history, now.current] })
    },
    rollback() {
      const now = pointer()
      const previous = now.history.at(-1)
      if (previous === undefined) throw new PerpkitError('invalid-state', `no previous model to roll back to in ${dir} (current: ${now.current ?? 'none'})`)
      load(previous)
      return writePointer({ current: previous, history: now.history.slice(0, -1) })
    },
  }
}
