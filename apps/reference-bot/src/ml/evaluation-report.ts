/**
 * The evaluation report of `perpkit ml evaluate`: one JSON document and the same figures as a small HTML page.
 * @module
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ClassificationMetrics, LabelSpec, RandomForestOptions, WalkForwardReport } from '@perpkit/ml'

/** What `evaluation.json` holds. */
export interface EvaluationDocument {
  readonly generatedAtMs: number
  readonly data: { readonly file: string; readonly symbol: string; readonly timeframe: string; readonly bars: number; readonly fromMs: number; readonly toMs: number }
  readonly label: LabelSpec
  readonly forest: RandomForestOptions
  readonly controlSeed: number
  readonly trainingSeconds: number
  readonly walkForward: WalkForwardReport
  /** Out-of-sample verdict against the shuffled-label control (lower log-loss and higher accuracy). */
  readonly beatsControl: { readonly logLoss: boolean; readonly accuracy: boolean }
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const num = (v: number | null, digits = 4): string => (v === null ? '—' : v.toFixed(digits))
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

function metricCells(m: ClassificationMetrics): string {
  return `<td>${num(m.accuracy)}</td><td>${num(m.logLoss)}</td><td>${num(m.precisionAtThreshold)}</td><td>${m.signals}</td>`
}

/** The HTML page of an evaluation document (self-contained, no scripts). */
export function evaluationHtml(doc: EvaluationDocument): string {
  const wf = doc.walkForward
  const rows = wf.folds
    .map((f, i) => `<tr><td>${i + 1}</td><td>${iso(f.testFromMs)} → ${iso(f.testToMs)}</td><td>${f.trainRows}</td><td>${f.testRows}</td>${metricCells(f.model)}${metricCells(f.control)}</tr>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>perpkit ml evaluation</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}</style></head>
<body>
<h1>Walk-forward evaluation</h1>
<p>${esc(doc.data.symbol)} ${esc(doc.data.timeframe)} · ${doc.data.bars} bars (${iso(doc.data.fromMs)} → ${iso(doc.data.toMs)} UTC) · ${esc(doc.data.file)}</p>
<p>Label: <code>${esc(JSON.stringify(doc.label))}</code> · forest <code>${esc(JSON.stringify(doc.forest))}</code> · ${wf.folds.length} purged folds · control: same rows, labels shuffled (seed ${doc.controlSeed}) · ${doc.trainingSeconds.toFixed(1)} s of training</p>
<h2>Out of sample (pooled)</h2>
<table><tr><th></th><th>accuracy</th><th>log-loss</th><th>precision @ ${wf.outOfSample.threshold}</th><th>signals</th></tr>
<tr><th>model</th>${metricCells(wf.outOfSample)}</tr>
<tr><th>shuffled control</th>${metricCells(wf.control)}</tr></table>
<p>Base rate (share of label 1): ${num(wf.baseRate)}; majority-class accuracy ${num(Math.max(wf.baseRate, 1 - wf.baseRate))}.
Beats the control: log-loss ${doc.beatsControl.logLoss ? 'yes' : 'no'}, accuracy ${doc.beatsControl.accuracy ? 'yes' : 'no'}.</p>
<h2>Folds</h2>
<table><tr><th>#</th><th>test bars (UTC)</th><th>train rows</th><th>test rows</th><th>accuracy</th><th>log-loss</th><th>precision</th><th>signals</th><th>control acc.</th><th>control log-loss</th><th>control precision</th><th>control signals</th></tr>
${rows}
</table>
</body></html>
`
}

/**
 * Write `evaluation.json` and `evaluation.html` into a new folder under `root`, built under a temporary name and
 * renamed when complete.
 *
 * @returns the folder.
 */
export function writeEvaluation(args: { readonly root: string; readonly name: string; readonly doc: EvaluationDocument }): string {
  mkdirSync(args.root, { recursive: true })
  const dir = join(args.root, args.name)
  const tmp = join(args.root, `.tmp-${args.name}-${process.pid}`)
  mkdirSync(tmp, { recursive: true })
  writeFileSync(join(tmp, 'evaluation.json'), `${JSON.stringify(args.doc, null, 2)}\n`)
  writeFileSync(join(tmp, 'evaluation.html'), evaluationHtml(args.doc))
  renameSync(tmp, dir)
  return dir
}
