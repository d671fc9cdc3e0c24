/**
 * What `perpkit ml` reads from the bot config: the registry folder, the training settings and the training bars.
 * @module
 */
import { resolve } from 'node:path'
import { type Candle, InvalidInputError } from '@perpkit/core'
import { candleAt, loadCandles } from '@perpkit/engine'
import type { FeaturePipelineOptions, LabelSpec, RandomForestOptions } from '@perpkit/ml'
import { checkCandles, strategyBaseDir } from '../compose.js'
import type { LoadedConfig } from '../config.js'

/** The `ml` section with defaults, the registry folder and the training window. */
export interface MlSettings {
  readonly registryDir: string
  readonly label: LabelSpec
  readonly features: FeaturePipelineOptions
  readonly forest: RandomForestOptions
  readonly folds: number
  readonly fromMs?: number
  readonly toMs?: number
}

/** Command-line overrides of the `ml` section. */
export interface MlOverrides {
  readonly registry?: string
  readonly from?: string
  readonly to?: string
  readonly trees?: number
  readonly depth?: number
  readonly seed?: number
  readonly folds?: number
  readonly horizon?: number
}

const parseTime = (v: string, path: string): number => {
  const t = Date.parse(v)
  if (!Number.isFinite(t)) throw new InvalidInputError(`not a date or time: ${v}`, { path })
  return t
}

/**
 * The `ml` settings of a config with overrides applied. The registry is `--registry`, else `ml.registry`, else the
 * `registry` parameter of an `MlSignal` strategy; relative paths resolve against the config file's folder.
 *
 * @throws InvalidInputError when no registry folder is named anywhere.
 */
export function mlSettings(loaded: LoadedConfig, over: MlOverrides): MlSettings {
  const ml = loaded.config.ml
  const base = strategyBaseDir(loaded)
  const fromStrategy = loaded.config.strategy.class === 'MlSignal' ? loaded.config.strategy.parameters['registry'] : undefined
  const configured = ml?.registry ?? (typeof fromStrategy === 'string' ? fromStrategy : undefined)
  const registryDir = over.registry !== undefined ? resolve(over.registry) : configured !== undefined ? resolve(base, configured) : undefined
  if (registryDir === undefined) throw new InvalidInputError(`${loaded.file}: no model registry: pass --registry <dir>, set ml.registry, or use strategy class MlSignal with parameters.registry`, { path: 'ml.registry' })
  const label: LabelSpec = ml?.label ?? { kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }
  const forest = ml?.forest ?? { trees: 30, maxDepth: 5, seed: 1 }
  const from = over.from ?? ml?.train.from
  const to = over.to ?? ml?.train.to
  return {
    registryDir,
    label: over.horizon !== undefined ? { ...label, horizonBars: over.horizon } : label,
    features: (ml?.features ?? {}) as FeaturePipelineOptions,
    forest: {
      seed: over.seed ?? forest.seed,
      trees: over.trees ?? forest.trees,
      maxDepth: over.depth ?? forest.maxDepth,
      ...(forest.maxFeatures !== undefined ? { maxFeatures: forest.maxFeatures } : {}),
    },
    folds: over.folds ?? ml?.folds ?? 4,
    ...(from !== undefined ? { fromMs: parseTime(from, 'ml.train.from') } : {}),
    ...(to !== undefined ? { toMs: parseTime(to, 'ml.train.to') } : {}),
  }
}

/**
 * The config's candles (checked as a backtest checks them), cut to the training window.
 *
 * @throws InvalidInputError for bad candles, a timeframe that does not match, or an empty window.
 */
export function trainingBars(loaded: LoadedConfig, settings: Pick<MlSettings, 'fromMs' | 'toMs'>, log: (line: string) => void): Candle[] {
  const columns = loadCandles({ path: loaded.candlesPath, cacheDir: loaded.config.data.cache ? resolve('.perpkit-cache') : false }).columns
  checkCandles({ loaded, columns, log })
  const bars: Candle[] = []
  for (let i = 0; i < columns.length; i++) {
    const bar = candleAt(columns, i)
    if (settings.fromMs !== undefined && bar.openTimeMs < settings.fromMs) continue
    if (settings.toMs !== undefined && bar.openTimeMs > settings.toMs) break
    bars.push(bar)
  }
  if (bars.length === 0) throw new InvalidInputError(`no bars of ${loaded.candlesPath} fall in the training window`, { path: 'ml.train' })
  return bars
}
