/**
 * `perpkit ml train|evaluate|list|promote|rollback`: train the model an `MlSignal` strategy reads, evaluate the
 * learner out of sample (purged walk-forward next to a shuffled-label control, JSON + HTML report), and manage the
 * model registry (list, promote, roll back).
 * @module
 */
import { resolve } from 'node:path'
import { Argument, Option } from 'commander'
import { SingleBar } from 'cli-progress'
import { createModelRegistry, evaluateWalkForward, type ModelEntry, trainModel, VERSION_PATTERN } from '@perpkit/ml'
import { loadConfig } from '../config.js'
import type { Io } from '../io.js'
import { writeEvaluation } from '../ml/evaluation-report.js'
import { type MlOverrides, mlSettings, trainingBars } from '../ml/ml-config.js'
import { formatTable } from '../table.js'
import { type CliCommand, type CommandContext, EXIT, stringOption, UsageError } from './command.js'
import { configOption, dataOption, outOption, positiveInteger, wholeNumber } from './options.js'

const ACTIONS = ['train', 'evaluate', 'list', 'promote', 'rollback'] as const
type Action = (typeof ACTIONS)[number]

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')
const fixed = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '—' : v.toFixed(digits))

function overrides(options: CommandContext['options']): MlOverrides {
  const n = (name: string): number | undefined => (typeof options[name] === 'number' ? (options[name] as number) : undefined)
  const out: Record<string, string | number> = {}
  for (const k of ['registry', 'from', 'to'] as const) {
    const v = stringOption(options, k)
    if (v !== undefined) out[k] = v
  }
  for (const k of ['trees', 'depth', 'seed', 'folds', 'horizon'] as const) {
    const v = n(k)
    if (v !== undefined) out[k] = v
  }
  return out as MlOverrides
}

function loaded(options: CommandContext['options']) {
  const path = stringOption(options, 'config')
  const l = loadConfig({ ...(path !== undefined ? { path } : {}) })
  const data = stringOption(options, 'data')
  return data !== undefined ? { ...l, candlesPath: resolve(data) } : l
}

/** A progress bar on stderr when it is a terminal and not disabled. */
function progressBar(io: Io, options: CommandContext['options'], label: string): { update: (done: number, total: number) => void; stop: () => void } {
  if (!io.isTty || options['progress'] === false) return { update: () => {}, stop: () => {} }
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} models | {duration}s`, stream: process.stderr, hideCursor: true })
  let started = false
  return {
    update(done, total) {
      if (!started) bar.start(total, 0)
      started = true
      bar.update(done)
    },
    stop: () => {
      if (started) bar.stop()
    },
  }
}

function listRows(entries: readonly ModelEntry[]): string[][] {
  return entries.map((e) =>
    e.ok
      ? [
          `${e.current ? '* ' : '  '}${e.version}`,
          iso(e.metadata.createdAtMs),
          `${iso(e.metadata.training.fromMs)} → ${iso(e.metadata.training.toMs)}`,
          String(e.metadata.training.rows),
          `${e.metadata.label.kind} ${e.metadata.label.horizonBars}${e.metadata.training.shuffledLabelsSeed !== undefined ? ' (control)' : ''}`,
          fixed(e.metadata.metrics['oosAccuracy']),
          fixed(e.metadata.metrics['oosLogLoss']),
        ]
      : [`${e.current ? '* ' : '  '}${e.version}`, 'DAMAGED', e.problem.slice(0, 60), '', '', '', ''],
  )
}

async function run(action: Action, version: string | undefined, { options, io }: CommandContext): Promise<number> {
  if (action === 'promote' && version === undefined) throw new UsageError('promote needs the version to promote (see perpkit ml list)')
  if (action !== 'promote' && version !== undefined) throw new UsageError(`${action} takes no version argument`)
  if (version !== undefined && !VERSION_PATTERN.test(version)) throw new UsageError(`'${version}' is not a model version (v and six digits, e.g. v000001)`)
  const config = loaded(options)
  const settings = mlSettings(config, overrides(options))
  const registry = createModelRegistry({ dir: settings.registryDir })
  const symbol = config.symbols[0] as string
  const timeframe = config.config.data.timeframe
  switch (action) {
    case 'list': {
      const entries = registry.list()
      if (entries.length === 0) {
        io.out(`no models in ${settings.registryDir} (perpkit ml train --promote makes one)\n`)
        return EXIT.ok
      }
      io.out(formatTable({ title: `models in ${settings.registryDir} (* = current)`, rows: [['version', 'created (UTC)', 'training window (UTC)', 'rows', 'label', 'OOS acc.', 'OOS log-loss'], ...listRows(entries)] }))
      return EXIT.ok
    }
    case 'promote': {
      const p = registry.promote(version as string)
      io.out(`current model: ${p.current} (previous: ${p.history.at(-1) ?? 'none'})\n`)
      return EXIT.ok
    }
    case 'rollback': {
      const before = registry.pointer().current
      const p = registry.rollback()
      io.out(`rolled back ${before} → ${p.current}\n`)
      return EXIT.ok
    }
    case 'train':
    case 'evaluate': {
      const bars = trainingBars(config, settings, (l) => io.err(`${l}\n`))
      const first = bars[0]
      const last = bars[bars.length - 1]
      if (first === undefined || last === undefined) throw new UsageError('no bars')
      io.out(`perpkit ml ${action}: ${symbol} ${timeframe}, ${bars.length.toLocaleString('en-US')} bars ${iso(first.openTimeMs)} → ${iso(last.openTimeMs)} UTC, label ${JSON.stringify(settings.label)}, forest ${JSON.stringify(settings.forest)}\n`)
      const folds = action === 'evaluate' ? settings.folds : typeof options['folds'] === 'number' ? settings.folds : 0
      const started = performance.now()
      const bar = progressBar(io, options, action)
      let evaluation: ReturnType<typeof evaluateWalkForward> | undefined
      try {
        if (folds > 0) {
          evaluation = evaluateWalkForward({ bars, label: settings.label, features: settings.features, forest: settings.forest, folds, controlSeed: settings.forest.seed + 1, onProgress: bar.update })
        }
      } finally {
        bar.stop()
      }
      const evaluatedS = (performance.now() - started) / 1000
      if (evaluation !== undefined) {
        const wf = evaluation
        io.out(
          formatTable({
            title: `walk-forward, ${folds} purged folds, ${wf.outOfSample.count} test rows (${evaluatedS.toFixed(1)} s)`,
            rows: [
              ['', 'accuracy', 'log-loss', `precision @ ${wf.outOfSample.threshold}`],
              ['model', fixed(wf.outOfSample.accuracy), fixed(wf.outOfSample.logLoss), fixed(wf.outOfSample.precisionAtThreshold)],
              ['shuffled control', fixed(wf.control.accuracy), fixed(wf.control.logLoss), fixed(wf.control.precisionAtThreshold)],
              ['majority class', fixed(Math.max(wf.baseRate, 1 - wf.baseRate)), '', ''],
            ],
          }),
        )
      }
      if (action === 'evaluate') {
        const wf = evaluation as NonNullable<typeof evaluation>
        const doc = {
          generatedAtMs: io.nowMs(),
          data: { file: config.candlesPath.split('/').slice(-1)[0] as string, symbol, timeframe, bars: bars.length, fromMs: first.openTimeMs, toMs: last.openTimeMs },
          label: settings.label,
          forest: settings.forest,
          controlSeed: settings.forest.seed + 1,
          trainingSeconds: evaluatedS,
          walkForward: wf,
          beatsControl: { logLoss: wf.outOfSample.logLoss < wf.control.logLoss, accuracy: wf.outOfSample.accuracy > wf.control.accuracy },
        }
        const root = resolve(stringOption(options, 'out') ?? config.config.output.dir)
        const dir = writeEvaluation({ root, name: `ml-evaluate-${new Date(io.nowMs()).toISOString().replace(/[:.]/g, '-')}`, doc })
        io.out(`report: ${dir}/evaluation.html\nfiles:  ${dir}/ (evaluation.json, evaluation.html)\n`)
        return EXIT.ok
      }
      const t0 = performance.now()
      const trained = trainModel({
        bars,
        label: settings.label,
        features: settings.features,
        forest: settings.forest,
        createdAtMs: io.nowMs(),
        ...(typeof options['control'] === 'number' ? { shuffledLabelsSeed: options['control'] } : {}),
        symbol,
        timeframe,
        metrics: evaluation === undefined ? {} : { oosAccuracy: evaluation.outOfSample.accuracy, oosLogLoss: evaluation.outOfSample.logLoss, controlAccuracy: evaluation.control.accuracy, controlLogLoss: evaluation.control.logLoss, folds },
      })
      const trainS = (performance.now() - t0) / 1000
      const meta = registry.save(trained)
      const control = meta.training.shuffledLabelsSeed !== undefined ? ` (CONTROL: labels shuffled with seed ${meta.training.shuffledLabelsSeed})` : ''
      io.out(`saved ${meta.version}${control} in ${settings.registryDir}: ${meta.training.rows.toLocaleString('en-US')} rows, ${meta.features.names.length} features, trained in ${trainS.toFixed(1)} s\n`)
      if (options['promote'] === true) {
        const p = registry.promote(meta.version)
        io.out(`current model: ${p.current} (previous: ${p.history.at(-1) ?? 'none'})\n`)
      } else io.out(`not promoted: perpkit ml promote ${meta.version}${stringOption(options, 'config') !== undefined ? ` --config ${stringOption(options, 'config')}` : ''}\n`)
      return EXIT.ok
    }
  }
}

/** `perpkit ml <train|evaluate|list|promote|rollback> [version] [--config f.yaml] …`. */
export const mlCommand: CliCommand = {
  name: 'ml',
  summary: 'train, evaluate and manage the models of the MlSignal strategy (train | evaluate | list | promote <version> | rollback)',
  configure(command) {
    command
      .addArgument(new Argument('<action>', 'train | evaluate | list | promote | rollback').choices(ACTIONS))
      .addArgument(new Argument('[version]', 'the model version to promote (promote only), e.g. v000002'))
      .addOption(configOption())
      .addOption(dataOption())
      .addOption(new Option('--registry <dir>', 'model registry folder (default: ml.registry, or parameters.registry of an MlSignal strategy)'))
      .addOption(new Option('--from <date>', 'first bar of the training window (ISO date or time; overrides ml.train.from)'))
      .addOption(new Option('--to <date>', 'last bar of the training window (overrides ml.train.to)'))
      .addOption(new Option('--horizon <bars>', 'label horizon in bars (overrides ml.label.horizonBars)').argParser(positiveInteger))
      .addOption(new Option('--trees <n>', 'trees of the forest (overrides ml.forest.trees)').argParser(positiveInteger))
      .addOption(new Option('--depth <n>', 'maximum tree depth (overrides ml.forest.maxDepth)').argParser(positiveInteger))
      .addOption(new Option('--seed <n>', 'seed of the forest (the control uses seed + 1)').argParser(wholeNumber))
      .addOption(new Option('--folds <n>', 'walk-forward folds (evaluate; train: also evaluate first and store the out-of-sample metrics)').argParser(positiveInteger))
      .addOption(new Option('--promote', 'train: make the new model current'))
      .addOption(new Option('--control <seed>', 'train: a control model, trained on the labels shuffled with this seed (to compare backtests against)').argParser(wholeNumber))
      .addOption(outOption())
      .option('--no-progress', 'no progress bar (it is shown only on a terminal)')
  },
  async run(context) {
    const [action, version] = context.args as [Action, string | undefined]
    return run(action, version, context)
  },
}
