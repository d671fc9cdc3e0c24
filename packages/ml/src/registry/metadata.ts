/**
 * What the model registry stores next to each model: the features it reads, the label it was trained on, the
 * training window, its metrics and a checksum of the artefact. Validated on every read.
 * @module
 */
import { z } from 'zod'
import type { FeaturePipelineOptions } from '../features.js'

const finite = z.number().refine(Number.isFinite, 'must be finite')
const positiveInt = z.number().int().min(1)

/**
 * What a model was trained to predict (the label), so a live check can score its predictions the same way.
 * @example
 * ```ts
 * import type { LabelSpec } from '@perpkit/ml'
 * const label: LabelSpec = { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }
 * ```
 */
export type LabelSpec =
  | { readonly kind: 'forward-return'; readonly horizonBars: number; readonly thresholdPct: number }
  | { readonly kind: 'triple-barrier'; readonly horizonBars: number; readonly upPct: number; readonly downPct: number }

/**
 * zod schema of {@link LabelSpec}.
 * @example
 * ```ts
 * import { labelSpecSchema } from '@perpkit/ml'
 * labelSpecSchema.parse({ kind: 'triple-barrier', horizonBars: 24, upPct: 0.5, downPct: 0.5 })
 * ```
 */
export const labelSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forward-return'), horizonBars: positiveInt, thresholdPct: finite }).strict(),
  z.object({ kind: z.literal('triple-barrier'), horizonBars: positiveInt, upPct: z.number().gt(0), downPct: z.number().gt(0) }).strict(),
])

const featureOptionsSchema = z
  .object({
    lags: positiveInt.optional(),
    rsiPeriod: positiveInt.optional(),
    natrPeriod: positiveInt.optional(),
    bollingerPeriod: positiveInt.optional(),
    vwapWindowMs: z.number().gt(0).optional(),
    volumePeriod: positiveInt.optional(),
  })
  .strict()

/**
 * Version names: `v` and six digits, increasing with each saved model.
 * @example
 * ```ts
 * import { VERSION_PATTERN } from '@perpkit/ml'
 * VERSION_PATTERN.test('v000012') // true
 * ```
 */
export const VERSION_PATTERN = /^v\d{6}$/

/**
 * zod schema of {@link ModelMetadata} (what `meta.json` must hold; the registry checks it on every read).
 * @example
 * ```ts
 * import { modelMetadataSchema } from '@perpkit/ml'
 * import { readFileSync } from 'node:fs'
 * const ok = modelMetadataSchema.safeParse(JSON.parse(readFileSync('models/models/v000001/meta.json', 'utf8'))).success
 * ```
 */
export const modelMetadataSchema = z
  .object({
    format: z.literal(1),
    version: z.string().regex(VERSION_PATTERN),
    learner: z.literal('random-forest'),
    features: z.object({ names: z.array(z.string().min(1)).min(1), options: featureOptionsSchema }).strict(),
    label: labelSpecSchema,
    training: z
      .object({
        symbol: z.string().min(1).optional(),
        timeframe: z.string().min(1).optional(),
        fromMs: z.number().int(),
        toMs: z.number().int(),
        rows: positiveInt,
        /** Set on a control model: trained on the labels shuffled with this seed (it should have learned nothing). */
        shuffledLabelsSeed: z.number().int().optional(),
      })
      .strict()
      .refine((t) => t.fromMs <= t.toMs, 'fromMs must not be after toMs'),
    metrics: z.record(z.string(), finite.nullable()),
    createdAtMs: z.number().int().min(0),
    artefact: z.object({ file: z.literal('model.json'), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(1) }).strict(),
  })
  .strict()

/**
 * Metadata of one saved model (the registry writes it as `meta.json` next to `model.json`).
 * @example
 * ```ts
 * import type { ModelMetadata } from '@perpkit/ml'
 * declare const meta: ModelMetadata
 * console.log(meta.version, meta.label.horizonBars, meta.training.fromMs, meta.metrics['accuracy'])
 * ```
 */
export type ModelMetadata = Omit<z.output<typeof modelMetadataSchema>, 'features'> & {
  readonly features: { readonly names: readonly string[]; readonly options: FeaturePipelineOptions }
}

/**
 * What the caller describes when saving a model; the registry adds `format`, `version` and `artefact`.
 * @example
 * ```ts
 * import type { NewModelMetadata } from '@perpkit/ml'
 * const meta: NewModelMetadata = {
 *   learner: 'random-forest',
 *   features: { names: ['ret_lag0'], options: { lags: 1 } },
 *   label: { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 },
 *   training: { fromMs: 0, toMs: 300_000, rows: 2 },
 *   metrics: { accuracy: 0.55 },
 *   createdAtMs: 1_764_900_000_000,
 * }
 * ```
 */
export type NewModelMetadata = Omit<ModelMetadata, 'format' | 'version' | 'artefact'>

/** Check metadata against {@link modelMetadataSchema} (JSON never holds `undefined`, so the optional fields are exact). */
export function checkMetadata(raw: unknown): { readonly ok: true; readonly metadata: ModelMetadata } | { readonly ok: false; readonly problem: string } {
  const parsed = modelMetadataSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  return { ok: true, metadata: parsed.data as ModelMetadata }
}
