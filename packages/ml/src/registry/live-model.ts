/**
 * Hot-swap: the model a running strategy uses follows the registry's pointer, checked at bar boundaries, without a
 * restart. A pointer naming a model that cannot be loaded (or is refused) keeps the model in use.
 * @module
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { ModelEvent } from './events.js'
import type { ModelMetadata } from './metadata.js'
import type { LoadedModel, ModelRegistry } from './registry.js'

/**
 * The model in use, refreshed from the registry when asked.
 * @example
 * ```ts
 * import { createLiveModel, createModelRegistry, type LiveModel } from '@perpkit/ml'
 * const live: LiveModel = createLiveModel({ registry: createModelRegistry({ dir: 'models' }) })
 * live.refresh(1_764_900_000_000) // at a bar boundary
 * live.current?.metadata.version
 * ```
 */
export interface LiveModel {
  /** The model in use, or null before the first successful load. */
  readonly current: LoadedModel | null
  /**
   * Re-read the pointer if it changed since the last call (a cheap `stat` otherwise) and swap to the model it names.
   * @param atMs - the bar time, stamped on the events.
   * @returns true when the model in use changed.
   */
  refresh(atMs: number): boolean
}

/** Options of {@link createLiveModel}. */
export interface LiveModelOptions {
  readonly registry: ModelRegistry
  /** Pin one version instead of following the pointer (no hot-swap). */
  readonly version?: string
  /** Refuse a model (e.g. features this process cannot compute): return the reason, or null to accept. */
  readonly accept?: (metadata: ModelMetadata) => string | null
  readonly onEvent?: (event: ModelEvent) => void
}

/**
 * Follow the registry's current model (or one pinned version). Call `refresh` at each bar boundary: when the
 * pointer file changed (inode, size or mtime), the named version is loaded and checked; on success it replaces the
 * model in use (`model-loaded`), on failure the old model stays (`model-load-failed`, not retried until the pointer
 * changes again).
 *
 * @param options - {@link LiveModelOptions}
 * @returns a {@link LiveModel} (nothing is loaded until the first `refresh`)
 * @example
 * ```ts
 * import { createLiveModel, createModelRegistry } from '@perpkit/ml'
 * const live = createLiveModel({ registry: createModelRegistry({ dir: 'models' }), onEvent: (e) => console.log(e.type) })
 * if (live.refresh(1_764_900_000_000)) console.log('now on', live.current?.metadata.version)
 * ```
 */
export function createLiveModel(options: LiveModelOptions): LiveModel {
  const { registry, onEvent } = options
  const pointerFile = join(registry.dir, 'current.json')
  let current: LoadedModel | null = null
  let seenKey: string | undefined
  let triedVersion: string | null = null

  const pointerKey = (): string => {
    try {
      const s = statSync(pointerFile, { bigint: true })
      return `${s.ino}:${s.size}:${s.mtimeNs}`
    } catch {
      return 'missing'
    }
  }

  const swapTo = (version: string, atMs: number): boolean => {
    if (version === current?.metadata.version || version === triedVersion) return false
    triedVersion = version
    const keptVersion = current?.metadata.version ?? null
    try {
      const loaded = registry.load(version)
      const refusal = options.accept?.(loaded.metadata) ?? null
      if (refusal !== null) {
        onEvent?.({ type: 'model-load-failed', version, keptVersion, message: refusal, atMs })
        return false
      }
      current = loaded
      onEvent?.({ type: 'model-loaded', version, previousVersion: keptVersion, atMs })
      return true
    } catch (e) {
      onEvent?.({ type: 'model-load-failed', version, keptVersion, message: e instanceof Error ? e.message : String(e), atMs })
      return false
    }
  }

  return {
    get current() {
      return current
    },
    refresh(atMs) {
      if (options.version !== undefined) return swapTo(options.version, atMs)
      const key = pointerKey()
      if (key === seenKey) return false
      seenKey = key
      triedVersion = null // the pointer was rewritten: the version it names gets a fresh attempt
      let version: string | null
      try {
        version = registry.pointer().current
      } catch (e) {
        onEvent?.({ type: 'model-load-failed', version: 'current.json', keptVersion: current?.metadata.version ?? null, message: e instanceof Error ? e.message : String(e), atMs })
        return false
      }
      if (version === null) return false
      return swapTo(version, atMs)
    },
  }
}
