import { PerpkitError } from '@perpkit/core'

/**
 * A model artefact, its metadata or the registry's pointer file cannot be trusted: missing, half-written, not JSON,
 * not matching its checksum or its schema. Code `corrupt-data`; the registry never loads or promotes such a model.
 * @example
 * ```ts
 * import { CorruptModelError, createModelRegistry } from '@perpkit/ml'
 * try {
 *   createModelRegistry({ dir: 'models' }).load('v000001')
 * } catch (e) {
 *   if (e instanceof CorruptModelError) console.log(e.file, e.message)
 * }
 * ```
 */
export class CorruptModelError extends PerpkitError {
  /** The file that failed (the artefact, `meta.json` or `current.json`). */
  readonly file: string

  constructor(message: string, options: { readonly file: string; readonly cause?: unknown }) {
    super('corrupt-data', `${options.file}: ${message}`, { ...(options.cause === undefined ? {} : { cause: options.cause }), details: { file: options.file } })
    this.name = 'CorruptModelError'
    this.file = options.file
  }
}
